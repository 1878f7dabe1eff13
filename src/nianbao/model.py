"""The report model: what extraction produces, what rules read, what renderers write.

Every table cell keeps its printed text, its value and where it came from.  A blank cell and a
cell printing 0 are different facts (``status`` ``blank`` vs ``value``); a cell that could not be
read is ``unreadable`` (``reason`` says why, decided once by extraction), one whose row was not
found is ``missing``.

The records are plain slotted dataclasses: a parse builds a few hundred of them from parts of the
right types, and importing pydantic and building its model classes was 40 % of a cold ``nianbao
parse``.  JSON is :mod:`nianbao.contract`'s work, with pydantic: the ``nianbao.report/1``
contract, which validates these records where data comes in, and any record written out
(:meth:`Finding.dump`, :meth:`CheckResult.dump`); :meth:`Report.to_contract` and
:meth:`Report.from_contract` import it when first called.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal, cast, get_args

from .document import Location
from .formats import FORMATS, PRE2019

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema
    from pydantic_core.core_schema import DataclassSchema

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
Number = int | float


class _Record:
    """A record of the report: a slotted dataclass that extraction builds without any checking,
    from parts of the declared types.  Where data comes in, pydantic validates one from a mapping
    (every field strictly: no number read from a string) or takes an instance as it is, and
    writes it without its unset (None) fields.  pydantic looks for the hook below only when it
    builds a schema, so a parse never imports it."""

    __slots__ = ()
    __pydantic_config__: ClassVar[dict[str, Any]] = {"strict": True}

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import core_schema

        schema = cast("DataclassSchema", handler(source))
        assert schema["type"] == "dataclass", schema["type"]
        schema["strict"] = False  # the fields strict, the record itself also from a mapping

        def without_none(record: Any, write: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
            return {key: value for key, value in write(record).items() if value is not None}

        schema["serialization"] = core_schema.wrap_serializer_function_ser_schema(without_none)
        return schema


@dataclasses.dataclass(slots=True)
class CellValue(_Record):
    """One table cell of a report: its status, value, and the facts the contract writes for it
    (``nianbao.contract.CellEntry`` declares the same fields but ``value``)."""

    status: CellStatus = "missing"
    raw: str | None = None  # the text as printed; None when the cell was not found
    location: Location | None = None
    note: str | None = None  # why the cell is unreadable or missing, for people
    confidence: float | None = None  # OCR score of the printed text (0–1); None when not OCR'd
    reason: UnreadableReason | None = None  # why the cell is unreadable, for the rules
    threshold: float | None = None  # the OCR confidence threshold a low-confidence cell fell below
    value: Number | None = None

    @property
    def number(self) -> int | float | None:
        """The value for arithmetic: a blank counts as 0, unreadable and missing as unknown."""
        if self.status == "blank":
            return 0
        return self.value


TableData = dict[str, dict[str, CellValue]]


@dataclasses.dataclass(slots=True, kw_only=True)
class Section(_Record):
    """One of the six sections: its heading as printed and its text."""

    heading: str
    text: str
    location: Location | None = None


# How a heading's title was recognised: in the standard's words (its title or a known
# variant), as a misprint of them (a character or two inserted, dropped or changed), or in
# other words (close to the title, or numbered as the section where the section stands).
HeadingWording = Literal["standard", "misprint", "reworded"]


@dataclasses.dataclass(slots=True, kw_only=True)
class Heading(_Record):
    """A section heading as printed, for the structure rules."""

    number: int  # which of the six sections it opens
    text: str  # the heading line as printed
    numbering: str  # the printed numbering: "三、", "3、", "（三）", "" …
    printed_number: int | None = None  # the number the numbering says, if any
    canonical: bool  # numbered exactly as the format does (三、)
    wording: HeadingWording = "standard"
    location: Location | None = None


@dataclasses.dataclass(slots=True, kw_only=True)
class NarrativeFigure(_Record):
    """A number the narrative states, e.g. 收到申请3件."""

    kind: str  # applications_received, proactive_items, review_cases, litigation_cases, fee_yuan …
    value: Number
    unit: str
    text: str  # the sentence fragment it came from
    section: int | None = None
    location: Location | None = None


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


@dataclasses.dataclass(slots=True, kw_only=True)
class Note(_Record):
    """Something extraction observed about the document's structure (rules turn it into findings)."""

    kind: NoteKind
    table: str | None = None
    message: str
    cells: list[str] = dataclasses.field(default_factory=list)
    locations: list[Location] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(slots=True, kw_only=True)
