"""The ``nianbao.report/1`` contract carries everything the rules read.

Every seed and corpus report, written to JSON and read back, gives the findings the file gives
(codes, severities, messages, cells, locations), alone and against the previous year; a JSON
written by hand loads with sensible statuses; the JSON schema is the pydantic model's.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from helpers import FIXTURES, SEEDS, truth_of
from nianbao import parse_file
from nianbao.contract import ReportContract, contract_schema_json
from nianbao.document import Location
from nianbao.errors import ReportDataError
from nianbao.extract.tables import cell_from_token
from nianbao.extract.tokens import make_token
from nianbao.model import SCHEMA, UNREADABLE_REASONS, CellValue, Report
from nianbao.rules import run_rules
from nianbao.settings import Settings

CORPUS = sorted(path for path in (FIXTURES / "corpus").iterdir() if path.suffix != ".json" and path.name != "README.md")
SOURCES = SEEDS + CORPUS
# the same agency's reports of consecutive (and, once, non-consecutive) years: X-CARRY, X-VALID
PAIRS = [
    ("003_pingtan_2020", "002_pingtan_2019"),
    ("004_pingtan_2021", "003_pingtan_2020"),
    ("007_pingtan_2024", "006_pingtan_2023"),
    ("021_pingtan_jtj_2023", "022_pingtan_jtj_2021"),
]


@pytest.fixture(scope="module")
def parsed() -> dict[str, Report]:
    """Every seed and corpus report, parsed once (the scan and the .doc take a while)."""
    return {path.stem: parse_file(path) for path in SOURCES}


def through_json(report: Report, *, provenance: bool = True) -> Report:
    return Report.from_contract(json.loads(json.dumps(report.to_contract(provenance=provenance), ensure_ascii=False)))


def test_every_kind_of_source_is_covered() -> None:
    assert {path.suffix for path in CORPUS} >= {".txt", ".html", ".md", ".pdf", ".docx", ".doc"}
    assert len(SOURCES) == len(SEEDS) + 23


@pytest.mark.parametrize("name", [path.stem for path in SOURCES])
def test_round_trip_gives_the_same_findings(parsed: dict[str, Report], name: str) -> None:
    report = parsed[name]
    back = through_json(report)
    assert run_rules(back) == run_rules(report)
    assert back == report  # not only what today's rules read: the whole report


@pytest.mark.parametrize(("name", "previous"), PAIRS)
def test_round_trip_gives_the_same_cross_year_findings(parsed: dict[str, Report], name: str, previous: str) -> None:
    report, last = parsed[name], parsed[previous]
    assert run_rules(through_json(report), through_json(last)) == run_rules(report, last)
    # last year's carry-over changed: X-CARRY (and for 2021 tables X-VALID) must speak, the same both ways
    changed = copy.deepcopy(last)
    assert changed.table3 is not None and changed.table2 is not None
    for cell in (changed.table3["carried_over_out"]["total"], changed.table2["regulations"].get("in_force")):
        if cell is not None:
            cell.value, cell.status = 7, "value"
    findings = run_rules(report, changed)
    assert "X-CARRY" in {f.code for f in findings}
    assert run_rules(through_json(report), through_json(changed)) == findings


def test_the_issue_examples_now_round_trip(parsed: dict[str, Report]) -> None:
    """Seed 003 had no finding but six SEC-6 after the trip; seed 001 lost STRUCT; 014 went 27 → 19."""
    seed3, seed1 = (parsed[path.stem] for path in (SEEDS[3], SEEDS[1]))
    assert run_rules(through_json(seed3)) == run_rules(seed3) == []
    assert "STRUCT" in {f.code for f in run_rules(through_json(seed1))}
    assert len(run_rules(through_json(parsed["014_shanghai_bgt_2025"]))) == len(
        run_rules(parsed["014_shanghai_bgt_2025"])
    )


def test_public_keys_keep_their_shape(parsed: dict[str, Report]) -> None:
    contract = parsed[SEEDS[1].stem].to_contract()
    truth = truth_of(SEEDS[1])
    for key in ("schema", "format_version", "agency", "year", "table2", "table3", "table4"):
        assert contract[key] == truth[key], key
    assert contract["cells"]["table3.granted.total"] == {
        "status": "value",
        "raw": "0",
        "location": {"line": 149, "column": 1},
    }
    plain = parsed[SEEDS[1].stem].to_contract(provenance=False)
    assert set(plain) == {
        "schema",
        "format_version",
        "agency",
        "year",
        "published",
        "sections",
        "table2",
        "table3",
        "table4",
    }


# ---------------------------------------------------------------------------------- written by hand


def test_a_minimal_hand_written_report_loads_with_sensible_statuses() -> None:
    data = {
        "schema": SCHEMA,
        "format_version": "gov2021",
        "agency": "某某局",
        "year": 2023,
        "table3": {"received_new": {"natural_person": 2, "commercial": None, "total": 2.0}},
    }
    report = Report.from_contract(data)
    cells = report.table3["received_new"]  # type: ignore[index]
    assert (cells["natural_person"].status, cells["natural_person"].raw, cells["natural_person"].value) == (
        "value",
        "2",
        2,
    )
    assert (cells["commercial"].status, cells["commercial"].raw, cells["commercial"].number) == ("blank", None, 0)
    assert (cells["total"].raw, cells["total"].value) == ("2", 2.0)
    assert report.table2 is None and report.headings == [] and report.narrative == [] and report.notes == []


def test_sections_written_by_hand_give_headings_and_figures_as_in_a_document(parsed: dict[str, Report]) -> None:
    """Another tool writes only the shared keys: the findings are those of the source file."""
    for seed in SEEDS:
        report = parsed[seed.stem]
        back = through_json(report, provenance=False)
        assert [(h.number, h.numbering, h.printed_number, h.canonical) for h in back.headings] == [
            (h.number, h.numbering, h.printed_number, h.canonical) for h in report.headings
        ]
        assert [(f.kind, f.value, f.section) for f in back.narrative] == [
            (f.kind, f.value, f.section) for f in report.narrative if f.section is not None
        ]
    data = copy.deepcopy(truth_of(SEEDS[1]))
    data["sections"] = {
        "1": {"heading": "一、总体情况", "text": "本年度收到政府信息公开申请5件。"},
        "3": {"heading": "3、收到和处理政府信息公开申请情况", "text": ""},
    }
    findings = run_rules(Report.from_contract(data))
    messages = {f.code: f.message for f in findings}
    assert "正文称“收到政府信息公开申请5件”" in messages["NARR-TAB"]
    sec6 = [f.message for f in findings if f.code == "SEC-6"]
    assert "第三部分的标题编号为“3、”，标准格式为“三、”" in sec6 and "缺少第二部分“主动公开政府信息情况”" in sec6


def test_a_value_filled_in_by_hand_replaces_the_unread_cell() -> None:
    data = copy.deepcopy(truth_of(SEEDS[1]))
    entry = {"status": "unreadable", "raw": "8", "confidence": 0.4, "reason": "ocr_low_confidence", "threshold": 0.8}
    data["cells"] = {"table3.granted.total": entry, "table3.granted.natural_person": entry}
    data["table3"]["granted"]["natural_person"] = None
    report = Report.from_contract(data)
    fixed, unread = report.cell("table3.granted.total"), report.cell("table3.granted.natural_person")
    assert fixed == CellValue(status="value", value=0, raw="0")  # the clerk's 0, not the OCR's 8
    assert unread is not None and (unread.status, unread.reason, unread.threshold) == (
        "unreadable",
        "ocr_low_confidence",
        0.8,
    )
    assert [f.cells for f in run_rules(report) if f.code == "OCR-CONF"] == [["table3.granted.natural_person"]]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: "[]", "应为 JSON 对象"),
        (lambda d: d.update(schema="nianbao.report/2"), "不是 nianbao.report/1 格式"),
        (lambda d: d.update(format_version="gov2031"), "未知的格式版本"),
        (lambda d: d["table3"].update(bogus={}), "table3 中有未知的行 'bogus'"),
        (lambda d: d["table3"]["granted"].update(total="3"), "table3.granted.total 的值应为数字或 null"),
        (lambda d: d["table3"]["granted"].update(total=True), "table3.granted.total 的值应为数字或 null"),
        (lambda d: d.update(year="2023"), "year：应为整数"),
        (lambda d: d.update(published="2024-13-01"), "published：应为 YYYY-MM-DD 格式的日期"),
        (lambda d: d.update(headings=[{"number": 1}]), "headings.0.text：缺少此项"),
        (lambda d: d.update(cells={"table3.granted.total": {"reason": "guess"}}), "cells.table3.granted.total.reason"),
        (lambda d: d.update(cells={"table3.granted.total": {"location": {"sheet": 1}}}), "不是有效的位置"),
    ],
)
def test_a_broken_contract_is_one_clear_error(change: Any, message: str) -> None:
    data = copy.deepcopy(truth_of(SEEDS[1]))
    replaced = change(data)
    with pytest.raises(ReportDataError) as raised:
        Report.from_contract(json.loads(replaced) if isinstance(replaced, str) else data)
    assert message in str(raised.value)


# ---------------------------------------------------------------------------------- unreadable cells


def token(text: str, confidence: float | None) -> Any:
    made = make_token(0, text, Location(page=1, bbox=(10.0, 20.0, 30.0, 40.0)), 0, 0, 0, True)
    made.confidence = confidence
    return made


def test_extraction_records_why_a_cell_is_unreadable() -> None:
    strict, lenient = Settings(ocr_min_confidence=0.9), Settings(ocr_min_confidence=0.5)
    low = cell_from_token(token("7", 0.6), strict)
    assert (low.status, low.value, low.raw, low.reason, low.threshold) == (
        "unreadable",
        None,
        "7",
        "ocr_low_confidence",
        0.9,
    )
    assert cell_from_token(token("7", 0.6), lenient) == CellValue(
        status="value", value=7, raw="7", location=low.location, confidence=0.6
    )
    text = cell_from_token(token("若干", None), strict)
    assert (text.status, text.reason, text.threshold) == ("unreadable", "not_a_number", None)
    assert set(UNREADABLE_REASONS) == {"ocr_low_confidence", "not_a_number", "row_unfit", "glued_ambiguous"}


def test_rules_read_the_recorded_decision_not_a_setting(parsed: dict[str, Report]) -> None:
    """OCR-CONF and UNREADABLE report what extraction decided, whatever threshold it used."""
    report = copy.deepcopy(parsed[SEEDS[1].stem])
    table3 = report.table3
    assert table3 is not None
    where = Location(page=1)
    # read with a strict threshold (0.99): unread although OCR scored it 0.95
    table3["granted"]["total"] = CellValue(
        status="unreadable", raw="5", location=where, confidence=0.95, reason="ocr_low_confidence", threshold=0.99
    )
    # read with a lenient one: a value although OCR scored it 0.3
    table3["granted"]["natural_person"] = CellValue(status="value", value=0, raw="0", location=where, confidence=0.3)
    table3["granted"]["commercial"] = CellValue(
        status="unreadable", raw="若干", reason="not_a_number", note="“若干”不是数字"
    )
    for candidate in (report, through_json(report)):
        findings = run_rules(candidate)
        assert [f.cells for f in findings if f.code == "OCR-CONF"] == [["table3.granted.total"]]
        assert [f.cells for f in findings if f.code == "UNREADABLE"] == [["table3.granted.commercial"]]


def test_every_unreadable_cell_says_why(parsed: dict[str, Report]) -> None:
    unread = [cell for report in parsed.values() for _id, cell in report.iter_cells() if cell.status == "unreadable"]
    assert len(unread) > 20
    assert {cell.reason for cell in unread} <= set(UNREADABLE_REASONS)
    assert all(cell.threshold is None for cell in unread if cell.reason != "ocr_low_confidence")


# ---------------------------------------------------------------------------------- the schema


def test_the_schema_file_is_generated_from_the_model() -> None:
    docs = Path(__file__).parents[1] / "docs" / "report.schema.json"
    assert docs.read_text(encoding="utf-8") == contract_schema_json(), (
        "docs/report.schema.json is stale: run `make docs`"
    )


def test_the_schema_names_every_key_the_contract_writes(parsed: dict[str, Report]) -> None:
    schema = json.loads(contract_schema_json())
    written = set().union(*(report.to_contract() for report in parsed.values()))
    assert written == set(schema["properties"])
    cell_keys = set().union(*(entry for r in parsed.values() for entry in r.to_contract()["cells"].values()))
    assert cell_keys <= set(schema["$defs"]["CellEntry"]["properties"])
    assert ReportContract.model_fields["contract_schema"].alias == "schema"


# ---------------------------------------------------------------------------------- rendering


def test_render_checks_the_printed_view_without_reading_it_back(
    parsed: dict[str, Report], monkeypatch: pytest.MonkeyPatch
) -> None:
    from nianbao.render import build_view, check, printed_report

    def no_extraction(*_args: Any, **_kwargs: Any) -> Report:
        raise AssertionError("render.check must not extract its own output")

    monkeypatch.setattr(sys.modules["nianbao.extract"], "extract", no_extraction)
    for seed in SEEDS:
        report = parsed[seed.stem]
        findings = check(report)
        assert check(through_json(report)) == check(through_json(report, provenance=False)) == findings
        printed = printed_report(report, build_view(report))
        assert [h.number for h in printed.headings] == [1, 2, 3, 4, 5, 6] and all(h.canonical for h in printed.headings)
        assert printed.notes == [] and printed.table3 == report.table3


def _keys_as_jsonb(value: Any) -> Any:
    """The contract as PostgreSQL's jsonb gives it back: every object's keys by length, then bytes."""
    if isinstance(value, dict):
        return {key: _keys_as_jsonb(value[key]) for key in sorted(value, key=lambda k: (len(k.encode()), k.encode()))}
    if isinstance(value, list):
        return [_keys_as_jsonb(item) for item in value]
    return value


@pytest.mark.parametrize("path", [SEEDS[0], FIXTURES / "corpus" / "006_pingtan_2023.txt"], ids=lambda p: p.stem)
def test_a_contract_whose_keys_come_back_in_another_order_reads_as_the_file(path: Path) -> None:
    from nianbao.rules import evaluate

    report = parse_file(path)
    again = Report.from_contract(_keys_as_jsonb(json.loads(json.dumps(report.to_contract()))))
    for name in ("table2", "table3", "table4"):
        table, back = getattr(report, name) or {}, getattr(again, name) or {}
        assert list(back) == list(table), name  # rows in the printed order
        assert all(list(back[row]) == list(table[row]) for row in table), name  # and their columns
    assert evaluate(again, None).checklist == evaluate(report, None).checklist
