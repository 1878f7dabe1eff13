"""Statistics over member reports: totals, rates, year-over-year change, anomalies, rankings,
timeliness and missing reports, grouped by agency, region, level or year.

Every figure says how many members it covers: a :class:`Total` has the members whose value is
known (``n``) and those left out because a cell it needs is unreadable or missing
(``unknown``); a :class:`RateValue` carries its numerator, denominator, ``n`` and the members
``excluded``.  Members whose format has no such cell (table 2 of the 2019 format) are in neither.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from functools import cache
from operator import itemgetter
from typing import Any, Literal, cast

from ..formats.labels import format_number
from ..rules.registry import AgencyInfo
from ..rules.timeliness import publication_deadline
from .definitions import (
    HEADLINE,
    MEASURE_BY_KEY,
    MEASURES,
    RANKED_MEASURES,
    RANKED_RATES,
    RATES,
    THRESHOLDS,
    Measure,
    Thresholds,
)
from .rows import (
    LEVELS,
    TYPES,
    Member,
    MemberReport,
    Number,
    child_region,
    common_region,
    format_cells,
    region_names,
    select,
    within,
)

AnomalyKind = Literal["jump_up", "jump_down", "zero_among_peers"]
GroupBy = Literal["agency", "region", "level", "year"]
GROUP_BY: tuple[GroupBy, ...] = ("agency", "region", "level", "year")
# A member's value of one measure: the number, or None (unknown); NOT_APPLICABLE when its format lacks it.
NOT_APPLICABLE = "n/a"
MeasureValue = Number | None | str


def exact_sum(values: Iterable[Number]) -> Number:
    """Σ values, whole numbers exactly and decimals (万元 to the cent) without float drift."""
    items = values if isinstance(values, (list, tuple)) else list(values)
    total = sum(items)
    if type(total) is int:  # only whole numbers (the common case): summed in C, exactly
        return total
    whole = 0
    decimals: Decimal | None = None
    for value in items:
        if isinstance(value, int):
            whole += value
        elif value.is_integer():
            whole += int(value)
        else:
            decimals = (decimals or Decimal(0)) + Decimal(repr(value))
    if decimals is None:
        return whole
    total = decimals + whole
    return int(total) if total == total.to_integral_value() else float(total)


def measure_value(entry: MemberReport, measure: Measure) -> MeasureValue:
    """The member's value: the first alternative it prints, summed; None when a cell is unknown."""
    values = entry.values
    for cells in measure.terms:
        if len(cells) == 1:  # most measures are one cell
            value = values.get(cells[0])
            if value is not None:
                return value if type(value) is int else exact_sum((value,))
            continue
        try:
            picked = [values[cell] for cell in cells]
        except KeyError:
            continue
        return exact_sum(picked)
    printable = format_cells(entry.format_version)
    if any(all(cell in printable for cell in cells) for cells in measure.terms):
        return None
    return NOT_APPLICABLE


# ---------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Total:
    value: Number  # the sum over the members whose value is known
    n: int  # members with the value known
    unknown: int  # members left out: a cell it needs is unreadable or missing

    @property
    def complete(self) -> bool:
        return self.unknown == 0


@dataclass(frozen=True)
class RateValue:
    value: float | None  # numerator ÷ denominator; None when the denominator is 0
    numerator: Number
    denominator: Number
    n: int  # members with both known
    excluded: int  # members left out for an unknown numerator or denominator


@dataclass(frozen=True)
class Timeliness:
    reports: int
    dated: int  # reports with a publication date and a statutory deadline (乡镇 and 街道 have none)
    on_time: int  # published by the statutory deadline
    late: int

    @property
    def share(self) -> float | None:
        """on_time ÷ dated (reports without a date are left out)."""
        return self.on_time / self.dated if self.dated else None


@dataclass
class Group:
    key: str
    label: str
    reports: int
    totals: dict[str, Total]
    rates: dict[str, RateValue]
    timeliness: Timeliness


@dataclass(frozen=True)
class Change:
    """A measure of one group, this year against the year before."""

    group: str
    label: str
    measure: str
    year: int
    previous: Total | None
    current: Total

    @property
    def change(self) -> Number | None:
        return None if self.previous is None else exact_sum((self.current.value, -self.previous.value))

    @property
    def ratio(self) -> float | None:
        """current ÷ previous − 1; None when last year is 0 or absent."""
        if self.previous is None or not self.previous.value:
            return None
        return self.current.value / self.previous.value - 1


