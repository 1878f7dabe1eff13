"""Reports as stored: the listing ``nianbao reports`` prints, and a person's decision on the
agency of a report that waits for one."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from ....model import SEVERITIES
from ... import StoreError
from ..models import Agency, AuditEntry, ImportItem, ItemStatus, Report
from . import crosscheck
from .cells import compare_sources
from .parsing import reading
from .scope import EVERYTHING, Scope, region_condition


def list_reports(
    *, year: int | None = None, region: str | None = None, scope: Scope = EVERYTHING
) -> list[dict[str, Any]]:
    """One object per stored report in ``scope``; ``region`` is a division code (with everything
    below it) or part of its name."""
    reports = (
        Report.objects.filter(scope.reports())
        .select_related("agency")
        .defer("contract")
        .annotate(
            source_count=Count("sources", distinct=True),
            **{
                f"{severity}_count": Count("findings", filter=Q(findings__severity=severity), distinct=True)
                for severity in SEVERITIES
            },
        )
    )
    if year is not None:
        reports = reports.filter(year=year)
    if region:
        reports = reports.filter(region_condition(region, "agency__"))
    out = []
    for report in reports.order_by("agency__region_code", "agency_name", "year", "pk"):
        agency = report.agency
        out.append(
            {
                "id": report.pk,
                "agency": agency.name if agency else None,
                "agency_id": agency.pk if agency else None,
                "printed_agency": report.agency_name or None,
                "region": agency.region_name if agency and agency.region_name else None,
                "region_code": agency.region_code if agency and agency.region_code else None,
                "year": report.year,
                "format_version": report.format_version or None,
                "published": report.published.isoformat() if report.published else None,
                "sources": getattr(report, "source_count", 0),
                "findings": {severity: getattr(report, f"{severity}_count", 0) for severity in SEVERITIES},
            }
        )
    return out


def find_agency(reference: str) -> Agency:
    """An agency by its number or its exact (normalised) name; never a guess."""
    from .agencies import normalize_name

    if reference.isdigit():
        agency = Agency.objects.filter(pk=int(reference)).first()
        if agency is None:
            raise StoreError(f"没有编号为 {reference} 的机关")
        return agency
    found = list(Agency.objects.filter(normalized_name=normalize_name(reference)))
    if not found:
        raise StoreError(f"没有名为「{reference}」的机关（可用名录中的编号）")
    if len(found) > 1:
        shown = "、".join(f"{a.pk}（{a.region_name or '未填区划'}）" for a in found)
        raise StoreError(f"名为「{reference}」的机关有多个：编号 {shown}，请用编号指定")
    return found[0]


def assign_agency(report_id: int, reference: str, *, who: str) -> Report:
    """Attach a report to an agency (``nianbao agencies match``).

    When that agency already has a report of the same year, this one's files become its other
    sources (compared cell by cell) and this report is removed.
    """
    agency = find_agency(reference)
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            raise StoreError(f"没有编号为 {report_id} 的报告（nianbao reports 列出编号）")
        previous = report.agency_id
        target = report
        existing = Report.objects.filter(agency=agency, year=report.year).exclude(pk=report.pk).first()
        if existing is not None and report.year is not None:
            numbers = [reading(*cell) for cell in report.cells.values_list("table", "row", "col", "status", "value")]
            for source in report.sources.all():
                source.report = existing
                source.save(update_fields=["report"])
                compare_sources(existing, numbers, source)
            ImportItem.objects.filter(report=report).update(report=existing)
            report.delete()
            target = existing
        else:
            report.agency = agency
            report.save(update_fields=["agency", "updated_at"])
            crosscheck.mark(report, agency.level)
        errors = target.findings.filter(severity="error").exists()
        ImportItem.objects.filter(report=target, status=ItemStatus.WAITING_FOR_AGENCY).update(
            status=ItemStatus.IMPORTED_WITH_FINDINGS if errors else ItemStatus.IMPORTED, reason=""
        )
        AuditEntry.objects.create(
            who=who,
            action="agency_match",
            object_type="report",
            object_id=str(target.pk),
            detail={"report": report_id, "agency": agency.pk, "previous_agency": previous, "merged_into": target.pk},
        )
    crosscheck.check_due(who=who, report_ids=crosscheck.marked_by(target.pk))
    return target
