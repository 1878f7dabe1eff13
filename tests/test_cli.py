"""The command line: output shapes and exit codes (0 clean, 1 errors found, 2 unusable input)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import SEEDS, truth_of
from nianbao.cli import main
from nianbao.settings import Settings


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_parse_json_is_the_contract(seed: Path) -> None:
    code, out, _ = run("parse", str(seed), "--json")
    assert code == 0
    data = json.loads(out)
    truth = truth_of(seed)
    assert data["schema"] == "nianbao.report/1"
    for key in ("agency", "year", "format_version", "table2", "table3", "table4"):
        assert data[key] == truth[key]
    cell = data["cells"]["table3.received_new.total"]
    assert cell["status"] == "value" and cell["location"]["line"] > 0


def test_check_of_the_contract_json_gives_the_source_files_findings(seed: Path, tmp_path: Path) -> None:
    code, out, _ = run("parse", str(seed), "--json")
    assert code == 0
    contract = tmp_path / "report.json"
    contract.write_text(out, encoding="utf-8")
    source_code, source_out, _ = run("check", str(seed), "--json")
    json_code, json_out, _ = run("check", str(contract), "--json")
    assert json_code == source_code
    from_source, from_json = json.loads(source_out), json.loads(json_out)
    assert from_json["findings"] == from_source["findings"]
    assert {k: v for k, v in from_json.items() if k != "file"} == {k: v for k, v in from_source.items() if k != "file"}


def test_parse_several_files_gives_an_array() -> None:
    code, out, _ = run("parse", *map(str, SEEDS), "--json")
    assert code == 0
    data = json.loads(out)
    assert isinstance(data, list) and [d["agency"] for d in data] == [truth_of(s)["agency"] for s in SEEDS]


def test_parse_readable_view_shows_the_tables() -> None:
    code, out, _ = run("parse", str(SEEDS[3]))
    assert code == 0
    assert "将乐县工业和信息化局" in out and "表三" in out and "表四" in out


def test_check_seeds_exit_zero_with_findings_json() -> None:
    code, out, _ = run("check", *map(str, SEEDS), "--json")
    assert code == 0
    batch = json.loads(out)
    results = batch["results"]
    assert [r["errors"] for r in results] == [0] * len(SEEDS)
    assert batch["summary"] == {
        "files": len(SEEDS),
        "reports": len(SEEDS),
        "with_errors": 0,
        "with_warnings": sum(1 for r in results if r["warnings"]),
        "unusable": 0,
        "duplicates": [],
        "skipped": [],
    }
    sec6 = [f for f in results[0]["findings"] if f["code"] == "SEC-6"]
    assert sec6 and sec6[0]["severity"] == "warning" and sec6[0]["locations"] == [{"line": 57, "column": 1}]
    for result in results:
        for finding in result["findings"]:
            assert set(finding) == {"code", "severity", "message", "cells", "locations"}


def test_check_exit_one_when_a_report_has_errors(tmp_path: Path) -> None:
    text = SEEDS[1].read_text(encoding="utf-8")
    # 自然人 of 一、本年新收 printed as 5 instead of 3: the 勾稽 identity and the row sum break
    lines = text.split("\n")
    label = lines.index("一、本年新收政府信息公开申请数量")
    assert lines[label + 2] == "3"
    lines[label + 2] = "5"
    broken = tmp_path / "broken.txt"
    broken.write_text("\n".join(lines), encoding="utf-8")
    code, out, _ = run("check", str(broken))
    assert code == 1
    assert "自然人列：一(5)+二(0) ≠ 三（七）(3)+四(0)" in out
    code, out, _ = run("check", str(broken), "--json")
    finding = next(f for f in json.loads(out)["findings"] if f["code"] == "T3-ID")
    assert finding["message"] == "自然人列：一(5)+二(0) ≠ 三（七）(3)+四(0)"
    assert "table3.received_new.natural_person" in finding["cells"]
    assert {"line": label + 3, "column": 1} in finding["locations"]


def test_check_previous_compares_only_the_same_agency(tmp_path: Path) -> None:
    # 000 is 永吉县商务局 2023, 004 is 五常市商务局 2024: another agency, so nothing is compared
    code, out, _ = run("check", str(SEEDS[4]), "--previous", str(SEEDS[0]), "--json")
    assert code == 0
    result = json.loads(out)
    assert result["previous"] is None
    assert not any(f["code"] in ("X-CARRY", "X-VALID", "T2-REPEAL", "DUP") for f in result["findings"])
    carry = [item for item in result["checklist"] if item["code"] == "X-CARRY"]
    assert [item["status"] for item in carry] == ["not_checkable"] and "上一年度" in carry[0]["reason"]
    code, out, _ = run("check", str(SEEDS[4]), "--previous", str(SEEDS[0]))
    assert "未作跨年度对照：--previous 中没有“五常市商务局”2023年度的报告" in out


def bad_inputs(tmp_path: Path) -> dict[str, Path]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 64)
    news = tmp_path / "news.txt"
    news.write_text("今天天气晴朗。\n市民纷纷外出踏青。\n", encoding="utf-8")
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    return {"empty": empty, "binary": binary, "news": news, "huge": huge, "missing": tmp_path / "missing.txt"}


@pytest.mark.parametrize("command", ["parse", "check"])
@pytest.mark.parametrize("case", ["empty", "binary", "news", "huge", "missing"])
def test_unusable_input_exits_two_with_one_line(tmp_path: Path, command: str, case: str) -> None:
    path = bad_inputs(tmp_path)[case]
    code, out, err = run(command, str(path))
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("错误：") and str(path) in err
    assert "Traceback" not in out + err


def test_good_files_are_still_reported_beside_a_bad_one(tmp_path: Path) -> None:
    empty = bad_inputs(tmp_path)["empty"]
    code, out, _ = run("check", str(SEEDS[0]), str(empty), "--json")
    assert code == 2
    batch = json.loads(out)
    results = batch["results"]
    assert batch["summary"]["unusable"] == 1 and batch["summary"]["reports"] == 1
    assert results[0]["agency"] == "永吉县商务局"
    assert results[1]["file"] == str(empty) and "空" in results[1]["error"]


def test_gbk_file_is_read(tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(SEEDS[3].read_text(encoding="utf-8").encode("gbk"))
    code, out, _ = run("parse", str(gbk), "--json")
    assert code == 0 and json.loads(out)["table3"] == truth_of(SEEDS[3])["table3"]


def test_installed_command_never_prints_a_traceback(tmp_path: Path) -> None:
    huge = bad_inputs(tmp_path)["huge"]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "nianbao", "check", str(huge)], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 2
    assert "过大" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("command", ["parse", "check", "render"])
def test_a_fifo_or_a_device_is_refused_without_reading(tmp_path: Path, command: str) -> None:
    # a FIFO blocks open() and /dev/zero never ends: a subprocess with a time-out, in case
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    for path in (str(fifo), "/dev/zero"):
        args = [sys.executable, "-m", "nianbao", command, path] + (
            ["-o", str(tmp_path / "x.md")] if command == "render" else []
        )
        done = subprocess.run(
            args, capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONIOENCODING": "utf-8"}
        )
        assert done.returncode == 2
        assert done.stderr == f"错误：{path}：这不是普通文件（而是设备、管道或套接字），无法读取\n"


def test_a_path_too_long_is_said_in_chinese(tmp_path: Path) -> None:
    code, _, err = run("check", str(tmp_path / ("长" * 200 + ".txt")))
    assert code == 2 and err.endswith("：无法读取文件（文件名或路径过长）\n")


def test_a_file_name_that_is_not_utf8_still_gives_valid_json(tmp_path: Path) -> None:
    directory = os.fsencode(tmp_path)
    name = os.path.join(directory, b"\xb1\xa8\xb8\xe6.txt")  # 报告 in GBK: not UTF-8
    Path(os.fsdecode(name)).write_bytes(SEEDS[0].read_bytes())
    missing = os.path.join(directory, b"\xff.txt")
    done = subprocess.run(
        [sys.executable, "-m", "nianbao", "parse", "--json", name, missing], capture_output=True, timeout=60
    )
    assert done.returncode == 2
    objects = json.loads(done.stdout.decode("utf-8"))  # strict: raises on a byte that is not UTF-8
    assert objects[0]["source"]["file"].endswith("\ufffd\ufffd\ufffd\ufffd.txt")
    assert objects[1]["file"].endswith("\ufffd.txt") and "不存在" in objects[1]["error"]
    assert done.stderr.decode("utf-8").startswith("错误：")


def test_rules_docs_are_current() -> None:
    code, out, _ = run("rules", "--markdown")
    assert code == 0
    docs = Path(__file__).parents[1] / "docs" / "rules.md"
    assert docs.read_text(encoding="utf-8") == out, "docs/rules.md is stale: run `make docs`"


def test_every_setting_is_documented() -> None:
    from nianbao.settings import SETTINGS

    docs = (Path(__file__).parents[1] / "docs" / "configuration.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        default = f"`{setting.default}`" if setting.default else "（空）"
        row = f"| `{setting.name}` | {default} | {setting.expected} | {setting.help} |"
        assert row in docs, f"docs/configuration.md: the row of {setting.name} differs from nianbao.settings"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"NIANBAO_MAX_PDF_PAGES": "abc"}, "错误：设置 NIANBAO_MAX_PDF_PAGES='abc' 无效：应为正整数\n"),
        ({"NIANBAO_DEBUG": "maybe"}, "错误：设置 NIANBAO_DEBUG='maybe' 无效：应为1 或 0（也可写 true/false）\n"),
        (
            {"NIANBAO_DATA_DIR": "./data"},
            "错误：设置 NIANBAO_DATA_DIR 已改名为 NIANBAO_HOME，请改用 NIANBAO_HOME='./data'\n",
        ),
    ],
)
def test_an_invalid_setting_stops_every_command_with_one_line(env: dict[str, str], message: str) -> None:
    for args in (["parse", str(SEEDS[0])], ["deadline", "--received", "2025-03-03"], ["rules"]):
        result = CliRunner().invoke(main, args, env=env)
        assert result.exit_code == 2 and result.stderr == message and result.stdout == ""


def test_a_bug_is_one_line_unless_debugging(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("cell")

    monkeypatch.setattr("nianbao.pipeline.recheck", broken)
    code, out, err = run("check", str(SEEDS[0]), str(SEEDS[1]), "--json")
    assert code == 2 and len(json.loads(out)["results"]) == 2
    assert err.splitlines()[0] == f"错误：{SEEDS[0]}：处理时发生内部错误（KeyError: 'cell'），请将该文件反馈给开发者"
    assert len(err.splitlines()) == 2
    result = CliRunner().invoke(main, ["check", str(SEEDS[0])], env={"NIANBAO_DEBUG": "1"})
    assert isinstance(result.exception, KeyError)


def test_a_bug_in_a_command_without_files_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("nianbao.rules.docs.rules_text", lambda: 1 / 0)
    code, out, err = run("rules")
    assert code == 2 and out == ""
    assert err == "错误：处理时发生内部错误（ZeroDivisionError: division by zero），请反馈给开发者\n"


def test_the_settings_reach_the_commands(tmp_path: Path) -> None:
    """NIANBAO_HOME from the environment, resolved to an absolute path once, is where the
    calendar override table is looked for."""
    result = CliRunner().invoke(main, ["deadline", "--received", "2026-12-10"], env={"NIANBAO_HOME": str(tmp_path)})
    assert result.exit_code == 2 and f"写入 {tmp_path / 'calendar-overrides.csv'}" in result.stderr
    # a caller's own Settings win over the environment
    given = Settings(home=tmp_path / "given")
    result = CliRunner().invoke(main, ["deadline", "--received", "2026-12-10"], obj=given, env={"NIANBAO_HOME": "x"})
    assert result.exit_code == 2 and str(tmp_path / "given" / "calendar-overrides.csv") in result.stderr


def test_a_notice_is_refused_not_checked(tmp_path: Path) -> None:
    notice = tmp_path / "通知.txt"
    notice.write_text(
        "关于做好2024年度政府信息公开工作年度报告编制发布工作的通知\n\n各部门：\n\n"
        "请于2025年1月31日前发布本部门年度报告，确保数据准确。\n\n某市人民政府办公室\n2024年12月20日\n",
        encoding="utf-8",
    )
    code, out, err = run("check", str(notice))
    assert code == 2 and out == ""
    assert err.startswith(f"错误：{notice}：不是政府信息公开工作年度报告：没有六个部分的标题")
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["deadline"], "错误：缺少选项 '--received'."),
        (["ledger", "report"], "错误：缺少参数 'FILE'."),
        (["chekc"], "错误：没有 'chekc' 这个命令。"),
        (["check", "--jsn", "a.txt"], "错误：没有 '--jsn' 这个选项。 是否要用 '--json'？"),
        (
            ["ledger", "report", "a.xlsx", "--year", "x", "-o", "b.json"],
            "错误：'--year' 的值无效：'x' 不是有效的数字。",
        ),
        (
            ["deadline", "--received", "2025-10-01", "--channel", "pigeon"],
            "'--channel' 的值无效：'pigeon' 不是可选的值",
        ),
    ],
)
def test_clicks_own_usage_messages_are_in_chinese(args: list[str], said: str) -> None:
    code, out, err = run(*args)
    assert code == 2 and out == ""
    assert said in err, err
    assert err.startswith("用法: ") and "查看帮助。" in err  # the program is "main" under CliRunner
    assert not any(word in err for word in ("Usage", "Error", "Missing", "Invalid", "Try "))


def test_help_headings_are_in_chinese() -> None:
    code, out, _ = run("render", "--help")
    assert code == 0 and out.startswith("用法: ") and " render [OPTIONS] REPORT.json" in out
    assert "选项:" in out and "显示此帮助并退出。" in out and "Options" not in out