@dataclass(frozen=True)
class Anomaly:
    agency: str
    region_code: str
    year: int
    measure: str
    kind: AnomalyKind
    value: Number
    reference: Number  # last year's value, or the peers' median
    message: str  # Chinese

    @classmethod
    def of(
        cls, entry: MemberReport, measure: str, kind: AnomalyKind, value: Number, reference: Number, message: str
    ) -> Anomaly:
        return cls(entry.member.name, entry.member.region_code, entry.year, measure, kind, value, reference, message)


@dataclass(frozen=True)
class Ranked:
    rank: int  # competition ranking: 1, 2, 2, 4
    agency: str
    region_code: str
    value: Number | float
    numerator: Number | None = None
    denominator: Number | None = None


@dataclass(frozen=True)
class Late:
    agency: str
    region_code: str
    year: int
    published: str
    deadline: str
    days: int


@dataclass
class Stats:
    year: int  # the year the views are about
    by: GroupBy
    region: str | None
    region_name: str | None
    levels: tuple[str, ...] | None
    reports: int  # reports of ``year`` selected
    overall: Group
    groups: list[Group]
    changes: list[Change]
    anomalies: list[Anomaly]
    rankings: dict[str, list[Ranked]]
    late: list[Late]
    missing: list[Member]
    thresholds: Thresholds = field(default_factory=Thresholds)

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "by": self.by,
            "region": self.region,
            "region_name": self.region_name,
            "levels": list(self.levels) if self.levels is not None else None,
            "reports": self.reports,
            "definitions": {
                "measures": {m.key: {"name": m.name, "cells": [list(alt) for alt in m.terms]} for m in MEASURES},
                "rates": {
                    r.key: {
                        "name": r.name,
                        "numerator": r.numerator,
                        "denominator": r.denominator,
                        "definition": r.definition,
                    }
                    for r in RATES
                },
                "thresholds": asdict(self.thresholds),
            },
            "overall": _group_dict(self.overall),
            "groups": [_group_dict(group) for group in self.groups],
            "changes": [
                {
                    "group": c.group,
                    "label": c.label,
                    "measure": c.measure,
                    "year": c.year,
                    "previous": asdict(c.previous) if c.previous else None,
                    "current": asdict(c.current),
                    "change": c.change,
                    "ratio": c.ratio,
                }
                for c in self.changes
            ],
            "anomalies": [asdict(a) for a in self.anomalies],
            "rankings": {key: [asdict(r) for r in ranked] for key, ranked in self.rankings.items()},
            "late": [asdict(item) for item in self.late],
            "missing": [asdict(member) for member in self.missing],
        }


def _group_dict(group: Group) -> dict[str, Any]:
    return {
        "key": group.key,
        "label": group.label,
        "reports": group.reports,
        "totals": {key: asdict(total) for key, total in group.totals.items()},
        "rates": {key: asdict(rate) for key, rate in group.rates.items()},
        "timeliness": asdict(group.timeliness) | {"share": group.timeliness.share},
    }


# ---------------------------------------------------------------------------------- computing


class _Values:
    """Each report's measure values, computed once."""

    def __init__(self) -> None:
        self._cache: dict[int, dict[str, MeasureValue]] = {}

    def of(self, entry: MemberReport) -> dict[str, MeasureValue]:
        found = self._cache.get(id(entry))
        if found is None:
            found = self._cache[id(entry)] = {}
            values = entry.values
            for measure, cells in _PLAN:
                # the common case inlined: a measure of one alternative whose cells are all printed
                # as whole numbers is their sum; anything else is measure_value's
                total: Any = None
                if cells is not None:
                    try:
                        total = sum([values[cell] for cell in cells])
                    except KeyError:  # a cell not printed or unknown
                        total = None
                found[measure.key] = total if type(total) is int else measure_value(entry, measure)
        return found


# each measure, with its cells when it has one alternative
_PLAN = tuple((m, m.terms[0] if len(m.terms) == 1 else None) for m in MEASURES)


_MEASURE_KEYS = tuple(measure.key for measure in MEASURES)


