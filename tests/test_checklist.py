"""The checklist: every rule says what it checked (passed, failed, not checkable and why, not
applicable), on the real reports; and the places findings point at (表三“…”行，第3页)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from helpers import CORPUS, SEEDS
from nianbao.batch import check_schema, check_schema_json
from nianbao.model import CHECK_STATUSES, CellValue, ChecklistItem, CheckResult
from nianbao.pipeline import Result, load_report, process, recheck
from nianbao.places import Places
from nianbao.rules import RULES, evaluate

# every kind the corpus has, without the slow OCR and LibreOffice ones (their readers have their own tests)
REPORTS = [*SEEDS, *sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".html", ".md", ".docx", ".pdf"))]
REPORTS = [p for p in REPORTS if p.name != "README.md" and "_scan" not in p.name]


@cache
def checked(path: Path) -> Result:
    return process(path.read_bytes(), path.name)


def items(result: Result, code: str) -> list[ChecklistItem]:
    return [item for item in result.checklist if item.code == code]


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem[:12])
def test_every_rule_says_what_it_checked(path: Path) -> None:
    result = checked(path)
    assert {item.code for item in result.checklist} == set(RULES)
    assert not [item for item in result.checklist if item.reason == "规则未报告核查结果"]
    owned: list[int] = []
    for item in result.checklist:
        assert item.status in CHECK_STATUSES and item.subject
        if item.status == "failed":
            assert item.findings and item.severity is not None
            assert {result.findings[at].code for at in item.findings} == {item.code}
            assert item.severity == min((result.findings[at].severity for at in item.findings), key=_rank)
        else:
            assert not item.findings and item.severity is None
        assert (item.reason is not None) == (item.status in ("not_checkable", "not_applicable"))
        owned += item.findings
    assert sorted(owned) == list(range(len(result.findings)))  # each finding in exactly one item
    assert len({(item.code, item.subject) for item in result.checklist}) == len(result.checklist)


def _rank(severity: str) -> int:
    return ["error", "warning", "info"].index(severity)


def test_an_identity_over_an_unreadable_cell_is_not_checkable_and_names_the_cell() -> None:
    report = load_report(SEEDS[0].read_bytes(), SEEDS[0].name)
    report.table3["received_new"]["natural_person"] = CellValue(status="unreadable", raw="3O", note="不是数字")
    result = recheck(report)
    column = next(item for item in items(result, "T3-ID") if "自然人列" in item.subject)
    assert column.status == "not_checkable"
    assert column.reason == "单元格无法读取：表三“一、本年新收”行自然人列"
    assert [item.status for item in items(result, "T3-ID") if "总计列" in item.subject] == ["passed"]
    row = next(item for item in items(result, "T3-COL") if "一、本年新收" in item.subject)
    assert row.status == "not_checkable" and "自然人列" in (row.reason or "")


def test_an_identity_that_fails_is_failed_with_its_finding() -> None:
    report = load_report(SEEDS[0].read_bytes(), SEEDS[0].name)
    cell = report.table3["received_new"]["natural_person"]
    report.table3["received_new"]["natural_person"] = CellValue(status="value", value=(cell.value or 0) + 2, raw="x")
    result = recheck(report)
    column = next(item for item in items(result, "T3-ID") if "自然人列" in item.subject)
    assert column.status == "failed" and column.severity == "error"
    assert [result.findings[at].message.startswith("自然人列：一(") for at in column.findings] == [True]


def test_identities_over_digits_cut_by_the_arithmetic_are_not_counted_as_passed() -> None:
    """pingtan 2023 prints its table 3 glued; rows whose cut only the arithmetic chose make the
    identities through them hold by construction."""
    result = checked(CORPUS / "006_pingtan_2023.txt")
    glued = {cell for note in result.report.notes if note.kind == "glued_split" for cell in note.cells}
    assert glued
    for item in result.checklist:
        if item.code in ("T3-ID", "T3-SUM", "T3-COL", "T4-SUM") and set(item.cells) & glued:
            assert item.status != "passed", item.subject
            if item.status == "not_checkable" and "连写" in (item.reason or ""):
                assert "必然相符" in (item.reason or "")
    assert any("必然相符" in (item.reason or "") for item in result.checklist)


def test_a_report_without_tables_has_the_table_checks_not_applicable() -> None:
    report = load_report(SEEDS[0].read_bytes(), SEEDS[0].name)
    report.format_version, report.table2, report.table3, report.table4 = "pre2019", None, None, None
    result = recheck(report)
    for code in ("T3-ID", "T3-SUM", "T4-SUM", "BLANK", "UNREADABLE", "STRUCT"):
        assert {item.status for item in items(result, code)} == {"not_applicable"}, code


def test_cross_year_checks_need_the_previous_report_and_say_so() -> None:
    alone = checked(CORPUS / "007_pingtan_2024.txt")
    for code in ("X-CARRY", "X-VALID", "T2-REPEAL", "DUP"):
        assert {item.status for item in items(alone, code)} == {"not_checkable"}, code
        assert all("上一年度" in (item.reason or "") for item in items(alone, code))
    previous = load_report((CORPUS / "006_pingtan_2023.txt").read_bytes(), "2023.txt")
    paired = recheck(load_report((CORPUS / "007_pingtan_2024.txt").read_bytes(), "2024.txt"), previous=previous)
    carry = items(paired, "X-CARRY")
    assert len(carry) == 7 and {item.status for item in carry} <= {"passed", "failed", "not_checkable"}
    assert "passed" in {item.status for item in carry}
    assert {item.status for item in items(paired, "DUP")} <= {"passed", "failed"}


def test_the_checklist_survives_the_contract_round_trip(seed: Path) -> None:
    source = checked(seed)
    again = process(json.dumps(source.report.to_contract()).encode(), "report.json")
    assert again.checklist == source.checklist


def test_the_check_schema_file_is_generated_from_the_models() -> None:
    docs = Path(__file__).parents[1] / "docs" / "check.schema.json"
    assert docs.read_text(encoding="utf-8") == check_schema_json(), "docs/check.schema.json is stale: run `make docs`"


def test_a_check_result_is_what_the_schema_declares() -> None:
    result = checked(CORPUS / "009_hongzequ_2023.pdf").checked("009.pdf")
    dumped = result.dump()
    assert TypeAdapter(CheckResult).validate_python(dumped) == result
    declared = check_schema()["$defs"]
    assert set(dumped) == set(declared["CheckResult"]["properties"])
    assert set(dumped["checklist"][0]) <= set(declared["ChecklistItem"]["properties"])
    assert dumped["checks"] == {
        status: sum(1 for i in dumped["checklist"] if i["status"] == status) for status in CHECK_STATUSES
    }


# ---------------------------------------------------------------------------------- places


def places_of(result: Result, code: str) -> list[list[str]]:
    named = Places(result.report)
    return [named.of_finding(finding) for finding in result.findings if finding.code == code]


def test_a_pdf_finding_names_the_table_the_row_and_the_page() -> None:
    result = checked(CORPUS / "009_hongzequ_2023.pdf")
    assert places_of(result, "T4-SUM") == [["表四行政复议，第4页"], ["表四行政诉讼·复议后起诉，第4页"]]
    # a note's location (a row label, not a cell) is found in the report's rows by its position
    assert ["表三“（六）其他处理”行，第4页"] in places_of(result, "STRUCT")


def test_word_and_web_findings_name_the_table_and_row_never_the_document_table() -> None:
    for name in ("016_shuyang_fgj_2023.html", "031_shuyang_fgj_2023_word.docx"):
        result = checked(CORPUS / name)
        assert places_of(result, "NARR-TAB") == [["表四行政复议"]]
        blank = places_of(result, "BLANK")[0]
        assert blank[:2] == ["表三“一、本年新收”行", "表三“二、上年结转”行"]


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem[:12])
def test_no_place_is_said_as_a_document_table(path: Path) -> None:
    result = checked(path)
    named = Places(result.report)
    for finding in result.findings:
        for place in named.of_finding(finding):
            assert "表格" not in place, (finding.code, place)


def test_a_text_finding_keeps_its_line() -> None:
    result = checked(CORPUS / "014_shanghai_bgt_2025.md")
    unreadable = places_of(result, "UNREADABLE")
    assert ["表二“规章”行，第97行"] in unreadable


def test_every_result_in_a_report_uses_the_formats_row_names() -> None:
    result = evaluate(load_report(SEEDS[1].read_bytes(), SEEDS[1].name))
    subjects = [item.subject for item in result.checklist if item.code == "T3-COL"]
    assert subjects[0] == "表三“一、本年新收”行：总计＝各类申请人之和"
