"""The JSON nianbao writes and reads: the ``nianbao.report/1`` contract as a pydantic model
(:class:`ReportContract`, docs/report-json.md, its schema docs/report.schema.json), and any of
the model's records written as JSON (:func:`record_json`: a finding, the check result of
``nianbao check --json``, docs/check.schema.json).

The report's records (:mod:`nianbao.model`) are plain dataclasses that pydantic validates and
writes through their own schema hooks; this module is imported only where JSON is written or
read, never by a parse or a check.  :meth:`Report.from_contract` reads back everything the rules read, so a
report loaded from its JSON gets exactly the findings of the file it came from.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StrictFloat,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
    model_serializer,
)

from .document import Location
from .errors import ReportDataError
from .formats import FormatSpec, get_format
from .formats.labels import format_number
from .model import (
    SCHEMA,
    TABLE_NAMES,
    CellStatus,
    CellValue,
    DatedFact,
    FormatVersion,
    Heading,
    NarrativeFigure,
    Note,
    Report,
    Section,
    TableData,
    UnreadableReason,
)


def _to_date(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError("应为 YYYY-MM-DD 格式的日期")


# a date written as YYYY-MM-DD (not a timestamp, not a date and time)
IsoDate = Annotated[dt.date, BeforeValidator(_to_date)]
StrictNumber = StrictInt | StrictFloat

# Validators and serializers are built when a model is first validated or written, not at import.
_DEFERRED = ConfigDict(defer_build=True)


class SectionText(BaseModel):
    model_config = _DEFERRED
    heading: StrictStr = ""
    text: StrictStr = ""


class CellEntry(BaseModel):
    """``cells[id]``: a cell's provenance; its value is in its table."""

    # the facts of a CellValue (the assertion below keeps the fields the same)

    model_config = _DEFERRED

    status: CellStatus | None = None  # absent: ``value`` when the table has a number, else ``blank``
    raw: str | None = None
    location: Location | None = None
    note: str | None = None
    confidence: float | None = None
    reason: UnreadableReason | None = None
    threshold: float | None = None

    @model_serializer(mode="wrap")
    def _without_none(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        out: dict[str, Any] = handler(self)
        return {key: value for key, value in out.items() if value is not None or key in ("status", "raw")}


assert [*CellEntry.model_fields, "value"] == [field.name for field in dataclasses.fields(CellValue)], (
    "a cell's entry holds the cell's facts"
)


ContractTable = dict[str, dict[str, StrictNumber | None]]
_PUBLIC_KEYS = frozenset(
    {"contract_schema", "format_version", "agency", "year", "published", "sections", "table2", "table3", "table4"}
)


class ReportContract(BaseModel):
    """The ``nianbao.report/1`` JSON object, key for key (docs/report-json.md).

    The first nine keys are the shared contract; the rest is nianbao's provenance, every key
    optional so a report written by hand or by another tool loads.  Unknown keys are ignored.
    """

    model_config = ConfigDict(
        defer_build=True,
        title="nianbao.report/1",
        populate_by_name=True,
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    contract_schema: Literal["nianbao.report/1"] = Field(alias="schema")
    format_version: FormatVersion | None = None
    agency: StrictStr | None = None
    year: StrictInt | None = None
    published: IsoDate | None = None
    sections: dict[str, SectionText] = Field(default_factory=dict, description='"1"…"6"; a missing section is absent')
    table2: ContractTable | None = Field(default=None, description="row key → column key → number or null")
    table3: ContractTable | None = Field(default=None, description="row key → column key → number or null")
    table4: ContractTable | None = Field(default=None, description="group key → column key → number or null")

    title: StrictStr | None = None
    source: dict[str, Any] = Field(default_factory=dict, description="file, kind, encoding, the reader's notes")
    period: tuple[IsoDate, IsoDate] | None = None
    facts: dict[str, DatedFact] = Field(default_factory=dict)
    cells: dict[str, CellEntry] = Field(default_factory=dict, description="per cell id (table3.granted.total)")
    section_locations: dict[str, Location] = Field(default_factory=dict)
    row_labels: dict[str, Location] = Field(default_factory=dict)
    headings: list[Heading] | None = Field(default=None, description="absent: read from the section headings")
    narrative: list[NarrativeFigure] | None = Field(default=None, description="absent: read from the section texts")
    notes: list[Note] = Field(default_factory=list)
    preamble: StrictStr = ""
    full_text: StrictStr | None = Field(default=None, description="absent: the title and the sections")

    # ------------------------------------------------------------------ writing

    @classmethod
    def of(cls, report: Report) -> ReportContract:
        tables: dict[str, ContractTable | None] = {}
        for name in TABLE_NAMES:
            table = report.table(name)
            tables[name] = (
                None
                if table is None
                else {row: {col: cell.value for col, cell in cols.items()} for row, cols in table.items()}
            )
        return cls(
            contract_schema=SCHEMA,
            format_version=report.format_version,
            agency=report.agency,
            year=report.year,
            published=report.published,
            sections={
                number: SectionText(heading=section.heading, text=section.text)
                for number, section in sorted(report.sections.items())
            },
            **tables,
            title=report.title,
            source=report.source,
            period=report.period,
            facts=report.facts,
            cells={cell_id: CellEntry(status=cell.status, **_facts(cell)) for cell_id, cell in report.iter_cells()},
            section_locations={
                number: section.location for number, section in report.sections.items() if section.location
            },
            row_labels=report.row_labels,
            headings=report.headings,
            narrative=report.narrative,
            notes=report.notes,
            preamble=report.preamble,
            full_text=report.full_text,
        )

    def dump(self, *, provenance: bool = True) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, include=None if provenance else set(_PUBLIC_KEYS))

    # ------------------------------------------------------------------ reading

    @classmethod
    def load(cls, data: Any) -> ReportContract:
        """Validate a contract object; every problem is one :class:`ReportDataError` in Chinese."""
        if not isinstance(data, dict):
            raise ReportDataError("报告数据应为 JSON 对象")
        if data.get("schema") != SCHEMA:
            raise ReportDataError(f"不是 {SCHEMA} 格式的报告数据（schema 为 {data.get('schema')!r}）")
        version = data.get("format_version")
        if version not in get_args(FormatVersion) and version is not None:
            raise ReportDataError(f"未知的格式版本 {version!r}")
        spec = get_format(version)
        for name in TABLE_NAMES:
            if data.get(name) is not None:
                _check_table(name, data[name], spec)
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise ReportDataError(f"报告数据不符合 {SCHEMA}：{_describe(exc)}") from None

    def to_report(self) -> Report:
        sections = {
            number: Section(heading=section.heading, text=section.text, location=self.section_locations.get(number))
            for number, section in self.sections.items()
        }
        headings = self.headings
        narrative = self.narrative
        if headings is None or narrative is None:
            # written by hand or by another tool: read them from the sections as extraction does
            from .extract import narrative_of_sections, section_headings

            if headings is None:
                headings = section_headings(sections, get_format(self.format_version))
            if narrative is None:
                narrative = narrative_of_sections(sections)
        full_text = self.full_text
        if full_text is None:
            full_text = "\n".join(
                [
                    *([self.title] if self.title else []),
                    *([self.preamble] if self.preamble else []),
                    *(part for _n, s in sorted(sections.items()) for part in (s.heading, s.text) if part),
                ]
            )
        return Report(
            format_version=self.format_version,
            agency=self.agency,
            year=self.year,
            published=self.published,
            sections=sections,
            table2=self._cells_of("table2", self.table2),
            table3=self._cells_of("table3", self.table3),
            table4=self._cells_of("table4", self.table4),
            title=self.title,
            source=self.source,
            facts=self.facts,
            period=self.period,
            headings=headings,
            row_labels=self.row_labels,
            narrative=narrative,
            notes=self.notes,
            preamble=self.preamble,
            full_text=full_text,
        )

    def _cells_of(self, name: str, table: ContractTable | None) -> TableData | None:
        """The table's cells, rows and columns in the order the format prints them (a JSON
        object's keys carry no order: PostgreSQL's jsonb keeps them by length), others after."""
        if table is None:
            return None
        printed = get_format(self.format_version).printed_order(name) if self.format_version else {}
        out: TableData = {}
        for row in sorted(table, key=_rank_in(printed)):
            cols = table[row]
            out[row] = {}
            for col in sorted(cols, key=_rank_in(printed.get(row, ()))):
                entry = self.cells.get(f"{name}.{row}.{col}")
                out[row][col] = _cell(cols[col], entry)
        return out


def _rank_in(order: Iterable[str]) -> Callable[[str], int]:
    """A sort key: a key's place in ``order``; keys not in it after, in the order given (sorted is stable)."""
    places = {key: at for at, key in enumerate(order)}
    return lambda key: places.get(key, len(places))


def _cell(value: int | float | None, entry: CellEntry | None) -> CellValue:
    """A cell from its table value and its provenance entry, if any."""
    if entry is None:
        entry = CellEntry()
    if value is not None:
        if entry.status not in (None, "value"):
            # a value filled in by hand where extraction read none: the old reading no longer applies
            return CellValue(value=value, status="value", raw=format_number(value), location=entry.location)
        status: CellStatus = "value"
    else:
        status = "blank" if entry.status in (None, "value") else entry.status
    facts = _facts(entry)
    if "raw" not in entry.model_fields_set and value is not None:
        facts["raw"] = format_number(value)
    return CellValue(value=value, status=status, **facts)


_FACT_FIELDS = tuple(name for name in CellEntry.model_fields if name != "status")


def _facts(cell: CellEntry | CellValue) -> dict[str, Any]:
    return {name: getattr(cell, name) for name in _FACT_FIELDS}


def _check_table(name: str, raw_table: Any, spec: FormatSpec) -> None:
    if not isinstance(raw_table, dict):
        raise ReportDataError(f"{name} 应为对象")
    allowed_rows, allowed_cols = _table_keys(name, spec)
    for row, cols in raw_table.items():
        if row not in allowed_rows:
            raise ReportDataError(f"{name} 中有未知的行 {row!r}")
        if not isinstance(cols, dict):
            raise ReportDataError(f"{name}.{row} 应为对象")
        for col, value in cols.items():
            if col not in allowed_cols.get(row, ()):
                raise ReportDataError(f"{name}.{row} 中有未知的列 {col!r}")
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                raise ReportDataError(f"{name}.{row}.{col} 的值应为数字或 null，而不是 {value!r}")


def _table_keys(name: str, spec: FormatSpec) -> tuple[set[str], dict[str, set[str]]]:
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


_EXPECTED = {
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "float_type": "应为数字",
    "bool_type": "应为 true 或 false",
    "string_type": "应为字符串",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "list_type": "应为数组",
    "tuple_type": "应为数组",
    "too_short": "项数不足",
    "too_long": "项数过多",
    "missing": "缺少此项",
    "literal_error": "取值不在允许范围内",
}
_UNION_MEMBERS = ("int", "float")


def _describe(exc: ValidationError) -> str:
    """The first problem as ``key.path：what is wrong`` (union members' names left out)."""
    error = exc.errors()[0]
    path = ".".join(str(part) for part in error["loc"] if part not in _UNION_MEMBERS)
    if error["type"] == "value_error":  # our own validators say it in Chinese
        what = str(error.get("ctx", {}).get("error", error["msg"]))
    elif any(part in _UNION_MEMBERS for part in error["loc"]):
        what = "应为数字"
    else:
        what = _EXPECTED.get(error["type"], error["msg"])
    if error["type"] == "missing":
        return f"{path}：{what}"
    shown = repr(error.get("input"))
    return f"{path}：{what}（而不是 {shown[:40]}{'…' if len(shown) > 40 else ''}）"


def contract_schema() -> dict[str, Any]:
    """The JSON schema of ``nianbao.report/1`` (docs/report.schema.json is this, written out)."""
    return ReportContract.model_json_schema(by_alias=True)


def contract_schema_json() -> str:
    return json.dumps(contract_schema(), ensure_ascii=False, indent=2) + "\n"


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def record_json(record: Any) -> dict[str, Any]:
    """A record of the report (a :class:`Finding`, a :class:`ChecklistItem` …) as JSON data."""
    cls = type(record)
    adapter = _ADAPTERS.get(cls) or _ADAPTERS.setdefault(cls, TypeAdapter(cls))
    out: dict[str, Any] = adapter.dump_python(record, mode="json")
    return out
