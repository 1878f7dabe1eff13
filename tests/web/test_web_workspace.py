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
from test_ledger_spreadsheet import filled_ledger, with_several_consultations_and_report_texts

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
    workbook = with_several_consultations_and_report_texts(tmp_path / "台账.xlsx")
    clerk = signed_in("clerk")
    response = clerk.post("/workspace/import/", {"workbook": SimpleUploadedFile("台账.xlsx", workbook.read_bytes())},
                          follow=True)  # fmt: skip
    assert "已导入台账" in response.content.decode("utf-8")
    ledger = services.read(ours).ledger
    assert len(ledger.applications) >= 6 and len(ledger.cases) == 2
    draft = json.loads(clerk.get("/api/workspace/report?year=2025").content)
    assert draft["contract"]["table3"]["received_new"]["total"] >= 5
    # the workbook's 报告正文: the 落款日期 and the sections written there
    assert draft["contract"]["published"] == "2026-01-20"
    assert draft["sections"]["6"] == "本机关无其他需要报告的事项。"
    page = clerk.get("/workspace/report/?year=2025").content.decode("utf-8")
    assert "收到和处理政府信息公开申请情况" in page
    docx = clerk.get("/workspace/report/file/docx?year=2025")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    # the ledger kept here goes out as the same workbook
    exported = tmp_path / "exported.xlsx"
    exported.write_bytes(clerk.get("/workspace/export.xlsx").content)
    from nianbao.ledger.spreadsheet import read_ledger

    assert read_ledger(exported).ledger == read_ledger(workbook).ledger.model_copy(update={"agency": ledger.agency})
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


def approver(name: str, agency: Agency, *stages: str) -> Client:
    from nianbao.web.accounts.models import Profile

    person(name, Role.APPROVER, agency=agency)
    Profile.objects.filter(user__username=name).update(stages=list(stages))
    return signed_in(name)


def test_a_report_goes_through_three_reviews_to_a_frozen_version_and_a_correction_beside_it(
    agencies: tuple[Agency, Agency], tmp_path: Path
) -> None:
    from nianbao.web.workspace.models import ApprovalStep, PublishedReport

    ours, _theirs = agencies
    clerk = signed_in("clerk")
    clerk.post(
        "/workspace/import/",
        {"workbook": SimpleUploadedFile("台账.xlsx", filled_ledger(tmp_path / "l.xlsx").read_bytes())},
    )
    first, second, final = (
        approver("chu", ours, "first"),
        approver("fu", ours, "second"),
        approver("zhong", ours, "final"),
    )
    # the clerk edits the overview and submits
    draft = json.loads(clerk.get("/api/workspace/report?year=2025").content)
    overview = draft["sections"]["1"].replace("【待填写】", "本机关依法做好政府信息公开工作。")
    clerk.post("/workspace/report/sections/", {"year": 2025, "section_1": overview})
    clerk.post("/workspace/report/submit/", {"year": 2025})
    draft = json.loads(clerk.get("/api/workspace/report?year=2025").content)
    assert draft["draft"]["status"] == "in_review" and draft["draft"]["stage"] == "first"
    assert "本机关依法做好政府信息公开工作" in draft["sections"]["1"]
    # under review nothing changes it, and only the named person signs each stage
    refused = clerk.post("/workspace/report/sections/", {"year": 2025, "section_1": "改了"}, follow=True)
    assert "正在审核中" in refused.content.decode("utf-8")
    draft_id = draft["draft"]["id"]
    second.post(f"/workspace/drafts/{draft_id}/sign/", {"decision": "approved"})  # not its stage yet
    assert json.loads(clerk.get("/api/workspace/report?year=2025").content)["draft"]["stage"] == "first"
    # 初审 sends it back with a reason; the clerk's texts are kept for the next draft
    first.post(f"/workspace/drafts/{draft_id}/sign/", {"decision": "rejected", "reason": " "})
    assert json.loads(clerk.get("/api/workspace/report?year=2025").content)["draft"]["status"] == "in_review"
    first.post(f"/workspace/drafts/{draft_id}/sign/", {"decision": "rejected", "reason": "第五部分未写明改进措施"})
    back = json.loads(clerk.get("/api/workspace/report?year=2025").content)
    assert back["draft"] is None and back["drafts"][0]["status"] == "rejected"
    assert "本机关依法做好政府信息公开工作" in back["sections"]["1"]
    # resubmitted, it passes 初审, 复审, 终审 and is published as version 1
    clerk.post("/workspace/report/submit/", {"year": 2025})
    resubmitted = json.loads(clerk.get("/api/workspace/report?year=2025").content)["draft"]["id"]
    for signer in (first, second, final):
        signer.post(f"/workspace/drafts/{resubmitted}/sign/", {"decision": "approved", "reason": "同意"})
    published = PublishedReport.objects.get()
    assert published.version == 1 and "本机关依法做好政府信息公开工作" in published.contract["sections"]["1"]["text"]
    steps = list(ApprovalStep.objects.filter(draft_id=resubmitted).values_list("stage", "decision", "who"))
    assert steps == [("", "submitted", "web:clerk"), ("first", "approved", "web:chu"),
                     ("second", "approved", "web:fu"), ("final", "approved", "web:zhong")]  # fmt: skip
    assert AuditEntry.objects.filter(action="report_publish").count() == 1
    # a correction is a new version beside the old one, which stays as it was
    frozen = published.contract
    clerk.post("/workspace/report/sections/", {"year": 2025, "section_1": overview + "（更正）"})
    clerk.post("/workspace/report/submit/", {"year": 2025})
    correction = json.loads(clerk.get("/api/workspace/report?year=2025").content)["draft"]["id"]
    for signer in (first, second, final):
        signer.post(f"/workspace/drafts/{correction}/sign/", {"decision": "approved"})
    assert list(PublishedReport.objects.order_by("version").values_list("version", flat=True)) == [1, 2]
    assert PublishedReport.objects.get(version=1).contract == frozen
    assert clerk.get(f"/workspace/published/{published.pk}/docx").content[:2] == b"PK"
    # another agency's clerk cannot fetch it
    assert signed_in("other_clerk").get(f"/workspace/published/{published.pk}/docx").status_code == 404


