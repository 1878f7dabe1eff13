"""Who may see what: every page and API call checks the role and the scope on the server."""

from __future__ import annotations

import html
import json
from typing import Any

import pytest
from django.test import Client
from web_fixtures import PASSWORD, Site, build_site

from nianbao.settings import Settings
from nianbao.web.accounts.models import ApiToken
from nianbao.web.store.models import Finding, SourceFile

pytestmark = pytest.mark.django_db

PAGES = [
    "/", "/dashboard/", "/reports/", "/review/", "/missing/", "/audit/", "/accounts/password/", "/imports/",
    "/imports/1/", "/agencies/1/", "/dashboard/download/stats.xlsx?year=2023", "/workspace/", "/workspace/registers/",
    "/workspace/report/?year=2023", "/workspace/report/file/docx?year=2023", "/workspace/export.xlsx",
    "/workspace/published/1/docx",
]  # fmt: skip
API = [
    "/api/reports", "/api/findings", "/api/missing", "/api/stats", "/api/audit", "/api/imports", "/api/imports/1",
    "/api/agencies/1", "/api/workspace", "/api/workspace/registers", "/api/workspace/report?year=2023",
]  # fmt: skip
POSTS = [
    "/workspace/applications/", "/workspace/applications/A/close/", "/workspace/import/", "/workspace/report/sections/",
    "/workspace/report/submit/", "/workspace/drafts/1/sign/", "/workspace/registers/cases/", "/imports/",
    "/reports/1/findings/1/decision/", "/reports/1/agency/",
]  # fmt: skip


@pytest.fixture
def site(store_settings: Settings) -> Site:
    return build_site(store_settings)


def signed_in(site: Site, who: str) -> Client:
    client = Client()
    assert client.login(username=site.users[who].username, password=PASSWORD)
    return client


def object_urls(site: Site, report_id: int) -> list[str]:
    source = SourceFile.objects.filter(report_id=report_id).first()
    assert source is not None
    return [
        f"/reports/{report_id}/",
        f"/reports/{report_id}/sources/{source.pk}/",
        f"/reports/{report_id}/sources/{source.pk}/view/",
        f"/api/reports/{report_id}",
    ]


def test_without_login_pages_send_to_the_login_and_the_api_answers_401(site: Site) -> None:
    client = Client()
    for url in [*PAGES, *object_urls(site, site.ours.pk)]:
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 401, url
        else:
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    for url in API:
        assert client.get(url).status_code == 401, url
    for url in POSTS:  # nothing changes without a login either
        response = client.post(url, {"year": "2023"})
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    for url in ("/api/parse", "/api/imports", "/api/findings/1/decision"):
        assert client.post(url, {}).status_code == 401, url
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/public/").status_code == 200  # the public side needs none


def test_a_clerk_reaches_its_own_agency_only_whatever_id_it_tries(site: Site) -> None:
    client = signed_in(site, "clerk")
    for url in object_urls(site, site.ours.pk):
        assert client.get(url).status_code == 200, url
    for url in object_urls(site, site.theirs.pk):
        assert client.get(url).status_code == 404, url
    # a source id of another report under its own report's path is no way in either
    theirs = SourceFile.objects.filter(report=site.theirs).first()
    assert theirs is not None
    assert client.get(f"/reports/{site.ours.pk}/sources/{theirs.pk}/").status_code == 404
    # ids that do not exist answer as those outside the scope do: nothing to probe
    assert client.get("/reports/999999/").status_code == 404
    listed = json.loads(client.get("/api/reports").content)["reports"]
    assert [entry["id"] for entry in listed] == [site.ours.pk]
    # the office's pages are not a clerk's
    for url in ["/dashboard/", "/review/", "/missing/", "/audit/"]:
        assert client.get(url).status_code == 403, url
    for url in ["/api/findings", "/api/missing", "/api/stats", "/api/audit"]:
        assert client.get(url).status_code == 403, url


def test_a_reviewer_reaches_its_region_and_below_only(site: Site) -> None:
    client = signed_in(site, "reviewer")
    assert client.get(f"/reports/{site.ours.pk}/").status_code == 200
    assert client.get(f"/reports/{site.theirs.pk}/").status_code == 404
    assert client.get(f"/api/reports/{site.theirs.pk}").status_code == 404
    reports = json.loads(client.get("/api/reports").content)["reports"]
    assert {entry["id"] for entry in reports} == {site.ours.pk}
    findings = json.loads(client.get("/api/findings").content)["findings"]
    assert {entry["report"] for entry in findings} <= {site.ours.pk, None}
    assert client.get("/audit/").status_code == 403
    other = signed_in(site, "other_reviewer")
    assert client.get("/reports/").content != other.get("/reports/").content
    assert other.get(f"/reports/{site.theirs.pk}/").status_code == 200
    assert other.get(f"/reports/{site.ours.pk}/").status_code == 404


