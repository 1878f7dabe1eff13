"""The report model: what extraction produces, what rules read, what renderers write.

Every table cell keeps its printed text, its value and where it came from.  A blank cell and a
cell printing 0 are different facts (``status`` ``blank`` vs ``value``); a cell that could not be
read is ``unreadable``, one whose row was not found is ``missing``.  The public JSON shape is
the ``nianbao.report/1`` contract (docs/report-json.md): :meth:`Report.to_contract` writes it
and :meth:`Report.from_contract` reads it back.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field, PlainSerializer, ValidationError, WithJsonSchema

from .document import Location
from .errors import ReportDataError
from .formats import FORMATS, PRE2019, get_format

SCHEMA = "nianbao.report/1"
TABLE_NAMES = ("table2", "table3", "table4")

CellStatus = Literal["value", "blank", "unreadable", "missing"]
Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


def _to_location(value: Any) -> Any:
    if value is None or isinstance(value, Location):
        return value
    if isinstance(value, dict):
        fields: dict[str, Any] = dict(value)
        if fields.get("bbox") is not None:
            fields["bbox"] = tuple(fields["bbox"])
        return Location(**fields)
    raise ValueError(f"not a location: {value!r}")


# The document's own Location, carried as is (no copy per cell) and written as a plain object.
SourceLocation = Annotated[
    Location,
    BeforeValidator(_to_location),
    PlainSerializer(lambda location: location.as_dict(), return_type=dict),
    WithJsonSchema(
        {
            "type": "object",
            "description": "line/column (text); page/bbox (PDF, scans); table/row/col or paragraph (DOCX, HTML)",
            "properties": {
                name: {"type": "integer"} for name in ("line", "column", "page", "table", "row", "col", "paragraph")
            }
            | {"bbox": {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4}},
        }
    ),
]


class CellValue(BaseModel):
    value: int | float | None = None
    raw: str | None = None  # the text as printed; None when the cell was not found
    status: CellStatus = "missing"
    location: SourceLocation | None = None
    note: str | None = None  # why the cell is unreadable or missing
    confidence: float | None = None  # OCR score of the printed text (0–1); None when not OCR'd

    @property
    def number(self) -> int | float | None:
        """The value for arithmetic: a blank counts as 0, unreadable and missing as unknown."""
        if self.status == "blank":
            return 0
        return self.value

    @classmethod
    def trusted(cls, **fields: Any) -> CellValue:
        """A cell built by extraction from parts of the right types, without validation.

        Validating costs more than reading the cell; the result equals ``CellValue(**fields)``
        (same values, same fields set).  Never use it for data from outside.
        """
        cell = cls.__new__(cls)
        object.__setattr__(cell, "__dict__", {**_CELL_DEFAULTS, **fields})
        _SET_FIELDS_SET(cell, set(fields))
        _SET_EXTRA(cell, None)
        _SET_PRIVATE(cell, None)
        return cell


_CELL_DEFAULTS = {name: field.default for name, field in CellValue.model_fields.items()}
# BaseModel's own slots, set through their descriptors (what model_construct sets, minus its loop)
_SET_FIELDS_SET = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_SET_EXTRA = BaseModel.__dict__["__pydantic_extra__"].__set__
_SET_PRIVATE = BaseModel.__dict__["__pydantic_private__"].__set__


TableData = dict[str, dict[str, CellValue]]


class Section(BaseModel):
    heading: str
    text: str
    location: SourceLocation | None = None


class Heading(BaseModel):
    """A section heading as printed, for the structure rules."""

    number: int  # which of the six sections it opens
    text: str  # the heading line as printed
    numbering: str  # the printed numbering: "三、", "3、", "（三）", "" …
    printed_number: int | None  # the number the numbering says, if any
    canonical: bool  # numbered exactly as the format does (三、)
    location: SourceLocation | None = None


class NarrativeFigure(BaseModel):
    """A number the narrative states, e.g. 收到申请3件."""

    kind: str  # applications_received, proactive_items, review_cases, litigation_cases, fee_yuan …
    value: int | float
    unit: str
    text: str  # the sentence fragment it came from
    section: int | None = None
    location: SourceLocation | None = None


class Note(BaseModel):
    """Something extraction observed about the document's structure (rules turn it into findings)."""

    kind: str  # missing_row, extra_row, header_label_missing, label_variant, unreadable_row …
    table: str | None = None
    message: str
    cells: list[str] = Field(default_factory=list)
    locations: list[SourceLocation] = Field(default_factory=list)


