"""The input of statistics and of the summary: agencies and the cells of their reports.

Two sources feed the same :class:`MemberReport` list:

- the store's long cell table, one flat :class:`CellRow` per cell joined with its report and
  agency (one query), through :func:`from_rows`;
- parsed :class:`~nianbao.model.Report` objects with their agency (:class:`Member`), e.g. a
  folder of files, through :func:`from_reports`.

Cell statuses keep the rules' convention: a ``value`` counts as printed, a ``blank`` counts as
0, and an ``unreadable`` or ``missing`` cell is unknown — never a zero — so every total that
needs it is marked incomplete.  A cell the report's format does not have (table 2 of the 2019
format in a 2021 statistic) is *not applicable*: the member is left out of that figure without
making it incomplete.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache, partial
from itertools import compress
from operator import is_not
from typing import Any, TypeVar

from ..formats import FORMATS, get_format
from ..formats.crosswalk import format_cell_ids
from ..model import CellStatus, CellValue, Finding, Report
from ..rules import RULES, run_rules
from .definitions import STATS_CELLS, STATS_CELLS_ORDER

Number = int | float
Key = TypeVar("Key", bound=Hashable)  # a report's key in the store (or a file name)
LEVELS = ("省", "市", "县", "乡")
TYPES = ("政府", "部门")
LEVEL_LABELS = {"省": "省级", "市": "市级", "县": "县级", "乡": "乡级"}
KNOWN_STATUSES = ("value", "blank")
UNKNOWN_STATUSES = ("unreadable", "missing")
# The rules whose error findings mean a member's tables do not add up.
SUM_RULES = frozenset(code for code, r in RULES.items() if r.family == "arithmetic" and r.severity == "error")


@dataclass(frozen=True, slots=True)
class Member:
    """An agency as the office's list (or the store) knows it."""

    name: str
    region_code: str
    region_name: str = ""
    level: str = ""  # 省 / 市 / 县 / 乡, "" when not known
    type: str = ""  # 政府 / 部门, "" when not known
    parent: str | None = None

    @property
    def level_label(self) -> str:
        """县级部门, 乡级政府 … as an office's list writes it (未分级 when the level is unknown)."""
        return LEVEL_LABELS.get(self.level, "未分级") + self.type

    @classmethod
    def of(
        cls,
        name: str,
        region_code: str,
        region_name: str = "",
        level: str = "",
        type: str | None = None,
        parent: str | None = None,
    ) -> Member:
        """A member from loosely written fields: ``level`` may be 县, 县级 or 县级部门; a type
        not given is read from ``level`` or, failing that, from the name (…人民政府 is a government,
        as the publication deadline rule reads it)."""
        text = level.strip()
        found_level = next((lv for lv in LEVELS if text.startswith(lv)), "")
        found_type = type or next((t for t in TYPES if text.endswith(t)), "")
        if not found_type:
            found_type = "政府" if name.endswith("人民政府") else "部门"
        return cls(name, region_code.strip(), region_name, found_level, found_type, parent)


@dataclass(frozen=True, slots=True)
class CellRow:
    """One cell of the store's long table, joined with its report and agency."""

    report: Hashable  # the report's key in the store (or a file name)
    agency: str
    region_code: str
    region_name: str
    level: str
    year: int
    table: str
    row: str
    col: str
    value: Number | None
    status: str
    raw: str | None = None
    location: Any = None
    agency_type: str | None = None
    format_version: str | None = None
    published: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Issue:
    """An error finding of a member's report that bears on sums (a failed 勾稽关系)."""

    code: str
    message: str
    cells: tuple[str, ...] = ()

    @classmethod
    def of(cls, finding: Finding) -> Issue:
        return cls(finding.code, finding.message, tuple(finding.cells))


