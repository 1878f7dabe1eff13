"""The ledger workbook: template, reading back, bad rows, and the ``nianbao ledger`` commands."""

from __future__ import annotations

import datetime as dt
import importlib.machinery
import json
import sys
import types
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from nianbao.formats import GOV2021
from nianbao.ledger import build_report
from nianbao.ledger.cases import Ledger
from nianbao.ledger.export import write_report
from nianbao.ledger.spreadsheet import (
    APPLICATIONS,
    OPTIONS_SHEET,
    SHEETS,
    read_ledger,
    write_template,
)
from nianbao.rules import RULES, run_rules

D = dt.date
ARITHMETIC = {code for code, rule in RULES.items() if rule.family == "arithmetic"}


def app_row(**cells: Any) -> list[Any]:
    """A row of the 申请 sheet in its column order, from header → value."""
    return [cells.get(column.header) for column in APPLICATIONS.columns]


def filled_ledger(path: Path, extra: list[list[Any]] | None = None) -> Path:
    write_template(path, agency="测试市商务局")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["申请"]
    rows = [
        app_row(
            申请编号="2025-001",
            收到日期=D(2025, 9, 30),
            提交方式="当面",
            申请人类型="自然人",
            申请人编号="P1",
            办理结果="（一）予以公开",
            答复日期=D(2025, 10, 20),
        ),
        app_row(申请编号="2025-002", 收到日期=D(2025, 12, 1), 提交方式="网络", 申请人类型="商业企业"),
        app_row(
            申请编号="2025-003",
            收到日期=D(2025, 11, 1),
            提交方式="邮寄",
            申请人类型="法律服务机构",
            补正告知日期=D(2025, 11, 5),
            补正期限=D(2025, 11, 20),
        ),
        app_row(
            申请编号="2024-009",
            收到日期=D(2024, 12, 25),
            提交方式="传真",
            申请人类型="科研机构",
            办理结果="本机关不掌握相关政府信息",
            答复日期="2025年1月10日",
        ),
        app_row(
            申请编号="2025-004",
            收到日期="2025/3/3",
            提交方式="当面",
            申请人类型="社会公益组织",
            征求意见对象="某公司",
            征求意见发出日期=D(2025, 3, 10),
            收到意见日期=D(2025, 3, 20),
            办理结果="（三）4.保护第三方合法权益",
            答复日期=D(2025, 4, 10),
        ),
        app_row(
            申请编号="2025-005",
            收到日期=D(2025, 5, 6),
            提交方式="当面",
            申请人类型="其他",
            收费通知送达日期=D(2025, 5, 20),
            **{"收费金额（元）": 200},
            缴费日期=D(2025, 5, 30),
            办理结果="部分公开",
            答复日期=D(2025, 6, 3),
        ),
    ]
    for row in rows + (extra or []):
        sheet.append(row)
    workbook["申请人"].append(["P1", "张三", "110101199001011234", "13800000000"])
    workbook["复议诉讼"].append(["F1", "行政复议", D(2025, 3, 1), "结果维持", D(2025, 5, 1), "2025-001"])
    workbook["复议诉讼"].append(["S1", "未经复议直接起诉", D(2025, 11, 1)])
    workbook["规范性文件"].append(["行政规范性文件", "测发〔2025〕1号", "关于某事的通知", D(2025, 2, 1)])
    workbook["规范性文件"].append(["行政规范性文件", "测发〔2020〕3号", "某办法", D(2020, 2, 1), D(2025, 6, 30)])
    workbook["规范性文件"].append(["规章", "令第1号", "某规定", D(2022, 2, 1)])
    workbook["主动公开"].append(["关于某事的通知", D(2025, 2, 3), "行政法规、规章和规范性文件", "保密审查、合法性审查"])
    workbook["主动公开"].append(["某地自定类别", D(2025, 4, 3), "本地特色栏目", "保密审查"])
    workbook["年度数字"].append([2025, 120, 3, 0, 1.5])
    workbook.save(path)
    return path