class Finding(_Record):
    """One thing a rule found: its code, severity, message and the cells and places it concerns."""

    code: str
    severity: Severity
    message: str
    cells: list[str] = dataclasses.field(default_factory=list)
    locations: list[Location] = dataclasses.field(default_factory=list)

    def dump(self) -> dict[str, Any]:
        """The finding as JSON data, as the check result writes it."""
        from .contract import record_json

        return record_json(self)


@dataclasses.dataclass(slots=True, kw_only=True)
class DatedFact(_Record):
    """A date or name read from the document, with where it was found."""

    how: str  # title, preamble, signature, metadata, period …
    text: str
    location: Location | None = None


CheckStatus = Literal["passed", "failed", "not_checkable", "not_applicable"]
CHECK_STATUSES: tuple[CheckStatus, ...] = get_args(CheckStatus)
CHECK_STATUS_NAMES: dict[CheckStatus, str] = {
    "passed": "通过",
    "failed": "未通过",
    "not_checkable": "无法核查",
    "not_applicable": "不适用",
}


@dataclasses.dataclass(slots=True, kw_only=True)
class ChecklistItem(_Record):
    """One identity or rule evaluated on a report, as the rule itself reported it: what was
    checked (``subject``), and whether it passed, failed (``findings`` are the indices of its
    findings in the result, ``severity`` the most severe of them), could not be checked or does
    not apply (``reason`` says why)."""

    code: str
    subject: str
    status: CheckStatus
    severity: Severity | None = None
    reason: str | None = None
    cells: list[str] = dataclasses.field(default_factory=list)
    findings: list[int] = dataclasses.field(default_factory=list)


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


@dataclasses.dataclass(slots=True, kw_only=True)
class CheckResult:
    """What ``nianbao check --json`` prints for one file (and the API returns)."""

    # not a _Record: every field is written, None too (docs/check.schema.json)

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

    def dump(self) -> dict[str, Any]:
        """The result as JSON data."""
        from .contract import record_json

        return record_json(self)


@dataclasses.dataclass(slots=True, kw_only=True)
class Report:
    """A report as nianbao reads it: metadata, sections, the three tables, and what extraction noticed."""

    format_version: str | None = None
    agency: str | None = None
    year: int | None = None
    published: dt.date | None = None
    sections: dict[str, Section] = dataclasses.field(default_factory=dict)
    table2: TableData | None = None
    table3: TableData | None = None
    table4: TableData | None = None

    # What extraction saw, for the rules and for explaining values.
    title: str | None = None
    source: dict[str, Any] = dataclasses.field(default_factory=dict)  # file, kind, encoding
    facts: dict[str, DatedFact] = dataclasses.field(default_factory=dict)  # agency/year/published provenance
    period: tuple[dt.date, dt.date] | None = None  # the statistics period stated
    headings: list[Heading] = dataclasses.field(default_factory=list)
    row_labels: dict[str, Location] = dataclasses.field(default_factory=dict)  # "table3.granted" → its label
    narrative: list[NarrativeFigure] = dataclasses.field(default_factory=list)
    notes: list[Note] = dataclasses.field(default_factory=list)
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
        from .contract import ReportContract

        return ReportContract.of(self).dump(provenance=provenance)

    @classmethod
    def from_contract(cls, data: Any) -> Report:
        """Read a ``nianbao.report/1`` object (as written by :meth:`to_contract` or by hand)."""
        from .contract import ReportContract

        return ReportContract.load(data).to_report()


def cell_id(table: str, row: str, col: str) -> str:
    return f"{table}.{row}.{col}"
