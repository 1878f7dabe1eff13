"""How table values are looked up and printed; shared by the view and the default narrative."""

from __future__ import annotations

from ..formats.labels import format_number
from ..model import CellValue, TableData

__all__ = ["cell_of", "format_number", "number_of", "printable"]


def cell_of(table: TableData | None, row: str, col: str) -> CellValue | None:
    return None if table is None else table.get(row, {}).get(col)


def number_of(table: TableData | None, row: str, col: str) -> int | float | None:
    """The value for sums, as the rules read it: blank counts as 0, unreadable or absent as unknown."""
    cell = cell_of(table, row, col)
    return None if cell is None else cell.number


_UNPRINTABLE = {code: None for code in (*range(0x00, 0x20), 0x7F) if chr(code) not in "\n\t"} | {ord("\t"): " "}


def printable(text: str) -> str:
    """Text without control characters (which no document format can carry), tabs as spaces."""
    return text.translate(_UNPRINTABLE)