def test_template_sheets_headers_and_drop_downs(tmp_path: Path) -> None:
    path = tmp_path / "ledger.xlsx"
    write_template(path)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["说明", OPTIONS_SHEET, *(spec.name for spec in SHEETS)]
    assert workbook[OPTIONS_SHEET].sheet_state == "hidden"
    sheet = workbook["申请"]
    assert [cell.value for cell in sheet[1]][: len(APPLICATIONS.columns)] == [c.header for c in APPLICATIONS.columns]
    options = {
        column[0].value: [cell.value for cell in column[1:] if cell.value is not None]
        for column in workbook[OPTIONS_SHEET].iter_cols()
    }
    # the format's own labels: 21 result rows, the six applicant columns, table 4 groups and columns
    assert options["申请·办理结果"] == [GOV2021.table3.row(key).name for key in GOV2021.table3.result_rows]
    assert len(options["申请·办理结果"]) == 21
    assert options["申请·申请人类型"] == [label.label for label in GOV2021.table3.applicant_columns]
    assert options["申请·提交方式"] == ["当面", "邮寄", "网络", "传真"]
    assert options["复议诉讼·类别"] == ["行政复议", "未经复议直接起诉", "复议后起诉"]
    assert options["复议诉讼·结果"] == ["结果维持", "结果纠正", "其他结果", "尚未审结"]
    assert options["规范性文件·类别"] == ["规章", "行政规范性文件"]
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 3  # 提交方式, 申请人类型, 办理结果
    assert all(dv.formula1.startswith(f"'{OPTIONS_SHEET}'!") for dv in validations)
    assert read_ledger(path).problems == []


def test_reading_a_filled_ledger(tmp_path: Path) -> None:
    result = read_ledger(filled_ledger(tmp_path / "ledger.xlsx"))
    assert result.problems == []
    ledger = result.ledger
    assert ledger.agency == "测试市商务局"
    by_number = {app.number: app for app in ledger.applications}
    assert by_number["2024-009"].closed == D(2025, 1, 10)  # a date typed as text
    assert by_number["2024-009"].result == "unavailable_not_held"  # the label without its group
    assert by_number["2025-005"].result == "partly_granted" and by_number["2025-005"].applicant_type == "other_org"
    assert by_number["2025-004"].consultations[0].party == "某公司"
    assert by_number["2025-003"].correction is not None and by_number["2025-003"].correction.deadline == D(2025, 11, 20)
    assert ledger.applicants[0].name == "张三"
    assert ledger.proactive[0].reviews == ("保密审查", "合法性审查")
    assert ledger.proactive[1].category == "本地特色栏目"  # a category of one's own is allowed
    assert ledger.figures[0].licensing == 120


def test_the_report_never_reads_personal_data(tmp_path: Path) -> None:
    ledger = read_ledger(filled_ledger(tmp_path / "ledger.xlsx")).ledger
    without = Ledger.model_validate({**ledger.model_dump(), "applicants": ()})
    assert build_report(ledger, 2025).to_contract() == build_report(without, 2025).to_contract()
    assert "张三" not in json.dumps(build_report(ledger, 2025).to_contract(), ensure_ascii=False)


def test_bad_rows_are_listed_by_row(tmp_path: Path) -> None:
    extra = [
        app_row(申请编号="B1", 收到日期=D(2025, 3, 3), 提交方式="当面", 申请人类型="公司"),
        app_row(
            申请编号="B2",
            收到日期=D(2025, 3, 3),
            提交方式="当面",
            申请人类型="自然人",
            办理结果="（一）予以公开",
            答复日期=D(2025, 3, 1),
        ),
        app_row(申请编号="B3", 收到日期=45000, 提交方式="当面", 申请人类型="自然人"),
        app_row(申请编号="B4", 收到日期=D(2025, 3, 3), 提交方式="飞鸽", 申请人类型="自然人", 办理结果="（九）9.其他"),
        app_row(申请编号="B5", 提交方式="当面", 申请人类型="自然人"),
        app_row(
            申请编号="B6", 收到日期=D(2025, 3, 3), 提交方式="当面", 申请人类型="自然人", 收到意见日期=D(2025, 3, 9)
        ),
        app_row(申请编号="2025-001", 收到日期=D(2025, 3, 3), 提交方式="当面", 申请人类型="自然人"),
    ]
    path = filled_ledger(tmp_path / "ledger.xlsx", extra)
    workbook = openpyxl.load_workbook(path)
    workbook["复议诉讼"].append(["F9", "行政复议", D(2025, 6, 1), "结果纠正", D(2025, 5, 1)])
    workbook["规范性文件"].append(["行政规范性文件", "测发〔2025〕9号", "某通知", D(2025, 6, 1), D(2025, 5, 1)])
    workbook.save(path)
    problems = [str(p) for p in read_ledger(path).errors]
    assert problems == [
        "工作表“申请”第2行：申请编号“2025-001”重复（共2处）",
        "工作表“申请”第8行：申请人类型“公司”不在下拉列表中（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他）",
        "工作表“申请”第9行：答复日期早于收到日期",
        "工作表“申请”第10行：收到日期是数字“45000”，不是日期（请把该单元格设为日期格式后重新填写）",
        "工作表“申请”第11行：提交方式“飞鸽”不在下拉列表中（当面、邮寄、网络、传真）",
        "工作表“申请”第11行：办理结果“（九）9.其他”不在下拉列表中（共21项）",
        "工作表“申请”第12行：未填“收到日期”",
        "工作表“申请”第13行：填了“收到意见日期”，但未填“征求意见发出日期”",
        "工作表“申请”第14行：申请编号“2025-001”重复（共2处）",
        "工作表“复议诉讼”第4行：审结日期早于收到（立案）日期",
        "工作表“规范性文件”第5行：废止（失效）日期早于印发日期",
    ]


