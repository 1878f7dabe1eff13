"""Sample data: deterministic, read back exactly, every seeded error found, clean files clean.

The checks run here are the rules on main (T3-*/T4-SUM, X-CARRY with ``previous=``, DEADLINE);
copied text is measured with difflib because the DUP rule comes with the database work.
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import io
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from nianbao.cli import main
from nianbao.model import Report
from nianbao.pipeline import process
from nianbao.rules import RULES
from nianbao.rules.timeliness import publication_deadline
from nianbao.sample import (
    AGENCY_LIST,
    MANIFEST,
    SCHEMA,
    PlannedReport,
    SampleError,
    SampleParams,
    file_name,
    params_from_text,
    plan,
    render_file,
    write_sample,
)
from nianbao.sample.regions import region_tree, shape_for

TABLES = ("table2", "table3", "table4")


def planned(params: SampleParams) -> list[PlannedReport]:
    _layout, reports = plan(params)
    return list(reports)


def read_back(item: PlannedReport, previous: Report | None = None) -> tuple[Report, list[Any]]:
    result = process(render_file(item), file_name(item), previous=previous)
    return result.report, result.findings


def assert_read_as_planned(item: PlannedReport, report: Report) -> None:
    contract = report.to_contract(provenance=False)
    for name in TABLES:
        assert contract[name] == item.tables[name], (item.kind, file_name(item), name)
    assert contract["agency"] == item.agency.name
    assert contract["year"] == item.year
    assert contract["published"] == item.report.published.isoformat()  # type: ignore[union-attr]
    assert contract["format_version"] == "gov2021"


# ---------------------------------------------------------------------------------- determinism


def _tree(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    params = SampleParams(reports=40, seed=11, error_rate=0.2, kinds=("txt", "md", "html", "docx"))
    write_sample(params, tmp_path / "a")
    write_sample(params, tmp_path / "b")
    first, second = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert first == second
    assert len([name for name in first if name not in (MANIFEST, AGENCY_LIST)]) == 40
    write_sample(dataclasses.replace(params, seed=12), tmp_path / "c")
    assert _tree(tmp_path / "c")[MANIFEST] != first[MANIFEST]


def test_kinds_do_not_change_the_reports() -> None:
    """The file kind has its own random stream: other kinds, the same reports and errors."""
    as_text = planned(SampleParams(reports=30, seed=5, error_rate=0.3, kinds=("txt",)))
    as_html = planned(SampleParams(reports=30, seed=5, error_rate=0.3, kinds=("html", "docx")))
    assert [(i.agency.name, i.year, i.tables, i.report.sections, [e.as_dict() for e in i.errors]) for i in as_text] == [
        (i.agency.name, i.year, i.tables, i.report.sections, [e.as_dict() for e in i.errors]) for i in as_html
    ]
    assert {i.kind for i in as_html} == {"html", "docx"}


# ---------------------------------------------------------------------------------- round trip


def test_every_fast_kind_reads_back_to_the_manifest_truth() -> None:
    items = planned(SampleParams(reports=60, seed=2, error_rate=0.25, kinds=("txt", "md", "html", "docx")))
    assert {item.kind for item in items} == {"txt", "md", "html", "docx"}
    assert {item.encoding for item in items if item.kind == "txt"} == {"utf-8", "gb18030"}
    assert any(item.errors for item in items)
    for item in items:
        report, _findings = read_back(item)
        assert_read_as_planned(item, report)


def test_pdf_reads_back_to_the_manifest_truth() -> None:
    items = planned(SampleParams(reports=12, seed=4, error_rate=0.5, kinds=("txt",)))
    clean = next(item for item in items if not item.errors)
    seeded = next(item for item in items if any(e.kind == "arithmetic" for e in item.errors))
    for item in (clean, seeded):
        pdf = dataclasses.replace(item, kind="pdf")
        report, _findings = read_back(pdf)
        assert_read_as_planned(pdf, report)


# ---------------------------------------------------------------------------------- seeded errors


@pytest.fixture(scope="module")
def checked() -> list[tuple[PlannedReport, Report, list[Any]]]:
    """A text sample with many errors, each file checked against its agency's previous report."""
    params = SampleParams(reports=400, seed=9, error_rate=0.3, kinds=("txt", "html"))
    out = []
    last: dict[str, tuple[int, Report]] = {}
    for item in planned(params):
        before = last.get(item.agency.name)
        previous = before[1] if before and before[0] == item.year - 1 else None
        report, findings = read_back(item, previous)
        out.append((item, report, findings))
        last[item.agency.name] = (item.year, report)
    return out


def test_every_error_kind_is_seeded(checked: list[tuple[PlannedReport, Report, list[Any]]]) -> None:
    kinds = Counter(error.kind for item, _r, _f in checked for error in item.errors)
    assert set(kinds) == {"arithmetic", "carry_over", "copied_text", "late"}, kinds
    layout, _reports = plan(SampleParams(reports=400, seed=9, error_rate=0.3, kinds=("txt", "html")))
    assert layout.missing


