"""The ledger commands: ``nianbao deadline`` and ``nianbao ledger template|status|report``."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from nianbao.cli import main
from nianbao.ledger.spreadsheet import FIGURES
from nianbao.model import Report
from nianbao.rules import run_rules
from test_ledger_calendar import TEST_2027
from test_ledger_spreadsheet import ARITHMETIC, D, app_row, filled_ledger, with_several_consultations_and_report_texts


def test_deadline_command_fails_closed_then_uses_the_override_table(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"NIANBAO_HOME": str(tmp_path)}
    result = runner.invoke(main, ["deadline", "--received", "2026-12-10"], env=env)
    assert result.exit_code == 2
    assert "2027年的法定节假日和调休安排尚未收录" in result.output
    assert str(tmp_path / "calendar-overrides.csv") in result.output
    (tmp_path / "calendar-overrides.csv").write_text(TEST_2027, encoding="utf-8")
    result = runner.invoke(main, ["deadline", "--received", "2026-12-10"], env=env)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "2027-01-08"


def test_deadline_command_options(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"NIANBAO_HOME": str(tmp_path)}
    plain = runner.invoke(main, ["deadline", "--received", "2025-09-30"], env=env)
    assert plain.exit_code == 0 and plain.output == "2025-11-04\n"
    args = ["--received", "2025-03-03", "--channel", "online", "--consulted", "2025-03-10", "2025-03-20"]
    explained = runner.invoke(main, ["deadline", *args, "--extended", "--explain"], env=env)
    assert explained.exit_code == 0, explained.output
    lines = explained.output.splitlines()
    assert lines[-1] == "2025-05-13"
    assert any("征求意见期间，其中8个工作日不计" in line for line in lines)
    corrected = runner.invoke(main, ["deadline", "--received", "2025-09-26", "--corrected", "2025-10-20"], env=env)
    assert corrected.output.splitlines()[-1] == "2025-11-17"
    waiting = runner.invoke(main, ["deadline", "--received", "2025-03-03", "--consulted", "2025-03-10", "-"], env=env)
    assert waiting.output.splitlines()[-1] == "2025-04-22"
    bad = runner.invoke(main, ["deadline", "--received", "2025-03-03", "--consulted", "2025-03-10", "soon"], env=env)
    assert bad.exit_code == 2 and "“soon”不是有效日期" in bad.output


def test_report_refused_while_rows_are_bad(tmp_path: Path) -> None:
    extra: list[list[Any]] = [
        app_row(申请编号="B1", 收到日期=D(2025, 3, 3), 提交方式="当面", 申请人类型="公司"),
        app_row(
            申请编号="B2",
            收到日期=D(2025, 3, 3),
            提交方式="当面",
            申请人类型="自然人",
            办理结果="（一）予以公开",
            答复日期=D(2025, 3, 1),
        ),
    ]
    path = filled_ledger(tmp_path / "ledger.xlsx", extra)
    runner = CliRunner()
    out = tmp_path / "report.json"
    result = runner.invoke(main, ["ledger", "report", str(path), "--year", "2025", "-o", str(out)])
    assert result.exit_code == 2
    assert "工作表“申请”第9行：答复日期早于收到日期" in result.output
    assert "台账有2处错误（见上），未生成报告" in result.output
    assert not out.exists()


def test_report_shows_the_workbook_warnings(tmp_path: Path) -> None:
    path = filled_ledger(tmp_path / "ledger.xlsx")
    workbook = openpyxl.load_workbook(path)
    del workbook["年度数字"]
    cases = workbook["复议诉讼"]
    cases.cell(row=1, column=10, value="承办人")
    cases.cell(row=2, column=10, value="李四")
    workbook.create_sheet("年度数字").append([c.header for c in FIGURES.columns])
    workbook.save(path)
    result = CliRunner().invoke(main, ["ledger", "report", str(path), "--year", "2025", "-o", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    assert "注意：工作表“复议诉讼”第2行：“承办人”列不是台账的列，其内容“李四”不会使用" in result.output
    assert "注意：工作表“年度数字”：没有2025年的行政许可、处罚、强制和收费数字，表二相应单元格留空" in result.output


def test_not_a_workbook(tmp_path: Path) -> None:
    text = tmp_path / "ledger.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["ledger", "status", str(text)])
    assert result.exit_code == 2 and "不是可以读取的 Excel（.xlsx）台账文件" in result.output
    result = runner.invoke(main, ["ledger", "status", str(tmp_path / "none.xlsx")])
    assert result.exit_code == 2 and "文件不存在" in result.output


def test_ledger_commands_end_to_end(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"NIANBAO_HOME": str(tmp_path)}
    template = tmp_path / "new.xlsx"
    result = runner.invoke(main, ["ledger", "template", "-o", str(template)], env=env)
    assert result.exit_code == 0 and template.exists()

    path = filled_ledger(tmp_path / "ledger.xlsx")
    status = runner.invoke(main, ["ledger", "status", str(path), "--today", "2025-12-20"], env=env)
    # 2025-003: 补正期限 11-20 passed without 补正 → exit 1 (needs attention)
    assert status.exit_code == 1, status.output
    assert "补正期限已过" in status.output and "2025-002" in status.output
    assert "2025-001" not in status.output  # closed: listed only with --all
    everything = runner.invoke(main, ["ledger", "status", str(path), "--today", "2025-12-20", "--all"], env=env)
    assert "2025-001" in everything.output

    out = tmp_path / "report.json"
    result = runner.invoke(main, ["ledger", "report", str(path), "--year", "2025", "-o", str(out)], env=env)
    assert result.exit_code == 0, result.output
    assert "核查：错误0项" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "nianbao.report/1" and data["agency"] == "测试市商务局" and data["year"] == 2025
    t3 = data["table3"]
    assert t3["received_new"]["total"] == 5 and t3["carried_over_in"]["research"] == 1
    assert t3["results_total"]["total"] == 4 and t3["carried_over_out"]["total"] == 2
    assert data["table4"]["review"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    assert data["table2"]["normative_documents"] == {"issued": 1, "repealed": 1, "in_force": 1}
    assert data["table2"]["regulations"]["in_force"] == 1 and data["table2"]["fees"]["amount"] == 1.5
    report = Report.from_contract(data)
    assert [f for f in run_rules(report, codes=ARITHMETIC) if f.severity == "error"] == []


def test_status_json_is_the_same_data(tmp_path: Path) -> None:
    path = filled_ledger(tmp_path / "ledger.xlsx")
    runner = CliRunner()
    env = {"NIANBAO_HOME": str(tmp_path)}
    args = ["ledger", "status", str(path), "--today", "2025-12-20"]
    shown = runner.invoke(main, args, env=env)
    result = runner.invoke(main, [*args, "--json"], env=env)
    assert result.exit_code == shown.exit_code == 1 and result.stderr == ""
    data = json.loads(result.stdout)
    assert set(data) == {"file", "today", "summary", "counts", "applications", "problems"}
    assert data["file"] == str(path) and data["today"] == "2025-12-20"
    assert data["summary"] == shown.stdout.splitlines()[-1] == "补正期限已过1件；办理中1件"
    assert data["counts"]["correction_lapsed"] == 1 and data["counts"]["open"] == 1
    lapsed, running = data["applications"]
    assert lapsed["number"] == "2025-003" and lapsed["state"] == "correction_lapsed" and lapsed["due"] is None
    assert running == {
        "number": "2025-002",
        "received": "2025-12-01",
        "state": "open",
        "label": "办理中",
        "due": "2025-12-29",
        "workdays_left": 6,
        "notes": [],
    }


def test_status_json_lists_the_bad_rows_and_exits_two(tmp_path: Path) -> None:
    bad = app_row(申请编号="B1", 收到日期=D(2025, 3, 3), 提交方式="当面", 申请人类型="公司")
    path = filled_ledger(tmp_path / "ledger.xlsx", [bad])
    result = CliRunner().invoke(main, ["ledger", "status", str(path), "--today", "2025-12-20", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["problems"] == [
        {
            "where": "工作表“申请”第8行",
            "message": "申请人类型“公司”不在下拉列表中（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他）",
            "severity": "error",
        }
    ]
    assert result.stderr.splitlines() == [
        "错误：工作表“申请”第8行：申请人类型“公司”不在下拉列表中（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他）",
        f"错误：{path}：台账有1处错误（见上），这些行未计入",
    ]


def test_ledger_report_warns_before_writing_what_it_lacks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = filled_ledger(tmp_path / "ledger.xlsx")
    out = tmp_path / "report.docx"
    seen: list[bool] = []

    def before_writing(*args: object, **kwargs: object) -> str:
        seen.append(out.exists())
        raise OSError(28, "No space left on device")

    runner = CliRunner()
    monkeypatch.setattr("nianbao.ledger.export.write_report", before_writing)
    result = runner.invoke(main, ["ledger", "report", str(path), "--year", "2025", "-o", str(out)])
    # the warnings came first: the write (made to fail here) was attempted after them
    assert seen == [False] and result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "注意：报告留有模板占位符“【待填写】”（第一部分、第五部分、第六部分），须填写完整后再发布"
    assert lines[1] == "注意：报告未载明发布（落款）日期，无法核查发布时限"
    assert "无法写入文件" in lines[-1]
    monkeypatch.undo()
    result = runner.invoke(main, ["ledger", "report", str(path), "--year", "2025", "-o", str(out)])
    assert result.exit_code == 0 and out.exists()
    assert "警告1项" in result.stdout and "[META]" not in result.stdout  # counted, said once


def test_nothing_of_the_users_is_written_over(tmp_path: Path) -> None:
    runner = CliRunner()
    ledger = filled_ledger(tmp_path / "台账.xlsx")
    filled = ledger.read_bytes()
    # a template over the filled ledger: refused, the ledger untouched
    result = runner.invoke(main, ["ledger", "template", "-o", str(ledger)])
    assert result.exit_code == 2 and result.stderr == f"错误：{ledger}：文件已存在；要替换它请加 --force\n"
    # the report over its own ledger: refused, even with --force
    for force in ([], ["--force"]):
        result = runner.invoke(main, ["ledger", "report", str(ledger), "--year", "2025", "-o", str(ledger), *force])
        assert result.exit_code == 2 and "输出文件与输入文件相同" in result.stderr, result.output
        assert "注意" not in result.stderr  # refused before any work
    assert ledger.read_bytes() == filled
    # an existing report is replaced only with --force
    out = tmp_path / "report.json"
    out.write_text("{}", encoding="utf-8")
    result = runner.invoke(main, ["ledger", "report", str(ledger), "--year", "2025", "-o", str(out)])
    assert result.exit_code == 2 and "--force" in result.stderr and out.read_text(encoding="utf-8") == "{}"
    result = runner.invoke(main, ["ledger", "report", str(ledger), "--year", "2025", "-o", str(out), "--force"])
    assert result.exit_code == 0 and json.loads(out.read_text(encoding="utf-8"))["year"] == 2025
    template = tmp_path / "空白.xlsx"
    assert runner.invoke(main, ["ledger", "template", "-o", str(template)]).exit_code == 0
    assert runner.invoke(main, ["ledger", "template", "-o", str(template), "--force"]).exit_code == 0


@pytest.mark.parametrize(
    "typed", ["2025-10-09", "2025/10/09", "2025.10.9", "2025年10月9日", "2025年10月9号", "２０２５／１０／９"]
)
def test_dates_as_people_type_them(typed: str, tmp_path: Path) -> None:
    env = {"NIANBAO_HOME": str(tmp_path)}
    args = ["deadline", "--explain", "--received", "{}", "--consulted", "{}", "{}"]
    iso = CliRunner().invoke(main, [arg.format("2025-10-09") for arg in args], env=env)
    result = CliRunner().invoke(main, [arg.format(typed) for arg in args], env=env)
    assert iso.exit_code == 0 and result.exit_code == 0, result.output
    assert result.stdout == iso.stdout and "2025-10-09" in iso.stdout  # the same day, the same reckoning


@pytest.mark.parametrize("typed", ["2025-13-01", "2025年2月30日", "10/9/2025", "明天"])
def test_a_date_that_is_not_one_is_refused_in_one_line(typed: str) -> None:
    result = CliRunner().invoke(main, ["deadline", "--received", typed])
    assert result.exit_code == 2 and f"“{typed}”不是有效日期" in result.stderr


def test_typed_date_is_the_workbooks_reading() -> None:
    from nianbao.ledger.calendar import typed_date

    assert typed_date("2025/10/03") == typed_date(" 2025 年 10 月 3 日 ") == dt.date(2025, 10, 3)
    assert typed_date("2025-02-29") is None and typed_date("20251003") is None


def test_output_files_get_the_mode_of_a_new_file_and_keep_the_mode_of_one_replaced(tmp_path: Path) -> None:
    runner = CliRunner()
    ledger = filled_ledger(tmp_path / "台账.xlsx")
    old = os.umask(0o002)  # a group that shares its files
    try:
        template, report = tmp_path / "空白.xlsx", tmp_path / "report.md"
        assert runner.invoke(main, ["ledger", "template", "-o", str(template)]).exit_code == 0
        made = runner.invoke(main, ["ledger", "report", str(ledger), "--year", "2025", "-o", str(report)])
        assert made.exit_code == 0
        assert oct(template.stat().st_mode & 0o777) == oct(report.stat().st_mode & 0o777) == "0o664"
        report.chmod(0o600)  # the user keeps this one private: --force does not open it up
        args = ["ledger", "report", str(ledger), "--year", "2025", "-o", str(report), "--force"]
        assert runner.invoke(main, args).exit_code == 0
        assert oct(report.stat().st_mode & 0o777) == "0o600"
    finally:
        os.umask(old)


def test_ledger_report_takes_the_signature_date_and_sections_from_the_workbook(tmp_path: Path) -> None:
    path = with_several_consultations_and_report_texts(tmp_path / "ledger.xlsx")
    out = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["ledger", "report", str(path), "--year", "2025", "-o", str(out)])
    assert result.exit_code == 0, result.output
    # only section 一 still has 【待填写】; the date is there
    assert result.stderr == "注意：报告留有模板占位符“【待填写】”（第一部分），须填写完整后再发布\n"
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["published"] == "2026-01-20"
    assert data["sections"]["6"]["text"] == "本机关无其他需要报告的事项。"
    assert Report.from_contract(data).sections["5"].text == "一是……\n二是……"