def test_missing_sheet_and_columns_and_unknown_columns(tmp_path: Path) -> None:
    path = tmp_path / "ledger.xlsx"
    filled_ledger(path)
    workbook = openpyxl.load_workbook(path)
    del workbook["年度数字"]
    sheet = workbook["主动公开"]
    sheet.delete_cols(2)  # 公开日期
    cases = workbook["复议诉讼"]
    cases.cell(row=1, column=10, value="承办人")
    cases.cell(row=2, column=10, value="李四")
    workbook.save(path)
    messages = [(p.severity, str(p)) for p in read_ledger(path).problems]
    assert ("error", "工作表“年度数字”：缺少该工作表（请使用 nianbao ledger template 生成的台账）") in messages
    assert ("error", "工作表“主动公开”：缺少列“公开日期”（第一行列名请勿修改）") in messages
    assert ("warning", "工作表“复议诉讼”第2行：“承办人”列不是台账的列，其内容“李四”不会使用") in messages


def test_other_formats_call_render_report_when_it_exists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, ...]] = []
    fake = types.ModuleType("nianbao.render")
    fake.__spec__ = importlib.machinery.ModuleSpec("nianbao.render", None)
    fake.render_report = lambda report, fmt, path: calls.append((report, fmt, path))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "nianbao.render", fake)
    report = build_report(Ledger(agency="某局"), 2025)
    assert write_report(report, tmp_path / "report.pdf") == "pdf"
    assert calls == [(report, "pdf", tmp_path / "report.pdf")]


def with_several_consultations_and_report_texts(path: Path) -> Path:
    """The filled ledger, 2025-004 consulted three times (once on its row, twice on the 征求意见
    sheet), and the 2025 report's 落款日期 and sections 五 and 六 written on 报告正文."""
    workbook = openpyxl.load_workbook(filled_ledger(path))
    workbook["征求意见"].append(["2025-004", "某研究所", D(2025, 3, 12), D(2025, 3, 25)])
    workbook["征求意见"].append(["2025-004", "市自然资源局", "2025/4/1"])  # no reply yet
    texts = workbook["报告正文"]
    texts.append([2025, "2026年1月20日", None, None, None, None, "一是……\n二是……", "本机关无其他需要报告的事项。"])
    workbook.save(path)
    return path


def test_an_application_consulted_several_times(tmp_path: Path) -> None:
    from nianbao.ledger.calendar import load_calendar
    from nianbao.ledger.deadlines import answer_deadline

    result = read_ledger(with_several_consultations_and_report_texts(tmp_path / "ledger.xlsx"))
    assert result.problems == []
    (consulted,) = [app for app in result.ledger.applications if app.number == "2025-004"]
    assert [(c.party, c.sent, c.replied) for c in consulted.consultations] == [
        ("某公司", D(2025, 3, 10), D(2025, 3, 20)),
        ("某研究所", D(2025, 3, 12), D(2025, 3, 25)),
        ("市自然资源局", D(2025, 4, 1), None),
    ]
    assert consulted.consultations[2].origin == "工作表“征求意见”第3行"
    # counted by hand: received Mon 03-03; days 1–5 = 03-04..03-10; paused 03-11..03-25 (the first
    # two overlap); 6–10 = 03-26..04-01; paused 04-02..04-23 (no reply: to the 15th working day
    # after 04-01, 清明 04-04..04-06 off); 11–12 = 04-24, 04-25; 13 = Sun 04-27 (调休上班);
    # 14–16 = 04-28..04-30; 劳动节 05-01..05-05 off; 17–20 = 05-06..05-09
    due = answer_deadline(load_calendar(tmp_path), consulted.received, consultations=consulted.consultations)
    assert len(due.pauses) == 3 and due.provisional
    assert due.due == D(2025, 5, 9)


