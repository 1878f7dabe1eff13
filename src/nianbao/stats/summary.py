"""The region's summary report (汇总): tables 2–4 summed over the chosen agencies.

The result is a ``nianbao.report/1`` :class:`~nianbao.model.Report` in the year's format, so it
renders in the official layout with :func:`nianbao.render.render_bytes` (sections left empty:
the renderer writes the default narrative from the summed tables).  Every summed cell is
traceable: :meth:`Summary.sources` lists each member's value, :meth:`Summary.explain` says it
in words, :func:`nianbao.stats.xlsx.summary_xlsx` writes it as sheets.

Nothing is hidden.  Sums of consistent tables are consistent, so the summed tables add up when
every member's do.  A member whose tables do not add up is summed as printed and listed with
its errors; a member cell that is unreadable or missing is *unknown*, never 0: the total is
then the sum over the other members — a lower bound, since the tables' values are
non-negative — and is left empty (status ``unreadable``, with a note) unless ``partial=True``
asks to print the lower bound.  Each affected total says so in :attr:`Summary.problems`'s
companion, :meth:`Summary.effects`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any, Literal

from ..formats import FORMATS, FormatSpec, format_for_year, get_format
from ..formats.labels import format_number
from ..model import CellValue, Report, TableData
from .aggregate import exact_sum
from .rows import MemberReport, Number, common_region, region_names, select

SUMMARY_SUFFIX = "政府信息公开工作年度报告汇总"
ProblemKind = Literal["arithmetic", "unknown_cells", "format", "duplicate"]
STATUS_NAMES = {  # a member's cell as the summary says it (absent: the member's format has no such cell)
    "value": "",
    "blank": "空白（按0计）",
    "unreadable": "无法读取",
    "missing": "缺失",
    "absent": "该格式无此项",
}


@cache
def summary_cells(format_version: str) -> tuple[str, ...]:
    """The cells a summary of ``format_version`` sums, in printed order (table 3's standard rows)."""
    spec = get_format(format_version)
    ids = [f"table2.{row.key}.{col.key}" for block, row in spec.table2.rows for col in block.columns]
    ids += [f"table3.{row.key}.{col.key}" for row in spec.table3.rows for col in spec.table3.columns]
    ids += [f"table4.{group.key}.{col.key}" for group in spec.table4.groups for col in spec.table4.columns]
    return tuple(ids)


def cell_label(cell_id: str, format_version: str = "gov2021") -> str:
    """表三“三（七）总计”行自然人列 …: a cell named as the rules' messages name it."""
    table, row, col = cell_id.split(".")
    return get_format(format_version).cell_name(table, row, col)


@dataclass(frozen=True)
class SourceValue:
    agency: str
    region_code: str
    key: Hashable  # the member report's key (store id, file name)
    value: Number | None
    status: str  # value, blank, unreadable, missing, absent

    def as_dict(self) -> dict[str, Any]:
        # by hand, not dataclasses.asdict: a province's summary writes 400,000 of them
        return {
            "agency": self.agency,
            "region_code": self.region_code,
            "key": _jsonable(self.key),
            "value": self.value,
            "status": self.status,
        }


@dataclass(frozen=True)
class CellTotal:
    cell: str
    label: str
    value: Number  # the sum over the members whose value is known
    n: int  # members whose value is known
    unknown: tuple[str, ...]  # members whose value is unreadable, missing or not in their format
    erroneous: tuple[str, ...]  # members whose failed 勾稽关系 involve this cell (summed as printed)

    @property
    def complete(self) -> bool:
        return not self.unknown

    def effect(self) -> str | None:
        """What the members' problems do to this total, in Chinese; None when nothing."""
        parts = []
        if self.unknown:
            parts.append(
                f"{len(self.unknown)}家单位数值未知（{_names(self.unknown)}），"
                f"合计{format_number(self.value)}仅为其余{self.n}家之和，实际值不小于此数"
            )
        if self.erroneous:
            parts.append(
                f"{len(self.erroneous)}家单位该项所在的勾稽关系不成立（{_names(self.erroneous)}），按其填报值计入"
            )
        return f"{self.label}：{'；'.join(parts)}" if parts else None


def _names(names: tuple[str, ...], shown: int = 3) -> str:
    head = "、".join(names[:shown])
    return head + (f"等{len(names)}家" if len(names) > shown else "")


@dataclass(frozen=True)
class Problem:
    agency: str
    region_code: str
    key: Hashable
    kind: ProblemKind
    message: str  # Chinese
    cells: tuple[str, ...] = ()


@dataclass
class Summary:
    report: Report
    year: int
    region: str | None
    region_name: str | None
    levels: tuple[str, ...] | None
    members: list[MemberReport]  # the reports summed, in order
    totals: dict[str, CellTotal]
    problems: list[Problem]  # members with errors or unknown cells, duplicates left out
    partial: bool

    def effects(self) -> list[str]:
        """Per affected total, what the problems do to it."""
        return [effect for total in self.totals.values() if (effect := total.effect()) is not None]

    def sources(self, cell_id: str) -> list[SourceValue]:
        """Every member's value of one summed cell."""
        if cell_id not in self.totals:
            raise KeyError(cell_id)
        return [
            SourceValue(m.member.name, m.member.region_code, m.key, m.values.get(cell_id), m.status(cell_id))
            for m in self.members
        ]

    def explain(self, cell_id: str) -> list[str]:
        """One summed cell in words: the total, then each member's value (Chinese lines)."""
        total = self.totals[cell_id]
        lines = [
            f"{total.label}：合计{format_number(total.value)}，来自{total.n}家单位"
            + ("" if total.complete else "（不完整）")
        ]
        if (effect := total.effect()) is not None:
            lines.append(effect)
        for source in self.sources(cell_id):
            shown = format_number(source.value) if source.status == "value" else STATUS_NAMES[source.status]
            lines.append(f"  {source.agency}（{source.region_code}）：{shown}")
        return lines

    def notes(self) -> list[str]:
        """What to print above the summary: the members with problems, then each affected total."""
        lines = [
            f"{self.report.title}：汇总{len(self.members)}家单位的年度报告"
            + (f"，其中{len({p.agency for p in self.problems})}家有问题" if self.problems else "，均无问题")
        ]
        lines += [f"【{_KIND_NAMES[p.kind]}】{p.message}" for p in self.problems]
        lines += [f"【对合计的影响】{effect}" for effect in self.effects()]
        return lines

    def as_dict(self, *, sources: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "title": self.report.title,
            "year": self.year,
            "region": self.region,
            "region_name": self.region_name,
            "levels": list(self.levels) if self.levels is not None else None,
            "members": len(self.members),
            "partial": self.partial,
            "problems": [asdict(p) | {"key": _jsonable(p.key)} for p in self.problems],
            "effects": self.effects(),
            "totals": {cell: asdict(total) | {"complete": total.complete} for cell, total in self.totals.items()},
            "report": self.report.to_contract(provenance=False),
        }
        if sources:
            out["sources"] = self.source_dicts()
        return out

    def source_dicts(self) -> dict[str, list[dict[str, Any]]]:
        """Per summed cell, every member's value as JSON objects."""
        return {cell: [source.as_dict() for source in self.sources(cell)] for cell in self.totals}


_KIND_NAMES = {"arithmetic": "勾稽关系错误", "unknown_cells": "数值未知", "format": "格式不同", "duplicate": "重复报告"}


def _jsonable(key: Hashable) -> Any:
    return key if key is None or isinstance(key, (str, int, float)) else str(key)


def summarize(
    reports: Iterable[MemberReport],
    year: int,
    *,
    region: str | None = None,
    levels: Iterable[str] | None = None,
    name: str | None = None,
    partial: bool = False,
) -> Summary:
    """Sum tables 2–4 of ``year`` over the members in ``region`` (a code, sub-regions included)
    at ``levels``; ``name`` heads the title (default: the region's name).

    A second report of the same agency and year is left out and listed as a ``duplicate``.
    """
    version = format_for_year(year)
    if version not in FORMATS:
        raise ValueError(f"{year}年的报告没有统计表，无法汇总")
    level_list = tuple(levels) if levels is not None else None
    everyone = list(reports)
    chosen = select(everyone, year=year, region=region, levels=level_list)
    problems: list[Problem] = []
    members: list[MemberReport] = []
    seen: set[str] = set()
    for entry in chosen:
        if entry.member.name in seen:
            problems.append(
                _problem(
                    entry,
                    "duplicate",
                    f"{entry.member.name}：同一年度有多份报告，只汇总第一份，此份（{entry.key}）未计入",
                )
            )
            continue
        seen.add(entry.member.name)
        members.append(entry)
    if not members:
        raise ValueError(f"所选范围内没有{year}年的报告，无法汇总")
    spec = get_format(version)
    cells = summary_cells(version)
    erroneous: dict[str, list[str]] = {}
    for entry in members:
        problems += _member_problems(entry, spec, cells, erroneous)
    totals = _totals(members, cells, version, erroneous)
    names = region_names(everyone)  # a region's name from its own agencies, even when their level is not chosen
    region_name = names.get(region or common_region(entry.member.region_code for entry in members) or "")
    heading = name or region_name or "各单位"
    tables = _tables(totals, spec, partial)
    report = Report(
        format_version=version,
        agency=heading,
        year=year,
        title=f"{heading}{year}年{SUMMARY_SUFFIX}",
        source={"kind": "summary", "members": len(members)},
        table2=tables["table2"],
        table3=tables["table3"],
        table4=tables["table4"],
    )
    problems.sort(key=lambda p: p.kind == "duplicate")  # stable: members in order, duplicates last
    return Summary(report, year, region, region_name, level_list, members, totals, problems, partial)


def _problem(entry: MemberReport, kind: ProblemKind, message: str, cells: Iterable[str] = ()) -> Problem:
    return Problem(entry.member.name, entry.member.region_code, entry.key, kind, message, tuple(cells))


def _member_problems(
    entry: MemberReport, spec: FormatSpec, cells: tuple[str, ...], erroneous: dict[str, list[str]]
) -> list[Problem]:
    out = []
    name = entry.member.name
    if entry.format_version != spec.key:
        out.append(
            _problem(
                entry,
                "format",
                f"{name}：报告为{entry.format_version or '未知'}格式，与汇总所用的{spec.key}格式不同；"
                "两种格式含义相同的单元格照常计入，其余单元格视为未知",
            )
        )
    for issue in entry.checked():
        out.append(_problem(entry, "arithmetic", f"{name}：{issue.message}（{issue.code}）", issue.cells))
        for cell in issue.cells:
            names = erroneous.setdefault(cell, [])
            if not names or names[-1] != name:
                names.append(name)
    unknown = [cell for cell in cells if cell not in entry.values]
    if unknown:
        statuses = sorted({STATUS_NAMES[entry.status(cell)] for cell in unknown})
        shown = "、".join(cell_label(cell, spec.key) for cell in unknown[:3])
        more = f"等{len(unknown)}个单元格" if len(unknown) > 3 else ""
        out.append(
            _problem(
                entry,
                "unknown_cells",
                f"{name}：{shown}{more}{'/'.join(statuses)}，相应合计未计入其数值",
                unknown,
            )
        )
    return out


def _totals(
    members: list[MemberReport], cells: tuple[str, ...], version: str, erroneous: dict[str, list[str]]
) -> dict[str, CellTotal]:
    out = {}
    for cell in cells:
        column = [entry.values.get(cell) for entry in members]
        known = [value for value in column if value is not None]
        unknown = (
            tuple(members[n].member.name for n, value in enumerate(column) if value is None)
            if len(known) < len(column)
            else ()
        )
        out[cell] = CellTotal(
            cell, cell_label(cell, version), exact_sum(known), len(known), unknown, tuple(erroneous.get(cell, ()))
        )
    return out


def _tables(totals: dict[str, CellTotal], spec: FormatSpec, partial: bool) -> dict[str, TableData]:
    tables: dict[str, TableData] = {"table2": {}, "table3": {}, "table4": {}}
    for cell, total in totals.items():
        table, row, col = cell.split(".")
        if total.complete:
            value = CellValue(status="value", value=total.value, raw=format_number(total.value))
        elif partial:
            value = CellValue(
                status="value", value=total.value, raw=format_number(total.value), note=f"下限：{total.effect()}"
            )
        else:
            value = CellValue(status="unreadable", note=total.effect())
        tables[table].setdefault(row, {})[col] = value
    return tables
