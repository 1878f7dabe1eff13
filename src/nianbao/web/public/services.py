"""The public form's work: take an application into the agency's ledger, look one up by its
number and code, and keep floods out."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from ...ledger import load_calendar
from ...ledger.cases import Applicant, Application
from ...ledger.deadlines import Channel
from ...ledger.status import application_status
from ...settings import Settings
from .. import StoreError
from ..store.models import Agency
from ..workspace import services as ledgers
from ..workspace.models import AgencyLedger
from .models import PublicRequest, Submission

PER_ADDRESS_PER_HOUR = 5
PER_ADDRESS_PER_DAY = 20
FLOOD_MESSAGE = "提交过于频繁，请稍后再试"
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed again


@dataclass(frozen=True)
class Received:
    number: str
    code: str  # shown once, to the applicant
    received: dt.date


def flooded(address: str) -> bool:
    now = timezone.now()
    recent = Submission.objects.filter(address=address)
    return (
        recent.filter(at__gte=now - dt.timedelta(hours=1)).count() >= PER_ADDRESS_PER_HOUR
        or recent.filter(at__gte=now - dt.timedelta(days=1)).count() >= PER_ADDRESS_PER_DAY
    )


def count_attempt(address: str) -> None:
    Submission.objects.create(address=address[:64])


def receive(
    agency: Agency,
    *,
    applicant_type: str,
    name: str,
    id_number: str,
    contact: str,
    request: str,
    delivery: str,
    address: str,
) -> Received:
    """Record an online application in the agency's ledger; its date of receipt is today
    (条例第三十一条第（三）项: an online application is received when it is submitted)."""
    if flooded(address):
        raise StoreError(FLOOD_MESSAGE)
    today = timezone.localdate()
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    with transaction.atomic():
        # the ledger's row locked first: two submissions to one agency never take the same number
        AgencyLedger.objects.select_for_update().get_or_create(agency=agency)
        count_attempt(address)
        count = PublicRequest.objects.filter(agency=agency, created_at__year=today.year).count()
        number = f"网{today.year}-{agency.pk}-{count + 1:05d}"
        applicant = Applicant(id=f"public-{number}", name=name, id_number=id_number, contact=contact)
        application = Application(
            number=number,
            received=today,
            channel=Channel.ONLINE,
            applicant_type=applicant_type,
            applicant_id=applicant.id,
            request=request,
            note=f"网上申请；获取方式：{delivery}" if delivery else "网上申请",
        )
        ledgers.add_application(agency, application, applicant, who="public", channel_note="public form")
        PublicRequest.objects.create(agency=agency, number=number, code_digest=PublicRequest.digest_of(code))
    return Received(number, code, today)


def look_up(number: str, code: str, settings: Settings) -> dict[str, Any]:
    """The status of one application by its number and code; nothing personal."""
    found = PublicRequest.objects.select_related("agency").filter(number=number.strip()).first()
    if found is None or not secrets.compare_digest(found.code_digest, PublicRequest.digest_of(code)):
        raise StoreError("申请编号或查询码不正确")
    ledger = ledgers.read(found.agency).ledger
    application = next((app for app in ledger.applications if app.number == found.number), None)
    if application is None:
        raise StoreError("该申请已不在台账中，请联系受理机关")
    status = application_status(application, load_calendar(settings.home), timezone.localdate())
    return {
        "number": found.number,
        "agency": found.agency.name,
        "received": application.received.isoformat(),
        "state": status.state.value,
        "label": status.state.label,
        "due": status.due.isoformat() if status.due else None,
        "closed": application.closed.isoformat() if application.closed else None,
    }
