"""The region's summary report: equal to the sums of the manifest's truth, consistent when its
members are, and open about every member it could not sum cleanly."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import member_of
from nianbao.model import Report
from nianbao.pipeline import process
from nianbao.render import check, render_bytes
from nianbao.rules import run_rules
from nianbao.sample import MANIFEST, Plan, PlannedReport, SampleParams, plan, write_sample
from nianbao.sample.regions import region_tree
from nianbao.sample.tables import start, year_tables
from nianbao.stats import Member, MemberReport, from_reports, summarize, summary_cells
from nianbao.stats.rows import SUM_RULES, region_prefix


@pytest.fixture(scope="module")
def sample() -> tuple[Plan, list[PlannedReport]]:
    layout, items = plan(SampleParams(300, seed=8, error_rate=0.1))
    return layout, list(items)


@pytest.fixture(scope="module")
def members(sample: tuple[Plan, list[PlannedReport]]) -> list[MemberReport]:
    return from_reports((member_of(item), item.report) for item in sample[1])


def manifest_sums(files: list[dict], year: int, region: str | None = None) -> dict[str, int | float]:
    """Every cell summed straight from manifest-shaped entries (tables, region_code, year)."""
    sums: dict[str, int | float] = {}
    for entry in files:
        if entry["year"] != year or (region and not entry["region_code"].startswith(region_prefix(region))):
            continue
        for table, rows in entry["tables"].items():
            for row, cols in rows.items():
                for col, value in cols.items():
                    key = f"{table}.{row}.{col}"
                    sums[key] = round(sums.get(key, 0) + (value or 0), 2)
    return sums


def entries(items: list[PlannedReport]) -> list[dict]:
    return [{"year": i.year, "region_code": i.agency.region.code, "tables": i.tables} for i in items]


def summed(report: Report) -> dict[str, int | float | None]:
    return {cell_id: cell.value for cell_id, cell in report.iter_cells()}


def arithmetic_errors(report: Report) -> list[str]:
    return [f.message for f in run_rules(report, codes=SUM_RULES) if f.severity == "error"]


# ---------------------------------------------------------------------------------- equal to the truth


@pytest.mark.parametrize("region", [None, "910100", "910201"])
def test_summary_equals_the_manifest_sums(
    sample: tuple[Plan, list[PlannedReport]], members: list[MemberReport], region: str | None
) -> None:
    summary = summarize(members, 2024, region=region)
    assert summed(summary.report) == manifest_sums(entries(sample[1]), 2024, region)
    assert len(summary.members) == sum(
        1
        for i in sample[1]
        if i.year == 2024 and (region is None or i.agency.region.code.startswith(region_prefix(region)))
    )
    assert set(summary.totals) == set(summary_cells("gov2021")) == set(summed(summary.report))


def test_summary_of_parsed_sample_files_equals_the_manifest(tmp_path: Path) -> None:
    """End to end: files written by ``nianbao sample``, read back, summed, compared with manifest.json."""
    write_sample(SampleParams(60, seed=4, error_rate=0.15, kinds=("txt", "html")), tmp_path / "s")
    manifest = json.loads((tmp_path / "s" / MANIFEST).read_text(encoding="utf-8"))
    pairs = []
    for entry in manifest["files"]:
        result = process((tmp_path / "s" / entry["path"]).read_bytes(), entry["path"])
        member = Member.of(entry["agency"], entry["region_code"], entry["region"], entry["level"], entry["type"])
        pairs.append((member, result.report))
    reports = from_reports(pairs, keys=[entry["path"] for entry in manifest["files"]])
    year = 2025
    summary = summarize(reports, year)
    assert summed(summary.report) == manifest_sums(manifest["files"], year)
    seeded = {
        e["agency"]
        for e in manifest["files"]
        if e["year"] == year and any(err["kind"] == "arithmetic" for err in e["errors"])
    }
    assert {p.agency for p in summary.problems if p.kind == "arithmetic"} == seeded
    # the clean members' summary is consistent, and so is its printed and parsed document
    clean = summarize([r for r in reports if r.member.name not in seeded], year)
    assert not clean.problems and not arithmetic_errors(clean.report)
    parsed = process(render_bytes(clean.report, "docx"), "汇总.docx")
    assert summed(parsed.report) == summed(clean.report)
    assert not [f for f in parsed.findings if f.severity == "error"]


def test_consistent_members_give_a_consistent_summary(members: list[MemberReport]) -> None:
    clean = [m for m in members if not m.checked()]
    summary = summarize(clean, 2025)
    assert not summary.problems and all(total.complete for total in summary.totals.values())
    assert not arithmetic_errors(summary.report)
    assert not [f for f in check(summary.report) if f.severity == "error"]  # as the renderer prints it
    for fmt in ("html", "docx"):
        result = process(render_bytes(summary.report, fmt), f"汇总.{fmt}")
        assert summed(result.report) == summed(summary.report)
        assert not [f for f in result.findings if f.severity == "error"], fmt


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 12))
def test_sums_of_consistent_tables_are_consistent(seed: int, count: int) -> None:
    rng = random.Random(seed)
    _regions, agencies = region_tree(40)
    pairs = []
    for agency in rng.sample(agencies, count):
        history = start(rng, agency)
        t2, t3, t4 = year_tables(rng, agency, history)
        report = Report.from_contract(
            {
                "schema": "nianbao.report/1",
                "format_version": "gov2021",
                "year": 2023,
                "table2": t2,
                "table3": t3,
                "table4": t4,
            }
        )
        pairs.append(
            (Member.of(agency.name, agency.region.code, agency.region.name, agency.level, agency.type), report)
        )
    summary = summarize(from_reports(pairs), 2023)
    assert not summary.problems and not arithmetic_errors(summary.report)


# ---------------------------------------------------------------------------------- problems, never hidden


def _with_unreadable(entry: MemberReport, cell: str) -> MemberReport:
    values = dict(entry.values)
    del values[cell]
    return dataclasses.replace(entry, values=values, unknown={cell: "unreadable"}, errors=())


def test_an_unreadable_member_cell_makes_its_total_unknown(members: list[MemberReport]) -> None:
    clean = [m for m in members if m.year == 2025 and not m.checked()]
    cell = "table3.received_new.natural_person"
    bad = _with_unreadable(clean[3], cell)
    reports = [bad if m is clean[3] else m for m in clean]
    summary = summarize(reports, 2025)
    total = summary.totals[cell]
    want = sum(m.values[cell] for m in clean) - clean[3].values[cell]
    assert (total.value, total.n, total.unknown) == (want, len(clean) - 1, (bad.member.name,))
    printed = summary.report.cell(cell)
    assert printed is not None and printed.status == "unreadable" and printed.value is None
    assert printed.note and "实际值不小于" in printed.note and bad.member.name in printed.note
    problem = next(p for p in summary.problems if p.agency == bad.member.name)
    assert problem.kind == "unknown_cells" and problem.cells == (cell,)
    assert any(bad.member.name in line for line in summary.notes())
    assert any(line.startswith("表三“一、本年新收”行自然人列") for line in summary.effects())
    lower = summarize(reports, 2025, partial=True).report.cell(cell)
    assert (
        lower is not None
        and (lower.status, lower.value) == ("value", want)
        and lower.note
        and lower.note.startswith("下限")
    )
    assert [line for line in summary.explain(cell) if bad.member.name in line][-1].endswith("无法读取")


def test_a_member_with_an_arithmetic_error_is_listed_with_its_effect(
    sample: tuple[Plan, list[PlannedReport]], members: list[MemberReport]
) -> None:
    seeded = [i for i in sample[1] if i.year == 2025 and any(e.kind == "arithmetic" for e in i.errors)]
    assert seeded
    summary = summarize(members, 2025)
    listed = {p.agency for p in summary.problems if p.kind == "arithmetic"}
    assert listed == {i.agency.name for i in seeded}
    for item in seeded:
        changed = item.errors[0].cells[0]
        assert item.agency.name in summary.totals[changed].erroneous
        assert summary.totals[changed].value == manifest_sums(entries(sample[1]), 2025)[changed]  # summed as printed
    assert any("勾稽关系不成立" in line for line in summary.effects())


def test_a_second_report_of_the_same_agency_is_not_summed_twice(members: list[MemberReport]) -> None:
    year = [m for m in members if m.year == 2025]
    summary = summarize([*year, dataclasses.replace(year[0], key="copy")], 2025)
    assert summary.totals == summarize(year, 2025).totals
    assert summary.problems[-1].kind == "duplicate" and summary.problems[-1].key == "copy"


def test_a_member_in_another_format_is_stated() -> None:
    old = Report.from_contract(
        {
            "schema": "nianbao.report/1",
            "format_version": "trial2019",
            "year": 2021,
            "table4": {"review": {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}},
        }
    )
    summary = summarize(from_reports([(Member("甲市教育局", "910100", "甲市", "市", "部门"), old)]), 2021)
    assert [p.kind for p in summary.problems] == ["format", "unknown_cells"]
    assert summary.totals["table4.review.total"].value == 1
    assert not summary.totals["table2.regulations.in_force"].complete


def test_summary_title_sources_and_refusals(members: list[MemberReport]) -> None:
    summary = summarize(members, 2025, region="910100", levels=["县", "乡"])
    assert summary.report.title == "甲市2025年政府信息公开工作年度报告汇总"
    assert summary.report.agency == "甲市" and summary.report.format_version == "gov2021"
    assert all(m.member.level in ("县", "乡") for m in summary.members)
    sources = summary.sources("table4.review.total")
    assert (
        len(sources) == len(summary.members)
        and sum(s.value or 0 for s in sources) == summary.totals["table4.review.total"].value
    )
    data = summary.as_dict(sources=True)
    assert data["report"]["schema"] == "nianbao.report/1" and len(data["sources"]["table4.review.total"]) == len(
        sources
    )
    json.dumps(data, ensure_ascii=False)
    with pytest.raises(ValueError, match="没有统计表"):
        summarize(members, 2018)
    with pytest.raises(ValueError, match="没有2030年的报告"):
        summarize(members, 2030)