def test_every_page_renders_for_the_roles_it_is_for(site: Site) -> None:
    for who in ("admin", "reviewer", "viewer"):
        client = signed_in(site, who)
        for url in ["/dashboard/", "/reports/", "/review/", "/missing/", f"/reports/{site.ours.pk}/"]:
            response = client.get(url)
            assert response.status_code == 200, (who, url)
            assert "Content-Security-Policy" in response
    admin = signed_in(site, "admin")
    assert admin.get("/audit/").status_code == 200
    entries = json.loads(admin.get("/api/audit").content)["entries"]
    assert entries and {"who", "action", "at"} <= set(entries[0])


def test_the_page_and_its_json_twin_show_the_same_report(site: Site) -> None:
    client = signed_in(site, "reviewer")
    data = json.loads(client.get(f"/api/reports/{site.ours.pk}").content)
    page = client.get(f"/reports/{site.ours.pk}/").content.decode("utf-8")
    assert data["agency"] in page
    shown = [cell_id for cell_id, cell in data["cells"].items() if cell["status"] == "value"]
    assert shown and all(f'data-cell="{cell_id}"' in page for cell_id in shown)
    assert len(data["findings"]) == Finding.objects.filter(report=site.ours).count()


def test_the_report_page_lists_what_every_rule_checked_as_the_command_line_does(site: Site) -> None:
    from click.testing import CliRunner
    from store_fixtures import SEEDS

    from nianbao.cli import main

    client = signed_in(site, "reviewer")
    listed = json.loads(client.get(f"/api/reports/{site.ours.pk}").content)["checklist"]
    source = SourceFile.objects.get(report=site.ours)
    path = next(seed for seed in SEEDS if seed.name == source.original_name)
    checked = json.loads(CliRunner().invoke(main, ["check", "--json", str(path)]).stdout)
    items = [item for group in listed["groups"] for item in group["items"]]
    assert [(i["code"], i["subject"], i["status"], i["reason"]) for i in items] == [
        (i["code"], i["subject"], i["status"], i.get("reason")) for i in checked["checklist"]
    ]
    assert listed["total"] == len(items) == sum(count["n"] for count in listed["counts"])
    assert not listed["previous_year"]  # no report of the year before in the store: said, not passed
    assert any(i["code"] == "X-VALID" and i["status"] == "not_checkable" for i in items)
    page = client.get(f"/reports/{site.ours.pk}/").content.decode("utf-8")
    assert f"核查清单（{listed['total']}项）" in page and "跨年度对照无法核查" in page
    assert all(html.escape(group["family"]) in page for group in listed["groups"])


def test_report_text_is_shown_as_text_never_as_markup(site: Site) -> None:
    report = site.ours
    contract: dict[str, Any] = dict(report.contract)
    contract["title"] = '<script>alert("x")</script><b>粗体</b>'
    report.contract = contract
    report.agency_name = "<img src=x onerror=alert(1)>"
    report.save()
    Finding.objects.create(report=report, code="T3-SUM", severity="error", message="<script>bad()</script>")
    client = signed_in(site, "reviewer")
    for url in (f"/reports/{report.pk}/", "/review/", "/reports/"):
        page = client.get(url).content.decode("utf-8")
        assert "<script>alert" not in page and "<script>bad" not in page and "<img src=x" not in page, url
    page = client.get(f"/reports/{report.pk}/").content.decode("utf-8")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_an_original_is_always_a_download_never_a_page_of_this_site(site: Site) -> None:
    client = signed_in(site, "reviewer")
    source = SourceFile.objects.filter(report=site.ours).first()
    assert source is not None
    response = client.get(f"/reports/{site.ours.pk}/sources/{source.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "html" not in response["Content-Type"] and response["X-Content-Type-Options"] == "nosniff"


def test_logins_are_throttled_after_repeated_failures(site: Site) -> None:
    client = Client()
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "reviewer", "password": "wrong"})
        assert "用户名或密码不正确" in response.content.decode("utf-8")
    # now even the right password is refused for a while
    response = client.post("/accounts/login/", {"username": "reviewer", "password": PASSWORD})
    assert response.status_code == 200 and "登录失败次数过多" in response.content.decode("utf-8")
    assert "_auth_user_id" not in client.session
    # another person is not locked out by it
    assert client.post("/accounts/login/", {"username": "viewer", "password": PASSWORD}).status_code == 302


