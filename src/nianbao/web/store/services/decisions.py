"""A reviewer's decision on a finding: confirmed, or dismissed with a reason; every decision is
also an audit entry (who, what, when)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ... import StoreError
from ..models import AuditEntry, Decision, Finding, FindingDecision, finding_digest
from .scope import EVERYTHING, Scope


def decide(finding_id: int, decision: str, reason: str, *, who: str, scope: Scope = EVERYTHING) -> FindingDecision:
    """Record (or change) the decision on one finding in ``scope``."""
    finding = Finding.objects.select_related("report__agency").filter(pk=finding_id).first()
    if finding is None or not scope.holds(finding.report.agency):
        raise StoreError("没有找到该问题")
    if decision not in Decision.values:
        raise StoreError("审核结论应为“确认”或“驳回”")
    reason = reason.strip()
    if decision == Decision.DISMISSED and not reason:
        raise StoreError("驳回须说明理由")
    with transaction.atomic():
        made, _created = FindingDecision.objects.update_or_create(
            report=finding.report,
            digest=finding_digest(finding.code, finding.message),
            defaults={
                "code": finding.code,
                "message": finding.message,
                "decision": decision,
                "reason": reason,
                "who": who,
            },
        )
        AuditEntry.objects.create(
            who=who,
            action=f"finding_{decision}",
            object_type="finding",
            object_id=str(finding.pk),
            detail={"report": finding.report_id, "code": finding.code, "reason": reason},
        )
    return made


def decisions_of(report_id: int) -> dict[str, dict[str, Any]]:
    """The decisions on one report's findings, by finding digest."""
    return {
        d.digest: {"decision": d.decision, "reason": d.reason, "who": d.who, "at": d.at.isoformat()}
        for d in FindingDecision.objects.filter(report_id=report_id)
    }