def _totals(rows: Sequence[dict[str, MeasureValue]], keys: tuple[str, ...] = _MEASURE_KEYS) -> dict[str, Total]:
    if len(rows) == 1:  # a group of one (by agency): its values are already exact sums
        return {key: _one(rows[0][key]) for key in keys}
    out = {}
    # one column per measure, transposed in C: this runs once per group (10,000 groups by agency)
    pick = itemgetter(*keys)
    table = [pick(row) for row in rows]
    for key, column in zip(keys, zip(*table, strict=True) if table else ((),) * len(keys), strict=True):
        unknown = column.count(None)
        known: Sequence[MeasureValue] = column
        if unknown or NOT_APPLICABLE in column:
            known = [value for value in column if value is not None and not isinstance(value, str)]
        out[key] = Total(exact_sum(cast(Sequence[Number], known)), len(known), unknown)
    return out


def _one(value: MeasureValue) -> Total:
    """The total of one member's value; totals are immutable, so equal ones are shared."""
    if value is None:
        return _UNKNOWN
    if isinstance(value, str):
        return _NOT_APPLICABLE
    key = (type(value), value)  # 1 and 1.0 are not the same total
    found = _ONES.get(key)
    if found is None:
        found = _ONES[key] = Total(value, 1, 0)
    return found


_UNKNOWN, _NOT_APPLICABLE = Total(0, 0, 1), Total(0, 0, 0)
_ONES: dict[tuple[type, Number], Total] = {}


def _rates(rows: Sequence[dict[str, MeasureValue]]) -> dict[str, RateValue]:
    if len(rows) == 1:  # a group of one (by agency): its values are already exact sums
        return {rate.key: _one_rate(rows[0][rate.numerator], rows[0][rate.denominator]) for rate in RATES}
    out = {}
    for rate in RATES:
        numerators: list[Number] = []
        denominators: list[Number] = []
        excluded = 0
        for mine in rows:
            num, den = mine[rate.numerator], mine[rate.denominator]
            if isinstance(num, str) or isinstance(den, str):
                continue
            if num is None or den is None:
                excluded += 1
                continue
            numerators.append(num)
            denominators.append(den)
        numerator, denominator = exact_sum(numerators), exact_sum(denominators)
        out[rate.key] = RateValue(
            numerator / denominator if denominator else None, numerator, denominator, len(numerators), excluded
        )
    return out


def _one_rate(num: MeasureValue, den: MeasureValue) -> RateValue:
    if isinstance(num, str) or isinstance(den, str):
        return RateValue(None, 0, 0, 0, 0)
    if num is None or den is None:
        return RateValue(None, 0, 0, 0, 1)
    return RateValue(num / den if den else None, num, den, 1, 0)


def deadline_of(entry: MemberReport) -> dt.date | None:
    """The statutory publication deadline of the member's report (rules.timeliness decides it,
    from the level the list gives); None where 条例第四十九条 sets none (乡镇, 街道)."""
    due = publication_deadline(entry.year, entry.member.name, _agency_info(entry.member.level_label))
    return due[0] if due else None


@cache
def _agency_info(level_label: str) -> AgencyInfo:
    return AgencyInfo.from_level(level_label)


def _timeliness(entries: Sequence[MemberReport]) -> Timeliness:
    dated = on_time = 0
    for entry in entries:
        due = deadline_of(entry)
        if entry.published is None or due is None:
            continue
        dated += 1
        on_time += entry.published <= due
    return Timeliness(len(entries), dated, on_time, dated - on_time)


def _group(key: str, label: str, entries: Sequence[MemberReport], values: _Values) -> Group:
    rows = [values.of(entry) for entry in entries]
    return Group(key, label, len(entries), _totals(rows), _rates(rows), _timeliness(entries))


def _grouper(by: GroupBy, root: str | None, names: dict[str, str]) -> Callable[[MemberReport], tuple[Any, str, str]]:
    """entry → (sort key, group key, label)."""
    level_order = {(lv, t): n for n, (lv, t) in enumerate((lv, t) for lv in (*LEVELS, "") for t in (*TYPES, ""))}

    def by_agency(entry: MemberReport) -> tuple[Any, str, str]:
        m = entry.member
        return (m.region_code, m.name), m.name, m.name

    def by_region(entry: MemberReport) -> tuple[Any, str, str]:
        code = child_region(entry.member.region_code, root) if root else entry.member.region_code
        name = names.get(code, code)
        if root and code == root:
            return (0, code), code, f"{name}本级"
        return (1, code), code, name

    def by_level(entry: MemberReport) -> tuple[Any, str, str]:
        m = entry.member
        return level_order.get((m.level, m.type), len(level_order)), m.level_label, m.level_label

    def by_year(entry: MemberReport) -> tuple[Any, str, str]:
        return entry.year, str(entry.year), f"{entry.year}年"

    return {"agency": by_agency, "region": by_region, "level": by_level, "year": by_year}[by]


