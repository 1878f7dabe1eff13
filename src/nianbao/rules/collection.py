"""Rules over what a supervising office holds, not over one report: MISSING.

The store (or anyone holding a list of agencies and the reports received) calls
:func:`missing_reports`; the agencies are identified by whatever key the caller uses (a database
id, a normalised name), so the function knows nothing of the database.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..model import Finding
from .registry import collection_rule

K = TypeVar("K", bound=Hashable)

MISSING = collection_rule(
    "MISSING",
    "error",
    "collection",
    "名录中的机关缺少年度报告",
    "机关名录中的每个机关，在所核查的每个年度都应有一份年度报告；没有收到（或未导入）的列出机关和年度。"
    "由报告库对整个集合运行（`nianbao.rules.collection.missing_reports`），不针对单个文件。",
    "条例第四十九条：县级以上人民政府部门和县级以上地方人民政府每年公布上一年度报告",
)


@dataclass(frozen=True)
class CollectionFinding(Generic[K]):
    """A finding about an agency and year rather than about a report."""

    agency: K
    year: int
    finding: Finding


def missing_reports(
    agencies: Mapping[K, str], present: Iterable[tuple[K, int]], years: Iterable[int]
) -> list[CollectionFinding[K]]:
    """A MISSING finding for every listed agency and year with no report.

    ``agencies`` maps each agency on the office's list (by the caller's key) to its name;
    ``present`` is every (agency key, year) a report is held for; ``years`` the years checked.
    Ordered by year, then by the list's order.
    """
    held = set(present)
    out: list[CollectionFinding[K]] = []
    for year in sorted(set(years)):
        for key, name in agencies.items():
            if (key, year) not in held:
                finding = Finding(
                    code=MISSING.code,
                    severity=MISSING.severity,
                    message=f"{name}没有{year}年度政府信息公开工作年度报告（名录中有该机关，报告库中没有这一年度的报告）",
                )
                out.append(CollectionFinding(key, year, finding))
    return out
