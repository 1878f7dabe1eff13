"""What each page shows, as plain data: the HTML page renders it, the JSON API returns it.

Every function takes the person asking and filters by their scope (``accounts.access``), so a
page and its JSON twin cannot disagree about what someone may see.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.timezone import localtime

from ...model import CHECK_STATUS_NAMES, SEVERITIES, Report, status_counts
from ...places import Places
from ...render.view import GridRow, build_view
from ..accounts.access import User, check_agency, region_within, role_of, scope_of, who_of
from ..accounts.models import Role
from ..store.models import AuditEntry, ImportJob, ItemStatus, SourceFile, finding_digest
from ..store.models import Report as StoredReport
from ..store.services.decisions import decisions_of
from ..store.services.importer import summary
from ..store.services.queue import file_name
from ..store.services.reports import list_reports
from ..store.services.review import missing, review_findings
from ..store.services.statistics import store_stats, store_version

SEVERITY_ORDER: tuple[str, ...] = tuple(SEVERITIES)
ITEM_STATUS_NAMES = {status.value: status.label for status in ItemStatus}
STATUS_NAMES = {"value": "已读取", "blank": "空白", "unreadable": "无法识别", "missing": "缺失"}


def years_held(user: User) -> list[int]:
    reports = StoredReport.objects.filter(scope_of(user).reports(), year__isnull=False)
    return sorted({year for year in reports.values_list("year", flat=True) if year is not None}, reverse=True)


def reports_page(user: User, *, year: int | None = None, region: str | None = None) -> dict[str, Any]:
    return {"year": year, "region": region, "reports": list_reports(year=year, region=region, scope=scope_of(user))}


def stored_report(user: User, report_id: int) -> StoredReport:
    """The report, or 404 when it does not exist or lies outside the person's scope."""
    from django.shortcuts import get_object_or_404

    stored = get_object_or_404(StoredReport.objects.select_related("agency"), pk=report_id)
    check_agency(user, stored.agency)
    return stored


def report_page(user: User, report_id: int) -> dict[str, Any]:
    """One report: its head, every cell with how it was read, its findings and its files."""
    stored = stored_report(user, report_id)
    report = Report.from_contract(stored.contract)
    agency = stored.agency
    cells = cells_of(report)
    decided = decisions_of(stored.pk)
    findings = [
        {
            "id": f.pk,
            "code": f.code,
            "severity": f.severity,
            "message": f.message,
            "cells": f.cells or [],
            "decision": decided.get(finding_digest(f.code, f.message)),
        }
        for f in stored.findings.order_by("pk")
    ]
    findings.sort(key=lambda f: SEVERITIES.index(f["severity"]) if f["severity"] in SEVERITIES else 9)
    sources = [
        {"id": s.pk, "name": s.original_name, "kind": s.kind, "size": s.size, "sha256": s.sha256}
        for s in SourceFile.objects.filter(report=stored).order_by("pk")
    ]
    return {
        "id": stored.pk,
        "agency": agency.name if agency else None,
        "agency_id": agency.pk if agency else None,
        "printed_agency": stored.agency_name or None,
        "region": agency.region_name if agency else None,
        "region_code": agency.region_code if agency else None,
        "year": stored.year,
        "title": report.title,
        "format_version": stored.format_version or None,
        "published": stored.published.isoformat() if stored.published else None,
        "cells": cells,
        "findings": findings,
        "checklist": checklist_of(stored, report),
        "sources": sources,
        "contract": stored.contract,
    }


def checklist_of(stored: StoredReport, report: Report) -> dict[str, Any]:
    """What every rule checked on the report, as ``nianbao check --all`` lists it: the rules run
    now on the stored report, with the agency's report of the year before from the store and the
    agency's level in the list (as the worker checks it), grouped by family in rule order."""
    from ...rules import FAMILIES, RULES, evaluate
    from ...rules.registry import AgencyInfo

    previous = None
    if stored.agency_id is not None and stored.year is not None:
        contract = (
            StoredReport.objects.filter(agency_id=stored.agency_id, year=stored.year - 1)
            .order_by("-pk")
            .values_list("contract", flat=True)
            .first()
        )
        previous = Report.from_contract(contract) if contract else None
    level = stored.agency.level if stored.agency else ""
    evaluation = evaluate(report, previous, agency=AgencyInfo.from_level(level) if level else None)
    groups: list[dict[str, Any]] = []
    for item in evaluation.checklist:
        family = FAMILIES[RULES[item.code].family] if item.code in RULES else ""
        if not groups or groups[-1]["family"] != family:
            groups.append({"family": family, "items": []})
        groups[-1]["items"].append(
            {
                "code": item.code,
                "subject": item.subject,
                "status": item.status,
                "status_name": CHECK_STATUS_NAMES[item.status],
                "severity": item.severity,
                "reason": item.reason,
                "findings": [evaluation.findings[at].message for at in item.findings],
            }
        )
    counts = status_counts(evaluation.checklist)
    return {
        "total": len(evaluation.checklist),
        "counts": [{"status": status, "name": CHECK_STATUS_NAMES[status], "n": n} for status, n in counts.items()],
        "previous_year": previous is not None,
        "groups": groups,
    }


