"""The JSON API under ``/api/`` (django-ninja; its OpenAPI description at ``/api/openapi.json``).

Each endpoint returns what the page of the same name shows (``pages.data``), with the same
permission checks: a signed-in browser session (with its CSRF token) or an API token
(``Authorization: Bearer nb_…``, ``nianbao createuser --token``) identifies the person.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.timezone import localtime
from ninja import File, NinjaAPI, Schema, UploadedFile
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from ..errors import NianbaoError
from .accounts.access import CAN_DECIDE, CAN_IMPORT, SEES_AUDIT, role_of, scope_of, who_of
from .accounts.models import ApiToken, Role
from .pages import data
from .pages.views import READERS, refusal_of
from .store.services.decisions import decide as record
from .store.services.uploads import Upload, queue_uploads

LEDGER_REFUSAL = "您的角色无权访问机关台账"


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(token)).first()
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    """The browser's session (Django checks the CSRF token of unsafe methods)."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


api = NinjaAPI(
    title="nianbao 年报 API",
    version="1",
    description="政府信息公开工作年度报告的读取、核查与汇总。每个返回数据的页面都有对应的接口。",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)


def _allowed(request: HttpRequest, roles: tuple[Role, ...], refusal: str = "您的角色无权访问此接口") -> Any:
    """The person asking, when their role is one of ``roles``; else 403 with ``refusal``."""
    if role_of(request.user) not in roles:
        raise HttpError(403, refusal)
    return request.user


def _reader(request: HttpRequest) -> Any:
    return _allowed(request, READERS)


@api.post("/parse", summary="读取并核查一个文件（不入库）：nianbao.report/1 数据与核查结果（同 nianbao check --json）")
def parse(request: HttpRequest, file: File[UploadedFile]) -> dict[str, Any]:
    from django.conf import settings

    from .. import pipeline

    name = file.name or "文件"
    reason = refusal_of(file)
    if reason is not None:
        raise HttpError(400, reason)
    try:
        result = pipeline.process(file.read(), name, settings.NIANBAO)
    except NianbaoError as exc:
        raise HttpError(400, exc.message) from None
    return {"report": result.report.to_contract(), "check": result.checked(name).dump()}


@api.get("/reports", summary="年报列表（页面 /reports/）")
def reports(request: HttpRequest, year: int | None = None, region: str | None = None) -> dict[str, Any]:
    return data.reports_page(request.user, year=year, region=region)


@api.get("/reports/{report_id}", summary="一份年报：各单元格及其来源、问题、核查清单、原文件（页面 /reports/<id>/）")
def report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    return data.report_page(request.user, report_id)


@api.get("/agencies/{agency_id}", summary="一个机关的历年年报（页面 /agencies/<id>/）")
def agency(request: HttpRequest, agency_id: int) -> dict[str, Any]:
    return data.agency_page(request.user, agency_id)


@api.get("/findings", summary="待审核的问题（页面 /review/）")
def findings(
    request: HttpRequest, year: int | None = None, severity: str | None = None, code: str | None = None
) -> dict[str, Any]:
    return data.review_page(_reader(request), year=year, severity=severity, code=code)


class DecisionIn(Schema):
    decision: Literal["confirmed", "dismissed"]
    reason: str = ""


@api.post("/findings/{finding_id}/decision", summary="审核结论：确认或驳回（驳回须说明理由）")
def decide(request: HttpRequest, finding_id: int, payload: DecisionIn) -> dict[str, Any]:
    _allowed(request, CAN_DECIDE, "您的角色无权审核")
    try:
        made = record(
            finding_id, payload.decision, payload.reason, who=who_of(request.user), scope=scope_of(request.user)
        )
    except NianbaoError as exc:
        raise HttpError(404 if "没有找到" in exc.message else 400, exc.message) from None
    return {"finding": finding_id, "decision": made.decision, "reason": made.reason, "who": made.who}


@api.get("/missing", summary="未报送年报的机关（页面 /missing/）")
def missing(request: HttpRequest, year: int | None = None) -> dict[str, Any]:
    return data.missing_page(_reader(request), year=year)


@api.get("/stats", summary="统计（页面 /dashboard/）")
def stats(request: HttpRequest, year: int | None = None, region: str | None = None) -> dict[str, Any]:
    return data.dashboard_page(_reader(request), year=year, region=region)


@api.get("/audit", summary="操作记录（页面 /audit/，仅系统管理员）")
def audit(request: HttpRequest) -> dict[str, Any]:
    _allowed(request, SEES_AUDIT)
    return data.audit_page()


@api.get("/imports", summary="上传批次（页面 /imports/）")
def imports(request: HttpRequest) -> dict[str, Any]:
    return data.imports_page(_importer(request))


@api.get("/imports/{job_id}", summary="一个上传批次及每个文件的结果（页面 /imports/<id>/）")
def import_job(request: HttpRequest, job_id: int) -> dict[str, Any]:
    return data.import_page(_importer(request), job_id)


