"""The web app in a real browser: Debian's chromium driven by Playwright (no browser download).

The pages are taken as a person uses them: log in through the form, read the dashboard, open a
report, click a finding and see its cell marked, be refused where the role does not reach.
Screenshots go to ``$NIANBAO_SCREENSHOTS`` when set (``make screenshots`` writes docs/screenshots),
else to the test's temporary folder.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from store_fixtures import CORPUS
from web_fixtures import PASSWORD, person

from nianbao.ledger.cases import Application
from nianbao.sample import SampleParams, write_sample
from nianbao.settings import Settings
from nianbao.web.accounts.models import Role
from nianbao.web.store.models import Agency, Finding, Report
from nianbao.web.store.services.agencies import load_list, read_rows
from nianbao.web.store.services.importer import import_paths
from nianbao.web.workspace.services import add_application

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PARAMS = SampleParams(reports=60, seed=1, error_rate=0.35, kinds=("txt", "html"), first_year=2023, last_year=2024)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    directory = Path(os.environ.get("NIANBAO_SCREENSHOTS") or tmp_path / "screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail("浏览器测试需要 Debian 的 chromium（scripts/install-system-deps.sh 会安装它）")
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread, where Django refuses ORM calls (and would
    # open a second connection for them): the tests read the database before this starts.
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--lang=zh-CN"])
        yield launched
        launched.close()


@pytest.fixture
def collection(store_settings: Settings, tmp_path: Path) -> None:
    sample = tmp_path / "sample"
    write_sample(PARAMS, sample)
    load_list(read_rows(sample / "名录.csv"), who="test")
    import_paths([sample], store_settings, who="test")
    person("reviewer", Role.REVIEWER, region="910000")
    clerk_agency = Agency.objects.get(name="甲市教育局")
    person("clerk", Role.CLERK, agency=clerk_agency)
    today = dt.date.today()
    for number, days_ago, kind, request in (
        ("2026-031", 45, "natural_person", "某小区规划许可文件"),
        ("2026-035", 24, "commercial", "某项目招标文件"),
        ("2026-040", 3, "legal_service", "某行政处罚决定书"),
    ):
        application = Application(
            number=number, received=today - dt.timedelta(days=days_ago), channel="online",
            applicant_type=kind, request=request,
        )  # fmt: skip
        add_application(clerk_agency, application, None, who="test")


@pytest.fixture
def target(collection: None) -> Finding:
    """An error finding that names cells, in the reviewer's region."""
    found = Finding.objects.filter(severity="error", report__agency__region_code__startswith="91").exclude(cells=[])
    finding = found.select_related("report").order_by("report_id", "pk").first()
    assert finding is not None
    return finding


@pytest.fixture
def pdf_report(store_settings: Settings) -> int:
    """A real PDF report in the reviewer's region (the corpus file's agency placed there)."""
    import_paths([CORPUS / "011_huaian_2024.pdf"], store_settings, who="test")
    report = Report.objects.get()
    assert report.agency is not None
    Agency.objects.filter(pk=report.agency.pk).update(region_code="910100", region_name="甲市")
    person("reviewer", Role.REVIEWER, region="910000")
    return report.pk


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_a_reviewer_reads_the_dashboard_and_traces_a_finding_to_its_cell(
    target: Finding, browser: Any, live_server: Any, shots: Path
) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.screenshot(path=str(shots / "login.png"))
    log_in(page, live_server.url, "reviewer")
    assert page.url.endswith("/dashboard/")
    assert page.locator("h1").inner_text().startswith("示例省")
    page.wait_for_selector("#chart canvas")  # ECharts drew the chart from the bundled copy
    page.screenshot(path=str(shots / "dashboard.png"), full_page=True)

    page.click("nav >> text=审核")
    assert page.locator("table.data tbody tr").count() > 0
    page.screenshot(path=str(shots / "review.png"))

    page.goto(f"{live_server.url}/reports/{target.report_id}/")
    first_cell = target.cells[0]
    box = page.locator(f".finding[data-cells~='{first_cell}']").first
    box.click()
    marked = page.locator(f"td[data-cell='{first_cell}']")
    assert "selected" in (marked.get_attribute("class") or "")
    assert page.locator("#cell-detail [data-field=cell]").inner_text() == first_cell
    # the text original beside the tables, the cell's line marked in it
    page.wait_for_selector(".source-lines")
    line = target.report.contract["cells"][first_cell]["location"]["line"]
    assert page.locator(f"#src-line-{line}").get_attribute("class") == "source-mark"
    page.screenshot(path=str(shots / "report.png"), full_page=True)
    # what every rule checked, folded until asked for
    assert not page.locator("#checklist li").first.is_visible()
    page.locator("#checklist summary").click()
    assert page.locator("#checklist li").first.is_visible()
    box = page.locator("#checklist").bounding_box()
    assert box is not None  # its head and first items are enough to show it
    top = box["y"] + page.evaluate("window.scrollY")  # the box is in the viewport, the clip in the page
    clip = {"x": box["x"], "y": top, "width": box["width"], "height": min(box["height"], 900)}
    page.screenshot(path=str(shots / "report-checklist.png"), full_page=True, clip=clip)
    assert not errors, errors  # no script failed, nothing refused by the content policy


