"""The checks across reports (issue 9): numbers worked out by hand, the sample's seeded copied text,
the real consecutive years of the corpus, and table-2 glued runs pinned by last year's report."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from helpers import SEEDS
from nianbao import parse_file
from nianbao.model import CellValue, Report
from nianbao.pipeline import load_report, recheck
from nianbao.rules import RULES, AgencyInfo, missing_reports, run_rules
from nianbao.rules.duplicate import THRESHOLD, narrative, similarity
from nianbao.rules.timeliness import UNDECIDED, kind_by_name, publication_deadline
from nianbao.sample import SampleParams, plan

CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def report() -> Report:
    return parse_file(SEEDS[3])  # 将乐县工业和信息化局 2023


def last_year() -> Report:
    previous = report()
    previous.year = 2022
    return previous


def messages(rep: Report, previous: Report | None, code: str, agency: AgencyInfo | None = None) -> list[str]:
    return [f"{f.severity}:{f.message}" for f in run_rules(rep, previous, [code], agency=agency)]


def set_cell(rep: Report, cell_id: str, value: float) -> None:
    table, row, col = cell_id.split(".")
    getattr(rep, table)[row][col] = CellValue(value=value, raw=str(value), status="value")


# ---------------------------------------------------------------------------------- X-CARRY


def test_carry_over_is_checked_per_applicant_column() -> None:
    this, last = report(), last_year()
    # two open applications of a 商业企业 and one of a 其他 carried into 2023, the total says 3
    for cell, value in (("commercial", 2), ("other_org", 1), ("total", 3)):
        set_cell(last, f"table3.carried_over_out.{cell}", value)
    assert messages(this, last, "X-CARRY") == [
        "warning:商业企业列：本年“二、上年结转”为0，上年报告“四、结转下年度继续办理”为2",
        "warning:其他列：本年“二、上年结转”为0，上年报告“四、结转下年度继续办理”为1",
    ]  # the total differs only because those columns do: not said a third time


def test_carry_over_names_the_total_when_only_the_total_differs() -> None:
    this, last = report(), last_year()
    set_cell(last, "table3.carried_over_out.total", 4)
    assert messages(this, last, "X-CARRY") == [
        "warning:总计列：本年“二、上年结转”为0，上年报告“四、结转下年度继续办理”为4"
    ]


# ---------------------------------------------------------------------------------- X-VALID, T2-REPEAL


def in_force(rep: Report, row: str, issued: float, repealed: float, now: float) -> None:
    for col, value in (("issued", issued), ("repealed", repealed), ("in_force", now)):
        set_cell(rep, f"table2.{row}.{col}", value)


def test_in_force_continuity_is_a_warning_with_the_sum() -> None:
    this, last = report(), last_year()
    in_force(last, "normative_documents", 4, 0, 10)
    in_force(this, "normative_documents", 3, 1, 11)  # 10 + 3 - 1 = 12, not 11
    assert messages(this, last, "X-VALID") == [
        "warning:行政规范性文件：现行有效11 ≠ 上年现行有效10＋本年制发3－本年废止1（＝12）"
    ]
    in_force(this, "normative_documents", 3, 1, 12)
    assert messages(this, last, "X-VALID") == []
    last.year = 2021  # not the year before: nothing to compare
    in_force(this, "normative_documents", 3, 1, 11)
    assert messages(this, last, "X-VALID") == []


def test_repealing_more_than_was_in_force() -> None:
    this, last = report(), last_year()
    in_force(last, "regulations", 0, 0, 2)
    in_force(this, "regulations", 1, 5, 0)  # 5 repealed of at most 2 + 1
    assert messages(this, last, "T2-REPEAL") == ["warning:规章：本年废止5件，多于上年现行有效2件与本年制发1件之和"]
    in_force(this, "regulations", 1, 3, 0)  # all three repealed: possible
    assert messages(this, last, "T2-REPEAL") == []


# ---------------------------------------------------------------------------------- DEADLINE


def test_deadline_follows_the_statute_by_level() -> None:
    # 第四十九条: 县级以上人民政府部门 by 1月31日, 县级以上地方人民政府 by 3月31日, 乡镇: no date
    assert publication_deadline(2023, "将乐县工业和信息化局") == (dt.date(2024, 1, 31), "县级以上人民政府部门年度报告")
    assert publication_deadline(2023, "将乐县人民政府") == (dt.date(2024, 3, 31), "县级以上地方人民政府年度报告")
    for township in ("将乐县白莲镇人民政府", "将乐县高唐乡人民政府", "某旗某苏木人民政府", "某区某街道办事处"):
        assert publication_deadline(2023, township) is None, township
    # the office's list decides over the name
    county_government = AgencyInfo.from_level("county_government")
    assert county_government == AgencyInfo("county", "government")
    assert publication_deadline(2023, "平潭综合实验区", county_government) == (
        dt.date(2024, 3, 31),
        "县级以上地方人民政府年度报告",
    )
    assert publication_deadline(2023, "某镇人民政府", AgencyInfo.from_level("county_government")) is not None
    assert publication_deadline(2023, "将乐县人民政府", AgencyInfo.from_level("township_government")) is None
    assert AgencyInfo.from_level("") == AgencyInfo() and AgencyInfo.from_level("other") == AgencyInfo(None, "other")
    # the labels an office's list (and the sample's 名录) writes
    assert AgencyInfo.from_level("县级部门") == AgencyInfo("county", "department")
    assert AgencyInfo.from_level("乡级政府") == AgencyInfo("township", "government")
    assert AgencyInfo.from_level("市级人民政府") == AgencyInfo("city", "government")


def test_deadline_rule_reads_the_agency_info() -> None:
    rep = report()
    rep.published = dt.date(2024, 2, 5)
    assert messages(rep, None, "DEADLINE") == [
        "warning:发布日期2024-02-05晚于县级以上人民政府部门年度报告的法定期限2024-01-31（晚5天）"
    ]
    assert messages(rep, None, "DEADLINE", AgencyInfo.from_level("county_government")) == []
    rep.agency = "将乐县白莲镇人民政府"
    rep.published = dt.date(2024, 6, 1)
    assert messages(rep, None, "DEADLINE") == []  # no statutory date for a township


def test_a_government_is_also_a_place_name_or_a_zone_committee() -> None:
    # 第四十九条's 本级政府 report is published under the area's name or its 管理委员会 as often as
    # under …人民政府; a department ends as departments do
    for government in (
        "平潭综合实验区",
        "某某新区",
        "沭阳县",
        "洪泽区",
        "某县政府",
        "苏州工业园区管理委员会",
        "某某开发区管委会",
    ):
        assert kind_by_name(government) == "government", government
        assert publication_deadline(2023, government) == (dt.date(2024, 3, 31), "县级以上地方人民政府年度报告")
    for department in ("平潭综合实验区交通与建设局", "某县人民政府办公室", "某市城市管理委员会", "某市卫生健康委"):
        assert kind_by_name(department) == "department", department
    for township in ("某县某镇", "某区某街道", "某县某乡政府"):
        assert kind_by_name(township) == "township", township
    # names that do not tell: no statutory date is claimed that may be the wrong one
    for unknown in (None, "", "某管理委员会", "某社区", "某自然保护区", "某某"):
        assert kind_by_name(unknown) is None, unknown
        assert publication_deadline(2023, unknown) == (dt.date(2024, 3, 31), UNDECIDED)
    # the list still decides over the name
    assert publication_deadline(2023, "某管理委员会", AgencyInfo.from_level("county_department")) == (
        dt.date(2024, 1, 31),
        "县级以上人民政府部门年度报告",
    )


def test_deadline_says_so_where_the_name_does_not_tell() -> None:
    rep = report()
    rep.agency = None
    rep.published = dt.date(2024, 2, 5)
    assert messages(rep, None, "DEADLINE") == [
        "info:发布日期2024-02-05晚于县级以上人民政府部门年度报告的期限2024-01-31，未晚于县级以上地方人民政府年度报告的期限"
        "2024-03-31；报告未载明机关名称，不足以判断是政府部门还是本级政府，未作判断，请核实"
    ]
    rep.agency = "某管理委员会"
    assert [m.split("；")[1] for m in messages(rep, None, "DEADLINE")] == [
        "机关名称“某管理委员会”不足以判断是政府部门还是本级政府，未作判断，请核实"
    ]
    assert messages(rep, None, "DEADLINE", AgencyInfo.from_level("county_government")) == []
    rep.published = dt.date(2024, 1, 20)
    assert messages(rep, None, "DEADLINE") == []
    rep.published = dt.date(2024, 4, 2)  # late whichever it is
    assert messages(rep, None, "DEADLINE") == [
        "warning:发布日期2024-04-02晚于县级以上地方人民政府或其部门年度报告的法定期限2024-03-31（晚2天）"
    ]


@pytest.mark.parametrize(
    "name", ["003_pingtan_2020.txt", "004_pingtan_2021.txt", "006_pingtan_2023.txt", "007_pingtan_2024.txt"]
)
def test_zone_reports_published_before_march_are_not_late(name: str) -> None:
    # 平潭综合实验区's own report, published in February or March: on time for a 本级政府
    rep = parse_file(CORPUS / name)
    assert rep.agency == "平潭综合实验区" and rep.published is not None and rep.published.month in (2, 3)
    assert run_rules(rep, None, ["DEADLINE"]) == []


# ---------------------------------------------------------------------------------- DUP

OWN = "本机关坚持把政务公开作为转变政府职能的重要抓手，围绕群众关切的教育医疗养老等领域，逐条梳理公开事项目录并按季度更新。"


def test_similarity_ignores_numbers_names_and_boilerplate() -> None:
    last = "甲县教育局2022年主动公开信息120条。" + OWN + "本报告中所列数据统计期限为2022年1月1日至12月31日。"
    this = "乙县教育局2023年主动公开信息98条。" + OWN + "本报告中所列数据统计期限为2023年1月1日至12月31日。"
    found = similarity(this, last, ["甲县教育局", "乙县教育局"])
    assert found.share == 1.0  # only the numbers and the name differ; the period sentence is dropped
    assert found.passages[0].startswith("本机关坚持把政务公开作为转变政府职能")  # the longest shared sentence
    other = "本年度重点推进基层政务公开标准化规范化建设，在村居两级设立公开栏，请群众代表参与评议公开质量。"
    assert similarity(other, OWN).share == 0.0


def test_dup_message_shows_the_share_and_passages() -> None:
    this, last = report(), last_year()
    last.sections["1"].text = this.sections["1"].text = OWN * 4
    found = messages(this, last, "DUP")
    assert len(found) == 1 and found[0].startswith("warning:正文有")
    assert "与2022年度报告相同" in found[0] and "“本机关坚持把政务公开作为转变政府职能的重要抓手，……”" in found[0]
    assert found[0].count("本机关坚持") == 1  # a passage repeated in the text is shown once


@pytest.fixture(scope="module")
def sample_pairs() -> list[tuple[bool, Report, Report]]:
    """(copied?, report, previous) of every consecutive pair of a generated sample."""
    _layout, reports = plan(SampleParams(reports=600, seed=21, error_rate=0.3, kinds=("txt",)))
    last: dict[str, tuple[int, Report]] = {}
    pairs = []
    for item in reports:
        before = last.get(item.agency.name)
        if before is not None and before[0] == item.year - 1:
            pairs.append((any(e.kind == "copied_text" for e in item.errors), item.report, before[1]))
        last[item.agency.name] = (item.year, item.report)
    return pairs


def test_dup_finds_every_copied_sample_report_and_no_clean_one(
    sample_pairs: list[tuple[bool, Report, Report]],
) -> None:
    copied = [pair for pair in sample_pairs if pair[0]]
    clean = [pair for pair in sample_pairs if not pair[0]]
    assert len(copied) >= 20 and len(clean) >= 300
    for _copied, this, last in copied:
        assert messages(this, last, "DUP"), this.agency
    for _copied, this, last in clean:
        assert messages(this, last, "DUP") == [], this.agency
    started = time.perf_counter()
    for _copied, this, last in sample_pairs:
        similarity(narrative(this), narrative(last))
    per_pair = (time.perf_counter() - started) / len(sample_pairs)
    assert per_pair < 0.02, per_pair  # ~1 ms on this machine: a province's pairs in seconds


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("002_pingtan_2019.txt", "003_pingtan_2020.txt"),
        ("003_pingtan_2020.txt", "004_pingtan_2021.txt"),
        ("006_pingtan_2023.txt", "007_pingtan_2024.txt"),
    ],
)
def test_real_consecutive_years_are_not_copies(before: str, after: str) -> None:
    """平潭's reports are rewritten every year (3–10 % shared after the reduction): no DUP."""
    last, this = parse_file(CORPUS / before), parse_file(CORPUS / after)
    found = similarity(narrative(this), narrative(last), [name for name in (this.agency, last.agency) if name])
    assert found.compared > 1000 and found.share < THRESHOLD / 4
    assert not [f for f in run_rules(this, last, ["DUP"])]


