"""What the agency workspace's pages show (their JSON twins in ``web/api.py`` return the same)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404

from ...ledger import ledger_warnings, load_calendar
from ...ledger.cases import APPLICANT_TYPES, RESULT_ROWS
from ...ledger.deadlines import CHANNEL_LABELS
from ...ledger.status import ATTENTION, State, ledger_status, state_counts
from ...model import Report
from ...rules import run_rules
from ...settings import Settings
from ..accounts.access import User, profile_of, role_of
from ..accounts.models import AGENCY_ROLES, Role
from ..pages.data import cells_of
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


def draft_page(user: User, agency: Agency, year: int) -> dict[str, Any]:
    """The year's report: while it is edited, as the ledger and the clerk's texts make it now;
    under review, as it was submitted; with its checks, its signed steps and its published versions."""
    from . import approval

    draft = approval.open_draft(agency, year)
    if draft is not None and draft.status == "in_review" and draft.contract is not None:
        report = Report.from_contract(draft.contract)
    else:
        report = approval.report_of(agency, year, approval.current_sections(agency, year))
    findings = run_rules(report)
    stored = services.read(agency)
    return {
        "agency": {"id": agency.pk, "name": agency.name},
        "year": year,
        "draft": None
        if draft is None
        else {
            "id": draft.pk,
            "status": draft.status,
            "stage": draft.stage or None,
            "may_sign": approval.may_sign(user, draft),
        },
        "editable": draft is None or draft.status == "editing",
        "contract": report.to_contract(),
        "cells": cells_of(report),
        "sections": {number: section.text for number, section in sorted(report.sections.items())},
        "headings": {number: section.heading for number, section in sorted(report.sections.items())},
        "warnings": [str(problem) for problem in ledger_warnings(stored.ledger, year)],
        "findings": [finding.dump() for finding in findings],
    } | approval.history(agency, year)


def registers_page(agency: Agency) -> dict[str, Any]:
    """The ledger's other registers: cases, documents, proactive items, the year's figures."""
    from ...ledger.cases import CaseKind, CaseOutcome, DocumentKind

    stored = services.read(agency)
    ledger = stored.ledger
    return {
        "agency": {"id": agency.pk, "name": agency.name},
        "revision": stored.revision,
        "cases": [
            {
                "number": case.number,
                "kind": case.kind.label,
                "filed": case.filed.isoformat(),
                "outcome": case.outcome.label,
                "concluded": case.concluded.isoformat() if case.concluded else None,
                "application": case.application,
            }
            for case in ledger.cases
        ],
        "documents": [
            {
                "kind": document.kind.label,
                "doc_number": document.doc_number,
                "title": document.title,
                "issued": document.issued.isoformat(),
                "repealed": document.repealed.isoformat() if document.repealed else None,
            }
            for document in ledger.documents
        ],
        "proactive": [
            {
                "title": item.title,
                "published": item.published.isoformat(),
                "category": item.category,
                "reviews": list(item.reviews),
            }
            for item in ledger.proactive
        ],
        "figures": [
            {
                "year": figures.year,
                "licensing": figures.licensing,
                "punishment": figures.punishment,
                "coercion": figures.coercion,
                "fees_wan_yuan": float(figures.fees_wan_yuan) if figures.fees_wan_yuan is not None else None,
            }
            for figures in sorted(ledger.figures, key=lambda f: f.year)
        ],
        "choices": {
            "case_kinds": {kind.value: kind.label for kind in CaseKind},
            "outcomes": {outcome.value: outcome.label for outcome in CaseOutcome},
            "document_kinds": {kind.value: kind.label for kind in DocumentKind},
        },
    }