def test_a_pdf_original_shows_its_page_with_the_cells_box_drawn(
    pdf_report: int, browser: Any, live_server: Any, shots: Path
) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    log_in(page, live_server.url, "reviewer")
    page.goto(f"{live_server.url}/reports/{pdf_report}/")
    page.wait_for_selector(".source-page img")
    cell = page.locator("td.value.status-value").nth(3)
    cell.click()
    page.wait_for_selector(".source-box-mark")
    mark = page.locator(".source-box-mark").bounding_box()
    image = page.locator(".source-page img").first.bounding_box()
    assert mark is not None and image is not None and mark["width"] > 5 and mark["height"] > 5
    assert image["x"] <= mark["x"] <= image["x"] + image["width"]
    page.screenshot(path=str(shots / "report-pdf.png"))


def test_a_clerk_sees_its_own_reports_and_is_refused_the_office_pages(
    collection: None, browser: Any, live_server: Any, shots: Path
) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    log_in(page, live_server.url, "clerk")
    assert page.url.endswith("/workspace/")  # the agency's own ledger first
    assert page.locator("tr.urgent").count() >= 1  # the application received 45 days ago is overdue
    page.screenshot(path=str(shots / "workspace.png"), full_page=True)
    page.click("nav >> text=登记簿")
    page.fill("form[action='/workspace/registers/figures/'] input[name=year]", "2025")
    page.fill("form[action='/workspace/registers/figures/'] input[name=licensing]", "120")
    page.click("form[action='/workspace/registers/figures/'] button[type=submit]")
    assert "120" in page.locator("section", has_text="年度数字").inner_text()
    page.screenshot(path=str(shots / "registers.png"), full_page=True)
    page.click("nav >> text=台账")
    page.click("text=年度报告草稿")
    page.wait_for_selector("section.approval")
    assert page.locator("textarea[name=section_1]").count() == 1
    page.screenshot(path=str(shots / "draft.png"))
    page.goto(f"{live_server.url}/reports/")
    agencies = set(page.locator("table.data tbody td:first-child a:first-child").all_inner_texts())
    assert agencies == {"甲市教育局"}
    page.screenshot(path=str(shots / "clerk-reports.png"))
    response = page.goto(f"{live_server.url}/dashboard/")
    assert response is not None and response.status == 403
    assert "无权访问" in page.locator("h1").inner_text()


@pytest.fixture
def public_agency(collection: None) -> int:
    return Agency.objects.get(name="甲市教育局").pk


