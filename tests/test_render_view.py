"""The view every renderer draws: tables 2–4 as the standard draws them, and the default text."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from helpers import CORPUS, SEEDS, truth_of
from nianbao.errors import RenderError
from nianbao.formats import GOV2021, TRIAL2019
from nianbao.model import Report
from nianbao.render import check
from nianbao.render.narrative import PLACEHOLDER
from nianbao.render.view import Grid, GridCell, ReportView, build_view, format_number


def seed_contract(k: int = 3) -> dict[str, Any]:
    return copy.deepcopy(truth_of(SEEDS[k]))


def view_of(contract: dict[str, Any]) -> ReportView:
    return build_view(Report.from_contract(contract))


def trial_contract() -> dict[str, Any]:
    return truth_of(CORPUS / "002_pingtan_2019")


def body_labels(grid: Grid) -> list[list[GridCell]]:
    return [[cell for cell in row.cells if cell.kind != "value"] for row in grid.rows if not row.header]


# ---------------------------------------------------------------------------------- table 3


def test_table3_header_as_the_standard_draws_it() -> None:
    grid = view_of(seed_contract()).tables["table3"]
    assert grid.n_cols == 10
    first, second, third = grid.rows[:3]
    note, applicant = first.cells
    assert (note.text, note.colspan, note.rowspan) == (GOV2021.table3.identity_note, 3, 3)
    assert (applicant.text, applicant.colspan) == ("申请人情况", 7)
    assert [(c.text, c.colspan, c.rowspan, c.covered) for c in second.cells] == [
        ("", 3, 1, True),
        ("自然人", 1, 2, False),
        ("法人或其他组织", 5, 1, False),
        ("总计", 1, 2, False),
    ]
    assert [c.text for c in third.cells if not c.covered] == [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    for row in grid.rows:
        assert sum(cell.colspan for cell in row.cells) == 10


def test_table3_rows_and_group_cells_gov2021() -> None:
    grid = view_of(seed_contract()).tables["table3"]
    rows = body_labels(grid)
    assert len(rows) == len(GOV2021.table3.rows) == 25
    top = [row[0] for row in rows if row[0].kind == "label"]
    assert [(c.text, c.colspan) for c in top] == [
        ("一、本年新收政府信息公开申请数量", 3),
        ("二、上年结转政府信息公开申请数量", 3),
        ("四、结转下年度继续办理", 3),
    ]
    results = [row[0] for row in rows if row[0].kind == "group"]
    assert len(results) == 22 and results[0].rowspan == 22 and results[0].text == "三、本年度办理结果"
    assert all(cell.covered for cell in results[1:])
    groups = [(row[1].text, row[1].rowspan) for row in rows if row[0].kind == "group" and row[1].kind == "group"]
    assert [g for g in groups if g[0]] == [
        ("（三）不予公开", 8),
        ("（四）无法提供", 3),
        ("（五）不予处理", 5),
        ("（六）其他处理", 3),
    ]
    spanning_two = [row[1].text for row in rows if row[0].kind == "group" and row[1].colspan == 2]
    assert spanning_two == [
        GOV2021.table3.row("granted").label,
        GOV2021.table3.row("partly_granted").label,
        "（七）总计",
    ]
    labels = [row[-1].text for row in rows]
    assert labels == [row.label for row in GOV2021.table3.rows]  # every label from the spec, in order


def test_table3_trial2019_prints_one_other_row() -> None:
    grid = view_of(trial_contract()).tables["table3"]
    rows = body_labels(grid)
    assert len(rows) == 23
    assert rows[2][0].rowspan == 20
    other = [row for row in rows if row[-1].text == "（六）其他处理"]
    assert len(other) == 1 and other[0][-1].colspan == 2
    groups = [row[1].text for row in rows if row[0].kind == "group" and row[1].kind == "group" and row[1].text]
    assert groups == ["（三）不予公开", "（四）无法提供", "（五）不予处理"]


def collapsed_contract() -> dict[str, Any]:
    contract = seed_contract()
    parts = GOV2021.table3.collapsed_rows["other"]
    merged = {col: sum(contract["table3"][part][col] for part in parts) for col in contract["table3"][parts[0]]}
    for part in parts:
        del contract["table3"][part]
    contract["table3"]["other"] = merged
    return contract


def test_gov2021_report_with_collapsed_other_prints_one_row() -> None:
    contract = collapsed_contract()
    grid = view_of(contract).tables["table3"]
    rows = [row for row in grid.rows if not row.header]
    assert len(rows) == 23 and rows[2].cells[0].rowspan == 20
    (other,) = [row for row in rows if any(c.text == "（六）其他处理" for c in row.cells)]
    values = [cell.value for cell in other.cells if cell.kind == "value"]
    assert values == [contract["table3"]["other"][col.key] for col in GOV2021.table3.columns]


def test_collapsed_row_and_its_parts_both_filled_is_refused() -> None:
    contract = seed_contract()
    contract["table3"]["other"] = dict(contract["table3"]["other_other"])
    contract["table3"]["other"]["total"] = 1
    with pytest.raises(RenderError, match="合并行"):
        view_of(contract)


# ---------------------------------------------------------------------------------- tables 2 and 4


def test_table4_fifteen_columns_two_level_header() -> None:
    grid = view_of(seed_contract()).tables["table4"]
    assert grid.n_cols == 15
    top, middle, bottom, data = grid.rows
    assert [(c.text, c.colspan) for c in top.cells] == [("行政复议", 5), ("行政诉讼", 10)]
    assert [(c.text, c.rowspan) for c in middle.cells[:5]] == [
        ("结果维持", 2),
        ("结果纠正", 2),
        ("其他结果", 2),
        ("尚未审结", 2),
        ("总计", 2),
    ]
    assert [(c.text, c.colspan) for c in middle.cells[5:]] == [("未经复议直接起诉", 5), ("复议后起诉", 5)]
    assert [c.text for c in bottom.cells if not c.covered] == [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
    ] * 2
    assert len(data.cells) == 15 and data.last


def test_table2_blocks_from_the_spec() -> None:
    for contract, spec in ((seed_contract(), GOV2021), (trial_contract(), TRIAL2019)):
        grid = view_of(contract).tables["table2"]
        anchors = [row.cells[0].text for row in grid.rows if row.cells[0].kind == "anchor"]
        assert anchors == [block.anchor for block in spec.table2.blocks]
        for row in grid.rows:
            assert sum(cell.colspan for cell in row.cells) == 7
    fees = [row for row in view_of(trial_contract()).tables["table2"].rows if row.cells[0].text == "行政事业性收费"]
    assert [cell.colspan for cell in fees[0].cells] == [1, 3, 3]  # two columns share the six slots


def test_blank_is_blank_and_zero_is_zero() -> None:
    contract = seed_contract()
    contract["table3"]["granted"]["research"] = None
    contract["table4"]["review"]["upheld"] = None
    view = view_of(contract)
    cells = {
        (row_index, k): cell
        for row_index, row in enumerate(view.tables["table3"].rows)
        for k, cell in enumerate(row.cells)
    }
    granted_row = next(
        i for i, row in enumerate(view.tables["table3"].rows) if any(c.text == "（一）予以公开" for c in row.cells)
    )
    research = [c for (i, _k), c in cells.items() if i == granted_row and c.kind == "value"][2]
    assert (research.text, research.value) == ("", None)
    zero = [c for (i, _k), c in cells.items() if i == granted_row and c.kind == "value"][1]
    assert (zero.text, zero.value) == ("0", 0)
    assert view.tables["table4"].rows[-1].cells[0].text == ""


def test_numbers_print_plainly() -> None:
    assert [format_number(v) for v in (None, 0, 12, 12.0, 0.05, 1234.5, 1e-05, -3)] == [
        "",
        "0",
        "12",
        "12",
        "0.05",
        "1234.5",
        "0.00001",
        "-3",
    ]


# ---------------------------------------------------------------------------------- narrative


def test_title_breaks_after_the_year_when_too_long() -> None:
    view = view_of(seed_contract(1))
    assert view.title == "朝阳市商务局2023年政府信息公开工作年度报告"
    assert view.title_lines == ("朝阳市商务局2023年", "政府信息公开工作年度报告")
    contract = seed_contract(1)
    contract["agency"] = None
    assert view_of(contract).title_lines == ("2023年政府信息公开工作年度报告",)


def test_default_narrative_says_what_the_tables_say() -> None:
    contract = seed_contract(1)  # 朝阳市商务局: 3 applications, one each 部分公开, 无法提供, 其他处理
    view = view_of(contract)
    text = {section.number: " ".join(p.text for p in section.paragraphs) for section in view.sections}
    assert "本年度新收政府信息公开申请3件（其中自然人3件、法人或其他组织0件），上年结转0件。" in text[3]
    assert "本年度办理完结3件，其中部分公开1件、无法提供1件、其他处理1件。" in text[3]
    assert "结转下年度继续办理0件" in text[3]
    assert text[4] == "本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
    assert "制发规章0件、行政规范性文件0件" in text[2]
    assert text[5] == PLACEHOLDER and view.placeholder_sections == [5, 6]
    assert [s.source for s in view.sections] == ["generated"] * 4 + ["placeholder"] * 2


def test_default_narrative_agrees_with_the_narrative_check() -> None:
    for seed in SEEDS:
        contract = truth_of(seed)
        contract["table4"]["review"] = {"upheld": 1, "corrected": 1, "other": 0, "pending": 0, "total": 2}
        findings = check(Report.from_contract(contract))
        assert [f for f in findings if f.code in ("NARR-TAB", "SEC-6", "YEAR", "PREAMBLE-COUNT")] == [], seed.name
        assert [f for f in findings if f.severity == "error"] == [], seed.name
        view = view_of(contract)
        assert "被申请行政复议2件（结果维持1件、结果纠正1件）" in view.sections[3].paragraphs[0].text


def test_user_text_is_printed_and_contradictions_are_reported() -> None:
    contract = seed_contract(1)
    contract["sections"] = {
        "1": {"heading": "一、总体情况", "text": "（一）主动公开\n本年度及时公开政策文件。\x07"},
        "3": {"heading": "三、收到和处理政府信息公开申请情况", "text": "本年度收到政府信息公开申请5件。"},
        "6": {"heading": "六、其他需要报告的事项", "text": "本年度未收取信息处理费。\n朝阳市商务局\n2024年1月28日"},
    }
    view = view_of(contract)
    first, sixth = view.sections[0], view.sections[5]
    assert first.source == "user" and [(p.level, p.text) for p in first.paragraphs] == [
        (2, "（一）主动公开"),
        (0, "本年度及时公开政策文件。"),
    ]
    assert [p.text for p in sixth.paragraphs] == ["本年度未收取信息处理费。"]  # its signature is printed once
    findings = check(Report.from_contract(contract))
    assert [f.code for f in findings if f.code == "NARR-TAB"] == ["NARR-TAB"]  # 5 stated, 3 in table 3


def test_check_reports_errors_in_the_tables() -> None:
    contract = seed_contract(1)
    contract["table3"]["granted"]["natural_person"] = 7
    codes = {f.code for f in check(Report.from_contract(contract)) if f.severity == "error"}
    assert {"T3-COL", "T3-SUM"} <= codes
