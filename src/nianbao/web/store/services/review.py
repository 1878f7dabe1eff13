"""What a supervising office reviews: the stored findings, and the reports it has not received.

``nianbao findings`` prints these, and the review queue of the web application reads the same
list.  MISSING is the collection rule (:mod:`nianbao.rules.collection`): an agency on the
office's list with no report for a year the store holds reports of.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from ....model import SEVERITIES
from ....rules import missing_reports
from ....stats import region_prefix
from ..models import Agency, Finding, Report, SourceFile
from .scope import EVERYTHING, Scope

_SEVERITY_ORDER = {severity: index for index, severity in enumerate(SEVERITIES)}


def review_findings(
    *,
    year: int | None = None,
    region: str | None = None,
    codes: Iterable[str] = (),
    severities: Iterable[str] = (),
    scope: Scope = EVERYTHING,
) -> list[dict[str, Any]]:
    """Every stored finding and every missing report in ``scope``, most severe first."""
    wanted_codes, wanted_severities = set(codes), set(severities)
    stored = (
        Finding.objects.filter(scope.reports("report__"))
        .select_related("report__agency")
        .defer("report__contract")  # a report's contract is the largest value in the store
        .order_by("report__year", "report_id", "pk")
    )
    if year is not None:
        stored = stored.filter(report__year=year)
    if region is not None:
        stored = stored.filter(report__agency__region_code__startswith=region_prefix(region))
    if wanted_codes:
        stored = stored.filter(code__in=sorted(wanted_codes))
    if wanted_severities:
        stored = stored.filter(severity__in=sorted(wanted_severities))
    out = [_stored(finding) for finding in stored]
    if (not wanted_codes or "MISSING" in wanted_codes) and (not wanted_severities or "error" in wanted_severities):
        out += missing(year=year, region=region, scope=scope)
    out.sort(key=lambda entry: (_SEVERITY_ORDER.get(entry["severity"], 9), entry["year"] or 0))
    return out


def _stored(finding: Finding) -> dict[str, Any]:
    report = finding.report
    agency = report.agency
    return {
        "report": report.pk,
        "agency": agency.name if agency else report.agency_name or None,
        "region_code": agency.region_code or None if agency else None,
        "year": report.year,
        "code": finding.code,
        "severity": finding.severity,
        "message": finding.message,
        "cells": finding.cells or [],
    }


def missing(*, year: int | None = None, region: str | None = None, scope: Scope = EVERYTHING) -> list[dict[str, Any]]:
    """MISSING: the list's agencies without a report, for ``year`` or every year the store holds
    (in ``region`` and ``scope``); nothing when no list was loaded (without it, nobody is known
    to be missing)."""
    listed = Agency.objects.filter(scope.agencies(), from_list=True)
    held = Report.objects.filter(scope.reports(), agency__isnull=False, year__isnull=False)
    if region is not None:
        listed = listed.filter(Q(region_code__startswith=region_prefix(region)))
        held = held.filter(agency__region_code__startswith=region_prefix(region))
    agencies = {agency.pk: agency for agency in listed.order_by("region_code", "name")}
    if not agencies:
        return []
    present = {(agency_id, held_year) for agency_id, held_year in held.values_list("agency_id", "year") if held_year}
    years = [year] if year is not None else sorted({held_year for _agency_id, held_year in present})
    found = missing_reports({pk: agency.name for pk, agency in agencies.items()}, present, years)
    return [
        {
            "report": None,
            "agency": agencies[entry.agency].name,
            "region_code": agencies[entry.agency].region_code or None,
            "year": entry.year,
            "code": entry.finding.code,
            "severity": entry.finding.severity,
            "message": entry.finding.message,
            "cells": [],
        }
        for entry in found
    ]


def findings_by_source() -> dict[str, list[tuple[str, str, tuple[str, ...]]]]:
    """Source file SHA-256 → (rule, severity, cells) of every finding of its report: what
    :func:`nianbao.sample.scoring.score` reads to measure the checks on a stored sample."""
    by_report: dict[int, list[tuple[str, str, tuple[str, ...]]]] = {}
    for report_id, code, severity, cells in Finding.objects.values_list("report_id", "code", "severity", "cells"):
        by_report.setdefault(report_id, []).append((code, severity, tuple(cells or ())))
    return {
        sha256: by_report.get(report_id, [])
        for sha256, report_id in SourceFile.objects.values_list("sha256", "report_id")
    }
