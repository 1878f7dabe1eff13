"""Statistics and the summary as files: XLSX workbooks and JSON, returned as bytes.

The statistics workbook has one sheet per view (合计, 比率, 同比, 异常, 排名, 按期发布, 未报送,
说明) with merged Chinese headers, numbers as numbers (rates as numbers formatted as percent)
and native Excel charts.  The summary workbook is the summed report in the official layout
(the renderer's sheets) with a first sheet listing the members' problems and their effect on
each total, and one sheet per table tracing every summed cell to the member reports.
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Sequence
from functools import cache
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from ..formats import FormatSpec, get_format
from ..render import render_bytes
from .aggregate import Group, Stats
from .definitions import (
    HEADLINE,
    MEASURE_BY_KEY,
    MEASURES,
    RANKED_MEASURES,
    RANKED_RATES,
    RATE_BY_KEY,
    RATES,
    THRESHOLD_TEXT,
)
from .summary import STATUS_NAMES, Summary

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

FONT = "仿宋_GB2312"
PERCENT = "0.0%"
_ANOMALY_KINDS = {"jump_up": "异常增长", "jump_down": "异常下降", "zero_among_peers": "同类单位较大而本单位为零"}
_BY_NAMES = {"agency": "单位", "region": "地区", "level": "层级", "year": "年度"}


@cache
def _style() -> SimpleNamespace:
    """The workbooks' borders and fonts; openpyxl is loaded only when a workbook is written
    (it takes half a second, most of a plain ``nianbao stats``)."""
    from openpyxl.styles import Alignment, Border, Font, Side  # type: ignore[import-untyped]

    thin = Side(style="thin", color="000000")
    return SimpleNamespace(
        border=Border(left=thin, right=thin, top=thin, bottom=thin),
        head=Alignment(horizontal="center", vertical="center", wrap_text=True),
        head_font=Font(name="黑体", size=10),
        title_font=Font(name="方正小标宋简体", size=14),
    )


# A header is a tree: (label, children) with leaves (label, None); each leaf is one column.
Header = tuple[str, "Sequence[Header] | None"]


def _leaves(node: Header) -> int:
    return 1 if node[1] is None else sum(_leaves(child) for child in node[1])


def _depth(node: Header) -> int:
    return 1 if node[1] is None else 1 + max(_depth(child) for child in node[1])


def _write_header(sheet: Worksheet, top: int, nodes: Sequence[Header]) -> int:
    """Write a header tree from row ``top``, merging each label over its columns (and down over
    the rows a shallower branch leaves empty); returns the first row after it."""
    depth = max(_depth(node) for node in nodes)

    def put(node: Header, row: int, col: int) -> None:
        width = _leaves(node)
        height = 1 if node[1] is not None else depth - (row - top)
        cell = sheet.cell(row=row, column=col, value=node[0])
        cell.font, cell.alignment = _style().head_font, _style().head
        for r in range(row, row + height):
            for c in range(col, col + width):
                sheet.cell(row=r, column=c).border = _style().border
        if width > 1 or height > 1:
            sheet.merge_cells(start_row=row, start_column=col, end_row=row + height - 1, end_column=col + width - 1)
        if node[1] is not None:
            offset = col
            for child in node[1]:
                put(child, row + 1, offset)
                offset += _leaves(child)

    col = 1
    for node in nodes:
        put(node, top, col)
        col += _leaves(node)
    return top + depth


def _title(sheet: Worksheet, text: str, width: int) -> None:
    sheet.cell(row=1, column=1, value=text).font = _style().title_font
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 1))
    sheet.row_dimensions[1].height = 24


def _rows(sheet: Worksheet, first: int, rows: Sequence[Sequence[Any]], formats: dict[int, str] | None = None) -> int:
    for r, values in enumerate(rows, start=first):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.border = _style().border
            if formats and c in formats and isinstance(value, (int, float)):
                cell.number_format = formats[c]
    return first + len(rows)


def _widths(sheet: Worksheet, first: float, rest: float, count: int) -> None:
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    sheet.column_dimensions["A"].width = first
    for col in range(2, count + 1):
        sheet.column_dimensions[get_column_letter(col)].width = rest


def _bar(
    sheet: Worksheet,
    title: str,
    series: Sequence[tuple[int, str]],
    first: int,
    last: int,
    anchor: str,
    *,
    percent: bool = False,
) -> None:
    """A native column chart: each (column, name) of ``series`` over rows first–last, against column A."""
    if last < first:
        return
    from openpyxl.chart import BarChart, Reference, Series  # type: ignore[import-untyped]

    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.height, chart.width = 8, 18
    for col, name in series:
        chart.append(Series(Reference(sheet, min_col=col, min_row=first, max_row=last), title=name))
    chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
    if percent:
        chart.y_axis.numFmt = PERCENT
    sheet.add_chart(chart, anchor)


def _scope(stats: Stats) -> str:
    where = stats.region_name or stats.overall.label
    levels = f"（{'、'.join(stats.levels)}）" if stats.levels else ""
    return f"{where}{stats.year}年{levels}"


def _group_rows(stats: Stats) -> list[Group]:
    return [*stats.groups, stats.overall] if stats.by != "year" else list(stats.groups)


def _label(stats: Stats, group: Group) -> str:
    return "合计" if group is stats.overall else group.label


# ---------------------------------------------------------------------------------- stats


def stats_xlsx(stats: Stats) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = f"{_scope(stats)}政府信息公开工作年度报告统计"
    workbook.properties.creator = "nianbao"
    _totals_sheet(workbook.create_sheet("合计"), stats)
    _rates_sheet(workbook.create_sheet("比率"), stats)
    _changes_sheet(workbook.create_sheet("同比"), stats)
    _anomalies_sheet(workbook.create_sheet("异常"), stats)
    _rankings_sheet(workbook.create_sheet("排名"), stats)
    _timeliness_sheet(workbook.create_sheet("按期发布"), stats)
    _missing_sheet(workbook.create_sheet("未报送"), stats)
    _definitions_sheet(workbook.create_sheet("说明"), stats)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _totals_sheet(sheet: Worksheet, stats: Stats) -> None:
    by = _BY_NAMES[stats.by]
    tables: dict[str, list[Header]] = {}
    for m in MEASURES:
        tables.setdefault(m.table, []).append((m.name, [("合计", None), ("未知家数", None)]))
    header: list[Header] = [(by, None), ("报告数", None), *((f"{name}", children) for name, children in tables.items())]
    width = sum(_leaves(node) for node in header)
    _title(sheet, f"{_scope(stats)}政府信息公开工作年度报告数据合计（按{by}）", width)
    first = _write_header(sheet, 3, header)
    ordered = [m for name in tables for m in MEASURES if m.table == name]
    groups = _group_rows(stats)
    rows = [
        [_label(stats, g), g.reports, *(v for m in ordered for v in (g.totals[m.key].value, g.totals[m.key].unknown))]
        for g in groups
    ]
    last = _rows(sheet, first, rows) - 1
    _widths(sheet, 24, 9, width)
    sheet.freeze_panes = sheet.cell(row=first, column=3)
    received = 3 + 2 * ordered.index(MEASURE_BY_KEY["received_new"])
    chart_last = last - (1 if stats.by != "year" else 0)  # the 合计 row would dwarf the groups
    _bar(sheet, "本年新收政府信息公开申请（件）", [(received, "本年新收")], first, chart_last, f"A{last + 3}")


def _rates_sheet(sheet: Worksheet, stats: Stats) -> None:
    by = _BY_NAMES[stats.by]
    parts: list[Header] = [("比率", None), ("分子", None), ("分母", None), ("样本数", None), ("排除", None)]
    header: list[Header] = [(by, None), *((r.name, parts) for r in RATES)]
    width = 1 + 5 * len(RATES)
    _title(sheet, f"{_scope(stats)}比率（分子、分母、样本数；排除＝所需单元格无法读取或缺失的单位数）", width)
    first = _write_header(sheet, 3, header)
    rows = []
    for g in _group_rows(stats):
        row: list[Any] = [_label(stats, g)]
        for r in RATES:
            v = g.rates[r.key]
            row += [v.value, v.numerator, v.denominator, v.n, v.excluded]
        rows.append(row)
    last = _rows(sheet, first, rows, {2 + 5 * k: PERCENT for k in range(len(RATES))}) - 1
    _widths(sheet, 24, 9, width)
    sheet.freeze_panes = sheet.cell(row=first, column=2)
    _bar(sheet, RATES[0].name, [(2, RATES[0].name)], first, last, f"A{last + 3}", percent=True)


def _changes_sheet(sheet: Worksheet, stats: Stats) -> None:
    by = _BY_NAMES[stats.by]
    parts: list[Header] = [("上年", None), ("本年", None), ("增减", None), ("增减幅度", None)]
    header: list[Header] = [(by, None), *((MEASURE_BY_KEY[key].name, parts) for key in HEADLINE)]
    width = 1 + 4 * len(HEADLINE)
    _title(sheet, f"{_scope(stats)}同比变化（与上一年度比较）", width)
    first = _write_header(sheet, 3, header)
    by_group: dict[str, dict[str, Any]] = {}
    labels: dict[str, str] = {}
    for change in stats.changes:
        by_group.setdefault(change.group, {})[change.measure] = change
        labels[change.group] = change.label if stats.by != "year" else f"{change.year}年"
    rows = []
    for group, changes in by_group.items():
        row: list[Any] = [labels[group]]
        for key in HEADLINE:
            c = changes[key]
            row += [c.previous.value if c.previous else None, c.current.value, c.change, c.ratio]
        rows.append(row)
    last = _rows(sheet, first, rows, {5 + 4 * k: PERCENT for k in range(len(HEADLINE))}) - 1
    _widths(sheet, 24, 9, width)
    sheet.freeze_panes = sheet.cell(row=first, column=2)
    _bar(
        sheet,
        f"{MEASURE_BY_KEY[HEADLINE[0]].name}：上年与本年",
        [(2, "上年"), (3, "本年")],
        first,
        last,
        f"A{last + 3}",
    )


def _anomalies_sheet(sheet: Worksheet, stats: Stats) -> None:
    t = stats.thresholds
    _title(
        sheet,
        f"{_scope(stats)}异常数值（增长超过{t.jump_up:g}倍或降至{t.jump_down:g}倍以下且较大者不少于{t.jump_min:g}；"
        f"同类单位中位数不少于{t.peer_large:g}而本单位为0）",
        8,
    )
    first = _write_header(
        sheet,
        3,
        [
            ("单位", None),
            ("区划代码", None),
            ("年度", None),
            ("指标", None),
            ("类型", None),
            ("本年数值", None),
            ("参照值", None),
            ("说明", None),
        ],
    )
    rows = [
        [
            a.agency,
            a.region_code,
            a.year,
            MEASURE_BY_KEY[a.measure].name,
            _ANOMALY_KINDS[a.kind],
            a.value,
            a.reference,
            a.message,
        ]
        for a in stats.anomalies
    ]
    _rows(sheet, first, rows)
    _widths(sheet, 30, 12, 8)
    sheet.column_dimensions["H"].width = 60


def _rankings_sheet(sheet: Worksheet, stats: Stats) -> None:
    from openpyxl.utils import get_column_letter

    header: list[Header] = []
    for key in RANKED_MEASURES:
        header.append((MEASURE_BY_KEY[key].name, [("名次", None), ("单位", None), ("数值", None)]))
    for key in RANKED_RATES:
        header.append(
            (
                f"{RATE_BY_KEY[key].name}（分母≥{stats.thresholds.rank_min_denominator:g}）",
                [("名次", None), ("单位", None), ("比率", None), ("分子", None), ("分母", None)],
            )
        )
    width = sum(_leaves(node) for node in header)
    _title(sheet, f"{_scope(stats)}排名（从高到低，并列同名次）", width)
    first = _write_header(sheet, 3, header)
    col = 1
    for key in (*RANKED_MEASURES, *RANKED_RATES):
        is_rate = key in RANKED_RATES
        rows = [
            [r.rank, r.agency, r.value, *((r.numerator, r.denominator) if is_rate else ())] for r in stats.rankings[key]
        ]
        for n, values in enumerate(rows, start=first):
            for k, value in enumerate(values):
                cell = sheet.cell(row=n, column=col + k, value=value)
                cell.border = _style().border
                if is_rate and k == 2:
                    cell.number_format = PERCENT
        sheet.column_dimensions[get_column_letter(col + 1)].width = 28
        col += 5 if is_rate else 3


def _timeliness_sheet(sheet: Worksheet, stats: Stats) -> None:
    by = _BY_NAMES[stats.by]
    header: list[Header] = [
        (by, None),
        ("报告数", None),
        ("有发布日期", None),
        ("按期发布", None),
        ("逾期发布", None),
        ("按期发布率", None),
    ]
    _title(sheet, f"{_scope(stats)}按期发布情况（按期发布率＝按期发布÷有发布日期；期限按条例第四十九条）", 6)
    first = _write_header(sheet, 3, header)
    rows = [
        [_label(stats, g), t.reports, t.dated, t.on_time, t.late, t.share]
        for g in _group_rows(stats)
        for t in (g.timeliness,)
    ]
    last = _rows(sheet, first, rows, {6: PERCENT}) - 1
    _widths(sheet, 24, 11, 6)
    _bar(sheet, "按期发布率", [(6, "按期发布率")], first, last, "H3", percent=True)
    late_first = _write_header(
        sheet,
        last + 3,
        [
            (
                "逾期发布的单位",
                [
                    ("单位", None),
                    ("区划代码", None),
                    ("年度", None),
                    ("发布日期", None),
                    ("法定期限", None),
                    ("逾期天数", None),
                ],
            )
        ],
    )
    _rows(sheet, late_first, [[x.agency, x.region_code, x.year, x.published, x.deadline, x.days] for x in stats.late])


def _missing_sheet(sheet: Worksheet, stats: Stats) -> None:
    _title(sheet, f"{_scope(stats)}未报送年度报告的单位", 5)
    first = _write_header(
        sheet, 3, [("单位", None), ("区划代码", None), ("区划", None), ("层级", None), ("上级机关", None)]
    )
    _rows(sheet, first, [[m.name, m.region_code, m.region_name, m.level_label, m.parent] for m in stats.missing])
    _widths(sheet, 32, 14, 5)


def _definitions_sheet(sheet: Worksheet, stats: Stats) -> None:
    _title(sheet, "指标、比率与阈值的定义（docs/statistics.md）", 4)
    first = _write_header(sheet, 3, [("指标", [("名称", None), ("来源", None), ("单元格", None)])])
    rows: list[list[Any]] = [[m.name, m.table, " 或 ".join(" + ".join(alt) for alt in m.terms)] for m in MEASURES]
    after = _rows(sheet, first, rows)
    first = _write_header(sheet, after + 1, [("比率", [("名称", None), ("定义", None), ("排名", None)])])
    rows = [[r.name, r.definition, "越高越好" if r.higher_is == "better" else "越高越差"] for r in RATES]
    after = _rows(sheet, first, rows)
    first = _write_header(sheet, after + 1, [("阈值", [("名称", None), ("数值", None), ("含义", None)])])
    _rows(sheet, first, [[name, getattr(stats.thresholds, name), text] for name, text in THRESHOLD_TEXT.items()])
    _widths(sheet, 28, 12, 3)
    sheet.column_dimensions["C"].width = 80


def stats_json(stats: Stats) -> bytes:
    return (json.dumps(stats.as_dict(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------------- summary


def summary_xlsx(summary: Summary) -> bytes:
    """The summed report's tables (as the renderer lays them out), a first sheet of problems and
    effects, and the sources of every summed cell."""
    from openpyxl import load_workbook
    from openpyxl.styles import Alignment

    workbook = load_workbook(io.BytesIO(render_bytes(summary.report, "xlsx", allow_errors=True)))
    notes = workbook.create_sheet("汇总说明", 0)
    _title(notes, summary.report.title or "汇总", 1)
    for n, line in enumerate(summary.notes(), start=3):
        notes.cell(row=n, column=1, value=line).alignment = Alignment(wrap_text=True, vertical="top")
    notes.column_dimensions["A"].width = 120
    for table, name in (("table2", "表二"), ("table3", "表三"), ("table4", "表四")):
        _sources_sheet(workbook.create_sheet(f"来源-{name}"), summary, table, name)
    workbook.active = 0
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sources_sheet(sheet: Worksheet, summary: Summary, table: str, name: str) -> None:
    spec = get_format(summary.report.format_version)
    cells = [cell for cell in summary.totals if cell.startswith(table + ".")]
    rows_of: dict[str, list[str]] = {}
    for cell in cells:
        rows_of.setdefault(cell.split(".")[1], []).append(cell)
    col_names = _column_names(spec, table)
    header: list[Header] = [
        ("单位", None),
        ("区划代码", None),
        ("层级", None),
        *(
            (_row_name(spec, table, row), [(col_names[(row, c.split(".")[2])], None) for c in ids])
            for row, ids in rows_of.items()
        ),
    ]
    _title(sheet, f"{name}各单元格的来源：首行为合计，其下为各单位填报值（空白按0计；文字表示该值未知）", len(header))
    first = _write_header(sheet, 3, header)
    total_row: list[Any] = ["合计", "", f"{len(summary.members)}家"]
    total_row += [
        summary.totals[cell].value if summary.totals[cell].complete else f"≥{summary.totals[cell].value}"
        for cell in cells
    ]
    rows = [total_row]
    for entry in summary.members:
        row: list[Any] = [entry.member.name, entry.member.region_code, entry.member.level_label]
        for cell in cells:
            status = entry.status(cell)
            row.append(entry.values[cell] if status == "value" else None if status == "blank" else STATUS_NAMES[status])
        rows.append(row)
    for r, values in enumerate(rows, start=first):
        for c, value in enumerate(values, start=1):
            sheet.cell(row=r, column=c, value=value)
    for c in range(1, len(cells) + 4):
        sheet.cell(row=first, column=c).font = _style().head_font
    sheet.freeze_panes = sheet.cell(row=first + 1, column=4)
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 12


def _row_name(spec: FormatSpec, table: str, row: str) -> str:
    if table == "table3":
        return spec.table3.row(row).name
    if table == "table4":
        return next(g.name for g in spec.table4.groups if g.key == row)
    return next(label.label for _block, label in spec.table2.rows if label.key == row)


def _column_names(spec: FormatSpec, table: str) -> dict[tuple[str, str], str]:
    if table == "table3":
        return {(row.key, col.key): col.name for row in spec.table3.rows for col in spec.table3.columns}
    if table == "table4":
        return {(g.key, col.key): col.name for g in spec.table4.groups for col in spec.table4.columns}
    return {(row.key, col.key): col.name for block, row in spec.table2.rows for col in block.columns}


SUMMARY_FORMATS = ("docx", "pdf", "html", "md", "xlsx", "json")


def summary_bytes(summary: Summary, fmt: str) -> bytes:
    """The summary in one of :data:`SUMMARY_FORMATS`: the official layout (with the members'
    problems printed above it), the workbook with its source sheet, or the JSON with every source."""
    if fmt == "json":
        return summary_json(summary, sources=True)
    if fmt == "xlsx":
        return summary_xlsx(summary)
    report = summary.report
    if summary.problems:
        # the renderer prints a summary's preamble above its standard one: the problems on top
        report = dataclasses.replace(report, preamble="\n".join(summary.notes()))
    # A member's failed 勾稽关系 are summed as printed and stated above; they must not stop the summary.
    return render_bytes(report, fmt, allow_errors=bool(summary.problems))


def summary_json(summary: Summary, *, sources: bool = False) -> bytes:
    """The summary with its problems, effects and totals (and every member's value with ``sources``).

    The sources are written one line per cell: a province's 2,000 members make 400,000 of them,
    which indented would be 56 MB and seconds of Python's pure-Python (indenting) encoder; each
    compact line goes through the C encoder.  The result is the same JSON as ``as_dict(sources=True)``.
    """
    head = json.dumps(summary.as_dict(), ensure_ascii=False, indent=1)
    if not sources:
        return (head + "\n").encode("utf-8")
    lines = ",\n".join(
        f"  {json.dumps(cell)}: {json.dumps(values, ensure_ascii=False, separators=(',', ':'))}"
        for cell, values in summary.source_dicts().items()
    )
    assert head.endswith("\n}")  # an indented object: its members go before the closing brace
    return f'{head[:-2]},\n "sources": {{\n{lines}\n }}\n}}\n'.encode()