def test_the_registers_are_kept_in_the_browser_and_reach_the_report(agencies: tuple[Agency, Agency]) -> None:
    clerk = signed_in("clerk")
    clerk.post("/workspace/registers/cases/", {"number": "复2025-1", "kind": "review", "filed": "2025-03-01",
                                               "outcome": "upheld", "concluded": "2025-05-01"})  # fmt: skip
    clerk.post("/workspace/registers/documents/", {"kind": "normative_documents", "doc_number": "测发〔2025〕1号",
                                                   "title": "关于某事的通知", "issued": "2025-02-01"})  # fmt: skip
    clerk.post("/workspace/registers/proactive/", {"title": "2025年预算", "published": "2025-02-10",
                                                   "category": "财政预算、决算", "reviews": "保密审查、合法性审查"})  # fmt: skip
    clerk.post("/workspace/registers/figures/", {"year": "2025", "licensing": "120", "punishment": "3", "fees": "1.5"})
    # a case concluded before it was filed is refused by the ledger's own check
    refused = clerk.post("/workspace/registers/cases/", {"number": "复2025-2", "kind": "review", "filed": "2025-06-01",
                                                         "outcome": "upheld", "concluded": "2025-05-01"}, follow=True)  # fmt: skip
    assert "审结日期早于收到（立案）日期" in refused.content.decode("utf-8")
    data = json.loads(clerk.get("/api/workspace/registers").content)
    assert [case["number"] for case in data["cases"]] == ["复2025-1"]
    assert data["documents"][0]["doc_number"] == "测发〔2025〕1号" and data["proactive"][0]["reviews"] == [
        "保密审查",
        "合法性审查",
    ]
    assert data["figures"] == [
        {"year": 2025, "licensing": 120, "punishment": 3, "coercion": None, "fees_wan_yuan": 1.5}
    ]
    report = json.loads(clerk.get("/api/workspace/report?year=2025").content)["contract"]
    assert report["table4"]["review"]["upheld"] == 1 and report["table2"]["normative_documents"]["issued"] == 1
    assert report["table2"]["licensing"]["decisions"] == 120
    assert "主动公开政府信息1条" in report["sections"]["1"]["text"]
    assert signed_in("approver").post("/workspace/registers/figures/", {"year": "2024"}).status_code == 403


def test_a_record_is_removed_only_from_the_page_it_was_seen_on_and_the_removal_is_kept(
    agencies: tuple[Agency, Agency],
) -> None:
    ours, _theirs = agencies
    clerk = signed_in("clerk")
    day = dt.date.today().isoformat()
    for number in ("A", "B"):
        clerk.post("/workspace/applications/", {"number": number, "received": day, "channel": "post",
                                                "applicant_type": "other_org"})  # fmt: skip
    clerk.post("/workspace/registers/proactive/", {"title": "某通知", "published": "2025-02-10"})
    revision = services.read(ours).revision
    clerk.post("/workspace/records/applications/A/remove/", {"revision": revision})
    assert [app.number for app in services.read(ours).ledger.applications] == ["B"]
    stale = clerk.post("/workspace/records/proactive/0/remove/", {"revision": revision}, follow=True)
    assert "台账已被他人修改" in stale.content.decode("utf-8") and len(services.read(ours).ledger.proactive) == 1
    clerk.post("/workspace/records/proactive/0/remove/", {"revision": services.read(ours).revision})
    assert services.read(ours).ledger.proactive == ()
    assert AuditEntry.objects.filter(action__startswith="ledger_remove", who="web:clerk").count() == 2
    assert signed_in("approver").post("/workspace/records/applications/B/remove/", {"revision": 99}).status_code == 403
