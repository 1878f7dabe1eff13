"""What ``nianbao check --json`` prints for one file, and the severity counts it carries.

Kept apart so it can give way to the core's ``CheckResult`` and ``severity_counts`` (the API
prints the same shape) without touching the commands.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model import Finding, Report

SEVERITIES = ("error", "warning", "info")


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """How many findings of each severity, every severity present (0 when none)."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return counts


def check_result(file: str, report: Report, findings: Sequence[Finding]) -> dict[str, Any]:
    counts = severity_counts(findings)
    return {
        "file": file,
        "agency": report.agency,
        "year": report.year,
        "format_version": report.format_version,
        "errors": counts["error"],
        "warnings": counts["warning"],
        "infos": counts["info"],
        "findings": [finding.dump() for finding in findings],
    }