def test_every_seeded_error_is_found(checked: list[tuple[PlannedReport, Report, list[Any]]]) -> None:
    """Recall 100 % for the rules on main: each error's rules fire, on the cells it names."""
    for item, _report, findings in checked:
        for error in item.errors:
            expected = [code for code in error.rules if code in RULES]
            if error.kind != "copied_text":  # DUP arrives with the database work
                assert expected, error
            for code in expected:
                hits = [f for f in findings if f.code == code and f.severity in ("error", "warning")]
                assert hits, (file_name(item), error.as_dict(), [f.code for f in findings])
                named = {cell for f in hits for cell in f.cells}
                assert set(error.cells) & named or not error.cells, (error.as_dict(), named)


def test_clean_files_have_no_findings(checked: list[tuple[PlannedReport, Report, list[Any]]]) -> None:
    """Precision: a clean sample file gives no error or warning (not even an info) on main's rules."""
    clean = [(item, findings) for item, _r, findings in checked if not item.errors]
    assert len(clean) > 200
    for item, findings in clean:
        assert findings == [], (file_name(item), [(f.code, f.message) for f in findings])


def test_seeded_error_kinds_fire_only_their_rules(checked: list[tuple[PlannedReport, Report, list[Any]]]) -> None:
    for item, _report, findings in checked:
        if len(item.errors) != 1:
            continue
        wanted = set(item.errors[0].rules)
        assert {f.code for f in findings} <= wanted, (item.errors[0].as_dict(), [f.code for f in findings])


def _narrative(report: Report) -> str:
    return re.sub(r"\d+(?:\.\d+)?", "", "\n".join(section.text for _n, section in sorted(report.sections.items())))


def test_copied_text_is_last_years_text_and_clean_text_is_not(
    checked: list[tuple[PlannedReport, Report, list[Any]]],
) -> None:
    previous: dict[tuple[str, int], Report] = {(item.agency.name, item.year): report for item, report, _f in checked}
    ratios: dict[bool, list[float]] = {True: [], False: []}
    for item, report, _findings in checked:
        before = previous.get((item.agency.name, item.year - 1))
        if before is None:
            continue
        matcher = difflib.SequenceMatcher(None, _narrative(before), _narrative(report), autojunk=False)
        ratios[any(error.kind == "copied_text" for error in item.errors)].append(matcher.ratio())
    assert ratios[True] and min(ratios[True]) > 0.9
    assert len(ratios[False]) > 100 and max(ratios[False]) < 0.45


def test_late_publication_against_the_statutory_date(checked: list[tuple[PlannedReport, Report, list[Any]]]) -> None:
    for item, _report, _findings in checked:
        statutory = publication_deadline(item.year, item.agency.name)
        published = item.report.published
        assert published is not None and published.year == item.year + 1
        late = statutory is not None and published > statutory[0]  # 乡镇: no statutory date
        assert late == any(error.kind == "late" for error in item.errors)


# ---------------------------------------------------------------------------------- across years


def test_carry_over_and_documents_in_force_continue_across_years() -> None:
    items = planned(SampleParams(reports=300, seed=3, error_rate=0.2, kinds=("txt",)))
    by_key = {(item.agency.name, item.year): item for item in items}
    pairs = 0
    for item in items:
        before = by_key.get((item.agency.name, item.year - 1))
        if before is None:
            continue
        pairs += 1
        t3, last3 = item.tables["table3"], before.tables["table3"]
        differs = [col for col in t3["carried_over_in"] if t3["carried_over_in"][col] != last3["carried_over_out"][col]]
        if any(error.kind == "carry_over" for error in item.errors):
            assert differs
        else:
            assert differs == []
        for row in ("regulations", "normative_documents"):
            now, last = item.tables["table2"][row], before.tables["table2"][row]
            assert now["in_force"] == last["in_force"] + now["issued"] - now["repealed"]  # type: ignore[operator]
    assert pairs > 150


# ---------------------------------------------------------------------------------- manifest and tree


