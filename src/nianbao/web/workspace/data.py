"""What the agency workspace's pages show (their JSON twins in ``web/api.py`` return the same)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404

from ...ledger import build_report, ledger_warnings, load_calendar
from ...ledger.cases import APPLICANT_TYPES, RESULT_ROWS
from ...ledger.deadlines import CHANNEL_LABELS
from ...ledger.status import ATTENTION, State, ledger_status, state_counts
from ...rules import run_rules
from ...settings import Settings
from ..accounts.access import User, profile_of, role_of
from ..accounts.models import AGENCY_ROLES, Role
from ..store.models import Agency
from . import services

CHOICES = {
    "channels": {channel.value: label for channel, label in CHANNEL_LABELS.items()},
    "applicant_types": {label.key: label.name for label in APPLICANT_TYPES},
    "results": {label.key: label.name for label in RESULT_ROWS},
}
URGENT = {state.value for state in ATTENTION}


def agency_of(user: User, wanted: str | None = None) -> Agency:
    """The agency whose workspace this is: the clerk's or approver's own; an administrator names one."""
    role = role_of(user)
    profile = profile_of(user)
    if role in AGENCY_ROLES and profile is not None and profile.agency is not None:
        return profile.agency
    if role == Role.ADMIN and wanted and wanted.isdigit():
        found = Agency.objects.filter(pk=int(wanted)).first()
        if found is not None:
            return found
    raise Http404("没有找到您所属的机关")


def workspace_page(agency: Agency, settings: Settings, today: dt.date, *, include_closed: bool) -> dict[str, Any]:
    stored = services.read(agency)
    statuses = ledger_status(stored.ledger, load_calendar(settings.home), today, include_closed=include_closed)
    counts = state_counts(statuses)
    return {
        "agency": {"id": agency.pk, "name": agency.name},
        "today": today.isoformat(),
        "revision": stored.revision,
        "counts": {state.value: counts[state] for state in State},
        "labels": {state.value: state.label for state in State},
        "applications": [
            status.dump()
            | {
                "request": status.application.request,
                "channel": CHOICES["channels"].get(status.application.channel.value, ""),
                "applicant_type": CHOICES["applicant_types"].get(status.application.applicant_type, ""),
                "result": CHOICES["results"].get(status.application.result or "", ""),
                "closed": status.application.closed.isoformat() if status.application.closed else None,
                "urgent": status.state.value in URGENT,
                "steps": status.deadline.explain() if status.deadline else [],
            }
            for status in statuses
        ],
        "totals": {
            "applications": len(stored.ledger.applications),
            "cases": len(stored.ledger.cases),
            "documents": len(stored.ledger.documents),
            "proactive": len(stored.ledger.proactive),
        },
    }


def draft_page(agency: Agency, year: int) -> dict[str, Any]:
    """The year's report as the ledger makes it, with the checks run on it."""
    stored = services.read(agency)
    report = build_report(stored.ledger, year, agency=agency.name)
    findings = run_rules(report)
    return {
        "agency": {"id": agency.pk, "name": agency.name},
        "year": year,
        "contract": report.to_contract(),
        "warnings": [str(problem) for problem in ledger_warnings(stored.ledger, year)],
        "findings": [finding.dump() for finding in findings],
    }