def cells_of(report: Report) -> dict[str, dict[str, Any]]:
    """Every cell of a report with how it was read: value, status, raw text, location (and
    where that is, as the command line says it: 表三“一、本年新收”行，第3页)."""
    places = Places(report)
    return {
        cell_id: {
            "value": cell.value,
            "status": cell.status,
            "raw": cell.raw,
            "location": cell.location.as_dict() if cell.location else None,
            "where": places.cell(cell_id) if cell.location else None,
        }
        for cell_id, cell in report.iter_cells()
    }


def report_tables(report_data: dict[str, Any]) -> list[dict[str, Any]]:
    """Tables 2–4 as the standard prints them, each value cell with how it was read and the
    most severe finding that names it (what the report page draws)."""
    view = build_view(Report.from_contract(report_data["contract"]))
    flagged: dict[str, str] = {}
    for finding in report_data["findings"]:  # most severe first
        for cell_id in finding["cells"]:
            flagged.setdefault(cell_id, finding["severity"])
    return [
        {"key": grid.key, "title": grid.title, "rows": [_row(row, report_data["cells"], flagged) for row in grid.rows]}
        for key in ("table2", "table3", "table4")
        if (grid := view.tables.get(key)) is not None
    ]


def _row(row: GridRow, cells: dict[str, dict[str, Any]], flagged: dict[str, str]) -> dict[str, Any]:
    shown = []
    for printed in row.cells:
        if printed.covered:
            continue
        entry: dict[str, Any] = {
            "text": printed.text,
            "kind": printed.kind,
            "colspan": printed.colspan,
            "rowspan": printed.rowspan,
        }
        if printed.kind == "value":
            cell = cells.get(printed.cell) or {"status": "missing", "raw": None, "where": None}
            status = cell["status"]
            title = STATUS_NAMES.get(status, status)
            if cell.get("raw"):
                title += f"：原文“{cell['raw']}”"
            if cell.get("where"):
                title += f"，{cell['where']}"
            entry |= {
                "cell": printed.cell,
                "status": status,
                "flag": flagged.get(printed.cell, ""),
                "title": title,
                "text": {"unreadable": "？", "missing": "—"}.get(status, printed.text),
            }
        shown.append(entry)
    return {"header": row.header, "cells": shown}


def agency_page(user: User, agency_id: int) -> dict[str, Any]:
    """One agency's reports across the years: key figures and findings, oldest first."""
    from django.shortcuts import get_object_or_404

    from ..store.models import Agency

    agency = get_object_or_404(Agency, pk=agency_id)
    check_agency(user, agency)
    years = [entry for entry in list_reports(scope=scope_of(user)) if entry["agency_id"] == agency.pk]
    figures = _key_figures([entry["id"] for entry in years])
    return {
        "id": agency.pk,
        "name": agency.name,
        "region": agency.region_name or None,
        "region_code": agency.region_code or None,
        "level": agency.get_level_display() if agency.level else None,
        "reports": [entry | {"figures": figures.get(entry["id"], {})} for entry in years],
        "figure_names": KEY_FIGURES,
    }


# the figures an agency's history shows per year (cell id → label)
KEY_FIGURES = {
    "table3.received_new.total": "本年新收申请",
    "table3.results_total.total": "办理结果总计",
    "table3.granted.total": "予以公开",
    "table4.review.total": "行政复议",
    "table4.litigation_direct.total": "行政诉讼（未经复议）",
}