# ---------------------------------------------------------------------------------- MISSING


def test_missing_reports_per_agency_and_year() -> None:
    agencies = {1: "甲县教育局", 2: "甲县人民政府"}
    found = missing_reports(agencies, [(1, 2023), (2, 2023), (1, 2024)], [2024, 2023])
    assert [(f.agency, f.year, f.finding.code, f.finding.severity) for f in found] == [(2, 2024, "MISSING", "error")]
    assert found[0].finding.message.startswith("甲县人民政府没有2024年度政府信息公开工作年度报告")


def test_missing_reports_match_the_sample_manifest() -> None:
    layout, reports = plan(SampleParams(reports=200, seed=3, error_rate=0.2, kinds=("txt",)))
    present = [(item.agency.name, item.year) for item in reports]
    found = missing_reports({a.name: a.name for a in layout.agencies}, present, layout.params.years)
    assert sorted((f.agency, f.year) for f in found) == sorted((m.agency.name, m.year) for m in layout.missing)
    assert layout.missing


def test_every_rule_kind_is_in_the_generated_docs() -> None:
    docs = (Path(__file__).parents[1] / "docs" / "rules.md").read_text(encoding="utf-8")
    for code in ("DUP", "T2-REPEAL", "X-VALID", "MISSING"):
        assert f"`{code}`" in docs
    assert "MISSING" not in RULES  # a collection rule: run by the store, not per file


