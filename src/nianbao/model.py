"""The report model: what extraction produces, what rules read, what renderers write.

Every table cell keeps its printed text, its value and where it came from.  A blank cell and a
cell printing 0 are different facts (``status`` ``blank`` vs ``value``); a cell that could not be
read is ``unreadable`` (``reason`` says why, decided once by extraction), one whose row was not
found is ``missing``.

The public JSON shape is the ``nianbao.report/1`` contract (docs/report-json.md), declared once
as the pydantic model :class:`ReportContract`: its JSON schema (docs/report.schema.json) is what
the CLI writes and the API serves.  :meth:`Report.to_contract` writes it and
:meth:`Report.from_contract` reads it back with everything the rules read, so a report loaded
from its JSON gets exactly the findings of the file it came from.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Annotated, Any, ClassVar, Literal, TypeVar, cast, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    SerializerFunctionWrapHandler,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    WithJsonSchema,
    model_serializer,
)

from .document import Location
from .errors import ReportDataError
from .formats import FORMATS, PRE2019, FormatSpec, get_format
from .formats.labels import format_number

SCHEMA = "nianbao.report/1"
TABLE_NAMES = ("table2", "table3", "table4")

CellStatus = Literal["value", "blank", "unreadable", "missing"]
# Why extraction left a cell unreadable; rules read this instead of deciding again.
UnreadableReason = Literal[
    "ocr_low_confidence",  # OCR scored the printed text below ``threshold`` (settings.ocr_min_confidence)
    "not_a_number",  # the cell prints text that is not a number
    "row_unfit",  # the row's numbers do not fit its columns one to one
    "glued_ambiguous",  # digits printed without separators split more than one way
]
UNREADABLE_REASONS: tuple[UnreadableReason, ...] = get_args(UnreadableReason)
Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_NAMES: dict[Severity, str] = {"error": "错误", "warning": "警告", "info": "提示"}  # as people read them
FormatVersion = Literal["gov2021", "trial2019", "pre2019"]
assert set(get_args(FormatVersion)) == {*FORMATS, PRE2019}, "FormatVersion must list every format"


def _to_location(value: Any) -> Any:
    if value is None or isinstance(value, Location):
        return value
    if isinstance(value, dict) and set(value) <= _LOCATION_FIELDS:
        fields: dict[str, Any] = dict(value)
        bbox = fields.get("bbox")
        if bbox is not None:
            if not (isinstance(bbox, (list, tuple)) and len(bbox) == 4 and all(map(_is_number, bbox))):
                raise ValueError("不是有效的位置（bbox 应为4个数）")
            fields["bbox"] = tuple(bbox)
        if all(_is_integer(v) for k, v in fields.items() if k != "bbox" and v is not None):
            return Location(**fields)
    raise ValueError("不是有效的位置")


_LOCATION_FIELDS = frozenset(Location.__slots__)


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


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
            "additionalProperties": False,
        }
    ),
]
Number = StrictInt | StrictFloat

# Validators and serializers are built when a model is first validated or written, not when the
# module is imported: a parse builds its models with :func:`constructed` and never writes the
# contract, and building all of them at import was a third of a cold ``nianbao parse``.
_DEFERRED = ConfigDict(defer_build=True)


class _Compact(BaseModel):
    """Written without its unset (None) fields, except those in ``_always``."""

    model_config = _DEFERRED

    _always: ClassVar[frozenset[str]] = frozenset()

    @model_serializer(mode="wrap")
    def _without_none(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        out: dict[str, Any] = handler(self)
        return {key: value for key, value in out.items() if value is not None or key in self._always}


class _CellFacts(BaseModel):
    """What a cell's printed text was, where it is, and why it could not be read: the contract's
    declaration of :class:`CellValue`'s facts, validated where data comes in."""

    model_config = _DEFERRED

    status: CellStatus | None = None
    raw: str | None = None  # the text as printed; None when the cell was not found
    location: SourceLocation | None = None
    note: str | None = None  # why the cell is unreadable or missing, for people
    confidence: float | None = None  # OCR score of the printed text (0–1); None when not OCR'd
    reason: UnreadableReason | None = None  # why the cell is unreadable, for the rules
    threshold: float | None = None  # the OCR confidence threshold a low-confidence cell fell below


@dataclasses.dataclass(slots=True)
class CellValue:
    """One table cell of a report: its status, value and the facts of :class:`_CellFacts`.

    A plain record, not a pydantic model: a report holds some two hundred, built by extraction
    from parts of the right types, and a model's instance dictionary and fields set made a third
    of the objects a parse keeps alive (the collector's work).  Data from outside is validated
    before it becomes a cell: the contract's :class:`CellEntry`, or a :class:`Report` validating
    its tables (``tests/test_extract_models.py`` holds extraction's cells to what validation
    gives)."""

    status: CellStatus = "missing"
    raw: str | None = None
    location: SourceLocation | None = None
    note: str | None = None
    confidence: float | None = None
    reason: UnreadableReason | None = None
    threshold: float | None = None
    value: int | float | None = None

    @property
    def number(self) -> int | float | None:
        """The value for arithmetic: a blank counts as 0, unreadable and missing as unknown."""
        if self.status == "blank":
            return 0
        return self.value


