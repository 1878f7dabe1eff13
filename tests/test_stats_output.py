"""The statistics and summary workbooks and JSON: one sheet per view, merged Chinese headers,
numbers as numbers, native charts; the summary traced to its members."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from nianbao.sample import SampleParams, plan
from nianbao.stats import Member, MemberReport, compute_stats, from_reports, summarize
from nianbao.stats.output import stats_json, stats_xlsx, summary_json, summary_xlsx

VIEWS = ["合计", "比率", "同比", "异常", "排名", "按期发布", "未报送", "说明"]


@pytest.fixture(scope="module")
def members() -> list[MemberReport]:
    _layout, items = plan(SampleParams(150, seed=2, error_rate=0.1))
    return from_reports(
        (Member.of(i.agency.name, i.agency.region.code, i.agency.region.name, i.agency.level, i.agency.type), i.report)
        for i in items
    )


@pytest.mark.parametrize("by", ["region", "agency", "level", "year"])
def test_stats_workbook_has_a_sheet_per_view(members: list[MemberReport], by: str) -> None:
    stats = compute_stats(members, by=by)  # type: ignore[arg-type]
    book = load_workbook(io.BytesIO(stats_xlsx(stats)))
    assert book.sheetnames == VIEWS
    for name in ("合计", "比率", "同比", "按期发布"):
        assert len(book[name]._charts) == 1, name
    rates = book["比率"]
    assert rates.cell(row=3, column=2).value == "公开率" and rates.cell(row=4, column=2).value == "比率"
    assert any(str(r) == "B3:F3" for r in rates.merged_cells.ranges)  # 公开率 over its five columns
    first = rates.cell(row=5, column=2)
    group = stats.groups[0]
    assert first.value == pytest.approx(group.rates["disclosure_rate"].value) and first.number_format == "0.0%"
    assert rates.cell(row=5, column=5).value == group.rates["disclosure_rate"].n  # 样本数, a number


def test_totals_sheet_numbers_are_numbers(members: list[MemberReport]) -> None:
    stats = compute_stats(members, by="region")
    sheet = load_workbook(io.BytesIO(stats_xlsx(stats)))["合计"]
    labels = [sheet.cell(row=r, column=1).value for r in range(6, 6 + len(stats.groups) + 1)]
    assert labels == [g.label for g in stats.groups] + ["合计"]
    header = {sheet.cell(row=4, column=c).value: c for c in range(3, sheet.max_column + 1)}
    col = header["本年新收申请"]
    assert sheet.cell(row=5, column=col).value == "合计" and sheet.cell(row=5, column=col + 1).value == "未知家数"
    assert sheet.cell(row=6 + len(stats.groups), column=col).value == stats.overall.totals["received_new"].value
    assert isinstance(sheet.cell(row=6, column=col).value, int)


def test_stats_json(members: list[MemberReport]) -> None:
    data = json.loads(stats_json(compute_stats(members, year=2024)))
    assert data["year"] == 2024 and data["definitions"]["rates"]["disclosure_rate"]["name"] == "公开率"


def test_summary_workbook_traces_every_cell(members: list[MemberReport]) -> None:
    summary = summarize(members, 2025)
    book = load_workbook(io.BytesIO(summary_xlsx(summary)))
    assert book.sheetnames[0] == "汇总说明" and book.sheetnames[-3:] == ["来源-表二", "来源-表三", "来源-表四"]
    notes = [book["汇总说明"].cell(row=r, column=1).value for r in range(3, 3 + len(summary.notes()))]
    assert notes == summary.notes()
    sheet = book["来源-表三"]
    assert sheet.cell(row=3, column=4).value == "一、本年新收" and sheet.cell(row=4, column=4).value == "自然人"
    assert sheet.cell(row=5, column=1).value == "合计"
    column = [sheet.cell(row=r, column=4).value for r in range(6, 6 + len(summary.members))]
    assert (
        sum(column) == sheet.cell(row=5, column=4).value == summary.totals["table3.received_new.natural_person"].value
    )
    assert [sheet.cell(row=r, column=1).value for r in range(6, 6 + len(summary.members))] == [
        m.member.name for m in summary.members
    ]
    data = json.loads(summary_json(summary, sources=True))
    # the sources written compactly, one line per cell: still exactly the summary's own data
    assert data == json.loads(json.dumps(summary.as_dict(sources=True)))
    assert json.loads(summary_json(summary)) == json.loads(json.dumps(summary.as_dict()))
    assert data["members"] == len(summary.members) and data["report"]["table3"]["received_new"][
        "natural_person"
    ] == sum(column)