def test_an_api_token_identifies_its_person_with_the_same_permissions(site: Site) -> None:
    token = ApiToken.issue(site.users["clerk"], "test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get(f"/api/reports/{site.ours.pk}").status_code == 200
    assert client.get(f"/api/reports/{site.theirs.pk}").status_code == 404
    assert Client(HTTP_AUTHORIZATION="Bearer nb_not-a-token").get("/api/reports").status_code == 401
    assert ApiToken.objects.get(user=site.users["clerk"]).last_used_at is not None
    assert token not in {t.digest for t in ApiToken.objects.all()}  # only its digest is kept


def test_the_openapi_description_and_its_page_are_served_from_the_package(site: Site) -> None:
    client = signed_in(site, "reviewer")
    schema = json.loads(client.get("/api/openapi.json").content)
    assert {"/api/reports", "/api/reports/{report_id}", "/api/findings", "/api/stats"} <= set(schema["paths"])
    docs = client.get("/api/docs").content.decode("utf-8")
    assert "cdn." not in docs and "/static/ninja/swagger-ui-bundle.js" in docs


def test_logout_ends_the_session(site: Site) -> None:
    client = signed_in(site, "viewer")
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/reports/").status_code == 302


def test_a_reviewer_decides_on_a_finding_and_the_decision_is_kept_and_audited(site: Site) -> None:
    from nianbao.web.store.models import AuditEntry, FindingDecision

    finding = Finding.objects.create(report=site.ours, code="T3-SUM", severity="error", message="总计不等于各项之和")
    client = signed_in(site, "reviewer")
    url = f"/reports/{site.ours.pk}/findings/{finding.pk}/decision/"
    # dismissing needs a reason
    client.post(url, {"decision": "dismissed", "reason": " "})
    assert not FindingDecision.objects.exists()
    client.post(url, {"decision": "dismissed", "reason": "原文表格印刷有误，已电话核实"})
    kept = FindingDecision.objects.get()
    assert kept.decision == "dismissed" and kept.who == "web:reviewer"
    page = client.get(f"/reports/{site.ours.pk}/").content.decode("utf-8")
    assert "已驳回" in page and "原文表格印刷有误" in page
    assert AuditEntry.objects.filter(action="finding_dismissed", object_id=str(finding.pk), who="web:reviewer").exists()
    # the same finding written again by a later check keeps its decision
    finding.delete()
    Finding.objects.create(report=site.ours, code="T3-SUM", severity="error", message="总计不等于各项之和")
    assert "已驳回" in client.get(f"/reports/{site.ours.pk}/").content.decode("utf-8")
    # through the API, the same rules
    again = Finding.objects.get(report=site.ours, code="T3-SUM")
    api = client.post(f"/api/findings/{again.pk}/decision", {"decision": "confirmed"}, content_type="application/json")
    assert api.status_code == 200 and FindingDecision.objects.get().decision == "confirmed"


def test_who_may_not_decide_is_refused_and_outside_the_scope_nothing_is_found(site: Site) -> None:
    from nianbao.web.store.models import FindingDecision

    theirs = Finding.objects.create(report=site.theirs, code="T3-SUM", severity="error", message="x")
    ours = Finding.objects.create(report=site.ours, code="T3-SUM", severity="error", message="y")
    viewer, clerk, reviewer = signed_in(site, "viewer"), signed_in(site, "clerk"), signed_in(site, "reviewer")
    assert (
        viewer.post(f"/reports/{site.ours.pk}/findings/{ours.pk}/decision/", {"decision": "confirmed"}).status_code
        == 403
    )
    assert (
        clerk.post(f"/reports/{site.ours.pk}/findings/{ours.pk}/decision/", {"decision": "confirmed"}).status_code
        == 403
    )
    # a finding of another region, even under a report path the reviewer may read
    reviewer.post(f"/reports/{site.ours.pk}/findings/{theirs.pk}/decision/", {"decision": "confirmed"})
    response = reviewer.post(
        f"/api/findings/{theirs.pk}/decision", {"decision": "confirmed"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert not FindingDecision.objects.exists()


def test_an_agencys_history_is_in_the_scope_of_whoever_may_read_its_reports(site: Site) -> None:
    assert site.ours.agency is not None and site.theirs.agency is not None
    clerk = signed_in(site, "clerk")
    page = json.loads(clerk.get(f"/api/agencies/{site.ours.agency.pk}").content)
    assert [entry["id"] for entry in page["reports"]] == [site.ours.pk]
    assert set(page["reports"][0]["figures"]) <= set(page["figure_names"])
    assert clerk.get(f"/agencies/{site.ours.agency.pk}/").status_code == 200
    assert clerk.get(f"/agencies/{site.theirs.agency.pk}/").status_code == 404
    assert clerk.get(f"/api/agencies/{site.theirs.agency.pk}").status_code == 404


def test_the_dashboard_offers_the_regions_statistics_and_summary_as_files(site: Site) -> None:
    reviewer = signed_in(site, "reviewer")
    year = site.ours.year
    workbook = reviewer.get(f"/dashboard/download/stats.xlsx?year={year}")
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"
    summary = reviewer.get(f"/dashboard/download/summary.docx?year={year}")
    assert summary.status_code == 200 and summary.content[:2] == b"PK"
    assert "attachment" in summary["Content-Disposition"]
    # another region asked for is replaced by the reviewer's own: its members only
    import io

    import openpyxl

    asked = reviewer.get(f"/dashboard/download/summary.xlsx?year={year}&region=920000")
    book = openpyxl.load_workbook(io.BytesIO(asked.content), read_only=True)
    text = {str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for value in row}
    assert site.ours.agency is not None and site.theirs.agency is not None
    assert site.ours.agency.name in text and site.theirs.agency.name not in text
    assert signed_in(site, "clerk").get(f"/dashboard/download/stats.xlsx?year={year}").status_code == 403


def test_a_region_code_names_the_region_and_everything_below_it(site: Site) -> None:
    admin = signed_in(site, "admin")
    province = json.loads(admin.get("/api/reports?region=910000").content)["reports"]
    assert [entry["id"] for entry in province] == [site.ours.pk]  # 910100 lies in 910000
    assert json.loads(admin.get("/api/reports?region=甲市").content)["reports"] == province
    assert json.loads(admin.get("/api/reports?region=930000").content)["reports"] == []


def test_the_dashboards_statistics_follow_every_change_of_the_store(
    site: Site, store_settings: Settings, settings: Any
) -> None:
    from store_fixtures import SEEDS

    settings.STATS_STALE_SECONDS = 0  # always computed before answering (the stale path: below)
    from nianbao.web.store.models import Report
    from nianbao.web.store.services.importer import import_paths

    admin = signed_in(site, "admin")
    year = site.ours.year
    before = json.loads(admin.get(f"/api/stats?year={year}").content)["stats"]["reports"]
    assert json.loads(admin.get(f"/api/stats?year={year}").content)["stats"]["reports"] == before  # from the cache
    held = Report.objects.count()
    import_paths(SEEDS[2:], store_settings)
    added = Report.objects.filter(year=year).count() - before
    assert Report.objects.count() > held
    assert json.loads(admin.get(f"/api/stats?year={year}").content)["stats"]["reports"] == before + added


def test_the_admin_shows_people_with_their_roles_to_administrators_only(site: Site) -> None:
    admin = signed_in(site, "admin")
    page = admin.get("/admin/auth/user/").content.decode("utf-8")
    assert "政务公开办审核人员" in page and "机关经办人员" in page
    assert admin.get(f"/admin/auth/user/{site.users['clerk'].pk}/change/").status_code == 200
    assert signed_in(site, "reviewer").get("/admin/auth/user/").status_code == 302  # to the admin's login


def test_a_file_is_read_and_checked_through_the_api_as_the_command_line_checks_it(site: Site) -> None:
    from click.testing import CliRunner
    from django.core.files.uploadedfile import SimpleUploadedFile
    from store_fixtures import SEEDS

    from nianbao.cli import main
    from nianbao.pipeline import process

    client = signed_in(site, "clerk")
    data = SEEDS[0].read_bytes()
    answer = client.post("/api/parse", {"file": SimpleUploadedFile(SEEDS[0].name, data)})
    assert answer.status_code == 200
    body = json.loads(answer.content)
    expected = process(data, SEEDS[0].name)
    assert body["report"] == json.loads(json.dumps(expected.report.to_contract()))
    checked = json.loads(CliRunner().invoke(main, ["check", "--json", str(SEEDS[0])]).stdout)
    assert body["check"] == {**checked, "file": SEEDS[0].name}
    assert body["check"]["checklist"] and body["check"]["checks"]["passed"] > 0
    refused = client.post("/api/parse", {"file": SimpleUploadedFile("x.exe", b"MZ\x00\x00" * 10)})
    assert refused.status_code == 400
    assert Client().post("/api/parse", {"file": SimpleUploadedFile("a.txt", data)}).status_code == 401


def test_drafts_and_published_versions_of_another_agency_are_out_of_reach(site: Site) -> None:
    from nianbao.web.workspace.models import PublishedReport, ReportDraft

    assert site.theirs.agency is not None
    draft = ReportDraft.objects.create(
        agency=site.theirs.agency, year=2023, created_by="x", status="in_review", stage="first"
    )
    published = PublishedReport.objects.create(
        agency=site.theirs.agency, year=2023, version=1, contract=site.theirs.contract, draft=ReportDraft.objects.create(
            agency=site.theirs.agency, year=2023, created_by="x", status="published")
    )  # fmt: skip
    from nianbao.web.accounts.models import Profile

    Profile.objects.filter(user=site.users["approver"]).update(stages=["first", "second", "final"])
    approver = signed_in(site, "approver")
    approver.post(f"/workspace/drafts/{draft.pk}/sign/", {"decision": "approved"})
    draft.refresh_from_db()
    assert draft.stage == "first" and draft.status == "in_review"  # not its agency's draft
    for who in ("clerk", "approver"):
        assert signed_in(site, who).get(f"/workspace/published/{published.pk}/docx").status_code == 404


def test_an_administrator_places_a_report_that_waits_for_its_agency(site: Site) -> None:
    from nianbao.web.store.models import AuditEntry, Report

    waiting = site.theirs
    Report.objects.filter(pk=waiting.pk).update(agency=None)
    admin = signed_in(site, "admin")
    assert "指定机关" in admin.get(f"/reports/{waiting.pk}/").content.decode("utf-8")
    assert signed_in(site, "reviewer").post(f"/reports/{waiting.pk}/agency/", {"agency": "1"}).status_code == 403
    assert site.users and site.theirs.agency is not None
    admin.post(f"/reports/{waiting.pk}/agency/", {"agency": str(site.theirs.agency.pk)})
    assert Report.objects.get(pk=waiting.pk).agency_id == site.theirs.agency.pk
    assert AuditEntry.objects.filter(action="agency_match", who="web:admin").exists()


@pytest.mark.django_db(transaction=True)  # the newer statistics are computed in a thread of their own
def test_while_the_store_changes_the_dashboard_answers_with_the_last_statistics_marked_as_such(
    store_settings: Settings,
) -> None:
    import time

    from store_fixtures import SEEDS

    from nianbao.web.pages import data
    from nianbao.web.store.services.importer import import_paths

    site = build_site(store_settings)
    data._STATS.clear()
    admin = signed_in(site, "admin")
    year = site.ours.year
    first = json.loads(admin.get(f"/api/stats?year={year}").content)["stats"]
    assert first["updating"] is False
    import_paths(SEEDS[2:], store_settings)
    stale = json.loads(admin.get(f"/api/stats?year={year}").content)["stats"]
    assert stale["updating"] is True and stale["reports"] == first["reports"] and stale["as_of"] == first["as_of"]
    for _ in range(100):  # the refresh finishes in the background
        fresh = json.loads(admin.get(f"/api/stats?year={year}").content)["stats"]
        if not fresh["updating"]:
            break
        time.sleep(0.1)
    from nianbao.web.store.models import Report

    assert fresh["updating"] is False and fresh["reports"] == Report.objects.filter(year=year).count()


def test_pdf_pages_drawn_for_many_people_at_once_never_crash_the_server() -> None:
    """PDFium is not thread-safe: reading, drawing and listing pages take one lock (nianbao.pdfium),
    as the web app's request threads do all three at once.  Without it this crashes the process."""
    import threading

    from store_fixtures import CORPUS

    from nianbao.readers import read_bytes
    from nianbao.web.pages.source import _pdf_pages, _render_pdf

    data = (CORPUS / "011_huaian_2024.pdf").read_bytes()
    failures: list[BaseException] = []

    def work(number: int) -> None:
        try:
            for _ in range(3):
                assert _render_pdf(data, number)[:4] == b"\x89PNG"
                assert len(_pdf_pages(data)) >= number
                read_bytes(data, "011.pdf")
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(number,)) for number in (1, 2, 3, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
