"""The agency workspace: the ledger kept in the browser, the same core rules as the workbook."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from web_fixtures import PASSWORD, person

from nianbao.settings import Settings
from nianbao.web.accounts.models import Role
from nianbao.web.store.models import Agency, AuditEntry
from nianbao.web.workspace import services
from test_ledger_spreadsheet import filled_ledger

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies(store_settings: Settings) -> tuple[Agency, Agency]:
    ours = Agency.objects.create(name="测试市商务局", normalized_name="测试市商务局", region_code="910100")
    theirs = Agency.objects.create(name="测试市教育局", normalized_name="测试市教育局", region_code="910100")
    person("clerk", Role.CLERK, agency=ours)
    person("approver", Role.APPROVER, agency=ours)
    person("other_clerk", Role.CLERK, agency=theirs)
    person("reviewer", Role.REVIEWER, region="910000")
    return ours, theirs


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_a_clerk_records_an_application_and_sees_its_statutory_due_date(agencies: tuple[Agency, Agency]) -> None:
    ours, _theirs = agencies
    clerk = signed_in("clerk")
    assert clerk.get("/").headers["Location"] == "/workspace/"
    today = dt.date.today()
    response = clerk.post(
        "/workspace/applications/",
        {"number": "2026-001", "received": today.isoformat(), "channel": "online", "applicant_type": "natural_person",
         "applicant_name": "张三", "request": "某项目的批复文件"},
    )  # fmt: skip
    assert response.status_code == 302
    data = json.loads(clerk.get("/api/workspace").content)
    (entry,) = data["applications"]
    assert entry["number"] == "2026-001" and entry["due"] is not None and entry["state"] in ("open", "due_soon")
    assert dt.date.fromisoformat(entry["due"]) > today and entry["steps"]  # 20 working days (第三十三条)
    assert "张三" not in json.dumps(data)  # the applicant's personal data stays out of the status
    page = clerk.get("/workspace/").content.decode("utf-8")
    assert "2026-001" in page and "某项目的批复文件" in page
    # the same number twice is refused, the ledger keeps one
    clerk.post("/workspace/applications/", {"number": "2026-001", "received": today.isoformat(), "channel": "online",
                                            "applicant_type": "natural_person"})  # fmt: skip
    assert len(services.read(ours).ledger.applications) == 1
    # the reply closes it, with the revision the page was drawn from
    clerk.post("/workspace/applications/2026-001/close/",
               {"result": "granted", "closed": today.isoformat(), "revision": data["revision"]})  # fmt: skip
    assert services.read(ours).ledger.applications[0].result == "granted"
    assert json.loads(clerk.get("/api/workspace").content)["applications"] == []  # open ones only
    assert AuditEntry.objects.filter(action__in=["application_add", "application_close"], who="web:clerk").count() == 2


def test_a_change_from_an_old_page_is_refused_rather_than_overwriting(agencies: tuple[Agency, Agency]) -> None:
    ours, _theirs = agencies
    clerk = signed_in("clerk")
    day = dt.date.today().isoformat()
    for number in ("A", "B"):
        clerk.post("/workspace/applications/", {"number": number, "received": day, "channel": "post",
                                                "applicant_type": "other_org"})  # fmt: skip
    stale = 1  # the revision after the first application only
    response = clerk.post("/workspace/applications/A/close/", {"result": "granted", "closed": day, "revision": stale},
                          follow=True)  # fmt: skip
    assert "台账已被他人修改" in response.content.decode("utf-8")
    assert all(app.result is None for app in services.read(ours).ledger.applications)


def test_the_workbook_imports_and_the_years_report_is_drafted_from_it(
    agencies: tuple[Agency, Agency], tmp_path: Path
) -> None:
    ours, _theirs = agencies
    workbook = filled_ledger(tmp_path / "台账.xlsx")
    clerk = signed_in("clerk")
    response = clerk.post("/workspace/import/", {"workbook": SimpleUploadedFile("台账.xlsx", workbook.read_bytes())},
                          follow=True)  # fmt: skip
    assert "已导入台账" in response.content.decode("utf-8")
    ledger = services.read(ours).ledger
    assert len(ledger.applications) >= 6 and len(ledger.cases) == 2
    draft = json.loads(clerk.get("/api/workspace/report?year=2025").content)
    assert draft["contract"]["table3"]["received_new"]["total"] >= 5
    page = clerk.get("/workspace/report/?year=2025").content.decode("utf-8")
    assert "收到和处理政府信息公开申请情况" in page
    docx = clerk.get("/workspace/report/file/docx?year=2025")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    # a damaged workbook changes nothing
    before = services.read(ours).revision
    clerk.post("/workspace/import/", {"workbook": SimpleUploadedFile("x.xlsx", b"not a workbook")})
    assert services.read(ours).revision == before


def test_each_agency_keeps_its_own_ledger_and_only_clerks_change_it(agencies: tuple[Agency, Agency]) -> None:
    ours, theirs = agencies
    day = dt.date.today().isoformat()
    signed_in("clerk").post("/workspace/applications/", {"number": "X1", "received": day, "channel": "online",
                                                         "applicant_type": "other_org"})  # fmt: skip
    assert json.loads(signed_in("other_clerk").get("/api/workspace").content)["applications"] == []
    assert (
        json.loads(signed_in("other_clerk").get(f"/api/workspace?agency={ours.pk}").content)["agency"]["id"]
        == theirs.pk
    )
    approver = signed_in("approver")
    assert len(json.loads(approver.get("/api/workspace").content)["applications"]) == 1
    refused = approver.post("/workspace/applications/", {"number": "X2", "received": day, "channel": "online",
                                                         "applicant_type": "other_org"})  # fmt: skip
    assert refused.status_code == 403
    assert signed_in("reviewer").get("/workspace/").status_code == 403
    assert len(services.read(ours).ledger.applications) == 1
