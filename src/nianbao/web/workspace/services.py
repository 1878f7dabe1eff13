"""Reading and changing an agency's ledger; every change is one transaction and one audit entry."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from ...errors import NianbaoError
from ...ledger import Ledger
from ...ledger.cases import Applicant, Application, Problem, check_application, check_ledger
from ...settings import Settings
from .. import StoreError
from ..store.models import Agency, AuditEntry
from .models import AgencyLedger


class LedgerConflict(StoreError):
    """The ledger changed since it was read."""


@dataclass(frozen=True)
class Stored:
    ledger: Ledger
    revision: int


def read(agency: Agency) -> Stored:
    row = AgencyLedger.objects.filter(agency=agency).first()
    if row is None or not row.data:
        return Stored(Ledger(agency=agency.name), 0)
    return Stored(Ledger.model_validate(row.data), row.revision)


def change(
    agency: Agency,
    edit: Callable[[Ledger], Ledger],
    *,
    who: str,
    action: str,
    detail: dict[str, Any],
    revision: int | None = None,
) -> Stored:
    """Apply ``edit`` to the ledger as stored now (or refuse when ``revision`` is given and is no
    longer current) and keep the result, with an audit entry."""
    with transaction.atomic():
        row, _created = AgencyLedger.objects.select_for_update().get_or_create(agency=agency)
        if revision is not None and revision != row.revision:
            raise LedgerConflict("台账已被他人修改，请刷新页面后重试")
        current = Ledger.model_validate(row.data) if row.data else Ledger(agency=agency.name)
        changed = edit(current)
        row.data = changed.model_dump(mode="json")
        row.revision += 1
        row.save()
        AuditEntry.objects.create(who=who, action=action, object_type="ledger", object_id=str(agency.pk), detail=detail)
    return Stored(changed, row.revision)


def add_application(
    agency: Agency, application: Application, applicant: Applicant | None, *, who: str, channel_note: str = ""
) -> Stored:
    """Record an application (and its applicant); its number must be new in the ledger."""

    def edit(ledger: Ledger) -> Ledger:
        if any(app.number == application.number for app in ledger.applications):
            raise StoreError(f"申请编号 {application.number} 已存在")
        applicants = ledger.applicants + ((applicant,) if applicant is not None else ())
        return ledger.model_copy(update={"applications": (*ledger.applications, application), "applicants": applicants})

    return change(
        agency,
        edit,
        who=who,
        action="application_add",
        detail={"number": application.number, "received": application.received.isoformat(), "via": channel_note},
    )


def close_application(agency: Agency, number: str, result: str, closed: dt.date, *, who: str, revision: int) -> Stored:
    """Record the reply (办理结果 and 答复日期) of one application."""

    def edit(ledger: Ledger) -> Ledger:
        found = [app for app in ledger.applications if app.number == number]
        if not found:
            raise StoreError(f"没有申请编号 {number}")
        if closed < found[0].received:
            raise StoreError("答复日期不能早于收到申请的日期")
        replaced = found[0].model_copy(update={"result": result, "closed": closed})
        problems = [problem for problem in check_application(replaced) if problem.severity == "error"]
        if problems:
            raise StoreError("；".join(problem.message for problem in problems))
        return ledger.model_copy(
            update={"applications": tuple(replaced if app.number == number else app for app in ledger.applications)}
        )

    return change(
        agency,
        edit,
        who=who,
        action="application_close",
        detail={"number": number, "result": result, "closed": closed.isoformat()},
        revision=revision,
    )


def import_workbook(agency: Agency, data: bytes, settings: Settings, *, who: str) -> tuple[Stored, list[Problem]]:
    """Replace the ledger by a workbook of the CLI's template; refused when it has errors."""
    from ...ledger.spreadsheet import read_ledger

    (settings.home / "tmp").mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(suffix=".xlsx", dir=settings.home / "tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        result = read_ledger(Path(name))
    finally:
        Path(name).unlink(missing_ok=True)
    if result.errors:
        raise NianbaoError("台账有错误，未导入：" + "；".join(f"{p.where}：{p.message}" for p in result.errors[:5]))
    ledger = result.ledger.model_copy(update={"agency": result.ledger.agency or agency.name})
    stored = change(
        agency,
        lambda _current: ledger,
        who=who,
        action="ledger_import",
        detail={"applications": len(ledger.applications), "cases": len(ledger.cases)},
    )
    return stored, result.warnings


RECORD_KINDS = {
    "cases": "复议诉讼案件",
    "documents": "规章和规范性文件",
    "proactive": "主动公开信息",
    "figures": "年度数字",
}


def add_record(agency: Agency, kind: str, record: Any, *, who: str) -> Stored:
    """Add a case, a document of the register, a proactively disclosed item, or a year's figures
    (a year's figures replace that year's); the ledger's own checks decide whether it stands."""
    from ...ledger.cases import errors_of

    def edit(ledger: Ledger) -> Ledger:
        if kind == "figures":
            kept = tuple(figures for figures in ledger.figures if figures.year != record.year)
            changed = ledger.model_copy(update={"figures": (*kept, record)})
        else:
            changed = ledger.model_copy(update={kind: (*getattr(ledger, kind), record)})
        errors = errors_of(check_ledger(changed))
        if errors:
            raise StoreError("；".join(problem.message for problem in errors[:3]))
        return changed

    return change(agency, edit, who=who, action=f"ledger_add_{kind}", detail={"kind": kind})


def remove_record(agency: Agency, kind: str, key: str, *, who: str, revision: int) -> Stored:
    """Remove one application (``key`` its number) or one record of a register (``key`` its place
    in the list, as the page drawn at ``revision`` showed it); a correction is a removal and a new
    record, both audited."""

    def edit(ledger: Ledger) -> Ledger:
        if kind == "applications":
            kept = tuple(app for app in ledger.applications if app.number != key)
            if len(kept) == len(ledger.applications):
                raise StoreError(f"没有申请编号 {key}")
            return ledger.model_copy(update={"applications": kept})
        if kind not in RECORD_KINDS or not key.isdigit() or int(key) >= len(getattr(ledger, kind)):
            raise StoreError("没有这条登记")
        records = list(getattr(ledger, kind))
        del records[int(key)]
        return ledger.model_copy(update={kind: tuple(records)})

    return change(
        agency, edit, who=who, action=f"ledger_remove_{kind}", detail={"kind": kind, "key": key}, revision=revision
    )
