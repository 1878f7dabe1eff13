"""The one call from a file's bytes to a checked report.

The CLI, the worker and the web app all call :func:`process`, so a report imported by a worker
on another machine gets exactly the findings ``nianbao check`` gives on this one.
"""

from __future__ import annotations

from dataclasses import dataclass

from .extract import extract
from .model import Finding, Report
from .readers import read_bytes
from .rules import run_rules
from .settings import DEFAULT_SETTINGS, Settings


@dataclass(frozen=True)
class Result:
    report: Report
    findings: list[Finding]


def read_report(data: bytes, name: str, settings: Settings = DEFAULT_SETTINGS) -> Report:
    """A published report (any kind the readers handle) read into the model."""
    return extract(read_bytes(data, name, settings))


def process(
    data: bytes, name: str, settings: Settings = DEFAULT_SETTINGS, *, previous: Report | None = None
) -> Result:
    """Read, extract and check one file; ``previous`` is the same agency's report of the year before."""
    report = read_report(data, name, settings)
    return Result(report, run_rules(report, previous))
