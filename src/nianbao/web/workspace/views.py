"""The agency workspace: the ledger in the browser and the year's report drafted from it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from ...errors import NianbaoError
from ...ledger.calendar import typed_date
from ...ledger.cases import Applicant, Application
from ...model import SEVERITY_NAMES
from ..accounts.access import require, who_of
from ..accounts.models import Role
from ..pages import data as pages_data
from ..pages.responses import download
from ..pages.views import render_page
from . import services
from .data import CHOICES, agency_of, draft_page, workspace_page

WORKERS = (Role.CLERK, Role.APPROVER, Role.ADMIN)
EDITORS = (Role.CLERK, Role.ADMIN)  # an approver reads the ledger and approves; it does not keep it


def _today() -> dt.date:
    return timezone.localdate()


def _settings() -> Any:
    from django.conf import settings

    return settings.NIANBAO


def _back(request: HttpRequest) -> HttpResponse:
    agency = request.GET.get("agency") or request.POST.get("agency")
    return redirect(f"/workspace/?agency={agency}" if agency else "/workspace/")


@require(*WORKERS)
def workspace(request: HttpRequest) -> HttpResponse:
    agency = agency_of(request.user, request.GET.get("agency"))
    page = workspace_page(agency, _settings(), _today(), include_closed=request.GET.get("all") == "1")
    return render_page(
        request,
        "workspace.html",
        {"page": page, "choices": CHOICES, "can_edit": _can_edit(request), "this_year": _today().year},
    )


def _can_edit(request: HttpRequest) -> bool:
    from ..accounts.access import role_of

    return role_of(request.user) in EDITORS


@require(*EDITORS)
@require_POST
def add_application(request: HttpRequest) -> HttpResponse:
    agency = agency_of(request.user, request.POST.get("agency"))
    form = request.POST
    try:
        received = _date(form.get("received", ""), "收到申请日期")
        number = form.get("number", "").strip()
        if not number:
            raise NianbaoError("请填写申请编号")
        if form.get("channel") not in CHOICES["channels"]:
            raise NianbaoError("请选择提交方式")
        if form.get("applicant_type") not in CHOICES["applicant_types"]:
            raise NianbaoError("请选择申请人类型")
        applicant = None
        if form.get("applicant_name", "").strip():
            applicant = Applicant(
                id=f"web-{number}", name=form["applicant_name"].strip(), contact=form.get("contact", "").strip()
            )
        application = Application(
            number=number,
            received=received,
            channel=form.get("channel", "in-person"),
            applicant_type=form.get("applicant_type", ""),
            applicant_id=applicant.id if applicant else None,
            request=form.get("request", "").strip(),
        )
        services.add_application(agency, application, applicant, who=who_of(request.user))
    except (NianbaoError, ValueError) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, f"已登记申请 {number}")
    return _back(request)


@require(*EDITORS)
@require_POST
def close_application(request: HttpRequest, number: str) -> HttpResponse:
    agency = agency_of(request.user, request.POST.get("agency"))
    try:
        closed = _date(request.POST.get("closed", ""), "答复日期")
        if request.POST.get("result") not in CHOICES["results"]:
            raise NianbaoError("请选择办理结果")
        services.close_application(
            agency,
            number,
            request.POST.get("result", ""),
            closed,
            who=who_of(request.user),
            revision=int(request.POST.get("revision", "-1")),
        )
    except (NianbaoError, ValueError) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, f"申请 {number} 已办结")
    return _back(request)


@require(*EDITORS)
@require_POST
def import_ledger(request: HttpRequest) -> HttpResponse:
    agency = agency_of(request.user, request.POST.get("agency"))
    upload = request.FILES.get("workbook")
    if upload is None:
        messages.error(request, "请选择台账文件（.xlsx）")
        return _back(request)
    if upload.size is not None and upload.size > _settings().max_input_bytes:
        messages.error(request, "台账文件过大")
        return _back(request)
    try:
        stored, warnings = services.import_workbook(agency, upload.read(), _settings(), who=who_of(request.user))
    except NianbaoError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"已导入台账：{len(stored.ledger.applications)}件申请，{len(stored.ledger.cases)}件复议诉讼"
        )
        for warning in warnings[:10]:
            messages.warning(request, f"{warning.where}：{warning.message}")
    return _back(request)


@require(*WORKERS)
def draft(request: HttpRequest) -> HttpResponse:
    agency = agency_of(request.user, request.GET.get("agency"))
    year = _year(request)
    try:
        page = draft_page(request.user, agency, year)
    except NianbaoError as exc:
        return render_page(request, "draft.html", {"error": exc.message, "year": year, "agency": agency})
    shown = {"contract": page["contract"], "findings": page["findings"], "cells": page["cells"]}
    return render_page(
        request,
        "draft.html",
        {
            "page": page,
            "tables": pages_data.report_tables(shown),
            "severity_names": SEVERITY_NAMES,
            "can_edit": _can_edit(request),
            "agency_query": f"&agency={agency.pk}" if request.GET.get("agency") else "",
        },
    )


DRAFT_FORMATS = ("docx", "pdf", "html")


@require(*WORKERS)
def draft_file(request: HttpRequest, fmt: str) -> HttpResponse:
    """The draft as a file (Word, PDF, or a web page to save)."""
    from django.http import Http404

    from ...model import Report
    from ...render import render_bytes

    if fmt not in DRAFT_FORMATS:
        raise Http404("没有这种格式")
    agency = agency_of(request.user, request.GET.get("agency"))
    year = _year(request)
    page = draft_page(request.user, agency, year)
    body = render_bytes(Report.from_contract(page["contract"]), fmt, allow_errors=True)
    return download(body, f"{agency.name}{year}年政府信息公开工作年度报告（草稿）.{fmt}")


def _date(text: str, what: str) -> dt.date:
    """A date of a form, read as the workbook and the command line read dates."""
    day = typed_date(text.strip())
    if day is None:
        raise NianbaoError(f"{what}应为日期（如 2025-10-03）")
    return day


def _year(request: HttpRequest) -> int:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() else _today().year - 1


def _message(exc: Exception) -> str:
    if isinstance(exc, NianbaoError):
        return exc.message
    return f"填写的内容无效（{exc}）"


def _to_draft(request: HttpRequest, year: int) -> HttpResponse:
    agency = request.POST.get("agency")
    return redirect(f"/workspace/report/?year={year}" + (f"&agency={agency}" if agency else ""))


@require(*EDITORS)
@require_POST
def save_sections(request: HttpRequest) -> HttpResponse:
    from .approval import SECTION_NUMBERS
    from .approval import save_sections as keep

    agency = agency_of(request.user, request.POST.get("agency"))
    year = _posted_year(request)
    sections = {number: request.POST.get(f"section_{number}", "") for number in SECTION_NUMBERS}
    try:
        keep(agency, year, sections, who=who_of(request.user))
    except NianbaoError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "正文已保存")
    return _to_draft(request, year)


@require(*EDITORS)
@require_POST
def submit_draft(request: HttpRequest) -> HttpResponse:
    from .approval import submit

    agency = agency_of(request.user, request.POST.get("agency"))
    year = _posted_year(request)
    try:
        submit(agency, year, who=who_of(request.user))
    except NianbaoError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已提交初审")
    return _to_draft(request, year)


@require(Role.APPROVER)
@require_POST
def sign_draft(request: HttpRequest, draft_id: int) -> HttpResponse:
    from .approval import sign

    try:
        draft = sign(draft_id, request.user, request.POST.get("decision", ""), request.POST.get("reason", ""))
    except NianbaoError as exc:
        messages.error(request, exc.message)
        return redirect("workspace")
    messages.success(request, {"published": "已发布", "rejected": "已退回"}.get(draft.status, "已通过，转入下一环节"))
    return redirect(f"/workspace/report/?year={draft.year}")


@require(*WORKERS)
def published_file(request: HttpRequest, published_id: int, fmt: str) -> HttpResponse:
    """A published version as a file: frozen, the same bytes whoever asks."""
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    from ...model import Report
    from ...render import render_bytes
    from .models import PublishedReport

    if fmt not in DRAFT_FORMATS:
        raise Http404("没有这种格式")
    agency = agency_of(request.user, request.GET.get("agency"))
    published = get_object_or_404(PublishedReport, pk=published_id, agency=agency)
    body = render_bytes(Report.from_contract(published.contract), fmt, allow_errors=True)
    return download(body, f"{agency.name}{published.year}年政府信息公开工作年度报告（第{published.version}版）.{fmt}")


def _posted_year(request: HttpRequest) -> int:
    text = request.POST.get("year", "")
    return int(text) if text.isdigit() else _today().year - 1


@require(*WORKERS)
def export_ledger(request: HttpRequest) -> HttpResponse:
    """The ledger kept here as the template's workbook (the command line reads it as it is)."""
    from ...ledger.spreadsheet import ledger_workbook

    agency = agency_of(request.user, request.GET.get("agency"))
    try:
        body = ledger_workbook(services.read(agency).ledger)
    except NianbaoError as exc:
        messages.error(request, exc.message)
        return _back(request)
    return download(body, f"{agency.name}台账{_today().isoformat()}.xlsx")