@dataclass(slots=True)
class MemberReport:
    """One agency's report for one year, as statistics read it."""

    member: Member
    year: int
    format_version: str | None
    published: dt.date | None = None
    values: dict[str, Number] = field(default_factory=dict)  # known cells; a blank is 0
    blank: frozenset[str] = frozenset()
    unknown: dict[str, str] = field(default_factory=dict)  # cell id → unreadable / missing
    key: Hashable = None
    errors: tuple[Issue, ...] | None = None  # the sum rules' errors; None: not checked yet

    def status(self, cell_id: str) -> str:
        """value, blank, unreadable, missing, or ``absent`` (the report's format has no such cell)."""
        if cell_id in self.values:
            return "blank" if cell_id in self.blank else "value"
        if cell_id in self.unknown:
            return self.unknown[cell_id]
        return "missing" if cell_id in format_cells(self.format_version) else "absent"

    def checked(self) -> tuple[Issue, ...]:
        """The sum rules' errors, run on the cells when the source did not give them."""
        if self.errors is None:
            findings = run_rules(self.as_report(), codes=SUM_RULES)
            self.errors = tuple(Issue.of(f) for f in findings if f.severity == "error")
        return self.errors

    def as_report(self) -> Report:
        """The cells as a :class:`Report` (tables only), for the rules."""
        tables: dict[str, dict[str, dict[str, CellValue]]] = {}
        for cell_id, number in self.values.items():
            table, row, col = cell_id.split(".")
            cell = _cell("blank", None) if cell_id in self.blank else _cell("value", number, isinstance(number, float))
            tables.setdefault(table, {}).setdefault(row, {})[col] = cell
        for cell_id, unknown in self.unknown.items():
            table, row, col = cell_id.split(".")
            status: CellStatus = "missing" if unknown == "missing" else "unreadable"
            tables.setdefault(table, {}).setdefault(row, {})[col] = _cell(status, None)
        return Report(
            format_version=self.format_version,
            agency=self.member.name,
            year=self.year,
            published=self.published,
            table2=tables.get("table2"),
            table3=tables.get("table3"),
            table4=tables.get("table4"),
        )


@lru_cache(maxsize=65536)
def _cell(status: CellStatus, value: Number | None, _is_float: bool = False) -> CellValue:
    """One shared cell per status and value (the rules only read cells); ``_is_float`` keeps 1 and 1.0 apart."""
    return CellValue(status=status, value=value)


@cache
def format_cells(format_version: str | None) -> frozenset[str]:
    """Every cell id a report of ``format_version`` may print (none for pre-2019 reports)."""
    if format_version not in FORMATS:
        return frozenset()
    return format_cell_ids(get_format(format_version))


def from_reports(
    pairs: Iterable[tuple[Member, Report]], *, check: bool = True, keys: Iterable[Hashable] | None = None
) -> list[MemberReport]:
    """Member reports from parsed reports; ``check`` runs the sum rules now (else on demand).

    A report without a year cannot be placed and is refused with ``ValueError``.
    """
    key_list = list(keys) if keys is not None else None
    out: list[MemberReport] = []
    for n, (member, report) in enumerate(pairs):
        if report.year is None:
            raise ValueError(f"{member.name} 的报告没有年度，无法统计")
        values: dict[str, Number] = {}
        blank: set[str] = set()
        unknown: dict[str, str] = {}
        for cell_id, cell in report.iter_cells():
            _put(cell_id, cell.value, cell.status, values, blank, unknown)
        entry = MemberReport(
            member,
            report.year,
            report.format_version,
            report.published,
            values,
            frozenset(blank),
            unknown,
            key_list[n] if key_list is not None else n,
        )
        if check:
            entry.checked()
        out.append(entry)
    return out


def from_rows(
    rows: Iterable[CellRow], findings: Mapping[Hashable, Iterable[Issue | Finding]] | None = None
) -> list[MemberReport]:
    """Member reports from the long cell table, in the order their first row comes.

    ``findings`` (report key → its findings, as the store keeps them) gives each report's sum
    errors; without it they are checked on demand (about 0.5 ms a report).
    """
    heads: dict[Hashable, MemberReport] = {}

    def cells() -> Iterator[tuple[Hashable, str, Number | None, str]]:
        for r in rows:
            if r.report not in heads:
                member = Member.of(r.agency, r.region_code, r.region_name, r.level, r.agency_type)
                heads[r.report] = MemberReport(member, r.year, r.format_version, r.published, key=r.report)
            yield r.report, f"{r.table}.{r.row}.{r.col}", r.value, r.status

    return from_cells(heads, cells(), findings)