def test_a_member_of_the_public_applies_on_a_phone_and_follows_the_status(
    public_agency: int, browser: Any, live_server: Any, shots: Path
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    page.goto(f"{live_server.url}/public/?q=甲市教育局")
    page.click("text=在线申请")
    page.fill("input[name=name]", "李四")
    page.fill("input[name=contact]", "13900000000")
    page.fill("textarea[name=request]", "本局2025年校舍维修项目的招标文件")
    page.select_option("select[name=delivery]", "电子邮件")
    page.screenshot(path=str(shots / "public-apply.png"), full_page=True)
    page.click("button[type=submit]")
    number = page.locator(".receipt dd strong").nth(0).inner_text()
    code = page.locator(".receipt dd strong").nth(1).inner_text()
    page.screenshot(path=str(shots / "public-received.png"))
    page.click("text=查询办理进度和答复期限")
    page.fill("input[name=number]", number)
    page.fill("input[name=code]", code)
    page.click("button[type=submit]")
    assert page.locator(".receipt").inner_text().count("李四") == 0
    assert "答复期限" in page.locator(".receipt").inner_text()
    page.screenshot(path=str(shots / "public-status.png"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone's screen


@pytest.fixture
def everyone(collection: None) -> dict[str, str]:
    """One person of each role besides the reviewer and the clerk; where each lands after login."""
    from nianbao.web.accounts.models import Profile

    agency = Agency.objects.get(name="甲市教育局")
    person("admin", Role.ADMIN)
    person("viewer", Role.VIEWER, region="910100")
    for name, stage in (("chu", "first"), ("fu", "second"), ("zhong", "final")):
        person(name, Role.APPROVER, agency=agency)
        Profile.objects.filter(user__username=name).update(stages=[stage])
    return {"admin": "/dashboard/", "reviewer": "/dashboard/", "viewer": "/dashboard/", "clerk": "/workspace/",
            "chu": "/workspace/"}  # fmt: skip


def test_each_role_logs_in_to_its_own_first_page(everyone: dict[str, str], browser: Any, live_server: Any) -> None:
    for name, landing in everyone.items():
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        log_in(page, live_server.url, name)
        assert page.url.endswith(landing), (name, page.url)
        assert name in page.locator(".who").inner_text()
        context.close()


def test_a_clerk_records_an_application_and_the_report_passes_three_reviews_to_publication(
    everyone: dict[str, str], browser: Any, live_server: Any, shots: Path
) -> None:
    clerk_context = browser.new_context(locale="zh-CN", accept_downloads=True)
    clerk = clerk_context.new_page()
    log_in(clerk, live_server.url, "clerk")
    clerk.fill("input[name=number]", "2026-050")
    clerk.fill("input[name=request]", "某学校的年度预算")
    clerk.click("form[action='/workspace/applications/'] button[type=submit]")
    row = clerk.locator("tr", has_text="2026-050")
    assert row.count() == 1 and row.locator("td").nth(6).inner_text().startswith("20")  # its due date
    year = dt.date.today().year - 1
    clerk.goto(f"{live_server.url}/workspace/report/?year={year}")
    with clerk.expect_download() as download:
        clerk.click("text=下载 Word")
    assert download.value.suggested_filename.endswith(".docx")
    clerk.click("text=提交初审")
    assert "审核中" in clerk.locator("section.approval").inner_text()
    for name in ("chu", "fu", "zhong"):
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        log_in(page, live_server.url, name)
        page.goto(f"{live_server.url}/workspace/report/?year={year}")
        page.fill("form.sign input[name=reason]", "同意")
        if name == "zhong":
            page.screenshot(path=str(shots / "approval.png"))
        page.click("form.sign button[value=approved]")
        context.close()
    clerk.goto(f"{live_server.url}/workspace/report/?year={year}")
    approval = clerk.locator("section.approval").inner_text()
    assert "已发布第1版" in approval and "终审 通过" in approval
    clerk_context.close()


def test_a_reviewer_uploads_a_zip_and_follows_it_to_a_cell_in_the_source(
    collection: None, browser: Any, live_server: Any, shots: Path, tmp_path: Path, store_settings: Settings
) -> None:
    import threading
    import zipfile

    from nianbao.web.store.services.queue import Worker, WorkerContext

    # a web page of an agency on the list, sent again with a change: a second source of its report
    page_file = sorted((tmp_path / "sample" / "2024").glob("*.html"))[0]
    archive = tmp_path / "上报.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(page_file.name, page_file.read_bytes() + "<!-- 再次上报 -->".encode())
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    log_in(page, live_server.url, "reviewer")
    page.click("nav >> text=上传")
    page.set_input_files("input[name=files]", str(archive))
    page.click("form.upload button[type=submit]")
    assert "/imports/" in page.url and "等待处理" in page.locator("#import-items").inner_text()
    # the worker takes it (in its own thread: Playwright's event loop holds this one)
    worker = threading.Thread(target=Worker(WorkerContext(settings=store_settings), burst=True, interval=0.01).run)
    worker.start()
    worker.join(timeout=120)
    page.wait_for_selector("#import-items:not([hx-trigger])", timeout=20_000)  # the page stopped polling
    page.screenshot(path=str(shots / "import.png"))
    page.locator("#import-items a").first.click()
    page.wait_for_selector(".source-document")
    page.locator("td.value.status-value").nth(5).click()
    marked = page.locator(".source-mark")
    assert marked.count() == 1 and marked.first.inner_text().strip() != ""
