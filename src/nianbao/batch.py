"""Checking many reports at once (``nianbao check DIR``): which earlier report each one is
compared with, which files hold the same report, and the closing summary.

The same report often arrives twice: as the web page and as its Word attachment, as a PDF and
as a scan of it, or simply copied into two folders.  Identical bytes are the same file; two
different files are the same report when they name the same agency and year and their tables
agree cell for cell (or, when a table could not be read in one of them, their own words repeat
each other almost whole, by the measure of the DUP rule).  Agencies are compared by name
(:func:`agency_key`), so a report is only ever compared with the previous year of its own agency.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from .formats.labels import label_key
from .model import CheckResult, Report
from .rules.duplicate import MIN_TEXT, narrative, similarity

SAME_TEXT = 0.9  # share of one narrative repeated in the other that makes them one text
MIN_AGREEING = 20  # table cells that must agree before two files are called one report by their tables


def agency_key(name: str | None) -> str | None:
    """The agency's name as compared (NFKC, without spaces and punctuation variants); None when unknown."""
    return (label_key(name) or None) if name else None


class PreviousReports:
    """The reports given with ``--previous``, found by agency and year."""

    def __init__(self) -> None:
        self._by_agency_year: dict[tuple[str, int], tuple[str, Report]] = {}

    def add(self, file: str, report: Report) -> None:
        key = agency_key(report.agency)
        if key is not None and report.year is not None:
            self._by_agency_year.setdefault((key, report.year), (file, report))  # the first of duplicates

    def __len__(self) -> int:
        return len(self._by_agency_year)

    def for_report(self, report: Report) -> tuple[str, Report] | None:
        """The same agency's report of the year before (its file and the report), if given."""
        key = agency_key(report.agency)
        if key is None or report.year is None:
            return None
        return self._by_agency_year.get((key, report.year - 1))


DuplicateKind = Literal["identical", "same_report", "revised"]


@dataclass(slots=True, kw_only=True)
class Duplicate:
    """A file that holds a report already seen in the batch (``same_as``)."""

    file: str
    same_as: str
    kind: DuplicateKind  # identical bytes; the same report in another file; another version of it
    reason: str  # Chinese


@dataclass(slots=True, kw_only=True)
class SkippedFile:
    """Something in a given folder that was not read, and why (Chinese), as the check JSON lists it."""

    file: str
    reason: str


@dataclass(slots=True, kw_only=True)
class Unusable:
    """A file that could not be used; ``error`` is the one line said on stderr."""

    file: str
    error: str


@dataclass(slots=True, kw_only=True)
class BatchSummary:
    """The closing summary of a batch.  A report with errors and warnings counts in both."""

    files: int  # files read or tried (archive members count one each); skipped ones are not among them
    reports: int  # checked
    with_errors: int
    with_warnings: int
    unusable: int
    duplicates: list[Duplicate]
    skipped: list[SkippedFile]


@dataclass(slots=True, kw_only=True)
class CheckBatch:
    """What ``nianbao check --json`` prints for a folder or several files."""

    results: list[CheckResult | Unusable]
    summary: BatchSummary


def check_schema() -> dict[str, object]:
    """The JSON schema of ``nianbao check --json`` (docs/check.schema.json is this, written out):
    one file's :class:`CheckResult` (or :class:`Unusable`), or a :class:`CheckBatch`."""
    from pydantic import TypeAdapter

    schema = TypeAdapter(CheckResult | Unusable | CheckBatch).json_schema()
    return {"title": "nianbao check --json", **schema}


def check_schema_json() -> str:
    return json.dumps(check_schema(), ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class _Seen:
    """What a report already seen is compared by: agency, year, figures and text."""

    file: str
    agency: str | None
    year: int | None
    numbers: dict[str, float]
    text: str


class Duplicates:
    """Notices when a file holds a report already seen (see the module's docstring).

    A report is compared only with those that could be the same: of its agency and year, or —
    where either agency is unknown — of its year with exactly the same figures; so a province's
    folder costs a look-up per report, not a comparison per pair."""

    def __init__(self) -> None:
        self._digests: dict[str, str] = {}
        self._by_agency: dict[tuple[str, int], list[_Seen]] = {}
        self._by_figures: dict[tuple[int, str], list[_Seen]] = {}

    def add(self, file: str, data: bytes, report: Report) -> Duplicate | None:
        digest = hashlib.sha256(data).hexdigest()
        earlier = self._digests.setdefault(digest, file)
        if earlier != file:
            return Duplicate(file=file, same_as=earlier, kind="identical", reason=f"与“{earlier}”内容完全相同")
        if report.year is None:
            return None
        seen = _Seen(file, agency_key(report.agency), report.year, _numbers(report), narrative(report))
        figures = (report.year, hashlib.sha256(json.dumps(sorted(seen.numbers.items())).encode()).hexdigest())
        candidates = list(self._by_figures.get(figures, []))
        if seen.agency is not None:
            candidates += self._by_agency.get((seen.agency, report.year), [])
        found = next((dup for other in candidates if (dup := _same(seen, other, report)) is not None), None)
        if found is None:
            self._by_figures.setdefault(figures, []).append(seen)
            if seen.agency is not None:
                self._by_agency.setdefault((seen.agency, report.year), []).append(seen)
        return found


def _numbers(report: Report) -> dict[str, float]:
    return {cell_id: float(cell.number) for cell_id, cell in report.iter_cells() if cell.number is not None}


def _same(this: _Seen, other: _Seen, report: Report) -> Duplicate | None:
    if this.agency is not None and other.agency is not None and this.agency != other.agency:
        return None
    both = this.numbers.keys() & other.numbers.keys()
    differ = sorted(cell for cell in both if this.numbers[cell] != other.numbers[cell])
    agree = len(both) - len(differ)
    names = [name for name in (report.agency,) if name]
    text = similarity(this.text, other.text, names)
    same_text = text.compared >= MIN_TEXT and text.share >= SAME_TEXT
    same_agency = this.agency is not None and this.agency == other.agency
    what = f"机关（{report.agency}）、年度（{this.year}）相同" if same_agency else f"年度（{this.year}）相同"
    if not differ and agree >= MIN_AGREEING and (same_agency or same_text):
        return Duplicate(
            file=this.file,
            same_as=other.file,
            kind="same_report",
            reason=f"与“{other.file}”是同一份报告：{what}，表二至表四{agree}个数值一致",
        )
    if not differ and same_text and same_agency:
        return Duplicate(
            file=this.file,
            same_as=other.file,
            kind="same_report",
            reason=f"与“{other.file}”是同一份报告：{what}，正文{text.share:.0%}相同",
        )
    if differ and same_text and same_agency:
        return Duplicate(
            file=this.file,
            same_as=other.file,
            kind="revised",
            reason=f"与“{other.file}”{what}，正文{text.share:.0%}相同，但有{len(differ)}个表格数值不同，"
            "可能是同一份报告的两个版本（如更正前后），请确认以哪一份为准",
        )
    return None


def summary(
    results: Sequence[CheckResult | Unusable], duplicates: Iterable[Duplicate], skipped: Iterable[SkippedFile]
) -> BatchSummary:
    """The closing summary of a batch's results."""
    checked = [result for result in results if isinstance(result, CheckResult)]
    return BatchSummary(
        files=len(results),
        reports=len(checked),
        with_errors=sum(1 for result in checked if result.errors),
        with_warnings=sum(1 for result in checked if result.warnings),
        unusable=len(results) - len(checked),
        duplicates=list(duplicates),
        skipped=list(skipped),
    )
