"""The public side: the application form lands in the agency's ledger, the status is found by
number and code, published reports are listed, nothing personal is shown and floods are refused."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from nianbao.settings import Settings
from nianbao.web.store.models import Agency
from nianbao.web.workspace import services as ledgers
from nianbao.web.workspace.models import PublishedReport, ReportDraft

pytestmark = pytest.mark.django_db

FORM = {
    "applicant_type": "natural_person",
    "name": "张三",
    "id_number": "110101199001011234",
    "contact": "13800000000",
    "request": "2025年某路段改造工程的批复文件",
    "delivery": "电子邮件",
}


@pytest.fixture
def agency(store_settings: Settings) -> Agency:
    return Agency.objects.create(name="测试市交通运输局", normalized_name="测试市交通运输局", region_code="910100")


def applied(client: Client, agency: Agency, **changes: str) -> tuple[str, str]:
    response = client.post(f"/public/agencies/{agency.pk}/apply/", FORM | changes)
    assert response.status_code == 200, response.content.decode("utf-8")
    page = response.content.decode("utf-8")
    number = re.search(r"申请编号</dt><dd><strong>([^<]+)</strong>", page)
    code = re.search(r"查询码</dt><dd><strong>([^<]+)</strong>", page)
    assert number and code
    return number.group(1), code.group(1)


def test_an_online_application_lands_in_the_ledger_and_its_status_is_found_by_number_and_code(agency: Agency) -> None:
    client = Client()
    assert client.get(f"/public/agencies/{agency.pk}/apply/").status_code == 200  # no login
    number, code = applied(client, agency)
    (application,) = ledgers.read(agency).ledger.applications
    assert application.number == number and application.channel == "online" and "电子邮件" in application.note
    (applicant,) = ledgers.read(agency).ledger.applicants
    assert applicant.name == "张三" and applicant.id_number == FORM["id_number"]
    page = client.post("/public/status/", {"number": number, "code": code}).content.decode("utf-8")
    assert "办理中" in page or "即将到期" in page
    assert "张三" not in page and FORM["id_number"] not in page and FORM["contact"] not in page
    api = json.loads(client.post("/api/public/status", {"number": number, "code": code.lower()},
                                 content_type="application/json").content)  # fmt: skip
    assert api["number"] == number and api["due"] and "张三" not in json.dumps(api)
    wrong = client.post("/api/public/status", {"number": number, "code": "AAAAAAAA"}, content_type="application/json")
    assert wrong.status_code == 404


def test_a_form_filled_by_a_robot_or_a_flood_is_refused_and_nothing_is_recorded(agency: Agency) -> None:
    client = Client()
    trapped = client.post(f"/public/agencies/{agency.pk}/apply/", FORM | {"website": "http://spam"})
    assert trapped.status_code == 400 and not ledgers.read(agency).ledger.applications
    incomplete = client.post(f"/public/agencies/{agency.pk}/apply/", FORM | {"request": ""})
    assert incomplete.status_code == 400 and "请填写申请公开的政府信息" in incomplete.content.decode("utf-8")
    for n in range(5):
        applied(client, agency, request=f"第{n}件")
    flood = client.post(f"/public/agencies/{agency.pk}/apply/", FORM)
    assert flood.status_code == 400 and "提交过于频繁" in flood.content.decode("utf-8")
    api = client.post(f"/api/public/agencies/{agency.pk}/applications", FORM, content_type="application/json")
    assert api.status_code == 429
    assert len(ledgers.read(agency).ledger.applications) == 5
    numbers = [app.number for app in ledgers.read(agency).ledger.applications]
    assert len(set(numbers)) == 5  # each its own number


def test_published_reports_are_listed_shown_and_downloadable_without_login(agency: Agency) -> None:
    from nianbao.ledger import Ledger, build_report

    report = build_report(Ledger(agency=agency.name), 2025, agency=agency.name)
    contract = report.to_contract()
    contract["sections"]["1"]["text"] = "<script>alert(1)</script>本机关依法公开政府信息。"
    draft = ReportDraft.objects.create(agency=agency, year=2025, created_by="test", status="published")
    published = PublishedReport.objects.create(agency=agency, year=2025, version=1, contract=contract, draft=draft,
                                               published_by="web:zhong")  # fmt: skip
    client = Client()
    column = client.get(f"/public/agencies/{agency.pk}/").content.decode("utf-8")
    assert "2025年度报告" in column
    page = client.get(f"/public/reports/{published.pk}/").content.decode("utf-8")
    assert "本机关依法公开政府信息" in page and "<script>alert" not in page
    assert "收到和处理政府信息公开申请情况" in page
    assert client.get(f"/public/reports/{published.pk}/file/docx").content[:2] == b"PK"
    data = json.loads(client.get(f"/api/public/agencies/{agency.pk}").content)
    assert data["published"][0]["version"] == 1
    assert "web:zhong" not in json.dumps(data)  # who signed is the agency's business
    index = client.get("/public/?q=交通").content.decode("utf-8")
    assert "测试市交通运输局" in index