@api.post("/imports", summary="上传文件（multipart，字段名 files），排队处理")
def upload(request: HttpRequest, files: File[list[UploadedFile]]) -> dict[str, Any]:
    from django.conf import settings

    user = _importer(request)
    refused = [reason for upload in files if (reason := refusal_of(upload)) is not None]
    if refused:
        raise HttpError(400, "；".join(refused))
    job = queue_uploads(
        (Upload(upload.name or "文件", upload.size or 0, upload.chunks()) for upload in files),
        settings.NIANBAO,
        who=who_of(user),
    )
    return data.import_page(user, job.pk)


def _importer(request: HttpRequest) -> Any:
    return _allowed(request, CAN_IMPORT, "您的角色无权上传")


@api.get("/workspace", summary="本机关依申请公开台账：各申请的状态与答复期限（页面 /workspace/）")
def workspace(request: HttpRequest, all: bool = False, agency: str | None = None) -> dict[str, Any]:
    from django.utils import timezone

    from .workspace.data import agency_of, workspace_page
    from .workspace.views import WORKERS

    _allowed(request, WORKERS, LEDGER_REFUSAL)
    from django.conf import settings

    return workspace_page(agency_of(request.user, agency), settings.NIANBAO, timezone.localdate(), include_closed=all)


@api.get(
    "/workspace/registers", summary="本机关的复议诉讼、规范性文件、主动公开和年度数字登记（页面 /workspace/registers/）"
)
def workspace_registers(request: HttpRequest, agency: str | None = None) -> dict[str, Any]:
    from .workspace.data import agency_of, registers_page
    from .workspace.views import WORKERS

    _allowed(request, WORKERS, LEDGER_REFUSAL)
    return registers_page(agency_of(request.user, agency))


@api.get("/workspace/report", summary="由台账生成的年度报告草稿及其核查结果（页面 /workspace/report/）")
def workspace_report(request: HttpRequest, year: int, agency: str | None = None) -> dict[str, Any]:
    from .workspace.data import agency_of, draft_page
    from .workspace.views import WORKERS

    _allowed(request, WORKERS, LEDGER_REFUSAL)
    try:
        return draft_page(request.user, agency_of(request.user, agency), year)
    except NianbaoError as exc:
        raise HttpError(400, exc.message) from None


# ---------------------------------------------------------------------------------- public, no login


class ApplicationIn(Schema):
    applicant_type: str
    name: str
    id_number: str = ""
    contact: str
    request: str
    delivery: str = ""


class StatusIn(Schema):
    number: str
    code: str


@api.get("/public/agencies/{agency_id}", auth=None, summary="机关的政府信息公开年报栏目（页面 /public/agencies/<id>/）")
def public_agency(request: HttpRequest, agency_id: int) -> dict[str, Any]:
    from .public.data import agency_column

    return agency_column(agency_id)


@api.get("/public/reports/{published_id}", auth=None, summary="一份已发布的年报（页面 /public/reports/<id>/）")
def public_report(request: HttpRequest, published_id: int) -> dict[str, Any]:
    from django.shortcuts import get_object_or_404

    from .workspace.models import PublishedReport

    published = get_object_or_404(PublishedReport.objects.select_related("agency"), pk=published_id)
    return {
        "agency": published.agency.name,
        "year": published.year,
        "version": published.version,
        "published_at": localtime(published.published_at).isoformat(),
        "report": published.contract,
    }


@api.post("/public/agencies/{agency_id}/applications", auth=None, summary="在线提交政府信息公开申请（条例第二十九条）")
def public_apply(request: HttpRequest, agency_id: int, payload: ApplicationIn) -> dict[str, Any]:
    from django.shortcuts import get_object_or_404

    from .accounts.forms import client_address
    from .public import services as public
    from .public.views import problem_of
    from .store.models import Agency

    agency = get_object_or_404(Agency, pk=agency_id)
    values = {key: str(value).strip() for key, value in payload.dict().items()}
    problem = problem_of(values, "")
    if problem is not None:
        raise HttpError(400, problem)
    try:
        received = public.receive(agency, address=client_address(request), **values)
    except NianbaoError as exc:
        raise HttpError(429 if exc.message == public.FLOOD_MESSAGE else 400, exc.message) from None
    return {"number": received.number, "code": received.code, "received": received.received.isoformat()}


@api.post("/public/status", auth=None, summary="凭申请编号和查询码查询办理进度（页面 /public/status/）")
def public_status(request: HttpRequest, payload: StatusIn) -> dict[str, Any]:
    from django.conf import settings

    from .accounts.forms import client_address
    from .public import services as public

    address = client_address(request)
    if public.flooded(address):
        raise HttpError(429, public.FLOOD_MESSAGE)
    try:
        return public.look_up(payload.number, payload.code, settings.NIANBAO)
    except NianbaoError as exc:
        public.count_attempt(address)
        raise HttpError(404, exc.message) from None