def _grouped(
    entries: Iterable[MemberReport], grouper: Callable[[MemberReport], tuple[Any, str, str]]
) -> list[tuple[str, str, list[MemberReport]]]:
    buckets: dict[str, tuple[Any, str, list[MemberReport]]] = {}
    for entry in entries:
        order, key, label = grouper(entry)
        if key not in buckets:
            buckets[key] = (order, label, [])
        buckets[key][2].append(entry)
    return [(key, label, members) for key, (_order, label, members) in sorted(buckets.items(), key=lambda kv: kv[1][0])]


def compute_stats(
    reports: Iterable[MemberReport],
    *,
    year: int | None = None,
    region: str | None = None,
    levels: Iterable[str] | None = None,
    by: GroupBy = "region",
    expected: Iterable[Member] | None = None,
    thresholds: Thresholds = THRESHOLDS,
) -> Stats:
    """Every view over the reports in ``region`` (a code; sub-regions included) at ``levels``.

    The views are about ``year`` (default: the latest year present); ``by="year"`` groups every
    year instead.  ``expected`` is the office's list of agencies, for missing reports; without
    it, an agency is expected when it reported in any year of the selection.
    """
    if by not in GROUP_BY:
        raise ValueError(f"unknown grouping {by!r}")
    level_list = tuple(levels) if levels is not None else None
    everyone = list(reports)
    chosen = select(everyone, region=region, levels=level_list)
    if not chosen:
        raise ValueError("所选范围内没有报告")
    focus = year if year is not None else max(entry.year for entry in chosen)
    current = [entry for entry in chosen if entry.year == focus]
    previous = [entry for entry in chosen if entry.year == focus - 1]
    names = region_names(everyone)
    root = region or common_region(entry.member.region_code for entry in chosen)
    grouper = _grouper(by, root, names)
    values = _Values()
    grouped_entries = chosen if by == "year" else current
    groups = [_group(key, label, members, values) for key, label, members in _grouped(grouped_entries, grouper)]
    overall = _group("all", names.get(root, "全部") if root else "全部", current, values)
    changes = _changes(by, groups, previous, grouper, values, focus)
    return Stats(
        year=focus,
        by=by,
        region=region,
        region_name=names.get(region) if region else None,
        levels=level_list,
        reports=len(current),
        overall=overall,
        groups=groups,
        changes=changes,
        anomalies=anomalies(current, previous, values, thresholds),
        rankings=rankings(current, values, thresholds),
        late=_late(current),
        missing=_missing(chosen, current, expected, region, level_list),
        thresholds=thresholds,
    )


def _changes(
    by: GroupBy,
    groups: list[Group],
    previous: list[MemberReport],
    grouper: Callable[[MemberReport], tuple[Any, str, str]],
    values: _Values,
    focus: int,
) -> list[Change]:
    pairs: list[tuple[Group, dict[str, Total] | None, int]]
    if by == "year":
        by_year = {int(group.key): group.totals for group in groups}
        pairs = [(group, by_year.get(int(group.key) - 1), int(group.key)) for group in groups]
    else:
        # last year's groups need only the headline totals
        before = {
            key: _totals([values.of(entry) for entry in members], HEADLINE)
            for key, _label, members in _grouped(previous, grouper)
        }
        pairs = [(group, before.get(group.key), focus) for group in groups]
    return [
        Change(group.key, group.label, key, year, last[key] if last else None, group.totals[key])
        for group, last, year in pairs
        for key in HEADLINE
    ]


