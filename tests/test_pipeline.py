"""``pipeline.process``: the one call from bytes to findings, for a file or its contract JSON."""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

import pytest

from helpers import FIXTURES, SEEDS
from nianbao.errors import NotAReportError, ReportDataError
from nianbao.model import CheckResult, Finding, severity_counts
from nianbao.pipeline import is_contract, load_report, process
from nianbao.settings import DEFAULT_SETTINGS

CORPUS = FIXTURES / "corpus"


def contract_bytes(data: bytes, name: str) -> bytes:
    return json.dumps(process(data, name).report.to_contract(), ensure_ascii=False, indent=1).encode("utf-8")


def test_the_contract_json_gets_the_findings_of_its_source(seed: Path) -> None:
    path = seed
    source = process(path.read_bytes(), path.name, DEFAULT_SETTINGS)
    as_json = contract_bytes(path.read_bytes(), path.name)
    assert is_contract(as_json)
    again = process(as_json, "report.json", DEFAULT_SETTINGS)
    assert again.findings == source.findings
    assert again.report == source.report


def test_the_contract_is_sniffed_after_a_bom_and_white_space() -> None:
    path = SEEDS[1]
    as_json = contract_bytes(path.read_bytes(), path.name)
    wrapped = codecs.BOM_UTF8 + b"\n  \t" + as_json
    assert is_contract(wrapped)
    assert process(wrapped, "report.json").findings == process(path.read_bytes(), path.name).findings
    assert not is_contract(path.read_bytes())
    assert not is_contract(b'{"schema": "other/1"}')
    assert not is_contract(b'["nianbao.report/1"]')


def test_cross_year_through_process() -> None:
    last = process((CORPUS / "003_pingtan_2020.txt").read_bytes(), "003_pingtan_2020.txt").report
    data = (CORPUS / "004_pingtan_2021.txt").read_bytes()
    assert (
        process(contract_bytes(data, "004.txt"), "004.json", previous=last).findings
        == process(data, "004.txt", previous=last).findings
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"schema": "nianbao.report/1", "year": 2023,', "报告数据不是有效的 JSON（第1行第45列"),
        (b'{"schema": "nianbao.report/1", "agency": "\xb9\xfa"}', "不是 UTF-8 编码的 JSON"),
        (b'{"schema": "nianbao.report/1", "year": "2023"}', "year：应为整数"),
        (b'{"schema": "nianbao.report/1", "table3": {"bogus": {}}}', "table3 中有未知的行"),
    ],
)
def test_a_broken_contract_is_one_clear_error_naming_the_file(data: bytes, message: str) -> None:
    with pytest.raises(ReportDataError) as raised:
        load_report(data, "report.json")
    assert message in str(raised.value) and str(raised.value).startswith("report.json：")


def test_check_result_is_the_cli_json() -> None:
    path = SEEDS[1]
    result = process(path.read_bytes(), path.name)
    counts = severity_counts(result.findings)
    dumped = result.checked(path.name).dump()
    assert dumped == CheckResult.of(path.name, result.report, result.findings, result.checklist).dump()
    assert list(dumped) == [
        "file",
        "agency",
        "year",
        "format_version",
        "errors",
        "warnings",
        "infos",
        "findings",
        "checks",
        "checklist",
        "previous",
    ]
    assert (dumped["errors"], dumped["warnings"], dumped["infos"]) == (
        counts["error"],
        counts["warning"],
        counts["info"],
    )
    assert dumped["findings"] == [finding.dump() for finding in result.findings]
    assert sum(counts.values()) == len(result.findings) > 0


def test_severity_counts_name_every_severity() -> None:
    findings = [Finding(code="X", severity="warning", message="m"), Finding(code="Y", severity="warning", message="n")]
    assert severity_counts(findings) == {"error": 0, "warning": 2, "info": 0}
    assert severity_counts([]) == {"error": 0, "warning": 0, "info": 0}


# ---------------------------------------------------------------------------------- not a report