@require(*WORKERS)
def registers(request: HttpRequest) -> HttpResponse:
    from .data import registers_page
    from .services import RECORD_KINDS

    agency = agency_of(request.user, request.GET.get("agency"))
    return render_page(
        request,
        "registers.html",
        {"page": registers_page(agency), "can_edit": _can_edit(request), "kinds": RECORD_KINDS},
    )


@require(*EDITORS)
@require_POST
def add_record(request: HttpRequest, kind: str) -> HttpResponse:
    from .services import RECORD_KINDS
    from .services import add_record as keep

    agency = agency_of(request.user, request.POST.get("agency"))
    try:
        if kind not in RECORD_KINDS:
            raise NianbaoError("没有这种登记")
        keep(agency, kind, _record(kind, request.POST), who=who_of(request.user))
    except (NianbaoError, ValueError) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, f"已登记{RECORD_KINDS[kind]}")
    back = request.POST.get("agency")
    return redirect("/workspace/registers/" + (f"?agency={back}" if back else ""))


def _record(kind: str, form: Any) -> Any:
    """One record from the form, in the ledger's own types (they validate what they are given)."""
    from decimal import Decimal, InvalidOperation

    from ...ledger.cases import Case, NormativeDocument, ProactiveItem, YearFigures

    def optional_date(key: str, what: str) -> dt.date | None:
        return _date(form[key], what) if form.get(key, "").strip() else None

    def count(key: str) -> int | None:
        text = form.get(key, "").strip()
        if not text:
            return None
        if not text.isdigit():
            raise NianbaoError("件数应为非负整数")
        return int(text)

    if kind == "cases":
        return Case(
            number=form.get("number", "").strip() or _missing("案件编号"),
            kind=form.get("kind", ""),
            filed=_date(form.get("filed", ""), "收到（立案）日期"),
            outcome=form.get("outcome") or "pending",
            concluded=optional_date("concluded", "审结日期"),
            application=form.get("application", "").strip() or None,
        )
    if kind == "documents":
        return NormativeDocument(
            kind=form.get("kind", ""),
            doc_number=form.get("doc_number", "").strip(),
            title=form.get("title", "").strip(),
            issued=_date(form.get("issued", ""), "印发日期"),
            repealed=optional_date("repealed", "废止（失效）日期"),
        )
    if kind == "proactive":
        reviews = tuple(
            part.strip() for part in form.get("reviews", "").replace("，", "、").split("、") if part.strip()
        )
        return ProactiveItem(
            title=form.get("title", "").strip() or _missing("标题"),
            published=_date(form.get("published", ""), "公开日期"),
            category=form.get("category", "").strip(),
            reviews=reviews,
        )
    fees_text = form.get("fees", "").strip()
    try:
        fees = Decimal(fees_text) if fees_text else None
    except InvalidOperation:
        raise NianbaoError("收费金额应为数字（万元）") from None
    return YearFigures(
        year=count("year") or _missing("年度"),
        licensing=count("licensing"),
        punishment=count("punishment"),
        coercion=count("coercion"),
        fees_wan_yuan=fees,
    )


def _missing(what: str) -> Any:
    raise NianbaoError(f"请填写{what}")


@require(*EDITORS)
@require_POST
def remove_record(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    from .services import remove_record as remove

    agency = agency_of(request.user, request.POST.get("agency"))
    try:
        remove(agency, kind, key, who=who_of(request.user), revision=int(request.POST.get("revision", "-1")))
    except (NianbaoError, ValueError) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, "已删除（操作记录中保留）")
    back = request.POST.get("agency")
    target = "/workspace/" if kind == "applications" else "/workspace/registers/"
    return redirect(target + (f"?agency={back}" if back else ""))
