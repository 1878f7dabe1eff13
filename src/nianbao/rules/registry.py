"""The rule registry: every validation rule is a small function with a stable code.

A rule receives a :class:`Context` and yields findings.  Its code, default severity, Chinese
title, what it checks and its basis are declared with the function, and docs/rules.md is
generated from this registry, so the documentation cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal, get_args

from ..document import Location
from ..formats import FormatSpec, get_format
from ..model import Finding, Report, Severity


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity  # the default; a rule may raise or lower it for one finding
    family: str
    title: str  # Chinese, one line
    checks: str  # Chinese: what is checked
    basis: str  # the legal or format basis
    func: Callable[[Context], Iterable[Finding]]


RULES: dict[str, Rule] = {}
FAMILIES = {
    "arithmetic": "表格勾稽关系",
    "cells": "单元格读取",
    "structure": "结构与格式版本",
    "narrative": "正文与表格、年度、引用",
    "timeliness": "发布时限",
    "crossyear": "跨年度对照",
    "collection": "机关名录与报告集合",
}


def rule(
    code: str, severity: Severity, family: str, title: str, checks: str, basis: str
) -> Callable[[Callable[[Context], Iterable[Finding]]], Callable[[Context], Iterable[Finding]]]:
    def register(func: Callable[[Context], Iterable[Finding]]) -> Callable[[Context], Iterable[Finding]]:
        if code in RULES or code in COLLECTION_RULES:
            raise ValueError(f"rule code {code} registered twice")
        RULES[code] = Rule(code, severity, family, title, checks, basis, func)
        return func

    return register


AgencyTier = Literal["national", "province", "city", "county", "township"]
AgencyKind = Literal["government", "department", "other"]
_TIERS: tuple[AgencyTier, ...] = get_args(AgencyTier)
_KINDS: tuple[AgencyKind, ...] = get_args(AgencyKind)


@dataclass(frozen=True)
class AgencyInfo:
    """What the office's list of agencies says about the report's agency (None: not known).

    Rules that depend on it (DEADLINE) fall back to the agency's name when a field is None.
    """

    tier: AgencyTier | None = None
    kind: AgencyKind | None = None

    @classmethod
    def from_level(cls, level: str | None) -> AgencyInfo:
        """From a store level code such as ``county_department`` or ``township_government``, or
        a list's Chinese label such as 县级部门 or 乡级政府; an empty, ``other`` or unknown code
        gives what it can (``other`` → kind other)."""
        text = (level or "").strip()
        if text and not text.isascii():
            return cls(
                tier=next((tier for mark, tier in _CHINESE_TIERS if text.startswith(mark)), None),
                kind=next((kind for mark, kind in _CHINESE_KINDS if mark in text), None),
            )
        tier, _, kind = text.partition("_")
        return cls(
            tier=next((t for t in _TIERS if t == tier), None),
            kind=next((k for k in _KINDS if k == (kind or tier)), None),
        )


_CHINESE_TIERS: tuple[tuple[str, AgencyTier], ...] = (
    ("国家", "national"),
    ("中央", "national"),
    ("省", "province"),
    ("市", "city"),
    ("县", "county"),
    ("区", "county"),
    ("乡", "township"),
    ("镇", "township"),
    ("街道", "township"),
)
_CHINESE_KINDS: tuple[tuple[str, AgencyKind], ...] = (("政府", "government"), ("部门", "department"), ("其他", "other"))


@dataclass(frozen=True)
class CollectionRule:
    """A rule over a collection of reports rather than one report (MISSING): the store calls its
    function with what it holds; ``nianbao check`` of single files does not run it."""

    code: str
    severity: Severity
    family: str
    title: str
    checks: str
    basis: str


COLLECTION_RULES: dict[str, CollectionRule] = {}


def collection_rule(code: str, severity: Severity, family: str, title: str, checks: str, basis: str) -> CollectionRule:
    """Declare a collection rule (documented with the others; its function lives beside it)."""
    if code in RULES or code in COLLECTION_RULES:
        raise ValueError(f"rule code {code} registered twice")
    declared = CollectionRule(code, severity, family, title, checks, basis)
    COLLECTION_RULES[code] = declared
    return declared


class Context:
    """What a rule sees: the report, its format, optionally last year's report of the same
    agency and what the list of agencies says about that agency."""

    def __init__(self, report: Report, previous: Report | None = None, agency: AgencyInfo | None = None) -> None:
        self.report = report
        self.previous = previous
        self.agency = agency or AgencyInfo()
        self.spec: FormatSpec = get_format(report.format_version)
        self._code = ""

    def finding(
        self,
        message: str,
        cells: Iterable[str] = (),
        *,
        severity: Severity | None = None,
        locations: Iterable[Location | None] = (),
    ) -> Finding:
        """A finding of the running rule; cell locations are added from the report."""
        cell_ids = list(cells)
        where = [loc for loc in locations if loc is not None]
        for cell_id in cell_ids:
            cell = self.report.cell(cell_id)
            if cell is not None and cell.location is not None and cell.location not in where:
                where.append(cell.location)
        return Finding(
            code=self._code,
            severity=severity or RULES[self._code].severity,
            message=message,
            cells=cell_ids,
            locations=where,
        )

    def run(self, selected: Iterable[Rule]) -> Iterator[Finding]:
        for current in selected:
            self._code = current.code
            yield from current.func(self)


_ORDER = {"error": 0, "warning": 1, "info": 2}


def run_rules(
    report: Report,
    previous: Report | None = None,
    codes: Iterable[str] | None = None,
    *,
    agency: AgencyInfo | None = None,
) -> list[Finding]:
    """All findings for a report, errors first, in rule order within a severity.

    ``previous`` is the same agency's report of the year before (the cross-year rules need it);
    ``agency`` what the office's list says about the agency (the DEADLINE rule reads it).
    """
    wanted = set(codes) if codes is not None else None
    selected = [r for r in RULES.values() if wanted is None or r.code in wanted]
    findings = list(Context(report, previous, agency).run(selected))
    return sorted(findings, key=lambda f: _ORDER[f.severity])