def _key_figures(report_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The key figures of these reports, only those cells asked of the database."""
    from functools import reduce
    from operator import or_

    from django.db.models import Q

    from ..store.models import Cell

    wanted = reduce(
        or_, (Q(table=table, row=row, col=col) for table, row, col in (cell.split(".") for cell in KEY_FIGURES))
    )
    out: dict[int, dict[str, Any]] = {}
    rows = Cell.objects.filter(wanted, report_id__in=report_ids).values_list(
        "report_id", "table", "row", "col", "value", "status"
    )
    for report_id, table, row, col, value, status in rows:
        number = int(value) if value is not None and value == int(value) else value
        out.setdefault(report_id, {})[f"{table}.{row}.{col}"] = number if status == "value" else None
    return out


def review_page(
    user: User, *, year: int | None = None, severity: str | None = None, code: str | None = None
) -> dict[str, Any]:
    findings = review_findings(
        year=year,
        codes=[code] if code else (),
        severities=[severity] if severity else (),
        scope=scope_of(user),
    )
    counts: dict[str, int] = {severity: 0 for severity in SEVERITIES}
    for finding in findings:
        counts[finding["severity"]] = counts.get(finding["severity"], 0) + 1
    return {"year": year, "severity": severity, "code": code, "counts": counts, "findings": findings}


def missing_page(user: User, *, year: int | None = None) -> dict[str, Any]:
    return {"year": year, "missing": missing(year=year, scope=scope_of(user))}


def dashboard_page(user: User, *, year: int | None = None, region: str | None = None) -> dict[str, Any]:
    """The region's statistics for a year (the latest held when not given)."""
    held = years_held(user)
    if year is None and held:
        year = held[0]
    if year is None:
        return {"year": None, "years": held, "stats": None}
    return {"year": year, "years": held, "stats": cached_stats(year, region_within(user, region))}


@dataclass
class _Computed:
    version: tuple[Any, ...]
    at: dt.datetime
    stats: dict[str, Any]


_STATS: OrderedDict[tuple[int, str | None], _Computed] = OrderedDict()
_REFRESHING: set[tuple[int, str | None]] = set()
_STATS_LOCK = threading.Lock()
_STATS_KEPT = 32


def cached_stats(year: int, region: str | None) -> dict[str, Any]:
    """The region's statistics for the store as it is (:func:`store_version`), computed once per
    state.  While imports keep changing the store, the last computation (under a minute old) is
    shown, marked with its time, and a newer one is computed in the background: the dashboard
    answers at once and never pretends to be newer than it is."""
    from django.conf import settings

    key, version, now = (year, region), store_version(), timezone.now()
    stale_for = dt.timedelta(seconds=settings.STATS_STALE_SECONDS)
    with _STATS_LOCK:
        kept = _STATS.get(key)
        if kept is not None:
            _STATS.move_to_end(key)
        if kept is not None and kept.version == version:
            return kept.stats | {"as_of": localtime(kept.at).isoformat(), "updating": False}
        stale_ok = kept is not None and now - kept.at < stale_for
        if stale_ok and key not in _REFRESHING:
            _REFRESHING.add(key)
            threading.Thread(target=_refresh, args=(key, version), daemon=True).start()
    if stale_ok:
        assert kept is not None
        return kept.stats | {"as_of": localtime(kept.at).isoformat(), "updating": True}
    computed = _compute(key, version)
    return computed.stats | {"as_of": localtime(computed.at).isoformat(), "updating": False}


def _compute(key: tuple[int, str | None], version: tuple[Any, ...]) -> _Computed:
    computed = _Computed(version, timezone.now(), store_stats(year=key[0], region=key[1], by="region").as_dict())
    with _STATS_LOCK:
        _STATS[key] = computed
        while len(_STATS) > _STATS_KEPT:
            _STATS.popitem(last=False)
    return computed


def _refresh(key: tuple[int, str | None], version: tuple[Any, ...]) -> None:
    from django.db import connection

    try:
        _compute(key, version)
    finally:
        with _STATS_LOCK:
            _REFRESHING.discard(key)
        connection.close()  # this thread's own connection


def visible_jobs(user: User) -> QuerySet[ImportJob]:
    """Import jobs a person may follow: an administrator every one, others their own uploads."""
    jobs = ImportJob.objects.order_by("-pk")
    return jobs if role_of(user) == Role.ADMIN else jobs.filter(requested_by=who_of(user))


def imports_page(user: User) -> dict[str, Any]:
    jobs = visible_jobs(user)[:50]
    return {
        "jobs": [
            {
                "id": job.pk,
                "requested_by": job.requested_by,
                "created_at": localtime(job.created_at).isoformat(),
                "finished_at": localtime(job.finished_at).isoformat() if job.finished_at else None,
                "files": job.items.count(),
            }
            for job in jobs
        ]
    }


def import_page(user: User, job_id: int) -> dict[str, Any]:
    """One import job: its counts and every item's outcome (the names shown without the upload folder)."""
    from django.shortcuts import get_object_or_404

    job = get_object_or_404(visible_jobs(user), pk=job_id)
    result = summary(job)
    for item in result["items"]:
        item["file"] = file_name(item["name"])
    waiting = sum(1 for item in result["items"] if item["status"] in ("queued", "processing"))
    return result | {"finished": waiting == 0, "waiting": waiting, "created_at": localtime(job.created_at).isoformat()}


def audit_page(*, limit: int = 200) -> dict[str, Any]:
    entries = AuditEntry.objects.order_by("-at", "-pk")[:limit]
    return {
        "entries": [
            {
                "at": localtime(entry.at).isoformat(),
                "who": entry.who,
                "action": entry.action,
                "object_type": entry.object_type,
                "object_id": entry.object_id,
                "detail": entry.detail,
            }
            for entry in entries
        ]
    }
