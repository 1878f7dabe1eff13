"""The rule registry: every validation rule is a small function with a stable code.

A rule receives a :class:`Context` and yields findings.  Its code, default severity, Chinese
title, what it checks and its basis are declared with the function, and docs/rules.md is
generated from this registry, so the documentation cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

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
}


def rule(
    code: str, severity: Severity, family: str, title: str, checks: str, basis: str
) -> Callable[[Callable[[Context], Iterable[Finding]]], Callable[[Context], Iterable[Finding]]]:
    def register(func: Callable[[Context], Iterable[Finding]]) -> Callable[[Context], Iterable[Finding]]:
        if code in RULES:
            raise ValueError(f"rule code {code} registered twice")
        RULES[code] = Rule(code, severity, family, title, checks, basis, func)
        return func

    return register


class Context:
    """What a rule sees: the report, its format, optionally last year's report."""

    def __init__(self, report: Report, previous: Report | None = None) -> None:
        self.report = report
        self.previous = previous
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


def run_rules(report: Report, previous: Report | None = None, codes: Iterable[str] | None = None) -> list[Finding]:
    """All findings for a report, errors first, in rule order within a severity."""
    wanted = set(codes) if codes is not None else None
    selected = [r for r in RULES.values() if wanted is None or r.code in wanted]
    findings = list(Context(report, previous).run(selected))
    return sorted(findings, key=lambda f: _ORDER[f.severity])