NOTICE = """关于做好2024年度政府信息公开工作年度报告编制发布工作的通知

各县（区）人民政府，市政府各部门：

为做好2024年度政府信息公开工作年度报告编制和发布工作，现将有关事项通知如下：

一、严格按照格式编制。年度报告应包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况等六个部分。

二、按时发布。各部门应于2025年1月31日前发布本部门年度报告。

三、确保数据准确。“本年新收政府信息公开申请数量”“结转下年度继续办理”等数据应前后一致。

某市人民政府办公室
2024年12月20日
"""
POLICY = """某市政务公开工作实施办法

第一章 总则

第一条 为推进政务公开工作，根据《中华人民共和国政府信息公开条例》，制定本办法。

第二章 主动公开

第二条 行政机关应当主动公开行政规范性文件、行政许可、行政处罚、行政强制等信息。

第三条 行政机关应当于每年1月31日前公布本机关上一年度政府信息公开工作年度报告。
"""
MANUAL = """政府信息公开平台操作手册

1. 登录系统
使用统一身份认证账号登录。

2. 年度报告填报
点击“年度报告”，依次填写总体情况、主动公开政府信息情况等内容，表格数据可从统计模块导入。
"""


@pytest.mark.parametrize("text", [NOTICE, POLICY, MANUAL], ids=["notice", "policy", "manual"])
def test_a_document_that_is_not_a_report_is_refused_saying_what_is_missing(text: str) -> None:
    # a notice on compiling the reports is titled like one: the structure decides, not the title
    with pytest.raises(NotAReportError) as caught:
        process(text.encode("utf-8"), "文件.txt")
    message = str(caught.value)
    assert message.startswith("文件.txt：不是政府信息公开工作年度报告")
    assert "没有六个部分的标题" in message and "表二、表三、表四" in message


def test_a_few_headings_are_named_in_the_refusal() -> None:
    text = (
        "某局2023年政府信息公开工作年度报告\n\n一、总体情况\n\n本机关认真贯彻条例。\n\n六、其他需要报告的事项\n\n无。\n"
    )
    with pytest.raises(NotAReportError, match="六个部分的标题只找到2个（第1部分、第6部分）"):
        process(text.encode("utf-8"), "短文.txt")


def _seed_lines() -> list[str]:
    return SEEDS[3].read_text(encoding="utf-8").splitlines()


def test_a_report_with_one_table_unreadable_is_still_checked() -> None:
    lines = _seed_lines()
    third, fourth = (
        lines.index("三、收到和处理政府信息公开申请情况"),
        lines.index("四、政府信息公开行政复议、行政诉讼情况"),
    )
    damaged = ["\t※" if third < k < fourth and re.fullmatch(r"\t\d+", line) else line for k, line in enumerate(lines)]
    result = process("\n".join(damaged).encode("utf-8"), "残缺.txt")
    unreadable = {cell_id.split(".")[0] for cell_id, cell in result.report.iter_cells() if cell.status == "unreadable"}
    assert unreadable == {"table3"}
    assert "UNREADABLE" in {f.code for f in result.findings}


def test_a_report_whose_headings_are_all_lost_is_still_checked_by_its_tables() -> None:
    lines = [line for line in _seed_lines() if not re.match(r"[一二三四五六]、", line)]
    result = process("\n".join(lines).encode("utf-8"), "无标题.txt")
    assert {cell.status for cell_id, cell in result.report.iter_cells() if cell_id.startswith("table2")} == {"value"}
    assert any(f.code == "SEC-6" and f.severity == "error" for f in result.findings)


def test_a_report_with_its_headings_and_no_table_is_still_checked() -> None:
    lines = _seed_lines()
    text = "\n".join(line for line in lines if not line.startswith("\t"))  # every table cell gone
    result = process(text.encode("utf-8"), "无表.txt")
    assert sorted(result.report.sections) == ["1", "2", "3", "4", "5", "6"]
    assert {f.message for f in result.findings if f.code == "STRUCT" and f.severity == "error"} >= {
        "未找到表三（收到和处理政府信息公开申请情况）"
    }
