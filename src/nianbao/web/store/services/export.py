"""The store's cells as the research dataset's rows (``nianbao export``).

One query over the long cell table joined with its report and agency, read in chunks with
``.iterator()`` so that two million cells never sit in memory; the rows come ordered by region,
agency and report, and within a report in the order the import wrote them (the printed order).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ....stats.rows import CellRow
from ..models import Cell, Level
from .scope import region_condition

CHUNK_SIZE = 2000

_LEVEL_LABELS = dict(Level.choices)
_FIELDS = (
    "report_id",
    "report__agency__name",
    "report__agency_name",
    "report__agency__region_code",
    "report__agency__region_name",
    "report__agency__level",
    "report__year",
    "report__format_version",
    "table",
    "row",
    "col",
    "value",
    "status",
    "raw",
)


def dataset_rows(
    *, year: int | None = None, region: str | None = None, chunk_size: int = CHUNK_SIZE
) -> Iterator[CellRow]:
    """Every stored cell of ``year`` (all years when None) in ``region`` (a division code, with
    everything below it, or part of its name), one :class:`CellRow` each.  A report still waiting for its agency
    carries the name it prints and no region."""
    cells = Cell.objects.all()
    if year is not None:
        cells = cells.filter(report__year=year)
    if region:
        cells = cells.filter(region_condition(region, "report__agency__"))
    ordered = cells.order_by("report__agency__region_code", "report__agency_name", "report_id", "id")
    for (
        report_id,
        agency,
        printed,
        region_code,
        region_name,
        level,
        report_year,
        format_version,
        table,
        row,
        col,
        value,
        status,
        raw,
    ) in ordered.values_list(*_FIELDS).iterator(chunk_size=chunk_size):
        yield CellRow(
            report=report_id,
            agency=agency or printed,
            region_code=region_code or "",
            region_name=region_name or "",
            level=_LEVEL_LABELS.get(level, "") if level else "",
            year=report_year,
            table=table,
            row=row,
            col=col,
            value=_number(value),
            status=status,
            raw=raw,
            agency_type=_agency_type(level),
            format_version=format_version or None,
        )


def _number(value: Decimal | None) -> int | float | None:
    """The stored decimal as the number it was read as (the readers give ints and floats, so a
    float here is the same float)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _agency_type(level: str | None) -> str:
    if level and level.endswith("government"):
        return "政府"
    if level and level.endswith("department"):
        return "部门"
    return ""


__all__ = ["CHUNK_SIZE", "dataset_rows"]
