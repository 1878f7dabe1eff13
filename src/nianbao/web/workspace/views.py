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
from ...ledger.cases import Applicant, Application
from ..accounts.access import require, who_of
from ..accounts.models import Role
from ..pages import data as pages_data
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
        page = draft_page(agency, year)
    except NianbaoError as exc:
        return render_page(request, "draft.html", {"error": exc.message, "year": year, "agency": agency})
    shown = {"contract": page["contract"], "findings": page["findings"], "cells": _cells(page)}
    return render_page(
        request,
        "draft.html",
        {"page": page, "tables": pages_data.report_tables(shown), "severity_names": pages_data.SEVERITY_NAMES},
    )


def _cells(page: dict[str, Any]) -> dict[str, Any]:
    from ...model import Report

    return pages_data.cells_of(Report.from_contract(page["contract"]))


DRAFT_FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}


@require(*WORKERS)
def draft_file(request: HttpRequest, fmt: str) -> HttpResponse:
    """The draft as a file (Word, PDF, or a web page to save)."""
    from urllib.parse import quote

    from django.http import Http404

    from ...model import Report
    from ...render import render_bytes

    if fmt not in DRAFT_FORMATS:
        raise Http404("没有这种格式")
    agency = agency_of(request.user, request.GET.get("agency"))
    year = _year(request)
    page = draft_page(agency, year)
    body = render_bytes(Report.from_contract(page["contract"]), fmt, force=True)
    response = HttpResponse(body, content_type=DRAFT_FORMATS[fmt])
    name = f"{agency.name}{year}年政府信息公开工作年度报告（草稿）.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _date(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise NianbaoError(f"{what}应为日期（如 2025-10-03）") from None


def _year(request: HttpRequest) -> int:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() else _today().year - 1


def _message(exc: Exception) -> str:
    if isinstance(exc, NianbaoError):
        return exc.message
    return f"填写的内容无效（{exc}）"
