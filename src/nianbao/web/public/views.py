"""The public pages: no login, nothing personal shown, and floods refused."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from ...errors import NianbaoError
from ...ledger.cases import APPLICANT_TYPES
from ...model import Report
from ..accounts.forms import client_address
from ..pages import data as pages_data
from ..pages.responses import download
from ..store.models import Agency
from ..workspace.models import PublishedReport
from . import services
from .data import agency_column

DELIVERY = ("纸质", "电子邮件", "光盘", "磁盘")  # 获取信息的载体形式 (第二十九条、第四十条)
FIELD_LIMITS = {"name": 100, "id_number": 40, "contact": 200, "request": 2000}


def index(request: HttpRequest) -> HttpResponse:
    """Agencies, those with published reports first; a name searched for narrows the list."""
    query = request.GET.get("q", "").strip()[:50]
    agencies = Agency.objects.annotate(published=Count("published_reports"))
    if query:
        agencies = agencies.filter(Q(name__contains=query) | Q(region_name__contains=query))
    shown = list(agencies.order_by("-published", "region_code", "name")[:100])
    return render(request, "public/index.html", {"agencies": shown, "q": query})


def agency(request: HttpRequest, agency_id: int) -> HttpResponse:
    """The agency's 政府信息公开年报 column: every published version, newest first."""
    return render(request, "public/agency.html", {"column": agency_column(agency_id)})


def report(request: HttpRequest, published_id: int) -> HttpResponse:
    published = get_object_or_404(PublishedReport.objects.select_related("agency"), pk=published_id)
    shown = Report.from_contract(published.contract)
    tables = pages_data.report_tables(
        {"contract": published.contract, "findings": [], "cells": pages_data.cells_of(shown)}
    )
    sections = [(section.heading, section.text) for _number, section in sorted(shown.sections.items())]
    return render(
        request, "public/report.html", {"published": published, "report": shown, "tables": tables, "sections": sections}
    )


FORMATS = ("docx", "pdf")


def report_file(request: HttpRequest, published_id: int, fmt: str) -> HttpResponse:
    from ...render import render_bytes

    if fmt not in FORMATS:
        raise Http404("没有这种格式")
    published = get_object_or_404(PublishedReport.objects.select_related("agency"), pk=published_id)
    body = render_bytes(Report.from_contract(published.contract), fmt, allow_errors=True)
    return download(body, f"{published.agency.name}{published.year}年政府信息公开工作年度报告.{fmt}")


def apply(request: HttpRequest, agency_id: int) -> HttpResponse:
    """The online application (条例第二十九条): who asks, how to reach them, what they ask for,
    and in what form they want it."""
    found = get_object_or_404(Agency, pk=agency_id)
    context: dict[str, Any] = {"agency": found, "types": APPLICANT_TYPES, "delivery": DELIVERY, "values": {}}
    if request.method != "POST":
        return render(request, "public/apply.html", context)
    values = {
        key: request.POST.get(key, "").strip()
        for key in ("applicant_type", "name", "id_number", "contact", "request", "delivery")
    }
    context["values"] = values
    problem = problem_of(values, request.POST.get("website", ""))
    if problem is None:
        try:
            received = services.receive(found, address=client_address(request), **values)
        except NianbaoError as exc:
            problem = exc.message
        else:
            return render(request, "public/received.html", {"agency": found, "received": received})
    context["error"] = problem
    return render(request, "public/apply.html", context, status=400)


def problem_of(values: dict[str, str], honeypot: str) -> str | None:
    if honeypot:  # a field people never see: only a robot fills it
        return services.FLOOD_MESSAGE
    if values["applicant_type"] not in {label.key for label in APPLICANT_TYPES}:
        return "请选择申请人类型"
    for key, label in (("name", "姓名或名称"), ("contact", "联系方式"), ("request", "申请公开的政府信息")):
        if not values[key]:
            return f"请填写{label}"
    for key, limit in FIELD_LIMITS.items():
        if len(values[key]) > limit:
            return f"内容过长（不超过{limit}字）"
    if values["delivery"] and values["delivery"] not in DELIVERY:
        return "请选择获取信息的方式"
    return None


def status(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {}
    if request.method == "POST":
        address = client_address(request)
        if services.flooded(address):
            context["error"] = services.FLOOD_MESSAGE
        else:
            try:
                context["found"] = services.look_up(
                    request.POST.get("number", ""), request.POST.get("code", ""), settings.NIANBAO
                )
            except NianbaoError as exc:
                services.count_attempt(address)  # guessing codes counts against the limit
                context["error"] = exc.message
        context["number"] = request.POST.get("number", "")[:40]
    return render(request, "public/status.html", context)
