"""What a rendered report shows, whatever the output format.

:func:`build_view` turns a :class:`~nianbao.model.Report` and its format spec into a
:class:`ReportView`: the title, the preamble, the six sections with their paragraphs, tables 2–4
as grids of cells with row and column spans drawn as the standard draws them, and the signature.
Every renderer (DOCX, HTML and PDF, Markdown, XLSX) draws this one view, so the outputs cannot
disagree with each other; the page and type (fonts, sizes, borders, widths) belong to the
templates.

The grids are derived from the spec, never typed here:

* table 2: per block an anchor row (第二十条第（一）项) across the table, a header row
  (信息内容 + the block's columns) and one row per item; blocks with one, two or three columns
  share a grid of six value slots, so every block fills the width evenly;
* table 3: the 勾稽 note in the top-left cell over three header rows, 申请人情况 over the seven
  columns, 法人或其他组织 over the five organisation columns; 一、二、四 span the three label
  columns, 三、本年度办理结果 spans every result row, and each run of numbered rows (1., 2., …)
  sits under its group cell （三）…（六）;
* table 4: 行政复议 over five columns, 行政诉讼 over ten, its two groups over five each, the
  five review columns spanning two header rows, then the fifteen values.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

from ..errors import RenderError
from ..formats import PRE2019, FormatSpec, Label, get_format
from ..model import Report, TableData
from . import narrative
from .values import cell_of, format_number

CellKind = Literal["note", "head", "anchor", "group", "rowhead", "label", "value"]

TABLE2_SLOTS = 6  # value slots of table 2: one, two or three columns divide it evenly
_NUMBERED = re.compile(r"^(\d+)\.")


@dataclass(frozen=True, slots=True)
class GridCell:
    """One cell as printed: its text, what it is, and how far it spans.

    A vertically merged cell appears once at its top row with ``rowspan``; the rows below hold
    a ``covered`` stand-in with the same ``colspan`` (Word needs it; HTML and XLSX skip it).
    """

    text: str
    kind: CellKind
    colspan: int = 1
    rowspan: int = 1
    value: int | float | None = None  # value cells: the number; None = blank
    covered: bool = False
    cell: str = ""  # value cells: the cell id (table3.granted.total), for pages that link a cell to its source

    @property
    def align(self) -> str:
        return "left" if self.kind == "label" else "center"

    @property
    def vmerge(self) -> str:
        """The Word vertical-merge state: ``restart``, ``continue`` or empty."""
        if self.covered:
            return "continue"
        return "restart" if self.rowspan > 1 else ""


@dataclass(frozen=True, slots=True)
class GridRow:
    cells: tuple[GridCell, ...]
    header: bool = False
    last: bool = False  # the table's last row (Word: ends the keep-with-next chain)


@dataclass(frozen=True)
class Grid:
    key: str  # table2, table3, table4
    title: str  # the table's name in the format (主动公开政府信息情况 …)
    n_cols: int
    rows: tuple[GridRow, ...]

    @classmethod
    def of(cls, key: str, title: str, n_cols: int, rows: list[GridRow]) -> Grid:
        *body, last = rows
        return cls(key, title, n_cols, (*body, GridRow(last.cells, last.header, last=True)))

    def matrix(self) -> list[list[GridCell | None]]:
        """Every grid position: the cell whose top-left corner it is, else None (covered)."""
        out: list[list[GridCell | None]] = []
        for row in self.rows:
            line: list[GridCell | None] = []
            for cell in row.cells:
                line.append(None if cell.covered else cell)
                line.extend([None] * (cell.colspan - 1))
            if len(line) != self.n_cols:
                raise RenderError(f"{self.key} 的第{len(out) + 1}行有{len(line)}格，应为{self.n_cols}格")
            out.append(line)
        return out


@dataclass(frozen=True, slots=True)
class Para:
    text: str
    level: int = 0  # 0 = body text, 2 = a second-level heading （一）…


@dataclass(frozen=True)
class SectionView:
    number: int
    heading: str  # 一、总体情况 — always the format's own heading
    paragraphs: tuple[Para, ...]
    table: Grid | None
    source: Literal["user", "generated", "placeholder"]


@dataclass(frozen=True)
class ReportView:
    format_version: str | None
    agency: str | None
    year: int | None
    title: str
    title_lines: tuple[str, ...]
    preamble: tuple[Para, ...]
    sections: tuple[SectionView, ...]
    date: str | None  # 成文日期 as printed: 2024年1月28日
    tables: dict[str, Grid] = field(default_factory=dict)

    @property
    def placeholder_sections(self) -> list[int]:
        return [section.number for section in self.sections if section.source == "placeholder"]

    def text_blocks(self) -> list[tuple[str, str]]:
        """Every paragraph in reading order as (style, text): title, body, heading 1/2, signature."""
        out = [("title", line) for line in self.title_lines]
        out += [("body", para.text) for para in self.preamble]
        for section in self.sections:
            out.append(("heading 1", section.heading))
            out += [("heading 2" if para.level == 2 else "body", para.text) for para in section.paragraphs]
        out += [("signature", line) for line in (self.agency, self.date) if line]
        return out


# ---------------------------------------------------------------------------------- values


def _value(table: TableData | None, name: str, row: str, col: str) -> GridCell:
    cell = cell_of(table, row, col)
    value = None if cell is None else cell.value
    return GridCell(format_number(value), "value", value=value, cell=f"{name}.{row}.{col}")


# ---------------------------------------------------------------------------------- view


def build_view(report: Report) -> ReportView:
    spec = get_format(report.format_version)
    has_tables = report.format_version != PRE2019
    tables: dict[str, Grid] = {}
    if has_tables:
        tables = {
            "table2": table2_grid(report, spec),
            "table3": table3_grid(report, spec),
            "table4": table4_grid(report, spec),
        }
    rows3 = [
        narrative.Table3Row(row.key, row.label, row.group.label if row.group else None, row.in_results)
        for row in table3_rows(report, spec)
    ]
    texts = narrative.section_texts(report, spec, rows3)
    sections = []
    for section_spec in spec.sections:
        number = section_spec.number
        source, lines = texts[number]
        sections.append(
            SectionView(
                number=number,
                heading=section_spec.heading,
                paragraphs=tuple(_paragraph(line) for line in lines),
                table=tables.get(f"table{number}") if number in (2, 3, 4) else None,
                source=source,
            )
        )
    title = narrative.title(report)
    return ReportView(
        format_version=report.format_version,
        agency=narrative.agency(report),
        year=report.year,
        title=title,
        title_lines=narrative.title_lines(report),
        preamble=tuple(Para(line) for line in narrative.preamble(report, spec)),
        sections=tuple(sections),
        date=_date(report.published),
        tables=tables,
    )


_SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")


def _paragraph(line: str) -> Para:
    """A short line numbered （一） with no full stop inside is a second-level heading."""
    text = line.strip()
    body = text.rstrip("。")
    if _SUBHEADING.match(text) and len(body) <= 30 and "。" not in body and "；" not in body:
        return Para(text, level=2)
    return Para(text)


def _date(published: dt.date | None) -> str | None:
    return None if published is None else f"{published.year}年{published.month}月{published.day}日"


# ---------------------------------------------------------------------------------- table 2


def _spans(total: int, n: int) -> list[int]:
    """Split ``total`` grid slots over ``n`` columns, the last taking any remainder."""
    base = max(total // n, 1)
    return [base] * (n - 1) + [total - base * (n - 1)]


def table2_grid(report: Report, spec: FormatSpec) -> Grid:
    data = report.table2
    t2 = spec.table2
    width = 1 + TABLE2_SLOTS
    rows: list[GridRow] = []
    for block in t2.blocks:
        spans = _spans(TABLE2_SLOTS, len(block.columns))
        rows.append(GridRow((GridCell(block.anchor, "anchor", colspan=width),), header=True))
        rows.append(
            GridRow(
                (
                    GridCell(t2.header_labels[0], "head"),
                    *(
                        GridCell(col.label, "head", colspan=span)
                        for col, span in zip(block.columns, spans, strict=True)
                    ),
                ),
                header=True,
            )
        )
        for item in block.rows:
            values = []
            for col, span in zip(block.columns, spans, strict=True):
                cell = _value(data, "table2", item.key, col.key)
                values.append(GridCell(cell.text, "value", colspan=span, value=cell.value, cell=cell.cell))
            rows.append(GridRow((GridCell(item.label, "rowhead"), *values)))
    return Grid.of("table2", t2.title, width, rows)


# ---------------------------------------------------------------------------------- table 3


def collapsed_other(report: Report, spec: FormatSpec) -> str | None:
    """The key printed as one row instead of its sub-rows (（六）其他处理), if the data does so."""
    data = report.table3 or {}
    for key, parts in spec.table3.collapsed_rows.items():
        if key not in data:
            continue
        whole = any(cell.value is not None for cell in data[key].values())
        split = any(cell.value is not None for part in parts for cell in data.get(part, {}).values())
        if whole and split:
            raise RenderError(f"表三同时填写了“{key}”合并行和它的分项行，无法确定按哪种方式印制")
        if whole or not any(part in data for part in parts):
            return key
    return None


@dataclass(frozen=True)
class _T3Row:
    key: str
    label: str
    group: Label | None  # the numbered rows' group cell （三）不予公开 …
    in_results: bool


def table3_rows(report: Report, spec: FormatSpec) -> list[_T3Row]:
    """The data rows of table 3 in printed order, each with its group cell."""
    t3 = spec.table3
    results = set(t3.result_rows) | {t3.results_total}
    collapsed = collapsed_other(report, spec)
    parts = t3.collapsed_rows.get(collapsed, ()) if collapsed is not None else ()
    subgroups = list(t3.groups[1:])  # groups[0] is 三、本年度办理结果, the others group numbered runs
    out: list[_T3Row] = []
    previous = 0  # the number of the previous row (0 when it was not numbered)
    current: Label | None = None
    for row in t3.rows:
        match = _NUMBERED.match(row.label)
        number = int(match.group(1)) if match else 0
        if (number and number <= previous) or number == 1:  # numbering restarts: the next group
            if not subgroups:
                raise RenderError("表三的格式定义中，编号行的分组标题不够")
            current = subgroups.pop(0)
        previous = number
        numbered = bool(number)
        if collapsed is not None and row.key in parts:
            if row.key == parts[0] and current is not None:  # the group's label becomes the row's
                out.append(_T3Row(collapsed, current.label, None, True))
            continue
        out.append(_T3Row(row.key, row.label, current if numbered else None, row.key in results))
    if subgroups:
        raise RenderError("表三的格式定义中，分组标题多于编号行的分组")
    return out


def table3_grid(report: Report, spec: FormatSpec) -> Grid:
    t3 = spec.table3
    data = report.table3
    columns = t3.columns
    org = columns[1:-1]  # 商业企业 … 其他: the columns under 法人或其他组织
    # the two header labels that are not column labels: 申请人情况 and 法人或其他组织, in that order
    applicant, org_label = (label for label in t3.header_labels if label not in {col.label for col in columns})
    n_cols = 3 + len(columns)
    note = GridCell(t3.identity_note, "note", colspan=3, rowspan=3)
    rows = [
        GridRow((note, GridCell(applicant, "head", colspan=len(columns))), header=True),
        GridRow(
            (
                GridCell("", "note", colspan=3, covered=True),
                GridCell(columns[0].label, "head", rowspan=2),
                GridCell(org_label, "head", colspan=len(org)),
                GridCell(columns[-1].label, "head", rowspan=2),
            ),
            header=True,
        ),
        GridRow(
            (
                GridCell("", "note", colspan=3, covered=True),
                GridCell("", "head", covered=True),
                *(GridCell(col.label, "head") for col in org),
                GridCell("", "head", covered=True),
            ),
            header=True,
        ),
    ]
    body = table3_rows(report, spec)
    n_results = sum(1 for row in body if row.in_results)
    results_label = t3.groups[0].label
    first_result = True
    for k, row in enumerate(body):
        values = tuple(_value(data, "table3", row.key, col.key) for col in columns)
        labels: list[GridCell] = []
        if not row.in_results:
            labels.append(GridCell(row.label, "label", colspan=3))
        else:
            labels.append(_group(results_label, n_results, first_result))
            first_result = False
            if row.group is None:
                labels.append(GridCell(row.label, "label", colspan=2))
            else:
                starts = k == 0 or body[k - 1].group != row.group
                run = 0
                while starts and k + run < len(body) and body[k + run].group == row.group:
                    run += 1
                labels.append(_group(row.group.label, run, starts))
                labels.append(GridCell(row.label, "label"))
        rows.append(GridRow((*labels, *values)))
    return Grid.of("table3", t3.title, n_cols, rows)


def _group(label: str, rows: int, starts: bool) -> GridCell:
    """A group cell: printed in its first row, a covered stand-in in the rows below."""
    if starts:
        return GridCell(label, "group", rowspan=rows)
    return GridCell("", "group", covered=True)


# ---------------------------------------------------------------------------------- table 4


def table4_grid(report: Report, spec: FormatSpec) -> Grid:
    t4 = spec.table4
    data = report.table4
    review, *litigation = t4.groups
    width = len(t4.columns)
    known = {group.label for group in t4.groups} | {col.label for col in t4.columns}
    (litigation_label,) = (label for label in t4.header_labels if label not in known)  # 行政诉讼
    rows = [
        GridRow(
            (
                GridCell(review.label, "head", colspan=width),
                GridCell(litigation_label, "head", colspan=width * len(litigation)),
            ),
            header=True,
        ),
        GridRow(
            (
                *(GridCell(col.label, "head", rowspan=2) for col in t4.columns),
                *(GridCell(group.label, "head", colspan=width) for group in litigation),
            ),
            header=True,
        ),
        GridRow(
            (
                *(GridCell("", "head", covered=True) for _col in t4.columns),
                *(GridCell(col.label, "head") for _group in litigation for col in t4.columns),
            ),
            header=True,
        ),
        GridRow(tuple(_value(data, "table4", group.key, col.key) for group in t4.groups for col in t4.columns)),
    ]
    return Grid.of("table4", t4.title, width * len(t4.groups), rows)


__all__ = [
    "Grid",
    "GridCell",
    "GridRow",
    "Para",
    "ReportView",
    "SectionView",
    "build_view",
    "format_number",
]