def from_cells(
    heads: Mapping[Key, MemberReport],
    cells: Iterable[tuple[Key, str, Number | None, str]],
    findings: Mapping[Key, Iterable[Issue | Finding]] | None = None,
) -> list[MemberReport]:
    """Member reports from their heads (report key → a :class:`MemberReport` without cells) and
    the long table's cells as (report key, cell id, value, status), in the order of ``heads``;
    a report without a cell is left out.  ``findings`` as for :func:`from_rows`.
    """
    blanks: dict[Key, set[str]] = {}
    for key, cell_id, value, status in cells:
        entry = heads[key]
        blank = blanks.get(key)
        if blank is None:
            blank = blanks[key] = set()
        _put(cell_id, value, status, entry.values, blank, entry.unknown)
    out = []
    for key, entry in heads.items():
        if key not in blanks:
            continue
        entry.blank = frozenset(blanks[key])
        if findings is not None:
            entry.errors = sum_errors(findings.get(key, ()))
        out.append(entry)
    return out


def sum_errors(findings: Iterable[Issue | Finding]) -> tuple[Issue, ...]:
    """The findings that say the report's tables do not add up (the sum rules' errors)."""
    if findings == ():
        return ()
    return tuple(
        issue for issue in (f if isinstance(f, Issue) else Issue.of(f) for f in findings) if issue.code in SUM_RULES
    )


def stats_vector(
    cells: Iterable[tuple[str, Number | Decimal | None, str]], format_version: str | None, published: dt.date | None
) -> dict[str, Any]:
    """What statistics read of one report, as one small JSON-able mapping: its format, its date
    and the cells of ``STATS_CELLS`` as :func:`from_rows` reads them.

    ``cells`` are (cell id, value, status), the value as read or as stored; other cells are left
    out.  ``"cells"`` has one item per cell of ``STATS_CELLS_ORDER``: its number (a blank is 0),
    or None when it has none (not printed, or unknown); ``"blank"`` lists the blank cells and
    ``"unknown"`` maps an unreadable or missing cell to its status.  A store keeps this per
    report, so statistics read one row per report instead of 48 (:func:`from_vector`).
    """
    values: dict[str, Number] = {}
    blank: set[str] = set()
    unknown: dict[str, str] = {}
    for cell_id, value, status in cells:
        if cell_id in STATS_CELLS:
            _put(cell_id, _plain(value), status, values, blank, unknown)
    return {
        "format_version": format_version or None,
        "published": published.isoformat() if published else None,
        "cells": [values.get(cell) for cell in STATS_CELLS_ORDER],
        "blank": sorted(blank),
        "unknown": unknown,
    }


def _plain(value: Number | Decimal | None) -> Number | None:
    """A value as the long table reads it back (a float, a whole one as an int)."""
    if value is None or type(value) is int:
        return value
    number = float(value)
    return int(number) if number.is_integer() else number


_NOT_NONE = partial(is_not, None)


def from_vector(
    member: Member, year: int, vector: Mapping[str, Any], *, key: Hashable, findings: Iterable[Issue | Finding] = ()
) -> MemberReport | None:
    """A member report from its :func:`stats_vector` and its findings (as the store keeps them);
    None when it has none of the cells (the long table would give no row of it)."""
    items = vector["cells"]
    if len(items) != len(STATS_CELLS_ORDER):
        raise ValueError("a statistics vector of another cell set")
    # made in C, the cells whose item is not None: a vector is read 10,000 times a statistic
    values: dict[str, Number] = dict(compress(zip(STATS_CELLS_ORDER, items, strict=True), map(_NOT_NONE, items)))
    unknown: dict[str, str] = vector["unknown"]
    if not values and not unknown:
        return None
    published = vector["published"]
    return MemberReport(
        member,
        year,
        vector["format_version"],
        dt.date.fromisoformat(published) if published else None,
        values,
        frozenset(vector["blank"]),
        unknown,
        key,
        sum_errors(findings),
    )


