"""The pages.  Each one reads its data from :mod:`.data` (the JSON API serves the same data),
checks the person's role here on the server, and renders a template that escapes everything it
shows (report text is untrusted input)."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib.auth import views as auth_views
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ...model import SEVERITY_NAMES
from ..accounts.access import (
    CAN_DECIDE,
    CAN_IMPORT,
    SEES_AUDIT,
    region_within,
    require,
    role_of,
    scope_of,
    who_of,
)
from ..accounts.forms import LoginForm
from ..accounts.models import AGENCY_ROLES, Role
from ..store.models import SourceFile
from ..store.services.uploads import ACCEPTED
from . import data
from .responses import download as download_file

READERS = (Role.ADMIN, Role.REVIEWER, Role.VIEWER)  # the supervising office's pages


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def render_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    role = role_of(request.user)
    shared = {
        "role": role,
        "role_name": role.label if role else "",
        "can_import": role in CAN_IMPORT,
        "can_decide": role in CAN_DECIDE,
        "sees_audit": role in SEES_AUDIT,
        "is_office": role in READERS,
        "is_agency": role in AGENCY_ROLES,
    }
    return render(request, f"nianbao/{template}", shared | context)


class LoginView(auth_views.LoginView):
    template_name = "nianbao/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "nianbao/password_change.html"
    success_url = "/"

    def form_valid(self, form: Any) -> HttpResponse:
        from django.contrib import messages

        response = super().form_valid(form)
        messages.success(self.request, "密码已修改")
        return response


@require()
def home(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) in AGENCY_ROLES:
        return redirect("workspace")
    return redirect("dashboard")


@require(*READERS)
def dashboard(request: HttpRequest) -> HttpResponse:
    from urllib.parse import urlencode

    from ...stats.definitions import MEASURES, RATES

    region = request.GET.get("region") or ""
    page = data.dashboard_page(request.user, year=_int(request.GET.get("year")), region=region or None)
    return render_page(
        request,
        "dashboard.html",
        {
            "page": page,
            "chart": _chart(page),
            "measure_names": {measure.key: measure.name for measure in MEASURES},
            "ranking_names": {m.key: m.name for m in MEASURES} | {r.key: r.name for r in RATES},
            "download_query": urlencode({"year": page["year"] or "", "region": region}),
        },
    )


DOWNLOADS = {  # what the dashboard offers: file name part
    "stats.xlsx": "统计",
    "summary.docx": "汇总报告",
    "summary.pdf": "汇总报告",
    "summary.xlsx": "汇总报告及来源",
}


@require(*READERS)
def download(request: HttpRequest, what: str) -> HttpResponse:
    """The region's statistics workbook and its summary report (the files `nianbao stats --xlsx`
    and `nianbao summary` write), for the year and region the dashboard shows."""
    if what not in DOWNLOADS:
        raise Http404("没有这种下载")
    year = _int(request.GET.get("year"))
    if year is None:
        raise Http404("请指定年度")
    region = region_within(request.user, request.GET.get("region"))
    from ..store.services.statistics import store_stats, store_summary

    if what == "stats.xlsx":
        from ...stats.output import stats_xlsx

        body = stats_xlsx(store_stats(year=year, region=region, by="region"))
    else:
        from ...stats.output import summary_bytes

        body = summary_bytes(store_summary(year, region=region), what.split(".")[1])
    return download_file(body, f"{year}年{DOWNLOADS[what]}.{what.split('.')[1]}")


@require()
def agency(request: HttpRequest, agency_id: int) -> HttpResponse:
    return render_page(request, "agency.html", {"page": data.agency_page(request.user, agency_id)})


def _chart(page: dict[str, Any]) -> dict[str, Any] | None:
    """The ECharts option of the dashboard: requests received and rates, by region."""
    stats = page["stats"]
    if not stats or not stats["groups"]:
        return None
    groups = stats["groups"]
    return {
        "labels": [group["label"] for group in groups],
        "received": [group["totals"]["received_new"]["value"] for group in groups],
        "disclosure": [group["rates"]["disclosure_rate"]["value"] for group in groups],
    }


@require()
def reports(request: HttpRequest) -> HttpResponse:
    page = data.reports_page(request.user, year=_int(request.GET.get("year")), region=request.GET.get("region"))
    return render_page(request, "reports.html", {"page": page, "years": data.years_held(request.user)})


@require()
def report(request: HttpRequest, report_id: int) -> HttpResponse:
    page = data.report_page(request.user, report_id)
    return render_page(
        request,
        "report.html",
        {
            "page": page,
            "tables": data.report_tables(page),
            "severity_names": SEVERITY_NAMES,
            "status_names": data.STATUS_NAMES,
        },
    )


@require()
def source_file(request: HttpRequest, report_id: int, source_id: int) -> FileResponse:
    """The file as uploaded, always as a download: an HTML page served inline would run its
    scripts on this site."""
    from django.conf import settings

    source = _source(request, report_id, source_id)
    path = settings.NIANBAO.home / source.stored_path
    if not path.is_file():
        raise Http404("原文件不在数据目录中")
    content_type = mimetypes.guess_type(source.original_name)[0] or "application/octet-stream"
    response = FileResponse(path.open("rb"), as_attachment=True, filename=source.original_name)
    response["Content-Type"] = content_type if not content_type.startswith("text/html") else "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _source(request: HttpRequest, report_id: int, source_id: int) -> SourceFile:
    data.stored_report(request.user, report_id)  # the scope check
    return get_object_or_404(SourceFile, pk=source_id, report_id=report_id)


@require()
def source_view(request: HttpRequest, report_id: int, source_id: int) -> HttpResponse:
    """The original beside the tables (a fragment the report page loads)."""
    from django.conf import settings

    from ...errors import NianbaoError
    from .source import source_pane

    source = _source(request, report_id, source_id)
    try:
        pane = source_pane(source, settings.NIANBAO)
    except NianbaoError as exc:
        return render(request, "nianbao/source_pane.html", {"error": exc.message})
    return render(request, "nianbao/source_pane.html", {"pane": pane, "report_id": report_id, "source": source})


@require()
def page_png(request: HttpRequest, report_id: int, source_id: int, number: int) -> HttpResponse:
    from django.conf import settings

    from ...errors import NianbaoError
    from .source import page_image

    source = _source(request, report_id, source_id)
    try:
        png = page_image(source, number, settings.NIANBAO)
    except NianbaoError as exc:
        raise Http404(exc.message) from None
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@require(Role.ADMIN)
@require_POST
def match_agency(request: HttpRequest, report_id: int) -> HttpResponse:
    """An administrator places a report that waits for its agency (``nianbao agencies match``)."""
    from django.contrib import messages

    from ...errors import NianbaoError
    from ..store.services.reports import assign_agency

    try:
        placed = assign_agency(report_id, request.POST.get("agency", "").strip(), who=who_of(request.user))
    except NianbaoError as exc:
        messages.error(request, exc.message)
        return redirect("report", report_id=report_id)
    messages.success(request, "已指定机关")
    return redirect("report", report_id=placed.pk)


@require(*CAN_DECIDE)
@require_POST
def decide(request: HttpRequest, report_id: int, finding_id: int) -> HttpResponse:
    """A reviewer confirms a finding, or dismisses it with a reason."""
    from django.contrib import messages

    from ...errors import NianbaoError
    from ..store.services.decisions import decide as record

    data.stored_report(request.user, report_id)  # the scope check
    try:
        record(
            finding_id,
            request.POST.get("decision", ""),
            request.POST.get("reason", ""),
            who=who_of(request.user),
            scope=scope_of(request.user),
        )
    except NianbaoError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "审核结论已保存")
    return redirect(f"{reverse('report', args=[report_id])}#finding-{finding_id}")


@require(*READERS)
def review(request: HttpRequest) -> HttpResponse:
    page = data.review_page(
        request.user,
        year=_int(request.GET.get("year")),
        severity=request.GET.get("severity") or None,
        code=request.GET.get("code") or None,
    )
    return render_page(
        request,
        "review.html",
        {"page": page, "years": data.years_held(request.user), "severity_names": SEVERITY_NAMES},
    )


@require(*READERS)
def missing(request: HttpRequest) -> HttpResponse:
    page = data.missing_page(request.user, year=_int(request.GET.get("year")))
    return render_page(request, "missing.html", {"page": page, "years": data.years_held(request.user)})


@require(*CAN_IMPORT)
def imports(request: HttpRequest) -> HttpResponse:
    """The reviewer's uploads: the form, and the jobs with their progress."""
    from django.contrib import messages

    if request.method == "POST":
        from django.conf import settings

        if int(request.META.get("CONTENT_LENGTH") or 0) > settings.MAX_UPLOAD_BYTES:
            # refused before Django reads the body into temporary files
            messages.error(request, f"一次上传不能超过 {settings.MAX_UPLOAD_BYTES // (1024 * 1024)} MB，请分批上传")
            return redirect("imports")
        files = request.FILES.getlist("files")
        refused = [reason for upload in files if (reason := refusal_of(upload)) is not None]
        if not files:
            messages.error(request, "请选择要上传的文件")
        elif refused:
            for reason in refused:
                messages.error(request, reason)
        else:
            from ..store.services.uploads import Upload, queue_uploads

            job = queue_uploads(
                (Upload(upload.name or "文件", upload.size or 0, upload.chunks()) for upload in files),
                settings.NIANBAO,
                who=who_of(request.user),
            )
            messages.success(request, f"已上传 {len(files)} 个文件，正在排队处理")
            return redirect("import_job", job_id=job.pk)
        return redirect("imports")
    return render_page(request, "imports.html", {"page": data.imports_page(request.user), "accepted": ACCEPTED})


def refusal_of(upload: Any) -> str | None:
    from django.conf import settings

    from ..store.services.uploads import refusal

    head = upload.read(8192)
    upload.seek(0)
    return refusal(upload.name, upload.size, head, settings.NIANBAO)


@require(*CAN_IMPORT)
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    page = data.import_page(request.user, job_id)
    template = "import_items.html" if request.headers.get("HX-Request") else "import_job.html"
    return render_page(request, template, {"page": page, "status_names": data.ITEM_STATUS_NAMES})


@require(*SEES_AUDIT)
def audit(request: HttpRequest) -> HttpResponse:
    return render_page(request, "audit.html", {"page": data.audit_page()})
