"""先审查、后公开: a year's report drafted from the ledger, edited, submitted, passed through
初审, 复审 and 终审 by the people the agency names, and published as a frozen version.

Every step is signed (user and time) in the draft's kept log and in the audit log; a rejection
goes back to the clerk with its reason.  A published version is never changed: publishing again
(a correction) makes the next version beside it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.timezone import localtime

from ...ledger import build_report
from ...model import Report
from ...rules import run_rules
from .. import StoreError
from ..accounts.access import User, profile_of, who_of
from ..accounts.models import Role
from ..store.models import Agency, AuditEntry
from . import services
from .models import STAGES, ApprovalStep, DraftStatus, PublishedReport, ReportDraft, Stage

SECTION_NUMBERS = ("1", "2", "3", "4", "5", "6")
MAX_SECTION_CHARS = 20_000


def open_draft(agency: Agency, year: int) -> ReportDraft | None:
    """The year's draft being edited or reviewed, if any."""
    return (
        ReportDraft.objects.filter(agency=agency, year=year, status__in=[DraftStatus.EDITING, DraftStatus.IN_REVIEW])
        .order_by("-pk")
        .first()
    )


def report_of(agency: Agency, year: int, sections: dict[str, str]) -> Report:
    """The report the ledger makes for ``year``, with the clerk's section texts in place of the
    generated ones (and of those the imported workbook's 报告正文 gave)."""
    known = {number: text for number, text in sections.items() if number in SECTION_NUMBERS}
    return build_report(services.read(agency).ledger, year, agency=agency.name, sections=known)


def save_sections(agency: Agency, year: int, sections: dict[str, str], *, who: str) -> ReportDraft:
    """Keep the clerk's edits of the six sections (only while the draft is not under review)."""
    cleaned = {number: text.strip() for number, text in sections.items() if number in SECTION_NUMBERS}
    if any(len(text) > MAX_SECTION_CHARS for text in cleaned.values()):
        raise StoreError(f"每部分正文不能超过{MAX_SECTION_CHARS}字")
    with transaction.atomic():
        draft = _editable_draft(agency, year, who, "草稿正在审核中，不能修改；如需修改，请审核人员退回")
        draft.sections = cleaned
        draft.save()
        _audit(who, "draft_edit", draft, {"sections": sorted(cleaned)})
    return draft


def submit(agency: Agency, year: int, *, who: str) -> ReportDraft:
    """Freeze the draft as it stands and send it to 初审; refused while it has errors."""
    with transaction.atomic():
        draft = _editable_draft(agency, year, who, "草稿已提交审核")
        report = report_of(agency, year, draft.sections)
        errors = [finding for finding in run_rules(report) if finding.severity == "error"]
        if errors:
            raise StoreError("草稿有错误，改正后再提交：" + "；".join(f.message for f in errors[:3]))
        draft.contract = report.to_contract()
        draft.status, draft.stage = DraftStatus.IN_REVIEW, Stage.FIRST
        draft.save()
        ApprovalStep.objects.create(draft=draft, decision="submitted", who=who)
        _audit(who, "draft_submit", draft, {})
    return draft


def _editable_draft(agency: Agency, year: int, who: str, in_review: str) -> ReportDraft:
    """The year's draft being edited, or a new one; refused with ``in_review`` while it is reviewed."""
    draft = open_draft(agency, year)
    if draft is not None and draft.status == DraftStatus.IN_REVIEW:
        raise StoreError(in_review)
    return draft if draft is not None else _new_draft(agency, year, who)


def _new_draft(agency: Agency, year: int, who: str) -> ReportDraft:
    """A new draft of the year, starting from the texts of the last one (a rejected draft's edits,
    or the published version's, for a correction)."""
    last = ReportDraft.objects.filter(agency=agency, year=year).order_by("-pk").first()
    return ReportDraft.objects.create(agency=agency, year=year, created_by=who, sections=last.sections if last else {})


def current_sections(agency: Agency, year: int) -> dict[str, str]:
    last = ReportDraft.objects.filter(agency=agency, year=year).order_by("-pk").first()
    return dict(last.sections) if last else {}


def may_sign(user: User, draft: ReportDraft) -> bool:
    """Whether this person signs the draft's current stage: an approver of its agency named for it."""
    profile = profile_of(user)
    return (
        draft.status == DraftStatus.IN_REVIEW
        and profile is not None
        and profile.role == Role.APPROVER
        and profile.agency_id == draft.agency_id
        and draft.stage in (profile.stages or [])
    )


def sign(draft_id: int, user: User, decision: str, reason: str = "") -> ReportDraft:
    """Approve the current stage (the last one publishes) or reject it with a reason."""
    who = who_of(user)
    with transaction.atomic():
        draft = ReportDraft.objects.select_for_update().filter(pk=draft_id).first()
        if draft is None or not may_sign(user, draft):
            raise StoreError("您不是该环节的审核人，或草稿不在审核中")
        stage = Stage(draft.stage)
        if decision == "rejected":
            if not reason.strip():
                raise StoreError("退回须说明理由")
            draft.status, draft.stage = DraftStatus.REJECTED, ""
        elif decision == "approved":
            following = STAGES.index(stage) + 1
            if following < len(STAGES):
                draft.stage = STAGES[following]
            else:
                draft.status, draft.stage = DraftStatus.PUBLISHED, ""
        else:
            raise StoreError("审核结论应为“通过”或“退回”")
        draft.save()
        ApprovalStep.objects.create(draft=draft, stage=stage, decision=decision, reason=reason.strip(), who=who)
        _audit(who, f"draft_{decision}", draft, {"stage": stage.value, "reason": reason.strip()})
        if draft.status == DraftStatus.PUBLISHED:
            _publish(draft, who)
    return draft


def _publish(draft: ReportDraft, who: str) -> PublishedReport:
    assert draft.contract is not None
    latest = PublishedReport.objects.filter(agency=draft.agency, year=draft.year).aggregate(n=Max("version"))["n"]
    published = PublishedReport.objects.create(
        agency=draft.agency,
        year=draft.year,
        version=(latest or 0) + 1,
        contract=draft.contract,
        draft=draft,
        published_by=who,
    )
    _audit(who, "report_publish", draft, {"version": published.version})
    return published


def history(agency: Agency, year: int) -> dict[str, Any]:
    """The year's drafts with their signed steps, and the published versions."""
    drafts = ReportDraft.objects.filter(agency=agency, year=year).order_by("-pk").prefetch_related("steps")
    return {
        "drafts": [
            {
                "id": draft.pk,
                "status": draft.status,
                "status_label": draft.get_status_display(),
                "stage": draft.stage or None,
                "stage_label": draft.get_stage_display() if draft.stage else None,
                "steps": [
                    {
                        "stage": step.get_stage_display() if step.stage else "提交",
                        "decision": step.decision,
                        "reason": step.reason,
                        "who": step.who,
                        "at": localtime(step.at).isoformat(),
                    }
                    for step in draft.steps.all()
                ],
            }
            for draft in drafts
        ],
        "published": [
            {
                "id": p.pk,
                "version": p.version,
                "published_at": localtime(p.published_at).isoformat(),
                "published_by": p.published_by,
            }
            for p in PublishedReport.objects.filter(agency=agency, year=year).order_by("-version")
        ],
    }


def _audit(who: str, action: str, draft: ReportDraft, detail: dict[str, Any]) -> None:
    AuditEntry.objects.create(
        who=who,
        action=action,
        object_type="report_draft",
        object_id=str(draft.pk),
        detail={"agency": draft.agency_id, "year": draft.year} | detail,
    )
