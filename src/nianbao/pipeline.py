"""The one call from a file's bytes to a checked report.

The CLI, the worker and the web app all call :func:`process`, so a report imported by a worker
on another machine gets exactly the findings ``nianbao check`` gives on this one.  The bytes may
be a published report (any kind the readers handle) or a ``nianbao.report/1`` JSON object (as
``nianbao parse --json`` writes it, or edited by hand): the JSON is loaded as data, and gives
the findings the file it came from gets.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import ReportDataError
from .extract import extract
from .extract.glued import resolve_by_previous
from .model import SCHEMA, ChecklistItem, CheckResult, Finding, Report
from .readers import read_bytes
from .settings import DEFAULT_SETTINGS, Settings

if TYPE_CHECKING:
    from .rules import AgencyInfo


@dataclass(frozen=True)
class Result:
    """A file read and checked: the report, its findings and the checklist of what was checked."""

    report: Report
    findings: list[Finding]
    checklist: list[ChecklistItem]  # what each rule checked (rules.evaluate)

    def checked(self, file: str, previous: str | None = None) -> CheckResult:
        """What ``nianbao check --json`` prints for the file (``previous``: the file of the
        previous year's report it was compared with), and ``POST /api/parse`` returns."""
        return CheckResult.of(file, self.report, self.findings, self.checklist, previous)


_CLAIMS_CONTRACT = re.compile(rb'"schema"\s*:\s*"' + re.escape(SCHEMA.encode()) + rb'"')


def is_contract(data: bytes) -> bool:
    """True when ``data`` is (or claims to be) a ``nianbao.report/1`` JSON object: an object,
    after an optional BOM and white space, with a ``"schema": "nianbao.report/1"`` key."""
    start = data[:4096].removeprefix(codecs.BOM_UTF8).lstrip()
    return start.startswith(b"{") and _CLAIMS_CONTRACT.search(data) is not None


def load_contract(data: bytes, name: str) -> Report:
    """A ``nianbao.report/1`` JSON object read back into the model; one clear error if it is not one."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReportDataError("报告数据不是 UTF-8 编码的 JSON", source=name) from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportDataError(
            f"报告数据不是有效的 JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）", source=name
        ) from None
    try:
        return Report.from_contract(obj)
    except ReportDataError as exc:
        raise ReportDataError(exc.message, source=name) from None


def load_report(data: bytes, name: str, settings: Settings = DEFAULT_SETTINGS) -> Report:
    """The report in ``data``: a contract JSON object as data, anything else through the readers."""
    if is_contract(data):
        return load_contract(data, name)
    return extract(read_bytes(data, name, settings), settings)


def process(
    data: bytes,
    name: str,
    settings: Settings = DEFAULT_SETTINGS,
    *,
    previous: Report | None = None,
    agency: AgencyInfo | None = None,
) -> Result:
    """Read and check one file; ``previous`` is the same agency's report of the year before (it
    also pins table-2 glued runs it leaves one reading for, :func:`recheck`), ``agency`` what the
    office's list says about the agency."""
    return recheck(load_report(data, name, settings), previous=previous, agency=agency)


def recheck(report: Report, *, previous: Report | None = None, agency: AgencyInfo | None = None) -> Result:
    """The findings of a report already read (a stored one when its neighbouring year arrives):
    table-2 glued runs the previous report leaves one reading for are read first (in place)."""
    from .rules import evaluate  # on first use: reading alone (``nianbao parse``) needs no rule

    if previous is not None:
        resolve_by_previous(report, previous)
    evaluation = evaluate(report, previous, agency=agency)
    return Result(report, evaluation.findings, evaluation.checklist)