def _put(
    cell_id: str, value: Number | None, status: str, values: dict[str, Number], blank: set[str], unknown: dict[str, str]
) -> None:
    if status == "value" and value is not None:
        values[cell_id] = value
    elif status == "blank" or (status == "value" and value is None):
        values[cell_id] = 0
        blank.add(cell_id)
    else:
        unknown[cell_id] = status if status in UNKNOWN_STATUSES else "unreadable"


# ---------------------------------------------------------------------------------- regions


def region_prefix(code: str) -> str:
    """The part of an administrative division code that its sub-divisions share:
    ``910000`` → ``91``, ``910100`` → ``9101``, ``910101`` → ``910101``, ``910101001000`` → ``910101001``."""
    code = code.strip()
    while len(code) > 6 and code.endswith("000"):
        code = code[:-3]
    while len(code) > 2 and len(code) <= 6 and code.endswith("00"):
        code = code[:-2]
    return code


_PREFIX_LENGTHS = (2, 4, 6, 9, 12)


def region_code_of(prefix: str) -> str:
    """The full code of a region prefix: ``9101`` → ``910100``."""
    return prefix.ljust(6, "0") if len(prefix) < 6 else prefix


def within(code: str, region: str | None) -> bool:
    """``code`` is ``region`` or one of its sub-divisions (any ``region`` when None)."""
    return region is None or region_prefix(code).startswith(region_prefix(region))


def child_region(code: str, root: str) -> str:
    """The region directly under ``root`` that holds ``code`` (``root`` itself for its own agencies)."""
    prefix, root_prefix = region_prefix(code), region_prefix(root)
    if prefix == root_prefix:
        return region_code_of(root_prefix)
    longer = next((n for n in _PREFIX_LENGTHS if n > len(root_prefix)), len(prefix))
    return region_code_of(prefix[:longer])


def common_region(codes: Iterable[str]) -> str | None:
    """The smallest region that holds every code (None when they share no province)."""
    prefixes = {region_prefix(code) for code in codes}
    if not prefixes:
        return None
    for length in reversed(_PREFIX_LENGTHS):
        heads = {p[:length] for p in prefixes}
        if len(heads) == 1 and all(len(p) >= length for p in prefixes):
            return region_code_of(heads.pop())
    return None


def region_names(reports: Iterable[MemberReport]) -> dict[str, str]:
    """Region code → name, as the members' own regions say."""
    names: dict[str, str] = {}
    for entry in reports:
        member = entry.member
        if member.region_name:
            names.setdefault(region_code_of(region_prefix(member.region_code)), member.region_name)
    return names


def resolve_region(text: str, reports: Iterable[MemberReport]) -> str | None:
    """A region given as a code or a name (示例省、甲市、910100) → its code, or None if unknown."""
    wanted = text.strip()
    names = region_names(reports)
    for code, name in names.items():
        if wanted in (code, name, region_prefix(code)):
            return code
    if wanted.isdigit():
        return region_code_of(region_prefix(wanted))
    return None


def select(
    reports: Iterable[MemberReport],
    *,
    year: int | None = None,
    region: str | None = None,
    levels: Iterable[str] | None = None,
) -> list[MemberReport]:
    """The reports of ``year`` in ``region`` (a code) whose level is one of ``levels``
    (省/市/县/乡, or a label such as 县级部门)."""
    wanted = set(levels) if levels is not None else None
    return [
        entry
        for entry in reports
        if (year is None or entry.year == year)
        and within(entry.member.region_code, region)
        and (wanted is None or entry.member.level in wanted or entry.member.level_label in wanted)
    ]
