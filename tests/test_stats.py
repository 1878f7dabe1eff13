"""Statistics over member reports: rows, totals, rates with their sample sizes, changes,
anomalies, rankings, timeliness and missing reports — checked against the sample's truth."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from helpers import member_of
from nianbao.model import Report
from nianbao.sample import Plan, PlannedReport, SampleParams, plan
from nianbao.stats import (
    RATES,
    STATS_CELLS,
    CellRow,
    Member,
    MemberReport,
    compute_stats,
    definitions_markdown,
    exact_sum,
    from_reports,
    from_rows,
    region_prefix,
    resolve_region,
    within,
)
from nianbao.stats.aggregate import anomalies, rankings
from nianbao.stats.rows import child_region, common_region

DOCS = Path(__file__).parents[1] / "docs" / "statistics.md"


@pytest.fixture(scope="module")
def sample() -> tuple[Plan, list[PlannedReport]]:
    layout, items = plan(SampleParams(300, seed=5, error_rate=0.1))
    return layout, list(items)


@pytest.fixture(scope="module")
def members(sample: tuple[Plan, list[PlannedReport]]) -> list[MemberReport]:
    return from_reports((member_of(item), item.report) for item in sample[1])


def truth(items: list[PlannedReport], table: str, row: str, col: str, year: int, region: str | None = None) -> int:
    """The manifest's printed value summed directly, without nianbao.stats."""
    return sum(
        int(item.tables[table][row][col] or 0)
        for item in items
        if item.year == year and (region is None or item.agency.region.code.startswith(region_prefix(region)))
    )


# ---------------------------------------------------------------------------------- rows


def test_member_fields_written_loosely() -> None:
    assert Member.of("甲市教育局", "910100", "甲市", "市级部门") == Member("甲市教育局", "910100", "甲市", "市", "部门")
    assert Member.of("甲市人民政府", "910100", level="市").type == "政府"
    assert Member.of("甲市教育局", "910100", level="县", type="政府").type == "政府"
    assert Member.of("某机关", "910100").level_label == "未分级部门"


def test_region_codes() -> None:
    assert [region_prefix(c) for c in ("910000", "910100", "910101", "910101001", "110101001000")] == [
        "91",
        "9101",
        "910101",
        "910101001",
        "110101001",
    ]
    assert within("910101001", "910100") and within("910100", "910000") and not within("910200", "910100")
    assert child_region("910101001", "910000") == "910100"
    assert child_region("910101001", "910100") == "910101"
    assert child_region("910100", "910100") == "910100"
    assert common_region(["910101", "910102001"]) == "910100"
    assert common_region(["910000", "910101"]) == "910000"
    assert common_region(["910000", "920000"]) is None


def test_rows_and_reports_give_the_same_members(
    sample: tuple[Plan, list[PlannedReport]], members: list[MemberReport]
) -> None:
    items = sample[1][:40]
    rows = [
        CellRow(
            n,
            item.agency.name,
            item.agency.region.code,
            item.agency.region.name,
            item.agency.level_label,
            item.year,
            *cell_id.split("."),
            cell.value,
            cell.status,
            format_version=item.report.format_version,
            published=item.report.published,
        )
        for n, item in enumerate(items)
        for cell_id, cell in item.report.iter_cells()
    ]
    from_store = from_rows(rows, findings={n: [] for n in range(len(items))})
    for got, want in zip(from_store, members[:40], strict=True):
        assert got.member == dataclasses.replace(want.member, parent=None)
        assert (got.values, got.unknown, got.year, got.published) == (
            want.values,
            want.unknown,
            want.year,
            want.published,
        )
    only_stats = from_rows((r for r in rows if f"{r.table}.{r.row}.{r.col}" in STATS_CELLS), findings={})
    assert compute_stats(only_stats).as_dict() == compute_stats(from_store).as_dict()
    assert from_rows(rows[:5])[0].errors is None  # unchecked until asked
    assert from_rows(rows[:5])[0].checked() == ()


