"""The rule registry: every validation rule is a small function with a stable code.

A rule receives a :class:`Context` and yields what it checked: a finding for each failure
(:meth:`Context.finding`), and a :class:`Verdict` for each identity or check that passed, could
not be checked (an unreadable cell, no previous report …) or does not apply.  Together they are
the report's checklist (:func:`evaluate`): the rule says what it verified, nothing is inferred
from the absence of a finding.  Its code, default severity, Chinese title, what it checks and
its basis are declared with the function, and docs/rules.md is generated from this registry, so
the documentation cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal, get_args

from ..document import Location
from ..formats import TABLE_TITLES, FormatSpec, get_format
from ..model import ChecklistItem, CheckStatus, Finding, Report, Severity


@dataclass(frozen=True)
class Verdict:
    """What a rule checked that gave no finding: it passed, could not be checked, or does not
    apply; ``reason`` (Chinese) says why for the last two."""

    subject: str
    status: Literal["passed", "not_checkable", "not_applicable"]
    reason: str | None = None
    cells: tuple[str, ...] = ()


RuleOutput = Finding | Verdict
RuleFunc = Callable[["Context"], Iterable[RuleOutput]]


@dataclass(frozen=True)
class Rule:
    """A registered rule: its code, default severity, family, wording and function."""

    code: str
    severity: Severity  # the default; a rule may raise or lower it for one finding
    family: str
    title: str  # Chinese, one line
    checks: str  # Chinese: what is checked
    basis: str  # the legal or format basis
    func: RuleFunc


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
) -> Callable[[RuleFunc], RuleFunc]:
    def register(func: RuleFunc) -> RuleFunc:
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
        self._subjects: dict[int, str] = {}  # id(finding) → the checklist subject it fails
        self._circular: dict[str, str] | None = None

    # ------------------------------------------------------------ what a rule reports

    @property
    def title(self) -> str:
        """The running rule's title: the checklist subject of a rule checked as a whole."""
        return RULES[self._code].title

    def finding(
        self,
        message: str,
        cells: Iterable[str] = (),
        *,
        severity: Severity | None = None,
        locations: Iterable[Location | None] = (),
        subject: str | None = None,
    ) -> Finding:
        """A finding of the running rule; cell locations are added from the report.  ``subject``
        is the checklist item it fails (the rule's title when not given)."""
        cell_ids = list(cells)
        where = [loc for loc in locations if loc is not None]
        for cell_id in cell_ids:
            cell = self.report.cell(cell_id)
            if cell is not None and cell.location is not None and cell.location not in where:
                where.append(cell.location)
        found = Finding(
            code=self._code,
            severity=severity or RULES[self._code].severity,
            message=message,
            cells=cell_ids,
            locations=where,
        )
        if subject is not None:
            self._subjects[id(found)] = subject
        return found

    def passed(self, subject: str, cells: Iterable[str] = ()) -> Verdict:
        """``subject`` was checked and holds.  A check over cells whose glued digits were cut so
        that it holds (by the table's arithmetic, the narrative or last year's report) proves
        nothing: it is reported as not checkable."""
        ids = tuple(cells)
        circular = [self._circular_cells()[cell] for cell in ids if cell in self._circular_cells()]
        if circular:
            rows = "、".join(dict.fromkeys(circular))
            return self.not_checkable(
                subject,
                f"{rows}的连写数字是借助别处的数字（勾稽关系、正文或上年报告）拆分的，该项核查必然相符，需对照原件核对",
                ids,
            )
        return Verdict(subject, "passed", None, ids)

    def not_checkable(self, subject: str, reason: str, cells: Iterable[str] = ()) -> Verdict:
        return Verdict(subject, "not_checkable", reason, tuple(cells))

    def not_applicable(self, subject: str, reason: str) -> Verdict:
        return Verdict(subject, "not_applicable", reason)

    def unknown(self, cells: Iterable[str]) -> str | None:
        """Why a check over ``cells`` cannot be made (a cell unreadable, a row or a table not
        found), in Chinese; None when every cell has a number (a blank counts as 0)."""
        unreadable: list[str] = []
        missing: list[str] = []
        absent: list[str] = []
        for cell_id in cells:
            cell = self.report.cell(cell_id)
            if cell is not None and cell.number is not None:
                continue
            table, row, col = cell_id.split(".")
            if self.report.table(table) is None or self.table_absent(table):
                absent.append(TABLE_TITLES.get(table, table))
            elif cell is not None and cell.status == "unreadable":
                unreadable.append(self.spec.cell_name(table, row, col))
            else:
                missing.append(self.spec.cell_name(table, row, col))
        reasons = []
        if absent:
            reasons.append(f"未找到{'、'.join(dict.fromkeys(absent))}")
        for what, names in (("单元格无法读取", unreadable), ("未读取到单元格", missing)):
            if names:
                more = f"等{len(names)}个" if len(names) > _NAMED_CELLS else ""
                reasons.append(f"{what}：{'、'.join(names[:_NAMED_CELLS])}{more}")
        return "；".join(reasons) or None

    def without_table(self, table: str, subject: str) -> Verdict | None:
        """The verdict of a check on a table the report lacks: a report without the format's
        tables (before 2019) → does not apply; a table the document did not show → cannot be
        checked.  None when the table is there."""
        if self.report.table(table) is None:
            return self.not_applicable(subject, "报告未使用统一格式统计表")
        if self.table_absent(table):
            return self.not_checkable(subject, f"未找到{TABLE_TITLES.get(table, table)}")
        return None

    def table_absent(self, table: str) -> bool:
        """The format has the table but the document showed none of it (every cell missing)."""
        data = self.report.table(table)
        return data is not None and all(cell.status == "missing" for cols in data.values() for cell in cols.values())

    def _circular_cells(self) -> dict[str, str]:
        """Cells of rows whose glued digits were cut by the arithmetic (a ``glued_split`` note),
        each with the row's place."""
        if self._circular is None:
            self._circular = {}
            for note in self.report.notes:
                if note.kind == "glued_split":
                    for cell_id in note.cells:
                        table, row, _col = cell_id.split(".")
                        self._circular[cell_id] = self.spec.row_place(table, row)
        return self._circular

    # ------------------------------------------------------------ running the rules

    def evaluate(self, selected: Iterable[Rule]) -> Evaluation:
        """Every finding (errors first, in rule order within a severity) and the checklist (rule
        order, each rule's items in the order it reported them)."""
        findings: list[Finding] = []
        entries: list[_Entry] = []
        for current in selected:
            self._code = current.code
            items: dict[str, _Entry] = {}
            for output in current.func(self):
                if isinstance(output, Finding):
                    subject = self._subjects.pop(id(output), current.title)
                    items.setdefault(subject, _Entry(current.code, subject)).fail(output)
                    findings.append(output)
                else:
                    items.setdefault(output.subject, _Entry(current.code, output.subject)).hold(output)
            if not items:  # a rule that said nothing is not a rule that passed
                items[current.title] = _Entry(current.code, current.title, "not_checkable", "规则未报告核查结果")
            entries.extend(items.values())
        ordered = sorted(findings, key=lambda f: _ORDER[f.severity])
        index = {id(finding): at for at, finding in enumerate(ordered)}
        return Evaluation(ordered, [entry.item(index) for entry in entries])