# ---------------------------------------------------------------------------------- glued runs


def pingtan_2021() -> Report:
    # table 2 prints 行政规范性文件693665: 69|3|665 by the truth file, 6|93|665 … as far as the table goes
    return parse_file(CORPUS / "004_pingtan_2021.txt")


def previous_in_force(value: float) -> Report:
    previous = load_report((CORPUS / "006_pingtan_2023.txt").read_bytes(), "2020.txt")
    previous.year = 2020
    set_cell(previous, "table2.normative_documents.in_force", value)
    return previous


def test_glued_table2_run_is_pinned_by_last_years_in_force() -> None:
    this = pingtan_2021()
    assert this.table2 is not None and this.table2["normative_documents"]["issued"].reason == "glued_ambiguous"
    # 599 + 69 − 3 = 665; no other cut of 693665 (6|93|665 gives 512, 69|36|65 gives 632 …) ties
    findings = recheck(this, previous=previous_in_force(599)).findings
    row = this.table2["normative_documents"]
    assert [(row[c].status, row[c].value) for c in ("issued", "repealed", "in_force")] == [
        ("value", 69),
        ("value", 3),
        ("value", 665),
    ]
    glued = [f for f in findings if f.code == "GLUED" and "table2.normative_documents.in_force" in f.cells]
    assert len(glued) == 1 and "按上年（2020年度）报告的现行有效件数599" in glued[0].message
    assert not [f for f in findings if f.code == "UNREADABLE" and any(c.startswith("table2.") for c in f.cells)]
    assert not [f for f in findings if f.code == "X-VALID"]


def test_glued_run_stays_unreadable_without_exactly_one_consistent_cut() -> None:
    this = pingtan_2021()
    recheck(this, previous=previous_in_force(600))  # 600 + 69 − 3 = 666: no cut ties
    assert this.table2 is not None and this.table2["normative_documents"]["in_force"].status == "unreadable"
    trial = previous_in_force(599)
    trial.format_version = "trial2019"  # another table: nothing to tie
    recheck(this, previous=trial)
    assert this.table2["normative_documents"]["in_force"].status == "unreadable"


def test_a_stored_report_is_pinned_when_its_previous_year_arrives() -> None:
    stored = Report.from_contract(pingtan_2021().to_contract())
    assert stored.table2 is not None and stored.table2["normative_documents"]["repealed"].raw == "693665"
    recheck(stored, previous=previous_in_force(599))
    assert stored.table2["normative_documents"]["repealed"].value == 3
