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
    return ctx.spec.table3.row(key).name


def where(ctx: Context, table_name: str, row: str, col: str) -> str:
    if table_name == "table3":
        return f"表三“{row_name(ctx, row)}”行{ctx.spec.table3.column(col).name}列"
    if table_name == "table4":
        group = {g.key: g.name for g in ctx.spec.table4.groups}[row]
        column = {c.key: c.name for c in ctx.spec.table4.columns}[col]
        return f"表四{group}“{column}”"
    for block, label in ctx.spec.table2.rows:
        if label.key == row:
            column = {c.key: c.name for c in block.columns}.get(col, col)
            return f"表二“{label.label}”行“{column}”"
    return f"表二{row}.{col}"