_NAMED_CELLS = 3  # cells named in a reason; the rest are counted


@dataclass
class _Entry:
    """A checklist item while its rule runs: a finding makes it failed, whatever else was said."""

    code: str
    subject: str
    status: CheckStatus | None = None
    reason: str | None = None
    cells: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def fail(self, finding: Finding) -> None:
        self.status, self.reason = "failed", None
        self.findings.append(finding)
        self._add_cells(finding.cells)

    def hold(self, verdict: Verdict) -> None:
        # failed beats not checkable beats not applicable beats passed
        if self.status != "failed" and _RANK[verdict.status] > _RANK.get(self.status or "", -1):
            self.status, self.reason = verdict.status, verdict.reason
        self._add_cells(verdict.cells)

    def _add_cells(self, cells: Iterable[str]) -> None:
        self.cells.extend(cell for cell in cells if cell not in self.cells)

    def item(self, index: dict[int, int]) -> ChecklistItem:
        assert self.status is not None
        severity = min((f.severity for f in self.findings), key=_ORDER.__getitem__, default=None)
        return ChecklistItem(
            code=self.code,
            subject=self.subject,
            status=self.status,
            severity=severity,
            reason=self.reason,
            cells=self.cells,
            findings=sorted(index[id(f)] for f in self.findings),
        )


_RANK: dict[str, int] = {"passed": 0, "not_applicable": 1, "not_checkable": 2}


@dataclass(frozen=True)
class Evaluation:
    """What the rules found in a report, and what each of them checked."""

    findings: list[Finding]
    checklist: list[ChecklistItem]


_ORDER = {"error": 0, "warning": 1, "info": 2}


def evaluate(
    report: Report,
    previous: Report | None = None,
    codes: Iterable[str] | None = None,
    *,
    agency: AgencyInfo | None = None,
) -> Evaluation:
    """The findings and the checklist of a report.

    ``previous`` is the same agency's report of the year before (the cross-year rules need it);
    ``agency`` what the office's list says about the agency (the DEADLINE rule reads it).
    """
    wanted = set(codes) if codes is not None else None
    selected = [r for r in RULES.values() if wanted is None or r.code in wanted]
    return Context(report, previous, agency).evaluate(selected)


def run_rules(
    report: Report,
    previous: Report | None = None,
    codes: Iterable[str] | None = None,
    *,
    agency: AgencyInfo | None = None,
) -> list[Finding]:
    """All findings for a report, errors first, in rule order within a severity (see :func:`evaluate`)."""
    return evaluate(report, previous, codes, agency=agency).findings
