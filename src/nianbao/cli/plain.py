"""The report view of ``nianbao parse`` as plain text, drawn here rather than with rich.

Loading rich and laying out three tables with it was a fifth of a cold ``nianbao parse`` (about
220 M of 1150 M instructions); these tables need no wrapping or colour, only the widths of CJK
text (two columns a character).  The look is rich's heavy-head box, so ``parse`` and the rich
views of ``check``, ``ledger`` and ``doctor`` (:mod:`.present`) look alike.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ..formats import FORMATS, FormatSpec, get_format
from ..formats.labels import format_number
from ..model import CellValue, Report, TableData


def text_width(text: str) -> int:
    """Terminal columns: wide and full-width characters take two, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns with an ellipsis, as rich's ``overflow="ellipsis"``."""
    if text_width(text) <= width:
        return text
    kept, used = [], 0
    for ch in text:
        if used + text_width(ch) > width - 1:
            break
        kept.append(ch)
        used += text_width(ch)
    return "".join(kept) + " " * (width - 1 - used) + "…"


@dataclass(frozen=True)
class Column:
    """A column of a plain-text table: its heading and how its cells are laid out."""

    heading: str
    right: bool = False  # numbers are right-aligned
    min_width: int = 0
    max_width: int | None = None  # wider cells end in an ellipsis
    wrap: bool = False  # may be narrowed to the terminal, its cells wrapped at spaces


def _wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap at spaces; a word wider than ``width`` is cut by characters."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if text_width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for ch in word:
            if text_width(current + ch) > width:
                lines.append(current)
                current = ""
            current += ch
    return [*lines, current]


def box_table(title: str, columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """The lines of a table: title, heavy-ruled heading, light-ruled body.  Wider than ``width``,
    the wrapping columns are narrowed (their cells wrapped at spaces), then the ones that end in
    an ellipsis (down to four columns); a table that still does not fit is printed as it is."""
    widths = [
        max(col.min_width, text_width(col.heading), *(text_width(row[i]) for row in rows))
        for i, col in enumerate(columns)
    ]
    widths = [min(w, col.max_width) if col.max_width else w for w, col in zip(widths, columns, strict=True)]
    for narrowed in (
        [i for i, col in enumerate(columns) if col.wrap],
        [i for i, col in enumerate(columns) if col.max_width],
    ):
        for i in sorted(narrowed, key=lambda i: -widths[i]):
            excess = sum(widths) + 3 * len(widths) + 1 - width
            if excess > 0:
                widths[i] = max(widths[i] - excess, 4)
    cells = [
        [cell if col.wrap else _fit(cell, w) for cell, col, w in zip(row, columns, widths, strict=True)] for row in rows
    ]

    def lines(values: Sequence[str], bar: str) -> list[str]:
        wrapped = [_wrap(v, w) if col.wrap else [v] for v, w, col in zip(values, widths, columns, strict=True)]
        out = []
        for n in range(max(len(parts) for parts in wrapped)):
            out_parts = []
            for parts, w, col in zip(wrapped, widths, columns, strict=True):
                value = parts[n] if n < len(parts) else ""
                pad = " " * (w - text_width(value))
                out_parts.append(f" {pad}{value} " if col.right else f" {value}{pad} ")
            out.append(bar + bar.join(out_parts) + bar)
        return out

    def rule(left: str, fill: str, cross: str, right: str) -> str:
        return left + cross.join(fill * (w + 2) for w in widths) + right

    return [
        title,
        rule("┏", "━", "┳", "┓"),
        *lines([col.heading for col in columns], "┃"),
        rule("┡", "━", "╇", "┩"),
        *(line for row in cells for line in lines(row, "│")),
        rule("└", "─", "┴", "┘"),
    ]


def describe_report(report: Report) -> str:
    version = FORMATS[report.format_version].name if report.format_version in FORMATS else "无统一格式统计表"
    parts = [
        report.agency or "（未识别机关名称）",
        f"{report.year}年度" if report.year else "（未识别年度）",
        version,
    ]
    if report.published:
        parts.append(f"发布 {report.published.isoformat()}")
    return " · ".join(parts)


def cell_text(cell: CellValue | None) -> str:
    """A cell as printed: its number, 空 (or what the blank held), 缺 missing, ? unreadable."""
    if cell is None or cell.status == "missing":
        return "缺"
    if cell.status == "unreadable":
        return "?"
    if cell.status == "blank":
        return cell.raw or "空"
    return format_number(cell.value)


# column headings short enough for an 80-column terminal
_SHORT_COLUMNS = {
    "commercial": "企业",
    "research": "科研",
    "social_welfare": "公益",
    "legal_service": "法律",
    "other_org": "其他",
}


def report_lines(report: Report, width: int = 80) -> list[str]:
    """What ``nianbao parse`` prints for one report (without the blank line after it), its
    tables at most ``width`` columns wide."""
    lines = [describe_report(report), f"文件：{report.source.get('file', '')}"]
    spec = get_format(report.format_version)
    if report.table2:
        rows = []
        for block, row in spec.table2.rows:
            cols = report.table2.get(row.key, {})
            rows.append([row.label, " · ".join(f"{col.name} {cell_text(cols.get(col.key))}" for col in block.columns)])
        lines += box_table("表二 主动公开政府信息情况", [Column("信息内容"), Column("数值", wrap=True)], rows, width)
    if report.table3:
        lines += _table3(report.table3, spec, width)
    if report.table4:
        columns = [Column(""), *(Column(col.label, right=True) for col in spec.table4.columns)]
        rows = [
            [group.name, *(cell_text(report.table4.get(group.key, {}).get(col.key)) for col in spec.table4.columns)]
            for group in spec.table4.groups
        ]
        lines += box_table("表四 政府信息公开行政复议、行政诉讼情况", columns, rows, width)
    if not (report.table2 or report.table3 or report.table4):
        lines.append("（本报告没有统一格式的统计表）")
    return lines


def _table3(data: TableData, spec: FormatSpec, width: int) -> list[str]:
    columns = [
        Column("", max_width=22),
        *(Column(_SHORT_COLUMNS.get(col.key, col.label), right=True, min_width=4) for col in spec.table3.columns),
    ]
    names = {row.key: row.name for row in spec.table3.all_rows}
    rows = [
        [names.get(row_key, row_key), *(cell_text(cols.get(col.key)) for col in spec.table3.columns)]
        for row_key, cols in data.items()
    ]
    return box_table("表三 收到和处理政府信息公开申请情况", columns, rows, width)