def test_consultation_rows_that_cannot_be_counted_are_listed_by_row(tmp_path: Path) -> None:
    path = filled_ledger(tmp_path / "ledger.xlsx")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["征求意见"]
    sheet.append(["2025-404", "某公司", D(2025, 3, 12)])  # no such application
    sheet.append(["2025-004", "某公司", D(2025, 3, 12), D(2025, 3, 11)])  # a reply before it was sent
    sheet.append(["2025-004", "某公司", D(2025, 2, 1)])  # sent before the application came
    sheet.append(["2025-004", "某公司", None, D(2025, 3, 20)])
    workbook.save(path)
    assert [str(p) for p in read_ledger(path).errors] == [
        "工作表“征求意见”第2行：申请编号“2025-404”在“申请”表中找不到（或该行有错误未能读入）",
        "工作表“征求意见”第3行：收到意见日期早于征求意见发出日期",
        "工作表“征求意见”第4行：征求意见发出日期早于收到日期",
        "工作表“征求意见”第5行：未填“征求意见发出日期”",
    ]


def test_a_workbook_made_before_the_new_sheets_still_reads(tmp_path: Path) -> None:
    path = filled_ledger(tmp_path / "ledger.xlsx")
    workbook = openpyxl.load_workbook(path)
    del workbook["征求意见"], workbook["报告正文"]
    workbook.save(path)
    result = read_ledger(path)
    assert result.problems == [] and len(result.ledger.applications) == 6 and result.ledger.report_texts == ()


def test_the_report_texts_of_the_workbook_make_the_report(tmp_path: Path) -> None:
    ledger = read_ledger(with_several_consultations_and_report_texts(tmp_path / "ledger.xlsx")).ledger
    report = build_report(ledger, 2025)
    assert report.published == D(2026, 1, 20) and report.facts["published"].text == "2026年1月20日"
    assert report.sections["5"].text == "一是……\n二是……"
    assert report.sections["6"].text == "本机关无其他需要报告的事项。"
    assert "本年度新收政府信息公开申请5件" in report.sections["1"].text  # not written: generated
    meta = [f.message for f in run_rules(report) if f.code == "META"]
    assert meta == ["报告留有模板占位符“【待填写】”（第一部分），须填写完整后再发布"]  # 落款日期 given
    assert build_report(ledger, 2024).published is None  # the row is the 2025 report's


def test_figures_written_in_a_section_are_checked_against_the_tables(tmp_path: Path) -> None:
    path = filled_ledger(tmp_path / "ledger.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["报告正文"].append([2025, D(2026, 1, 20), "本年度共收到政府信息公开申请9件，均已按期答复。"])
    workbook.save(path)
    report = build_report(read_ledger(path).ledger, 2025)
    assert any(f.code == "NARR-TAB" and "9" in f.message for f in run_rules(report))


def test_a_second_row_for_a_year_is_an_error(tmp_path: Path) -> None:
    path = filled_ledger(tmp_path / "ledger.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["报告正文"].append([2025, D(2026, 1, 20)])
    workbook["报告正文"].append([2025, D(2026, 1, 21)])
    workbook["报告正文"].append([1900, D(2026, 1, 21)])
    workbook.save(path)
    assert [str(p) for p in read_ledger(path).errors] == [
        "工作表“报告正文”第2行：2025年的报告正文填了不止一行",
        "工作表“报告正文”第3行：2025年的报告正文填了不止一行",
        "工作表“报告正文”第4行：年度“1900”不是有效年份",
    ]


def without_origins(ledger: Ledger) -> dict[str, Any]:
    """The ledger's data without where each record was read (a workbook row)."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: strip(item) for key, item in value.items() if key != "origin"}
        if isinstance(value, tuple | list):
            return [strip(item) for item in value]
        return value

    return strip(ledger.model_dump(mode="json"))


def test_a_ledger_written_as_a_workbook_reads_back_the_same(tmp_path: Path) -> None:
    from nianbao.ledger.spreadsheet import ledger_workbook

    first = read_ledger(with_several_consultations_and_report_texts(tmp_path / "ledger.xlsx"))
    assert not first.errors
    written = tmp_path / "again.xlsx"
    written.write_bytes(ledger_workbook(first.ledger))
    again = read_ledger(written)
    assert not again.errors
    assert without_origins(again.ledger) == without_origins(first.ledger)
    assert len(again.ledger.applications[4].consultations) == 3 and again.ledger.report_texts[0].sections.keys() == {
        "5",
        "6",
    }


def test_a_ledger_stored_as_json_before_these_fields_still_loads() -> None:
    # as the web workspace stored it: no report_texts, consultations without an origin
    stored = {
        "agency": "某局",
        "applications": [
            {
                "number": "A1",
                "received": "2025-03-03",
                "applicant_type": "natural_person",
                "consultations": [{"sent": "2025-03-10", "replied": "2025-03-20", "party": "某公司"}],
            }
        ],
    }
    ledger = Ledger.model_validate(stored)
    assert ledger.applications[0].consultations[0].replied == D(2025, 3, 20) and ledger.report_texts == ()
    again = Ledger.model_validate(ledger.model_dump(mode="json"))
    assert again == ledger