class Finding(BaseModel):
    code: str
    severity: Severity
    message: str
    cells: list[str] = Field(default_factory=list)
    locations: list[SourceLocation] = Field(default_factory=list)

    def dump(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "cells": list(self.cells),
            "locations": [loc.as_dict() for loc in self.locations],
        }


class DatedFact(BaseModel):
    """A date or name read from the document, with where it was found."""

    how: str  # title, preamble, signature, metadata, period …
    text: str
    location: SourceLocation | None = None


class Report(BaseModel):
    format_version: str | None = None
    agency: str | None = None
    year: int | None = None
    published: dt.date | None = None
    sections: dict[str, Section] = Field(default_factory=dict)
    table2: TableData | None = None
    table3: TableData | None = None
    table4: TableData | None = None

    # What extraction saw, for the rules and for explaining values.
    title: str | None = None
    source: dict[str, Any] = Field(default_factory=dict)  # file, kind, encoding
    facts: dict[str, DatedFact] = Field(default_factory=dict)  # agency/year/published provenance
    period: tuple[dt.date, dt.date] | None = None  # the statistics period stated
    headings: list[Heading] = Field(default_factory=list)
    row_labels: dict[str, SourceLocation] = Field(default_factory=dict)  # "table3.granted" → its label
    narrative: list[NarrativeFigure] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)
    preamble: str = ""  # the text before the first section heading
    full_text: str = ""  # all paragraph text, for rules that read the narrative

    # ------------------------------------------------------------------ cells

    def table(self, name: str) -> TableData | None:
        return {"table2": self.table2, "table3": self.table3, "table4": self.table4}[name]

    def cell(self, cell_id: str) -> CellValue | None:
        table_name, row, col = cell_id.split(".")
        table = self.table(table_name)
        if table is None:
            return None
        return table.get(row, {}).get(col)

    def iter_cells(self) -> list[tuple[str, CellValue]]:
        out = []
        for name in TABLE_NAMES:
            table = self.table(name)
            if table:
                for row, cols in table.items():
                    for col, cell in cols.items():
                        out.append((f"{name}.{row}.{col}", cell))
        return out

    # ------------------------------------------------------------------ contract

    def to_contract(self, *, provenance: bool = True) -> dict[str, Any]:
        """The ``nianbao.report/1`` JSON object; ``provenance`` adds raw text and locations."""
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "format_version": self.format_version,
            "agency": self.agency,
            "year": self.year,
            "published": self.published.isoformat() if self.published else None,
            "sections": {
                number: {"heading": section.heading, "text": section.text}
                for number, section in sorted(self.sections.items())
            },
        }
        for name in TABLE_NAMES:
            table = self.table(name)
            out[name] = (
                None
                if table is None
                else {row: {col: cell.value for col, cell in cols.items()} for row, cols in table.items()}
            )
        if provenance:
            out["title"] = self.title
            out["source"] = self.source
            out["period"] = [d.isoformat() for d in self.period] if self.period else None
            out["facts"] = {key: fact.model_dump(exclude_none=True) for key, fact in self.facts.items()}
            out["cells"] = {cell_id: _cell_provenance(cell) for cell_id, cell in self.iter_cells()}
            out["section_locations"] = {
                number: section.location.as_dict() for number, section in self.sections.items() if section.location
            }
            out["row_labels"] = {row: location.as_dict() for row, location in self.row_labels.items()}
            out["headings"] = [heading.model_dump(exclude_none=True) for heading in self.headings]
            out["narrative"] = [figure.model_dump(exclude_none=True) for figure in self.narrative]
            out["notes"] = [note.model_dump(exclude_none=True) for note in self.notes]
        return out

    @classmethod
    def from_contract(cls, data: Any) -> Report:
        """Read a ``nianbao.report/1`` object (as written by :meth:`to_contract` or by hand)."""
        if not isinstance(data, dict):
            raise ReportDataError("报告数据应为 JSON 对象")
        if data.get("schema") != SCHEMA:
            raise ReportDataError(f"不是 {SCHEMA} 格式的报告数据（schema 为 {data.get('schema')!r}）")
        version = data.get("format_version")
        if version not in (*FORMATS, PRE2019, None):
            raise ReportDataError(f"未知的格式版本 {version!r}")
        cells_meta = data.get("cells") or {}
        tables: dict[str, TableData | None] = {}
        for name in TABLE_NAMES:
            raw_table = data.get(name)
            if raw_table is None:
                tables[name] = None
                continue
            if not isinstance(raw_table, dict):
                raise ReportDataError(f"{name} 应为对象")
            tables[name] = _read_table(name, raw_table, version, cells_meta)
        try:
            sections = {
                str(number): Section(heading=section.get("heading", ""), text=section.get("text", ""))
                for number, section in (data.get("sections") or {}).items()
            }
            published = data.get("published")
            return cls(
                format_version=version,
                agency=data.get("agency"),
                year=data.get("year"),
                published=dt.date.fromisoformat(published) if published else None,
                sections=sections,
                title=data.get("title"),
                source=data.get("source") or {},
                **tables,
            )
        except (ValidationError, ValueError, TypeError, AttributeError) as exc:
            raise ReportDataError(f"报告数据不符合 {SCHEMA}：{_first_line(exc)}") from exc