def test_blank_counts_zero_and_unreadable_is_unknown() -> None:
    cells = {"received_new": {"total": 5}, "granted": {"total": None}, "partly_granted": {"total": 1}}
    report = Report.from_contract(
        {"schema": "nianbao.report/1", "format_version": "gov2021", "year": 2024, "table3": cells}
    )
    entry = from_reports([(Member("甲", "910100"), report)], check=False)[0]
    assert entry.status("table3.granted.total") == "blank" and entry.values["table3.granted.total"] == 0
    assert entry.status("table3.results_total.total") == "missing"
    assert entry.status("table2.procurement.amount") == "absent"  # a 2019 cell, not in a 2021 report
    unreadable = dataclasses.replace(
        entry, unknown={"table3.partly_granted.total": "unreadable"}, values=dict(entry.values)
    )
    del unreadable.values["table3.partly_granted.total"]
    stats = compute_stats([entry, dataclasses.replace(unreadable, member=Member("乙", "910100"))], by="agency")
    assert stats.overall.totals["received_new"].value == 10 and stats.overall.totals["received_new"].n == 2
    disclosed = stats.overall.totals["disclosed"]
    assert (disclosed.value, disclosed.n, disclosed.unknown) == (1, 1, 1)


def test_exact_sum_keeps_cents() -> None:
    assert exact_sum([0.1, 0.2, 3]) == 3.3
    assert exact_sum([1.5, 1.5]) == 3 and isinstance(exact_sum([1.5, 1.5]), int)


# ---------------------------------------------------------------------------------- totals and rates


def test_totals_by_region_equal_the_manifest(
    sample: tuple[Plan, list[PlannedReport]], members: list[MemberReport]
) -> None:
    items = sample[1]
    stats = compute_stats(members, year=2024, by="region")
    assert stats.groups[0].label == "示例省本级"
    for group in stats.groups:
        want = sum(
            int(item.tables["table3"]["received_new"]["total"] or 0)
            for item in items
            if item.year == 2024 and child_region(item.agency.region.code, "910000") == group.key
        )
        assert group.totals["received_new"].value == want
    assert stats.overall.totals["review_total"].value == truth(items, "table4", "review", "total", 2024)
    assert stats.reports == sum(1 for item in items if item.year == 2024)
    city = compute_stats(members, year=2024, region="910200", by="region")
    assert city.overall.totals["received_new"].value == truth(items, "table3", "received_new", "total", 2024, "910200")
    assert {g.key for g in city.groups} <= {"910200", *(f"9102{k:02d}" for k in range(1, 21))}


def test_rates_carry_numerator_denominator_and_sample_size(
    sample: tuple[Plan, list[PlannedReport]], members: list[MemberReport]
) -> None:
    items = [item for item in sample[1] if item.year == 2025]
    stats = compute_stats(members, by="level")
    rate = stats.overall.rates["disclosure_rate"]
    t3 = [item.tables["table3"] for item in items]
    granted = sum(int(t["granted"]["total"] or 0) + int(t["partly_granted"]["total"] or 0) for t in t3)
    results = sum(int(t["results_total"]["total"] or 0) for t in t3)
    assert (rate.numerator, rate.denominator, rate.n, rate.excluded) == (granted, results, len(items), 0)
    assert rate.value == pytest.approx(granted / results)
    review = stats.overall.rates["review_correction_rate"]
    assert review.denominator == sum(int(item.tables["table4"]["review"]["total"] or 0) for item in items)
    assert set(stats.overall.rates) == {r.key for r in RATES}


