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
import re
import warnings
import zipfile
from typing import Any

from ..document import Block, Cell, Document, Location, Paragraph, Table
from ..errors import InputError
from ..formats.labels import format_number
from .limits import MAX_MERGED_CELLS
from .package import check_package

_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=[\"']\$?([A-Z]{1,3})\$?(\d{1,7}):\$?([A-Z]{1,3})\$?(\d{1,7})")

LABEL = "Excel（XLSX）文件"


def read_xlsx(data: bytes, source: str) -> Document:
    check_package(data, source, LABEL)
    _check_merges(data, source)
    formulas = _load(data, source, data_only=False)
    saved = _load(data, source, data_only=True) if _has_formulas(formulas) else formulas
    blocks: list[Block] = []
    for n, sheet in enumerate(formulas.worksheets):
        blocks.extend(_sheet_blocks(n, sheet, saved.worksheets[n]))
    if not blocks:
        raise InputError("Excel 工作簿中没有任何内容", source=source)
    return Document(blocks=blocks, source=source, kind="xlsx")


def _check_merges(data: bytes, source: str) -> None:
    """Refuse, from the sheets' XML, merged ranges openpyxl would fill cell by cell (one range
    over a whole sheet is seventeen billion cells)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                area = sum(
                    (abs(int(r2) - int(r1)) + 1) * (abs(_column(c2) - _column(c1)) + 1)
                    for c1, r1, c2, r2 in _MERGE.findall(archive.read(name))
                )
                if area > MAX_MERGED_CELLS:
                    raise InputError(
                        f"Excel 工作表的合并单元格范围过大（{area:,} 格，上限 {MAX_MERGED_CELLS:,}），不像是一份报告",
                        source=source,
                    )


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _load(data: bytes, source: str, *, data_only: bool) -> Any:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        with warnings.catch_warnings(action="ignore"):
            return load_workbook(io.BytesIO(data), data_only=data_only)
    except Exception:  # openpyxl meets damaged parts with KeyError, TypeError, ValueError …
        raise InputError(f"{LABEL}已损坏或不完整，无法读取", source=source) from None


def _stored(sheet: Any) -> list[Any]:
    """The cells the file stores.  Not ``iter_rows``: it makes every cell of the used range, and
    two cells at A1 and XFD1048576 span seventeen billion."""
    return list(sheet._cells.values())


def _has_formulas(workbook: Any) -> bool:
    return any(cell.data_type == "f" for sheet in workbook.worksheets for cell in _stored(sheet))


def _sheet_blocks(n: int, sheet: Any, saved: Any) -> list[Block]:
    texts: dict[int, dict[int, str]] = {}
    styled: list[Any] = []
    stored = _stored(sheet)
    for cell in stored:
        saved_cell = saved._cells.get((cell.row, cell.column))
        text = _text(cell, None if saved_cell is None else saved_cell.value)
        if text:
            texts.setdefault(cell.row, {})[cell.column] = text
            styled.append(cell)
    if not texts:
        return []
    # merged ranges (their total area checked before loading) clipped to the stored cells
    last_row, last_col = max(cell.row for cell in stored), max(cell.column for cell in stored)
    merged = {(r.min_row, r.min_col): r for r in sheet.merged_cells.ranges}
    positions = {(row, col) for row, cells in texts.items() for col in cells}
    covered = {
        (row, col)
        for r in merged.values()
        for row in range(r.min_row, min(r.max_row, last_row) + 1)
        for col in range(r.min_col, min(r.max_col, last_col) + 1)
        if (row, col) != (r.min_row, r.min_col)
    }
    for row, col in covered & positions:
        del texts[row][col]  # a value left under a merged range is not shown by Excel either
    ruled = {  # rows with a bordered cell: a one-cell row of the table (its caption row)
        cell.row
        for cell in styled
        if cell.has_style and any(side.style for side in (cell.border.top, cell.border.left))
    }
    blocks: list[Block] = []
    run: list[int] = []  # consecutive rows of one grid
    for row in sorted(row for row, cells in texts.items() if cells):
        cells = texts[row]
        if run and row != run[-1] + 1:  # a blank row ends a grid
            blocks.append(_table(n, run, texts, merged, covered))
            run = []
        if len(cells) > 1 or row in ruled or (run and _inside_grid(row, cells, merged)):
            run.append(row)
            continue
        if run:  # so does a line of one text
            blocks.append(_table(n, run, texts, merged, covered))
            run = []
        blocks.append(_paragraph(n, row, cells))
    if run:
        blocks.append(_table(n, run, texts, merged, covered))
    return blocks


def _inside_grid(row: int, cells: dict[int, str], merged: dict[tuple[int, int], Any]) -> bool:
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
