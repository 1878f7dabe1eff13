"""Flattened reports: cutting glued lines at labels, and listing the ways to cut digit runs."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import CORPUS, SEEDS, document, tokens_of
from nianbao import parse_file
from nianbao.extract import extract, glued
from nianbao.extract.glued import MAX_CHUNK_STEPS, _cuts_cached, search_budget, segment, split_candidates
from nianbao.formats import FORMATS
from nianbao.model import Report
from nianbao.readers import read_bytes
from nianbao.rules import run_rules

SPECS = tuple(FORMATS.values())


def pieces(*lines: str) -> list[tuple[str, bool]]:
    return [(token.text, token.glued) for token in segment(tokens_of(*lines), SPECS)]


def test_a_short_labelled_line_is_cut_into_label_and_value() -> None:
    assert pieces("行政许可 0") == [("行政许可", False), ("0", True)]
    assert pieces("这一行没有标签 0") == [("这一行没有标签 0", False)]


def test_a_flattened_table_is_cut_at_its_labels_inside_its_zone() -> None:
    line = (
        "二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数"
        "规章000行政规范性文件693665"
    )
    cut = pieces(line)
    assert ("二、主动公开政府信息情况", False) in cut
    assert cut[-4:] == [("规章", False), ("000", True), ("行政规范性文件", False), ("693665", True)]


def test_labels_outside_a_table_zone_stay_text() -> None:
    line = "本机关全年制定规章、行政规范性文件，依法做好公开工作，" * 3  # no table anchor before it
    assert pieces(line) == [(line, False)]


def test_cut_tokens_point_into_the_line() -> None:
    tokens = segment(tokens_of("行政许可 12"), SPECS)
    assert [token.index for token in tokens] == [0, 1]
    assert tokens[1].location.line == 1 and tokens[1].location.column == 1 + len("行政许可 ")


def test_split_candidates_never_cut_a_leading_zero_or_a_decimal_point() -> None:
    assert split_candidates(["000"], 3) == [["0", "0", "0"]]
    assert split_candidates(["01"], 2) == [["0", "1"]]
    assert split_candidates(["01"], 1) == []  # "01" is not one number
    assert split_candidates(["1.5"], 2) == []  # 1 | .5 and 1. | 5 are not numbers
    assert ["27", "0", "0", "2", "0", "1", "30"] in split_candidates(["270020130"], 7)  # type: ignore[operator]


def test_split_candidates_keep_units_and_chunks_apart() -> None:
    assert split_candidates(["12元", "3"], 2) == [["12元", "3"]]
    assert split_candidates(["1", "2", "3"], 2) == []  # each chunk is at least one cell


@given(st.lists(st.integers(min_value=0, max_value=999), min_size=1, max_size=6))
def test_the_printed_cells_are_always_one_of_the_cuts(values: list[int]) -> None:
    cells = [str(value) for value in values]
    cuts = split_candidates(["".join(cells)], len(cells))
    assert cuts is not None and cells in cuts
    assert all("".join(cut) == "".join(cells) and len(cut) == len(cells) for cut in cuts)


def test_rows_cut_by_the_arithmetic_are_reported_as_not_independent() -> None:
    report = parse_file(CORPUS / "004_pingtan_2021.txt")
    notes = {note.table: note for note in report.notes if note.kind == "glued_split"}
    assert set(notes) == {"table2", "table3", "table4"}
    assert notes["table2"].cells == []  # no arithmetic in table 2: 693665 keeps several cuts
    assert "1行（“行政规范性文件”）有多种拆法，不能确定的单元格未读取" in notes["table2"].message
    assert "table3.received_new.total" in notes["table3"].cells and "勾稽核查不具独立性" in notes["table3"].message
    glued = [finding for finding in run_rules(report) if finding.code == "GLUED"]
    assert {finding.severity for finding in glued} == {"info"}
    assert [finding.cells for finding in glued] == [notes["table3"].cells, notes["table4"].cells]


def test_a_report_printed_in_cells_has_no_glued_note(seed: Path) -> None:
    report = parse_file(seed)
    assert not [note for note in report.notes if note.kind == "glued_split"]
    assert not [finding for finding in run_rules(report) if finding.code == "GLUED"]


def test_the_search_of_one_long_run_is_bounded() -> None:
    digits = "31415926535897932384626433832795028841971693993751058209749445923078"
    cuts, steps = _cuts_cached.__wrapped__(digits, 1, 7)  # 70 digits never fit 7 cells of 9 digits
    assert cuts == () and steps == 1  # seen at once, not searched to every dead end
    cuts, steps = _cuts_cached.__wrapped__(digits[:25], 1, 7)
    assert cuts is None and MAX_CHUNK_STEPS < steps < MAX_CHUNK_STEPS + 100  # stopped at the bound
    assert split_candidates([digits[:25]], 7) is None


def test_a_file_spends_one_search_budget() -> None:
    assert split_candidates(["270020130"], 7) is not None
    with search_budget(steps=10) as budget:
        assert split_candidates(["270020131"], 7) is not None  # the first search may overrun
        assert budget.spent
        assert split_candidates(["270020132"], 7) is None  # then nothing more is searched
    assert split_candidates(["270020132"], 7) is not None


def test_a_flattened_page_of_long_runs_is_read_in_bounded_time_and_says_so() -> None:
    seed = SEEDS[0].read_text(encoding="utf-8")
    digits = iter("".join(str((k * 7919) % 10) for k in range(200_000)))
    flat = re.sub(r"\d+", lambda _m: "".join(next(digits) for _ in range(25)), "".join(seed.split()))
    start = time.process_time()
    report = extract(read_bytes(flat.encode(), "flat.txt"))
    assert time.process_time() - start < 20  # was minutes before the bound, about 1 s now
    messages = [note.message for note in report.notes if note.kind == "unreadable_row"]
    assert any("超出搜索上限" in message for message in messages)


def test_a_spent_file_budget_is_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(glued, "MAX_FILE_STEPS", 10)
    report = parse_file(CORPUS / "004_pingtan_2021.txt")  # glued tables: more than 10 steps
    (note,) = [note for note in report.notes if note.kind == "work_bounded"]
    assert note.message.startswith("连写数字的拆分搜索已达全文件上限")
    assert [f.severity for f in run_rules(report) if f.message == note.message] == ["warning"]


def test_an_amount_longer_than_nine_characters_is_still_one_cell() -> None:
    # 采购总金额 75394432.52元 after 135 projects: the amount is eleven characters
    cuts = split_candidates(["13575394432.52元"], 2)
    assert cuts is not None and ["135", "75394432.52元"] in cuts
    assert split_candidates(["1234567890"], 1) == []  # ten digits before the point are no count


def trial_table2(run: str) -> dict:
    """A trial-format table 2 flattened by a crawler, its 行政许可 row printed as ``run``."""
    line = (
        "二、主动公开政府信息情况第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量"
        f"规章000规范性文件000第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量行政许可{run}"
        "三、收到和处理政府信息公开申请情况"
    )
    sections = ("四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
    report = extract(document("某某局2019年政府信息公开工作年度报告", "一、总体情况", line, *sections))
    assert report.table2 is not None
    return {col: cell.value for col, cell in report.table2["licensing"].items()}


def test_a_sign_starts_the_only_column_that_may_carry_one() -> None:
    # 20+1737: 20|+17|37, 20|+1|737 or 20|+173|7 — never 2|0|+1737 (a signed 处理决定数量)
    assert trial_table2("20+1737") == {"previous": 20, "change": None, "decisions": None}
    assert trial_table2("20-5") == {"previous": None, "change": None, "decisions": None}  # 2|0|-5 is no reading
    assert trial_table2("7-15") == {"previous": 7, "change": -1, "decisions": 5}  # the one cut: 7|-1|5


def flattened_2023(*narrative: str) -> Report:
    """A 2023 report whose table 2 a crawler flattened (行政规范性文件693665), with ``narrative``."""
    line = (
        "二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数"
        "规章000行政规范性文件693665第二十条第（五）项信息内容本年处理决定数量行政许可12"
    )
    rest = (
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
    )
    return extract(document("某某局2023年政府信息公开工作年度报告", "一、总体情况", *narrative, line, *rest))


def normative_row(report: Report) -> list[int | float | None]:
    assert report.table2 is not None
    return [cell.value for cell in report.table2["normative_documents"].values()]


def test_the_narrative_pins_the_cut_of_a_glued_table2_row() -> None:
    # 693665 is 69|3|665, 6|93|665, 69|36|65 …; the narrative states two of its cells
    report = flattened_2023("本年度制发行政规范性文件69件，现行有效行政规范性文件665件。")
    assert normative_row(report) == [69, 3, 665]
    (note,) = [note for note in report.notes if note.kind == "glued_split" and note.cells]
    assert note.cells == [f"table2.normative_documents.{col}" for col in ("issued", "repealed", "in_force")]
    assert "正文称“制发行政规范性文件69件”、“现行有效行政规范性文件665件”" in note.message
    findings = run_rules(report)
    assert [f.code for f in findings if set(f.cells) & set(note.cells)] == ["GLUED"]  # nothing unreadable left


def test_a_figure_the_narrative_states_reads_its_own_cell_of_the_run() -> None:
    report = flattened_2023("本年度制发行政规范性文件69件。")  # 69|3|665, 69|36|65, 69|366|5 remain
    assert normative_row(report) == [69, None, None]
    (unread,) = [note for note in report.notes if note.kind == "unreadable_row"]
    assert unread.cells == ["table2.normative_documents.repealed", "table2.normative_documents.in_force"]
    assert "按正文所述拆分后，本年废止件数、现行有效件数仍有多种可能" in unread.message


@pytest.mark.parametrize(
    "narrative",
    [
        "本年度制发行政规范性文件69件。全年制发行政规范性文件70件。",  # stated as two numbers
        "本年度制发行政规范性文件7件。",  # no cut of 693665 begins with 7|
        "全区共有文件693665件。",  # a number, but no figure of a cell
    ],
)
def test_the_narrative_pins_nothing_without_one_figure_a_cut_agrees_with(narrative: str) -> None:
    report = flattened_2023(narrative)
    assert normative_row(report) == [None, None, None]
    assert not [note for note in report.notes if note.kind == "glued_split" and note.cells]