def test_a_rate_without_cases_has_no_value() -> None:
    report = Report.from_contract(
        {
            "schema": "nianbao.report/1",
            "format_version": "gov2021",
            "year": 2024,
            "table4": {"review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}},
        }
    )
    stats = compute_stats(from_reports([(Member("甲", "910100"), report)]))
    rate = stats.overall.rates["review_correction_rate"]
    assert (rate.value, rate.numerator, rate.denominator, rate.n) == (None, 0, 0, 1)


def test_2019_format_cells_are_not_applicable_not_unknown() -> None:
    old = Report.from_contract(
        {
            "schema": "nianbao.report/1",
            "format_version": "trial2019",
            "year": 2020,
            "table2": {"licensing": {"decisions": 7}},
        }
    )
    stats = compute_stats(from_reports([(Member("甲", "910100"), old)], check=False))
    assert stats.overall.totals["licensing"] == type(stats.overall.totals["licensing"])(7, 1, 0)
    in_force = stats.overall.totals["regulations_in_force"]
    assert (in_force.n, in_force.unknown) == (0, 0)


# ---------------------------------------------------------------------------------- changes, anomalies


def test_year_over_year_by_year(members: list[MemberReport], sample: tuple[Plan, list[PlannedReport]]) -> None:
    stats = compute_stats(members, by="year")
    assert [g.key for g in stats.groups] == ["2021", "2022", "2023", "2024", "2025"]
    change = next(c for c in stats.changes if c.group == "2025" and c.measure == "received_new")
    now, before = (truth(sample[1], "table3", "received_new", "total", y) for y in (2025, 2024))
    assert change.previous is not None and (change.previous.value, change.current.value) == (before, now)
    assert change.change == now - before and change.ratio == pytest.approx(now / before - 1)
    first = next(c for c in stats.changes if c.group == "2021")
    assert first.previous is None and first.change is None


def _scaled(entry: MemberReport, factor: int) -> MemberReport:
    return dataclasses.replace(
        entry,
        values={cell: value * factor if cell.startswith("table3.") else value for cell, value in entry.values.items()},
    )


def test_a_planted_tenfold_jump_is_an_anomaly(members: list[MemberReport]) -> None:
    received = "table3.received_new.total"
    last_year = {m.member.name: m.values[received] for m in members if m.year == 2024}
    target = next(
        m
        for m in members
        if m.year == 2025
        and m.values[received] >= 5
        and 0.5 <= m.values[received] / last_year.get(m.member.name, 0.1) <= 2
    )
    assert not [
        a
        for a in compute_stats(members, year=2025).anomalies
        if a.agency == target.member.name and a.measure == "received_new"
    ]
    planted = [_scaled(m, 10) if m is target else m for m in members]
    found = [
        a
        for a in compute_stats(planted, year=2025).anomalies
        if a.agency == target.member.name and a.measure == "received_new"
    ]
    assert [a.kind for a in found] == ["jump_up"]
    assert found[0].value == target.values["table3.received_new.total"] * 10
    assert "倍" in found[0].message


def _entry(name: str, year: int, received: int, level: str = "县", kind: str = "部门") -> MemberReport:
    return MemberReport(
        Member(name, "910101", "甲东县", level, kind), year, "gov2021", values={"table3.received_new.total": received}
    )


def test_jump_thresholds() -> None:
    before = [
        _entry("甲", 2024, 10),
        _entry("乙", 2024, 10),
        _entry("丙", 2024, 1),
        _entry("丁", 2024, 0),
        _entry("戊", 2024, 50),
    ]
    now = [
        _entry("甲", 2025, 50),
        _entry("乙", 2025, 51),
        _entry("丙", 2025, 6),
        _entry("丁", 2025, 10),
        _entry("戊", 2025, 9),
    ]
    found = {(a.agency, a.kind) for a in anomalies(now, before) if a.measure == "received_new"}
    # ×5 exactly is not beyond ×5; 1 → 6 is too small to count; 0 → 10 is a jump; 50 → 9 is below ×0.2
    assert found == {("乙", "jump_up"), ("丁", "jump_up"), ("戊", "jump_down")}


def test_zero_where_peers_are_large() -> None:
    now = [_entry(f"单位{k}", 2025, 30 + k) for k in range(5)] + [
        _entry("零", 2025, 0),
        _entry("乡", 2025, 0, "乡", "政府"),
    ]
    found = [a for a in anomalies(now, []) if a.kind == "zero_among_peers"]
    assert [(a.agency, a.reference) for a in found] == [("零", 31.5)]


def test_rankings_share_ranks_on_ties() -> None:
    now = [_entry("甲", 2025, 9), _entry("乙", 2025, 20), _entry("丙", 2025, 9), _entry("丁", 2025, 3)]
    ranked = rankings(now)["received_new"]
    assert [(r.rank, r.agency) for r in ranked] == [(1, "乙"), (2, "丙"), (2, "甲"), (4, "丁")]


def test_rate_rankings_need_enough_cases(members: list[MemberReport]) -> None:
    stats = compute_stats(members, year=2025)
    ranked = stats.rankings["disclosure_rate"]
    assert ranked and all(r.denominator is not None and r.denominator >= 5 for r in ranked)
    assert [r.value for r in ranked] == sorted((r.value for r in ranked), reverse=True)


# ---------------------------------------------------------------------------------- timeliness, missing


def test_late_reports_are_the_seeded_ones(
    sample: tuple[Plan, list[PlannedReport]], members: list[MemberReport]
) -> None:
    stats = compute_stats(members, year=2023)
    seeded = {
        item.agency.name for item in sample[1] if item.year == 2023 and any(e.kind == "late" for e in item.errors)
    }
    assert seeded and {late.agency for late in stats.late} == seeded
    overall = stats.overall.timeliness
    # 条例第四十九条 sets no date for 乡镇 reports: they are not judged
    judged = sum(1 for m in members if m.year == 2023 and m.member.level != "乡")
    assert judged < stats.reports
    assert (overall.dated, overall.late) == (judged, len(seeded))
    assert overall.share == pytest.approx(1 - len(seeded) / judged)


def test_missing_reports_against_the_agency_list(
    sample: tuple[Plan, list[PlannedReport]], members: list[MemberReport]
) -> None:
    layout = sample[0]
    expected = [Member(a.name, a.region.code, a.region.name, a.level, a.type, a.parent) for a in layout.agencies]
    for year in (2021, 2025):
        stats = compute_stats(members, year=year, expected=expected)
        assert {m.name for m in stats.missing} == {m.agency.name for m in layout.missing if m.year == year}
    city = compute_stats(members, year=2025, region="910100", expected=expected)
    assert all(within(m.region_code, "910100") for m in city.missing)
    # without a list: agencies that reported in another year of the selection
    assert {m.name for m in compute_stats(members, year=2025).missing} <= {m.name for m in expected}


def test_level_selection_and_region_by_name(members: list[MemberReport]) -> None:
    stats = compute_stats(members, year=2025, levels=["县级部门"], by="level")
    assert [g.key for g in stats.groups] == ["县级部门"]
    assert resolve_region("甲市", members) == "910100" and resolve_region("910100", members) == "910100"
    assert resolve_region("没有这个地方", members) is None


def test_the_json_view_has_every_view(members: list[MemberReport]) -> None:
    data = compute_stats(members, year=2025, by="agency").as_dict()
    assert {"overall", "groups", "changes", "anomalies", "rankings", "late", "missing", "definitions"} <= set(data)
    rate = data["overall"]["rates"]["disclosure_rate"]
    assert set(rate) == {"value", "numerator", "denominator", "n", "excluded"}


def test_nothing_selected_is_refused(members: list[MemberReport]) -> None:
    with pytest.raises(ValueError, match="没有报告"):
        compute_stats(members, region="990000")


# ---------------------------------------------------------------------------------- docs


def test_docs_state_every_definition() -> None:
    assert definitions_markdown() in DOCS.read_text(encoding="utf-8")


def test_a_group_of_one_adds_up_as_a_larger_group_does() -> None:
    # by agency every group has one member, and its totals and rates take a shorter way: the same
    # figures as the general way, which leaves out a member whose format has none of the cells
    from helpers import CORPUS
    from nianbao.pipeline import process
    from nianbao.stats.aggregate import NOT_APPLICABLE, _rates, _totals, _Values

    files = [p for p in sorted(CORPUS.iterdir()) if p.suffix in (".txt", ".html", ".md") and p.stem != "README"]
    reports = from_reports([(Member(p.stem, "910000"), process(p.read_bytes(), p.name).report) for p in files])
    values = _Values()
    rows = [values.of(entry) for entry in reports]
    kinds = {type(value).__name__ if value != NOT_APPLICABLE else value for row in rows for value in row.values()}
    assert kinds == {"int", "float", "NoneType", NOT_APPLICABLE}  # known, decimal, unknown, not in the format
    nothing = dict.fromkeys(rows[0], NOT_APPLICABLE)
    for row in rows:
        assert repr(_totals([row])) == repr(_totals([row, nothing]))
        assert repr(_rates([row])) == repr(_rates([row, nothing]))
