"""Publication deadlines (条例第四十九条)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..model import Finding
from .registry import Context, rule


def publication_deadline(year: int, agency: str | None) -> tuple[dt.date, str]:
    """The statutory deadline for publishing the report on ``year``, and who it applies to.

    县级以上人民政府部门: 1月31日; the 本级政府 report published by the 主管部门: 3月31日.
    """
    if agency and agency.endswith("人民政府"):
        return dt.date(year + 1, 3, 31), "县级以上地方人民政府年度报告"
    return dt.date(year + 1, 1, 31), "县级以上人民政府部门年度报告"


@rule(
    "DEADLINE",
    "warning",
    "timeliness",
    "按期发布",
    "报告所载发布（落款）日期晚于法定期限：部门报告为次年1月31日，本级人民政府报告为次年3月31日。网页日期常不可靠，故为警告。",
    "条例第四十九条",
)
def deadline(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    if report.year is None or report.published is None:
        return
    due, who = publication_deadline(report.year, report.agency)
    if report.published > due:
        fact = report.facts.get("published")
        yield ctx.finding(
            f"发布日期{report.published.isoformat()}晚于{who}的法定期限{due.isoformat()}（晚{(report.published - due).days}天）",
            locations=[fact.location if fact else None],
        )