assert [field.name for field in dataclasses.fields(CellValue)] == [*_CellFacts.model_fields, "value"], (
    "a cell's facts are the contract entry's fields"
)

_Model = TypeVar("_Model", bound=BaseModel)
_REQUIRED = object()  # a field without a default
# per model class: (name, default or _REQUIRED, default factory or None) of each field, in order
_PLANS: dict[type[BaseModel], list[tuple[str, Any, Callable[[], Any] | None]]] = {}
# BaseModel's own slots, set through their descriptors (what model_construct sets, minus its loop)
_NEW = object.__new__
_SET_DICT = object.__setattr__
_SET_FIELDS_SET = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_SET_EXTRA = BaseModel.__dict__["__pydantic_extra__"].__set__
_SET_PRIVATE = BaseModel.__dict__["__pydantic_private__"].__set__


def constructed(cls: type[_Model], **values: Any) -> _Model:
    """``cls.model_construct(**values)`` for the models extraction builds, without its per-field
    alias look-ups (a report builds some twenty of them): the given values in field order, the
    others at their defaults (a new container from a factory), the given names as the fields set.
    Like ``model_construct`` it does not validate: never use it for data from outside."""
    plan = _PLANS.get(cls) or _plan(cls)
    fields: dict[str, Any] = {}
    for name, default, factory in plan:
        if name in values:
            fields[name] = values[name]
        elif factory is not None:
            fields[name] = factory()
        elif default is not _REQUIRED:
            fields[name] = default
    model = _NEW(cls)
    _SET_DICT(model, "__dict__", fields)
    _SET_FIELDS_SET(model, values.keys() & fields.keys())
    _SET_EXTRA(model, None)
    _SET_PRIVATE(model, None)
    return model


def _plan(cls: type[BaseModel]) -> list[tuple[str, Any, Callable[[], Any] | None]]:
    """What :func:`constructed` fills in; only for what it reproduces of ``model_construct``."""
    if cls.model_config.get("extra") == "allow" or cls.__pydantic_post_init__ or cls.__private_attributes__:
        raise TypeError(f"{cls.__name__}: extra fields, a post-init or private attributes need model_construct")
    plan: list[tuple[str, Any, Callable[[], Any] | None]] = []
    for name, field in cls.model_fields.items():
        if field.alias is not None or field.validation_alias is not None:
            raise TypeError(f"{cls.__name__}.{name}: an alias needs model_construct")
        if field.default_factory is not None:
            # an empty container (asking pydantic whether a factory takes the data inspects its
            # signature, a tenth of a first parse)
            if field.default_factory not in (list, dict):
                raise TypeError(f"{cls.__name__}.{name}: a factory other than list or dict needs model_construct")
            plan.append((name, None, cast("Callable[[], Any]", field.default_factory)))
        elif field.is_required():
            plan.append((name, _REQUIRED, None))
        elif field.default is None or isinstance(field.default, (str, int, float)):
            plan.append((name, field.default, None))  # immutable: model_construct's copy is the same value
        else:
            raise TypeError(f"{cls.__name__}.{name}: a mutable default needs model_construct")
    _PLANS[cls] = plan
    return plan


TableData = dict[str, dict[str, CellValue]]


class Section(BaseModel):
    model_config = _DEFERRED
    heading: str
    text: str
    location: SourceLocation | None = None


# How a heading's title was recognised: in the standard's words (its title or a known
# variant), as a misprint of them (a character or two inserted, dropped or changed), or in
# other words (close to the title, or numbered as the section where the section stands).
HeadingWording = Literal["standard", "misprint", "reworded"]


class Heading(_Compact):
    """A section heading as printed, for the structure rules."""

    number: int  # which of the six sections it opens
    text: str  # the heading line as printed
    numbering: str  # the printed numbering: "三、", "3、", "（三）", "" …
    printed_number: int | None = None  # the number the numbering says, if any
    canonical: bool  # numbered exactly as the format does (三、)
    wording: HeadingWording = "standard"
    location: SourceLocation | None = None


class NarrativeFigure(_Compact):
    """A number the narrative states, e.g. 收到申请3件."""

    kind: str  # applications_received, proactive_items, review_cases, litigation_cases, fee_yuan …
    value: Number
    unit: str
    text: str  # the sentence fragment it came from
    section: int | None = None
    location: SourceLocation | None = None