def test_manifest_lists_files_tree_agencies_and_missing_reports(tmp_path: Path) -> None:
    params = SampleParams(reports=90, seed=8, error_rate=0.2, kinds=("txt", "html"), first_year=2022, last_year=2024)
    written = write_sample(params, tmp_path / "s")
    manifest = json.loads((tmp_path / "s" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["schema"] == SCHEMA and manifest["seed"] == 8
    assert manifest["parameters"]["years"] == [2022, 2024]
    files = manifest["files"]
    assert len(files) == 90 == written.files == manifest["counts"]["files"]
    agencies = {agency["name"]: agency for agency in manifest["agencies"]}
    regions = {region["code"]: region for region in manifest["regions"]}
    assert len(agencies) == len(manifest["agencies"])  # names are unique
    slots = {(f["agency"], f["year"]) for f in files} | {(m["agency"], m["year"]) for m in manifest["missing"]}
    assert len(slots) == len(files) + len(manifest["missing"]) == len(agencies) * 3
    for entry in files:
        assert (tmp_path / "s" / entry["path"]).is_file()
        agency = agencies[entry["agency"]]
        assert (entry["region_code"], entry["level"], entry["type"]) == (
            agency["region_code"],
            agency["level"],
            agency["type"],
        )
        assert set(entry["tables"]) == set(TABLES)
        assert all({"kind", "cells", "rules", "detail"} <= set(error) for error in entry["errors"])
    for agency in agencies.values():
        assert agency["region_code"] in regions
        assert agency["parent"] is None or agency["parent"] in agencies
        assert agency["type"] == ("政府" if agency["name"].endswith("人民政府") else "部门")
    for region in regions.values():
        assert re.fullmatch(r"91\d{7}" if region["level"] == "乡" else r"91\d{4}", region["code"])
        assert region["parent"] is None or region["parent"] in regions
    assert {agency["level"] for agency in agencies.values()} == {"省", "市", "县", "乡"}
    rows = list(csv.reader(io.StringIO((tmp_path / "s" / AGENCY_LIST).read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["机关名称", "区划代码", "区划名称", "层级", "上级机关"]
    assert [row[0] for row in rows[1:]] == list(agencies)
    assert {row[3] for row in rows[1:]} >= {"省级政府", "省级部门", "县级部门", "乡级政府"}


def test_a_small_tree_still_has_every_level_and_exactly_the_agencies_asked_for() -> None:
    for count in (4, 5, 40, 2000):
        regions, agencies = region_tree(count)
        assert len(agencies) == count
        assert {agency.level for agency in agencies} == {"省", "市", "县", "乡"}
        assert {region.code for region in regions} == {
            code
            for agency in agencies
            for code in (agency.region.code, agency.region.parent, agency.region.code[:4] + "00")
            if code
        } | {"910000"}
    assert shape_for(10_000).agencies() >= 10_000


# ---------------------------------------------------------------------------------- writing safely


def test_never_writes_into_a_users_directory(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me", encoding="utf-8")
    params = SampleParams(reports=5, seed=1)
    with pytest.raises(SampleError, match="不为空"):
        write_sample(params, target)
    with pytest.raises(SampleError, match="不是 nianbao 生成的样本"):
        write_sample(params, target, overwrite=True)
    assert (target / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]  # no half-written folder left behind


def test_overwrite_replaces_a_previous_sample_but_not_a_stranger(tmp_path: Path) -> None:
    target = tmp_path / "s"
    write_sample(SampleParams(reports=10, seed=1), target)
    write_sample(SampleParams(reports=6, seed=2), target, overwrite=True)
    manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["seed"] == 2
    assert len([p for p in target.rglob("*") if p.is_file()]) == 6 + 2  # the old files are gone
    (target / "2021" / "mine.docx").write_bytes(b"user's")
    with pytest.raises(SampleError, match="不属于以前样本"):
        write_sample(SampleParams(reports=6, seed=3), target, overwrite=True)
    assert (target / "2021" / "mine.docx").read_bytes() == b"user's"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]


def test_an_empty_directory_is_used(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert write_sample(SampleParams(reports=3), tmp_path / "empty").files == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("0", "0", "0.05", "txt", "2021-2025"), "报告数应在1到"),
        (("abc", "0", "0.05", "txt", "2021-2025"), "报告数应为正整数"),
        (("5", "x", "0.05", "txt", "2021-2025"), "随机种子应为整数"),
        (("5", "0", "0.9", "txt", "2021-2025"), "错误比例应在0到0.5之间"),
        (("5", "0", "nan", "txt", "2021-2025"), "错误比例应在0到0.5之间"),
        (("5", "0", "0.05", "txt,xls", "2021-2025"), "不支持的文件类型“xls”"),
        (("5", "0", "0.05", "txt", "2019-2020"), "年度应从2021年起"),
        (("5", "0", "0.05", "txt", "last year"), "应写作 2021-2025"),
    ],
)
def test_bad_parameters_are_refused_in_one_sentence(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(SampleError, match=message):
        params_from_text(*args)


# ---------------------------------------------------------------------------------- command line


def test_cli_writes_a_sample_and_says_what_it_seeded(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["sample", "-n", "20", "-o", str(tmp_path / "s"), "--error-rate", "0.3"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("已生成 20 份报告") and "manifest.json" in result.stdout
    assert len(json.loads((tmp_path / "s" / MANIFEST).read_text(encoding="utf-8"))["files"]) == 20
    again = CliRunner().invoke(main, ["sample", "-n", "20", "-o", str(tmp_path / "s")])
    assert again.exit_code == 2
    assert again.stderr.startswith("错误：输出目录不为空") and again.stderr.count("\n") == 1
    assert CliRunner().invoke(main, ["sample", "-n", "5", "-o", str(tmp_path / "s"), "--overwrite"]).exit_code == 0
    assert CliRunner().invoke(main, ["sample", "-n", "5", "-o", str(tmp_path / "s"), "--force"]).exit_code == 0


@pytest.mark.parametrize("option", [["--kinds", "pdf,xls"], ["-n", "lots"], ["--error-rate", "2"]])
def test_cli_bad_option_is_one_chinese_line_and_exit_2(tmp_path: Path, option: list[str]) -> None:
    args = ["sample", "-n", "5", "-o", str(tmp_path / "s"), *option]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：") and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "s").exists()
