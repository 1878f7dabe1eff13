"""Helpers the rule families share: how a cell and a row are named in messages."""

from __future__ import annotations

from ..formats.labels import format_number
from ..model import CellValue
from .registry import Context


def show(cell: CellValue | None) -> str:
    if cell is None or cell.status in ("missing", "unreadable"):
        return "?"
    if cell.status == "blank":
        return "空"
    return format_number(cell.value)


def row_name(ctx: Context, key: str) -> str:
    """A table-3 row's short name; its key when the report's format has no such row."""
    try:
        return ctx.spec.table3.row(key).name
    except KeyError:
        return key


def where(ctx: Context, table_name: str, row: str, col: str) -> str:
    return ctx.spec.cell_name(table_name, row, col)