def anomalies(
    current: Sequence[MemberReport],
    previous: Sequence[MemberReport],
    values: _Values | None = None,
    thresholds: Thresholds = THRESHOLDS,
) -> list[Anomaly]:
    """Jumps against the agency's own last year, and zeros where peers (same level and type) are large."""
    values = values or _Values()
    last_year = {entry.member.name: values.of(entry) for entry in previous}
    out: list[Anomaly] = []
    peers: dict[tuple[str, str], list[Number]] = defaultdict(list)
    for entry in current:
        for key in HEADLINE:
            value = values.of(entry)[key]
            if isinstance(value, (int, float)):
                peers[(entry.member.level_label, key)].append(value)
    medians = {
        group: statistics.median(numbers) for group, numbers in peers.items() if len(numbers) >= thresholds.min_peers
    }
    for entry in current:
        mine = values.of(entry)
        before = last_year.get(entry.member.name)
        for key in HEADLINE:
            value = mine[key]
            if not isinstance(value, (int, float)):
                continue
            name = MEASURE_BY_KEY[key].name
            old = before.get(key) if before else None
            if isinstance(old, (int, float)):
                jump = _jump(value, old, thresholds)
                if jump is not None:
                    kind, times = jump
                    message = f"{entry.member.name}{entry.year}年{name}{format_number(value)}，上年{format_number(old)}，{times}"
                    out.append(Anomaly.of(entry, key, kind, value, old, message))
            median = medians.get((entry.member.level_label, key))
            if value == 0 and median is not None and median >= thresholds.peer_large:
                message = (
                    f"{entry.member.name}{entry.year}年{name}为0，"
                    f"而同类单位（{entry.member.level_label}）中位数为{format_number(median)}"
                )
                out.append(Anomaly.of(entry, key, "zero_among_peers", value, median, message))
    return out


def _jump(value: Number, old: Number, thresholds: Thresholds) -> tuple[AnomalyKind, str] | None:
    """A jump against last year: (kind, how it is described), or None."""
    if max(value, old) < thresholds.jump_min:
        return None
    if old == 0:
        return "jump_up", "上年为0"
    ratio = value / old
    if ratio > thresholds.jump_up:
        return "jump_up", f"为上年的{ratio:.1f}倍"
    if ratio < thresholds.jump_down:
        return "jump_down", f"为上年的{ratio:.2f}倍"
    return None


_Rankable = tuple[Number, MemberReport, Number | None, Number | None]


def _competition(items: list[_Rankable]) -> list[Ranked]:
    items.sort(key=lambda item: (-item[0], item[1].member.region_code, item[1].member.name))
    out: list[Ranked] = []
    for position, (value, entry, num, den) in enumerate(items, start=1):
        rank = out[-1].rank if out and out[-1].value == value else position
        out.append(Ranked(rank, entry.member.name, entry.member.region_code, value, num, den))
    return out


def rankings(
    current: Sequence[MemberReport], values: _Values | None = None, thresholds: Thresholds = THRESHOLDS
) -> dict[str, list[Ranked]]:
    """Agencies from the highest value down, per ranked measure and rate (rates only over at least
    ``rank_min_denominator`` cases)."""
    values = values or _Values()
    out: dict[str, list[Ranked]] = {}
    for key in RANKED_MEASURES:
        items: list[_Rankable] = [
            (v, e, None, None) for e in current if isinstance(v := values.of(e)[key], (int, float))
        ]
        out[key] = _competition(items)
    for key in RANKED_RATES:
        rate = next(r for r in RATES if r.key == key)
        rated: list[_Rankable] = []
        for entry in current:
            num, den = values.of(entry)[rate.numerator], values.of(entry)[rate.denominator]
            if (
                isinstance(num, (int, float))
                and isinstance(den, (int, float))
                and den >= thresholds.rank_min_denominator
            ):
                rated.append((num / den, entry, num, den))
        out[key] = _competition(rated)
    return out


def _late(current: Sequence[MemberReport]) -> list[Late]:
    out = []
    for entry in current:
        due = deadline_of(entry)
        if entry.published is None or due is None:
            continue
        if entry.published > due:
            out.append(
                Late(
                    entry.member.name,
                    entry.member.region_code,
                    entry.year,
                    entry.published.isoformat(),
                    due.isoformat(),
                    (entry.published - due).days,
                )
            )
    return sorted(out, key=lambda item: (-item.days, item.region_code, item.agency))


def _missing(
    chosen: Sequence[MemberReport],
    current: Sequence[MemberReport],
    expected: Iterable[Member] | None,
    region: str | None,
    levels: tuple[str, ...] | None,
) -> list[Member]:
    reported = {entry.member.name for entry in current}
    if expected is None:
        pool: dict[str, Member] = {}
        for entry in chosen:
            pool.setdefault(entry.member.name, entry.member)
        listed: Iterable[Member] = pool.values()
    else:
        listed = [
            m
            for m in expected
            if within(m.region_code, region) and (levels is None or m.level in levels or m.level_label in levels)
        ]
    return sorted((m for m in listed if m.name not in reported), key=lambda m: (m.region_code, m.name))