def _cell_provenance(cell: CellValue) -> dict[str, Any]:
    out: dict[str, Any] = {"status": cell.status, "raw": cell.raw}
    if cell.location:
        out["location"] = cell.location.as_dict()
    if cell.note:
        out["note"] = cell.note
    if cell.confidence is not None:
        out["confidence"] = cell.confidence
    return out


def _read_table(name: str, raw_table: dict[str, Any], version: str | None, meta: dict[str, Any]) -> TableData:
    spec = get_format(version)
    allowed_rows, allowed_cols = _table_keys(name, spec)
    table: TableData = {}
    for row, cols in raw_table.items():
        if row not in allowed_rows:
            raise ReportDataError(f"{name} 中有未知的行 {row!r}")
        if not isinstance(cols, dict):
            raise ReportDataError(f"{name}.{row} 应为对象")
        table[row] = {}
        for col, value in cols.items():
            if col not in allowed_cols.get(row, ()):
                raise ReportDataError(f"{name}.{row} 中有未知的列 {col!r}")
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                raise ReportDataError(f"{name}.{row}.{col} 的值应为数字或 null，而不是 {value!r}")
            cell_meta = meta.get(f"{name}.{row}.{col}") or {}
            status = cell_meta.get("status") or ("value" if value is not None else "blank")
            if value is not None:
                status = "value"
            elif status == "value":
                status = "blank"
            location = cell_meta.get("location")
            table[row][col] = CellValue(
                value=value,
                raw=cell_meta.get("raw", None if value is None else _format_number(value)),
                status=status,
                location=_to_location(location) if isinstance(location, dict) else None,
                note=cell_meta.get("note"),
                confidence=cell_meta.get("confidence"),
            )
    return table


def _table_keys(name: str, spec: Any) -> tuple[set[str], dict[str, set[str]]]:
    if name == "table2":
        rows: dict[str, set[str]] = {}
        for block, row in spec.table2.rows:
            rows[row.key] = {col.key for col in block.columns}
        return set(rows), rows
    if name == "table3":
        cols = {col.key for col in spec.table3.columns}
        row_keys = {row.key for row in spec.table3.rows} | set(spec.table3.collapsed_rows)
        return row_keys, {row: cols for row in row_keys}
    cols = {col.key for col in spec.table4.columns}
    groups = {group.key for group in spec.table4.groups}
    return groups, {group: cols for group in groups}


def _format_number(value: int | float) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def cell_id(table: str, row: str, col: str) -> str:
    return f"{table}.{row}.{col}"
