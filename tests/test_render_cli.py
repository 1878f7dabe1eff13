"""``nianbao render``: exit codes 0 (written), 1 (error findings, nothing written), 2 (unusable input)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from helpers import SEEDS, truth_of
from nianbao import parse_file
from nianbao.cli import main


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["docx", "html", "md", "xlsx", "json"])
def test_render_each_format(tmp_path: Path, fmt: str) -> None:
    source = write(tmp_path / "report.json", truth_of(SEEDS[0]))
    code, out, err = run("render", str(source), "--to", fmt, "-o", str(tmp_path / f"out.{fmt}"))
    assert code == 0, err
    assert (tmp_path / f"out.{fmt}").stat().st_size > 0
    assert "已生成" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["report.json", f"out.{fmt}"])


def test_format_from_the_output_name_and_default_output(tmp_path: Path) -> None:
    source = write(tmp_path / "report.json", truth_of(SEEDS[2]))
    assert run("render", str(source), "-o", str(tmp_path / "a.markdown"))[0] == 0
    assert (tmp_path / "a.markdown").read_text(encoding="utf-8").startswith("# 西工区商务局")
    assert run("render", str(source), "--to", "html")[0] == 0
    assert (tmp_path / "report.html").exists()


def test_an_existing_file_is_replaced_only_with_force(tmp_path: Path) -> None:
    source = write(tmp_path / "report.json", truth_of(SEEDS[2]))
    existing = tmp_path / "report.html"
    existing.write_text("the user's own page", encoding="utf-8")
    for named in ([], ["-o", str(existing)]):  # the default name or named with -o: the same
        code, _, err = run("render", str(source), "--to", "html", *named)
        assert code == 2 and err == f"错误：{existing}：文件已存在；要替换它请加 --force\n"
        assert existing.read_text(encoding="utf-8") == "the user's own page"
    assert run("render", str(source), "--to", "html", "-o", str(existing), "--force")[0] == 0
    assert existing.read_text(encoding="utf-8") != "the user's own page"
    # the input is never the output, --force or not
    code, _, err = run("render", str(source), "-o", str(tmp_path / "." / "report.json"), "--force")
    assert code == 2 and "输出文件与输入文件相同" in err
    assert json.loads(source.read_text(encoding="utf-8")) == truth_of(SEEDS[2])


def test_what_parse_produces_renders(tmp_path: Path) -> None:
    """`nianbao parse --json` output (with provenance) is a valid input, and renders back the same tables."""
    parsed = parse_file(SEEDS[4]).to_contract()
    source = write(tmp_path / "parsed.json", parsed)
    code, _, err = run("render", str(source), "-o", str(tmp_path / "out.md"))
    assert code == 0, err
    again = parse_file(tmp_path / "out.md").to_contract()
    for key in ("agency", "year", "table2", "table3", "table4"):
        assert again[key] == parsed[key], key


def test_stdin_and_single_element_array(tmp_path: Path) -> None:
    text = json.dumps([truth_of(SEEDS[1])], ensure_ascii=False)
    code, _, err = run("render", "-", "-o", str(tmp_path / "out.docx"), stdin=text)
    assert code == 0, err
    assert (tmp_path / "out.docx").exists()


def test_error_findings_exit_1_and_write_nothing_unless_allowed(tmp_path: Path) -> None:
    data = copy.deepcopy(truth_of(SEEDS[1]))
    data["table4"]["review"]["upheld"] = 2
    source = write(tmp_path / "bad.json", data)
    target = tmp_path / "bad.docx"
    code, _, err = run("render", str(source), "-o", str(target))
    assert code == 1 and not target.exists()
    assert "未生成文件" in err and "--allow-errors" in err and "[T4-SUM]" in err
    # --force only replaces a file: it does not write a report with errors
    code, _, err = run("render", str(source), "-o", str(target), "--force")
    assert code == 1 and not target.exists()
    code, out, err = run("render", str(source), "-o", str(target), "--allow-errors")
    assert code == 0 and target.exists() and "已生成" in out
    assert "--allow-errors" in err and "仍然存在" in err and "[T4-SUM]" in err
    # and an existing output still needs --force beside it
    code, _, err = run("render", str(source), "-o", str(target), "--allow-errors")
    assert code == 2 and "--force" in err
    assert run("render", str(source), "-o", str(target), "--allow-errors", "--force")[0] == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"schema": "nianbao.report/1",', "不是有效的 JSON"),
        ('{"schema": "other"}', "不是 nianbao.report/1"),
        ('{"schema": "nianbao.report/1", "table3": {"bogus": {}}}', "未知的行"),
        ("[]", "0份报告"),
        ('{"file": "x.pdf", "error": "文件是空的"}', "读取失败的记录"),
    ],
)
def test_unusable_input_exits_2_with_one_line(tmp_path: Path, content: str, message: str) -> None:
    source = tmp_path / "in.json"
    source.write_text(content, encoding="utf-8")
    code, _, err = run("render", str(source), "--to", "docx", "-o", str(tmp_path / "out.docx"))
    assert code == 2 and message in err
    assert len(err.strip().splitlines()) == 1 and err.startswith("错误：")
    assert not (tmp_path / "out.docx").exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    source = write(tmp_path / "report.json", truth_of(SEEDS[0]))
    assert run("render", str(tmp_path / "missing.json"), "--to", "md")[0] == 2
    code, _, err = run("render", str(source))
    assert code == 2 and "--to" in err
    code, _, err = run("render", str(source), "--to", "json")
    assert code == 2 and "输出文件与输入文件相同" in err
    code, _, err = run("render", str(source), "-o", str(tmp_path / "no" / "dir.md"))
    assert code == 2 and "输出目录不存在" in err
