"""``pipeline.process``: the one call from bytes to findings, for a file or its contract JSON."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from helpers import FIXTURES, SEEDS
from nianbao.errors import ReportDataError
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
    dumped = CheckResult.of(path.name, result.report, result.findings).model_dump(mode="json")
    assert list(dumped) == ["file", "agency", "year", "format_version", "errors", "warnings", "infos", "findings"]
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
