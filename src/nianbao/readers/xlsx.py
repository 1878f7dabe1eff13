"""Excel workbooks (.xlsx) to a :class:`Document`: nianbao's own XLSX output, and a workbook an
agency filled in with the three tables.

A sheet is read top to bottom: a row holding one text (the report's title, a section heading,
a line of the narrative) is a paragraph; consecutive rows with two or more texts, or with a
bordered cell (a caption row of a ruled table), are a table (merged ranges once, with their
spans, as in DOCX); a blank row or a line of one text ends a table.  So nianbao's own workbook
(one ruled table per sheet under the title and heading) and a sheet an agency typed the tables
into, headings between them, both read as the report.  Numbers are printed as :func:`~nianbao.formats.labels.format_number`
prints them, so a cell reads back as the value it holds.  A formula is read by the value Excel
saved with it; a formula without one (a workbook written by a program and never opened in Excel)
keeps its formula text, so its cell is unreadable rather than blank — a blank counts as 0.

The package is checked first (:func:`~.package.check_package`); openpyxl's warnings on styles
and extensions it does not know are not the user's concern and are not shown.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from typing import Any

from ..document import Block, Cell, Document, Location, Paragraph, Table
from ..errors import InputError
from ..formats.labels import format_number
from .package import check_package

LABEL = "Excel（XLSX）文件"


def read_xlsx(data: bytes, source: str) -> Document:
    check_package(data, source, LABEL)
    formulas = _load(data, source, data_only=False)
    saved = _load(data, source, data_only=True) if _has_formulas(formulas) else formulas
    blocks: list[Block] = []
    for n, sheet in enumerate(formulas.worksheets):
        blocks.extend(_sheet_blocks(n, sheet, saved.worksheets[n]))
    if not blocks:
        raise InputError("Excel 工作簿中没有任何内容", source=source)
    return Document(blocks=blocks, source=source, kind="xlsx")


def _load(data: bytes, source: str, *, data_only: bool) -> Any:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        with warnings.catch_warnings(action="ignore"):
            return load_workbook(io.BytesIO(data), data_only=data_only)
    except Exception:  # openpyxl meets damaged parts with KeyError, TypeError, ValueError …
        raise InputError(f"{LABEL}已损坏或不完整，无法读取", source=source) from None


def _has_formulas(workbook: Any) -> bool:
    return any(cell.data_type == "f" for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row)


def _sheet_blocks(n: int, sheet: Any, saved: Any) -> list[Block]:
    merged = {(r.min_row, r.min_col): r for r in sheet.merged_cells.ranges}
    covered = {
        (row, col)
        for r in sheet.merged_cells.ranges
        for row in range(r.min_row, r.max_row + 1)
        for col in range(r.min_col, r.max_col + 1)
        if (row, col) != (r.min_row, r.min_col)
    }
    texts: dict[int, dict[int, str]] = {}
    ruled: set[int] = set()  # rows with a bordered cell: a one-cell row of the table (its caption row)
    for row in sheet.iter_rows():
        for cell in row:
            text = _text(cell, saved.cell(cell.row, cell.column).value)
            if text and (cell.row, cell.column) not in covered:
                texts.setdefault(cell.row, {})[cell.column] = text
                if cell.has_style and any(side.style for side in (cell.border.top, cell.border.left)):
                    ruled.add(cell.row)
    blocks: list[Block] = []
    run: list[int] = []  # consecutive rows of one grid
    for row in range(sheet.min_row, sheet.max_row + 2):
        cells = texts.get(row)
        if cells and (len(cells) > 1 or row in ruled or (run and _inside_grid(row, cells, merged, run))):
            run.append(row)
            continue
        if run:  # a blank row or a line of one text ends a grid
            blocks.append(_table(n, run, texts, merged, covered))
            run = []
        if cells:
            blocks.append(_paragraph(n, row, cells))
    return blocks


def _inside_grid(row: int, cells: dict[int, str], merged: dict[tuple[int, int], Any], run: list[int]) -> bool:
    """A one-text row continues a grid when its cell is merged down from or across the grid
    (a group label, a caption row spanning the table), not when it is a line of its own."""
    (col,) = cells
    span = merged.get((row, col))
    return span is not None and (span.max_row > span.min_row or span.max_col > span.min_col) and col > 1


def _table(
    n: int,
    rows: list[int],
    texts: dict[int, dict[int, str]],
    merged: dict[tuple[int, int], Any],
    covered: set[tuple[int, int]],
) -> Table:
    first, last = rows[0], rows[-1]
    width = max(
        (merged[(row, col)].max_col if (row, col) in merged else col) for row in rows for col in texts.get(row, {})
    )
    cells = []
    for row in range(first, last + 1):
        for col in range(1, width + 1):
            if (row, col) in covered:
                continue
            span = merged.get((row, col))
            cells.append(
                Cell(
                    texts.get(row, {}).get(col, ""),
                    row - first,
                    col - 1,
                    Location(table=n, row=row, col=col),
                    rowspan=min(span.max_row, last) - span.min_row + 1 if span else 1,
                    colspan=min(span.max_col, width) - span.min_col + 1 if span else 1,
                )
            )
    return Table(cells, Location(table=n), grid_reliable=True)


def _paragraph(n: int, row: int, cells: dict[int, str]) -> Paragraph:
    return Paragraph(" ".join(text for _col, text in sorted(cells.items())), Location(table=n, row=row))


def _text(cell: Any, saved: Any) -> str:
    value = cell.value
    if cell.data_type == "f":
        # the value Excel saved with the formula; none (never calculated): the formula itself
        value = saved if saved is not None else str(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()
