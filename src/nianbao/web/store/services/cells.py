"""Writing a report's rows: its JSON as made in the pool, its cells in the long table, and
another source's reading compared with them."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import CharField, FloatField, JSONField, Value
from django.db.models.functions import Cast, Concat

from ....stats.definitions import STATS_CELLS, STATS_CELLS_KEY
from ....stats.rows import stats_vector
from ... import StoreError
from ..models import Cell, Finding, Report, SourceFile, StatsVector
from .parsing import CellData, Reading

SOURCE_DIFF = "SOURCE-DIFF"  # a second source of a report whose tables read differently
_SHOWN_DIFFERENCES = 8

# Cell.value is numeric(20, 6): 14 integer digits, 6 decimals
_MAX_INTEGER_DIGITS, _MAX_DECIMALS = 14, 6


def stored_value(cell_id: str, value: int | float | None) -> Decimal | None:
    """The cell's value exactly as read, or a refusal: a value is never rounded to fit."""
    if value is None:
        return None
    number = Decimal(str(value))
    exponent = number.as_tuple().exponent
    if number.adjusted() >= _MAX_INTEGER_DIGITS or (isinstance(exponent, int) and exponent < -_MAX_DECIMALS):
        raise StoreError(f"单元格 {cell_id} 的数值 {value} 超出年报库能原样保存的范围（14 位整数、6 位小数）")
    return number


def json_value(text: str) -> Cast:
    """A JSON column's value from JSON text as it is: SQLite keeps the text, PostgreSQL casts it
    to jsonb; the JSONField would encode it again (a string) and cost the writer a dumps."""
    return Cast(Value(text), JSONField())


def write_cells(report: Report, cells: Iterable[CellData]) -> None:
    """One multi-row INSERT: a model instance per cell and bulk_create's per-field preparation
    were most of the time of a stored file (measured: 50 of 135 s profiling 300 files).

    The values need no adapting: a Decimal is the driver's own type on both engines, and the
    location comes as JSON text, which SQLite keeps as text and PostgreSQL casts to jsonb.  The
    cells statistics read go once more into the report's :class:`StatsVector`.
    """
    cells = list(cells)
    meta = Cell._meta
    by_name = {field.name: field for field in meta.concrete_fields}
    columns = ", ".join(
        connection.ops.quote_name(by_name[name].column)
        for name in ("report", "table", "row", "col", "value", "status", "raw", "location")
    )
    rows = [
        (report.pk, table, row, col, stored_value(f"{table}.{row}.{col}", value), status, raw, location)
        for table, row, col, value, status, raw, location in cells
    ]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * 8)})",
                rows,
            )
    # the values as stored (a Decimal), as the long table reads them back
    vector = stats_vector(
        (
            (cell_id, stored_value(cell_id, value), status)
            for table, row, col, value, status, _raw, _location in cells
            if (cell_id := f"{table}.{row}.{col}") in STATS_CELLS
        ),
        report.format_version,
        report.published,
    )
    StatsVector.objects.create(report=report, cells=STATS_CELLS_KEY, vector=vector)


def rewrite_cells(report_id: int, cells: Iterable[CellData]) -> None:
    """Cells read anew (a table-2 run last year's report cut): updated where they are, and the
    report's :class:`StatsVector` made again from its cells."""
    for table, row, col, value, status, raw, location in cells:
        Cell.objects.filter(report_id=report_id, table=table, row=row, col=col).update(
            value=stored_value(f"{table}.{row}.{col}", value),
            status=status,
            raw=raw,
            location=json.loads(location) if location else None,
        )
    StatsVector.objects.filter(report_id=report_id).delete()
    fill_stats_vectors(Report, Cell, StatsVector, [report_id])


_BATCH = 500  # report ids in one IN (…)


def fill_stats_vectors(report_model: Any, cell_model: Any, vector_model: Any, report_ids: Sequence[int]) -> None:
    """A :class:`StatsVector` for each of ``report_ids`` (which have none), from its cells in the
    long table, read as ``nianbao stats`` reads them there (the value cast to a float).  The
    models are given so that a migration can pass its own."""
    cell_id = Concat("table", Value("."), "row", Value("."), "col", output_field=CharField())
    for start in range(0, len(report_ids), _BATCH):
        batch = report_ids[start : start + _BATCH]
        reports = {
            pk: (version, published)
            for pk, version, published in report_model.objects.filter(pk__in=batch).values_list(
                "pk", "format_version", "published"
            )
        }
        cells: dict[int, list[tuple[str, Any, str]]] = defaultdict(list)
        rows = (
            cell_model.objects.filter(report_id__in=batch)
            .annotate(cell_id=cell_id, number=Cast("value", FloatField()))
            .filter(cell_id__in=sorted(STATS_CELLS))
            .values_list("report_id", "cell_id", "number", "status")
        )
        for report_id, cell, number, status in rows:
            cells[report_id].append((cell, number, status))
        vector_model.objects.bulk_create(
            [
                vector_model(report_id=pk, cells=STATS_CELLS_KEY, vector=stats_vector(cells[pk], *reports[pk]))
                for pk in batch
            ]
        )


def compare_sources(report: Report, numbers: Iterable[Reading], source: SourceFile) -> None:
    """A finding naming the cells where another source of the report reads differently;
    ``numbers`` is that source's reading: (cell id, status, number with a blank as 0)."""
    stored = {
        f"{table}.{row}.{col}": Decimal(0) if status == "blank" else value
        for table, row, col, status, value in report.cells.filter(status__in=("value", "blank")).values_list(
            "table", "row", "col", "status", "value"
        )
    }
    differences = []
    for cell_id, status, new_number in numbers:
        if cell_id not in stored or status not in ("value", "blank"):
            continue
        kept_number = stored[cell_id]
        if new_number is None or kept_number != Decimal(str(new_number)):
            differences.append((cell_id, kept_number, new_number))
    if not differences:
        return
    shown = "；".join(
        f"{cell_id} 为 {_number(new)}（已存为 {_number(old)}）"
        for cell_id, old, new in differences[:_SHOWN_DIFFERENCES]
    )
    more = f"等共 {len(differences)} 处" if len(differences) > _SHOWN_DIFFERENCES else ""
    Finding.objects.create(
        report=report,
        code=SOURCE_DIFF,
        severity="warning",
        message=f"来源文件「{source.original_name}」与本报告已存的表格数值不一致：{shown}{more}",
        cells=[cell_id for cell_id, _, _ in differences],
        locations=[],
    )


def _number(value: Any) -> str:
    if isinstance(value, Decimal):
        value = value.normalize()
        return format(value, "f")
    return str(value)
