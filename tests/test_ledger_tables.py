"""Tables 2–4 from the ledger: consistent by construction, and year N's carry-over is N+1's carry-in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.formats import GOV2021
from nianbao.ledger.cases import (
    APPLICANT_TYPE_KEYS,
    NO_CORRECTION,
    NO_FEE,
    RESULT_KEYS,
    UNCLEAR_AFTER_CORRECTION,
    Applicant,
    Application,
    Case,
    CaseKind,
    CaseOutcome,
    Correction,
    DocumentKind,
    FeeNotice,
    Ledger,
    LedgerDataError,
    NormativeDocument,
    ProactiveItem,
    YearFigures,
    check_ledger,
)
from nianbao.ledger.tables import LedgerYearError, build_report, table3_counts, table4_counts
from nianbao.model import Report
from nianbao.rules import RULES, run_rules

D = dt.date
DAY = dt.timedelta(days=1)
ARITHMETIC = {code for code, rule in RULES.items() if rule.family == "arithmetic"}
TABLE3 = GOV2021.table3

dates = st.dates(min_value=D(2022, 6, 1), max_value=D(2026, 6, 30))


@st.composite
def applications(draw: st.DrawFn, number: int) -> Application:
    received = draw(dates)
    applicant_type = draw(st.sampled_from(APPLICANT_TYPE_KEYS))
    closed = draw(st.none() | st.integers(0, 400).map(lambda days: received + days * DAY))
    result = draw(st.sampled_from(RESULT_KEYS)) if closed is not None else None
    correction = None
    fee = None
    if result == NO_CORRECTION:
        assert closed is not None
        # a 补正 notice whose deadline passed before the application was closed
        sent = received + draw(st.integers(0, 5)) * DAY
        deadline = sent + draw(st.integers(0, 10)) * DAY
        closed = max(closed, deadline + DAY)
        correction = Correction(notice_sent=sent, deadline=deadline)
    elif result == UNCLEAR_AFTER_CORRECTION:
        assert closed is not None
        correction = Correction(notice_sent=received, deadline=closed, corrected_received=closed)
    elif result == NO_FEE:
        assert closed is not None
        fee = FeeNotice(notice_received=received, amount_yuan=Decimal(100))
    return Application(
        number=f"A{number}",
        received=received,
        applicant_type=applicant_type,
        result=result,
        closed=closed,
        correction=correction,
        fee=fee,
    )


@st.composite
def cases(draw: st.DrawFn, number: int) -> Case:
    filed = draw(dates)
    outcome = draw(st.sampled_from(list(CaseOutcome)))
    concluded = None if outcome is CaseOutcome.PENDING else filed + draw(st.integers(0, 500)) * DAY
    return Case(
        number=f"C{number}",
        kind=draw(st.sampled_from(list(CaseKind))),
        filed=filed,
        outcome=outcome,
        concluded=concluded,
    )


@st.composite
def documents(draw: st.DrawFn, number: int) -> NormativeDocument:
    issued = draw(st.dates(min_value=D(2015, 1, 1), max_value=D(2026, 6, 30)))
    repealed = draw(st.none() | st.integers(0, 3000).map(lambda days: issued + days * DAY))
    return NormativeDocument(
        kind=draw(st.sampled_from(list(DocumentKind))), doc_number=f"D{number}", issued=issued, repealed=repealed
    )


@st.composite
def ledgers(draw: st.DrawFn) -> Ledger:
    apps = [draw(applications(i)) for i in range(draw(st.integers(0, 40)))]
    all_cases = [draw(cases(i)) for i in range(draw(st.integers(0, 12)))]
    docs = [draw(documents(i)) for i in range(draw(st.integers(0, 12)))]
    return Ledger(agency="测试市测试局", applications=tuple(apps), cases=tuple(all_cases), documents=tuple(docs))


def _values(report: Report, table: str) -> dict[str, dict[str, float | int | None]]:
    data = report.table(table) or {}
    return {row: {col: cell.value for col, cell in cols.items()} for row, cols in data.items()}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_any_ledger_gives_tables_that_add_up_and_carry_over(ledger: Ledger) -> None:
    assert [p for p in check_ledger(ledger) if p.severity == "error"] == []
    reports = {year: build_report(ledger, year) for year in (2023, 2024, 2025, 2026)}
    for year, report in reports.items():
        findings = run_rules(report)
        assert [f for f in findings if f.code in ARITHMETIC] == [], year
        assert [f for f in findings if f.severity == "error"] == [], year
        # the contract round trip keeps the arithmetic
        again = Report.from_contract(report.to_contract())
        assert [f for f in run_rules(again, codes=ARITHMETIC) if f.severity == "error"] == []
    for year in (2024, 2025, 2026):
        previous, current = reports[year - 1], reports[year]
        t3_prev, t3_now = _values(previous, "table3"), _values(current, "table3")
        assert t3_now["carried_over_in"] == t3_prev["carried_over_out"]
        crossyear = run_rules(current, previous, codes={"X-CARRY", "X-VALID"})
        assert crossyear == []


def test_counts_by_receipt_and_closing_date() -> None:
    apps = (
        # received last year, open at its end → 上年结转; answered this year
        Application(
            number="1",
            received=D(2024, 12, 20),
            applicant_type="natural_person",
            result="granted",
            closed=D(2025, 1, 6),
        ),
        # received and answered last year: not in this year's table at all
        Application(
            number="2", received=D(2024, 3, 1), applicant_type="natural_person", result="granted", closed=D(2024, 3, 20)
        ),
        # received this year, open at its end → 结转下年度
        Application(number="3", received=D(2025, 12, 22), applicant_type="commercial"),
        # received this year, answered next year → still 结转下年度 this year
        Application(
            number="4",
            received=D(2025, 12, 1),
            applicant_type="research",
            result="partly_granted",
            closed=D(2026, 1, 5),
        ),
        # received this year and answered on 12-31 → counted in its result row
        Application(
            number="5",
            received=D(2025, 12, 1),
            applicant_type="legal_service",
            result="not_processed_duplicate",
            closed=D(2025, 12, 31),
        ),
        # open since two years ago
        Application(number="6", received=D(2023, 11, 1), applicant_type="other_org"),
    )
    counts = table3_counts(Ledger(applications=apps), 2025)
    total = "total"
    assert counts["received_new"] == {
        **dict.fromkeys(counts["received_new"], 0),
        "commercial": 1,
        "research": 1,
        "legal_service": 1,
        total: 3,
    }
    assert counts["carried_over_in"]["natural_person"] == 1 and counts["carried_over_in"]["other_org"] == 1
    assert counts["carried_over_in"][total] == 2
    assert counts["granted"][total] == 1 and counts["not_processed_duplicate"]["legal_service"] == 1
    assert counts["results_total"][total] == 2
    assert counts["carried_over_out"] == {
        **dict.fromkeys(counts["carried_over_out"], 0),
        "commercial": 1,
        "research": 1,
        "other_org": 1,
        total: 3,
    }


def test_table4_by_status_at_year_end() -> None:
    all_cases = (
        Case(
            number="1", kind=CaseKind.REVIEW, filed=D(2025, 2, 1), outcome=CaseOutcome.UPHELD, concluded=D(2025, 4, 1)
        ),
        # concluded next year: 尚未审结 at this year's end
        Case(
            number="2",
            kind=CaseKind.REVIEW,
            filed=D(2025, 11, 1),
            outcome=CaseOutcome.CORRECTED,
            concluded=D(2026, 1, 10),
        ),
        Case(number="3", kind=CaseKind.LITIGATION_DIRECT, filed=D(2025, 5, 1)),
        # filed last year, concluded this year: counted this year ("active"), not with "filed"
        Case(
            number="4",
            kind=CaseKind.LITIGATION_AFTER_REVIEW,
            filed=D(2024, 9, 1),
            outcome=CaseOutcome.OTHER,
            concluded=D(2025, 3, 1),
        ),
        # over before this year began
        Case(
            number="5", kind=CaseKind.REVIEW, filed=D(2024, 1, 1), outcome=CaseOutcome.UPHELD, concluded=D(2024, 6, 1)
        ),
    )
    ledger = Ledger(cases=all_cases)
    active = table4_counts(ledger, 2025)
    assert active["review"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2}
    assert active["litigation_direct"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}
    assert active["litigation_after_review"] == {"upheld": 0, "corrected": 0, "other": 1, "pending": 0, "total": 1}
    filed = table4_counts(ledger, 2025, "filed")
    assert filed["litigation_after_review"]["total"] == 0
    assert filed["review"]["total"] == 2


def test_table2_register_agrees_with_last_year() -> None:
    docs = (
        NormativeDocument(kind=DocumentKind.NORMATIVE_DOCUMENT, doc_number="甲〔2020〕1号", issued=D(2020, 5, 1)),
        NormativeDocument(
            kind=DocumentKind.NORMATIVE_DOCUMENT,
            doc_number="甲〔2021〕2号",
            issued=D(2021, 5, 1),
            repealed=D(2025, 6, 30),
        ),
        NormativeDocument(kind=DocumentKind.NORMATIVE_DOCUMENT, doc_number="甲〔2025〕1号", issued=D(2025, 3, 1)),
        # issued and repealed within the year: 制发 1, 废止 1, not in force at the end
        NormativeDocument(
            kind=DocumentKind.NORMATIVE_DOCUMENT,
            doc_number="甲〔2025〕2号",
            issued=D(2025, 3, 1),
            repealed=D(2025, 12, 31),
        ),
        NormativeDocument(kind=DocumentKind.REGULATION, doc_number="令第1号", issued=D(2024, 1, 1)),
    )
    figures = (YearFigures(year=2025, licensing=120, punishment=3, coercion=0, fees_wan_yuan=Decimal("1.50")),)
    ledger = Ledger(documents=docs, figures=figures)
    now, before = build_report(ledger, 2025), build_report(ledger, 2024)
    t2 = _values(now, "table2")
    assert t2["normative_documents"] == {"issued": 2, "repealed": 2, "in_force": 2}
    assert _values(before, "table2")["normative_documents"]["in_force"] == 2
    assert t2["regulations"] == {"issued": 0, "repealed": 0, "in_force": 1}
    assert t2["licensing"] == {"decisions": 120} and t2["fees"] == {"amount": 1.5}
    assert run_rules(now, before, codes={"X-VALID"}) == []
    # a year without figures: blank cells (a BLANK info finding), never a made-up 0
    assert t2 != _values(before, "table2")
    blank = before.table2 and before.table2["licensing"]["decisions"]
    assert blank and blank.status == "blank" and blank.value is None
    # besides what a ledger report always has (META: no agency given, the 【待填写】 parts)
    assert [f.code for f in run_rules(before) if f.severity != "info"] == ["META", "META"]


def test_report_has_six_sections_and_states_the_fee_situation() -> None:
    apps = (
        Application(
            number="1",
            received=D(2025, 3, 3),
            applicant_type="natural_person",
            fee=FeeNotice(notice_received=D(2025, 3, 10), amount_yuan=Decimal(200), paid=D(2025, 3, 20)),
            result="granted",
            closed=D(2025, 3, 25),
        ),
    )
    items = (
        ProactiveItem(title="通知", published=D(2025, 1, 5), category="规划及相关政策", reviews=("保密审查",)),
        ProactiveItem(
            title="公告", published=D(2025, 2, 5), category="规划及相关政策", reviews=("保密审查", "合法性审查")
        ),
        ProactiveItem(title="旧", published=D(2024, 2, 5)),
    )
    report = build_report(Ledger(agency="某局", applications=apps, proactive=items), 2025)
    assert report.title == "某局2025年政府信息公开工作年度报告"
    assert [h.text for h in report.headings] == [s.heading for s in GOV2021.sections]
    assert (
        "主动公开政府信息2条，其中规划及相关政策2条。公开前经保密审查2条、经合法性审查1条。"
        in report.sections["1"].text
    )
    assert "发出信息处理费收费通知1件，实际收取信息处理费200元" in report.sections["6"].text
    assert report.period == (D(2025, 1, 1), D(2025, 12, 31))
    # only the parts a person must write (第一部分（三）至（五）, 第五、六部分) are flagged
    assert [(f.code, f.message) for f in run_rules(report) if f.severity != "info"] == [
        ("META", "报告留有模板占位符“【待填写】”（第一部分、第五部分、第六部分），须填写完整后再发布")
    ]


def test_a_ledger_with_errors_gives_no_report() -> None:
    bad = Application(
        number="1", received=D(2025, 3, 3), applicant_type="natural_person", result="granted", closed=D(2025, 3, 1)
    )
    with pytest.raises(LedgerDataError) as caught:
        build_report(Ledger(applications=(bad,)), 2025)
    assert [str(p) for p in caught.value.problems] == ["申请“1”：答复日期早于收到日期"]


def test_years_before_the_2021_format_are_refused() -> None:
    with pytest.raises(LedgerYearError, match="2021年度及以后"):
        build_report(Ledger(), 2020)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"result": "granted"}, "已填办理结果，但未填答复日期"),
        ({"closed": D(2025, 4, 1)}, "已填答复日期，但未填办理结果"),
        ({"result": NO_CORRECTION, "closed": D(2025, 4, 1)}, "没有补正告知记录"),
        ({"result": NO_FEE, "closed": D(2025, 4, 1)}, "没有收费通知记录"),
        ({"result": UNCLEAR_AFTER_CORRECTION, "closed": D(2025, 4, 1)}, "没有补正及收到补正的记录"),
        (
            {
                "result": NO_CORRECTION,
                "closed": D(2025, 3, 20),
                "correction": Correction(notice_sent=D(2025, 3, 5), deadline=D(2025, 3, 25)),
            },
            "补正期限届满之前不能按（六）1逾期不补正办结",
        ),
        (
            {
                "result": NO_CORRECTION,
                "closed": D(2025, 4, 20),
                "correction": Correction(
                    notice_sent=D(2025, 3, 5), deadline=D(2025, 3, 25), corrected_received=D(2025, 3, 20)
                ),
            },
            "已在补正期限内补正",
        ),
        ({"correction": Correction(notice_sent=D(2025, 3, 1))}, "补正告知日期早于收到日期"),
        ({"fee": FeeNotice(notice_received=D(2025, 3, 10), paid=D(2025, 3, 9))}, "缴费日期早于收费通知送达日期"),
        (
            {
                "result": NO_FEE,
                "closed": D(2025, 4, 20),
                "fee": FeeNotice(notice_received=D(2025, 3, 10), paid=D(2025, 3, 12)),
            },
            "已填缴费日期",
        ),
        ({"applicant_type": "company"}, "不是表三的申请人列"),
    ],
)
def test_application_checks(changes: dict[str, object], message: str) -> None:
    base = {"number": "1", "received": D(2025, 3, 3), "applicant_type": "natural_person"}
    app = Application.model_validate({**base, **changes})
    problems = check_ledger(Ledger(applications=(app,)))
    assert any(message in str(p) for p in problems), problems


def test_duplicate_numbers_and_dangling_references() -> None:
    app = Application(number="1", received=D(2025, 3, 3), applicant_type="natural_person", applicant_id="P9")
    case = Case(number="F1", kind=CaseKind.REVIEW, filed=D(2025, 3, 3), application="X")
    assert check_ledger(Ledger(applications=(app,))) == []  # no applicants' register at all: nothing to check
    problems = check_ledger(Ledger(applications=(app, app), cases=(case,), applicants=(Applicant(id="P1"),)))
    messages = [(p.severity, p.message) for p in problems]
    assert ("error", "申请编号“1”重复（共2处）") in messages
    assert ("warning", "申请人编号“P9”在申请人登记中找不到") in messages
    assert ("warning", "关联申请编号“X”在申请登记中找不到") in messages