# What extraction may observe; every kind is read by a rule (docs/kinds.md is generated from this).
NoteKind = Literal[
    "missing_row",
    "extra_row",
    "duplicate_row",
    "collapsed_row",
    "row_by_order",
    "header_label_missing",
    "label_variant",
    "unreadable_row",
    "glued_split",
    "version_guessed",
    "work_bounded",
]
NOTE_KINDS: dict[NoteKind, str] = {
    "missing_row": "a row of the format was not found; its cells are missing",
    "extra_row": "a labelled row the format does not have, with a full row of values (a 小计 row)",
    "duplicate_row": "a row label printed more than once; the first readable one is used",
    "collapsed_row": "a 2021 table printing a row the format splits into sub-rows as one row",
    "row_by_order": "a row of values printed without its label, read by the format's fixed order of rows",
    "header_label_missing": "a column or block label of the header is not printed",
    "label_variant": "a row or column label printed in other words than the standard's, or a misprint of one label taken for it",
    "unreadable_row": "a row whose printed values cannot be matched to its columns; its cells are null",
    "glued_split": "digits run together were cut into cells; `cells` are the rows whose cut the arithmetic chose",
    "version_guessed": "no label tells the format version; it was taken from the report's year",
    "work_bounded": "a reader or the glued-digit search stopped at a bound on its work; what lies past it was not read",
}


class Note(_Compact):
    """Something extraction observed about the document's structure (rules turn it into findings)."""

    kind: NoteKind
    table: str | None = None
    message: str
    cells: list[str] = Field(default_factory=list)
    locations: list[SourceLocation] = Field(default_factory=list)


class Finding(BaseModel):
    model_config = _DEFERRED
    code: str
    severity: Severity
    message: str
    cells: list[str] = Field(default_factory=list)
    locations: list[SourceLocation] = Field(default_factory=list)

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class DatedFact(_Compact):
    """A date or name read from the document, with where it was found."""

    how: str  # title, preamble, signature, metadata, period …
    text: str
    location: SourceLocation | None = None


CheckStatus = Literal["passed", "failed", "not_checkable", "not_applicable"]
CHECK_STATUSES: tuple[CheckStatus, ...] = get_args(CheckStatus)
CHECK_STATUS_NAMES: dict[CheckStatus, str] = {
    "passed": "通过",
    "failed": "未通过",
    "not_checkable": "无法核查",
    "not_applicable": "不适用",
}


class ChecklistItem(_Compact):
    """One identity or rule evaluated on a report, as the rule itself reported it: what was
    checked (``subject``), and whether it passed, failed (``findings`` are the indices of its
    findings in the result, ``severity`` the most severe of them), could not be checked or does
    not apply (``reason`` says why)."""

    code: str
    subject: str
    status: CheckStatus
    severity: Severity | None = None
    reason: str | None = None
    cells: list[str] = Field(default_factory=list)
    findings: list[int] = Field(default_factory=list)


def status_counts(checklist: Iterable[ChecklistItem]) -> dict[CheckStatus, int]:
    """How many checklist items of each status, every status present (0 when none)."""
    counts = dict.fromkeys(CHECK_STATUSES, 0)
    for item in checklist:
        counts[item.status] += 1
    return counts


def severity_counts(findings: Iterable[Finding]) -> dict[Severity, int]:
    """How many findings of each severity, every severity present (0 when none)."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return counts


class CheckResult(BaseModel):
    """What ``nianbao check --json`` prints for one file (and the API returns)."""

    model_config = _DEFERRED

    file: str
    agency: str | None
    year: int | None
    format_version: str | None
    errors: int
    warnings: int
    infos: int
    findings: list[Finding]
    checks: dict[CheckStatus, int]
    checklist: list[ChecklistItem]
    previous: str | None = None  # the file of the previous year's report it was compared with

    @classmethod
    def of(
        cls,
        file: str,
        report: Report,
        findings: Sequence[Finding],
        checklist: Sequence[ChecklistItem],
        previous: str | None = None,
    ) -> CheckResult:
        counts = severity_counts(findings)
        return cls(
            file=file,
            agency=report.agency,
            year=report.year,
            format_version=report.format_version,
            errors=counts["error"],
            warnings=counts["warning"],
            infos=counts["info"],
            findings=list(findings),
            checks=status_counts(checklist),
            checklist=list(checklist),
            previous=previous,
        )


class Report(BaseModel):
    model_config = _DEFERRED
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
        """The ``nianbao.report/1`` JSON object; ``provenance`` adds what the rules and people need
        to explain each value (raw text, locations, headings, narrative figures, notes …)."""
        return ReportContract.of(self).dump(provenance=provenance)

    @classmethod
    def from_contract(cls, data: Any) -> Report:
        """Read a ``nianbao.report/1`` object (as written by :meth:`to_contract` or by hand)."""
        return ReportContract.load(data).to_report()


# ---------------------------------------------------------------------------- the contract


class SectionText(BaseModel):
    model_config = _DEFERRED
    heading: StrictStr = ""
    text: StrictStr = ""


class CellEntry(_Compact, _CellFacts):
    """``cells[id]``: a cell's provenance; its value is in its table."""

    _always = frozenset({"status", "raw"})  # status absent: ``value`` when the table has a number, else ``blank``


ContractTable = dict[str, dict[str, Number | None]]
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
    section_locations: dict[str, SourceLocation] = Field(default_factory=dict)
    row_labels: dict[str, SourceLocation] = Field(default_factory=dict)
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


_FACT_FIELDS = tuple(name for name in _CellFacts.model_fields if name != "status")


def _facts(cell: _CellFacts | CellValue) -> dict[str, Any]:
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


def cell_id(table: str, row: str, col: str) -> str:
    return f"{table}.{row}.{col}"
