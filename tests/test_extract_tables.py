"""Tables 2–4 by template: the row fitting that never shifts a value, and the rows around it.

"Never shifts" made precise, for a row of printed slots (values and empty placeholders) and a
template of ``n`` columns, where a *placement* is a run of ``n`` consecutive slots holding every
printed value:

* a reading holds exactly the printed values, each once, in printed order — none dropped,
  invented, duplicated or reordered;
* with exactly ``n`` values printed, value ``k`` is in column ``k`` whatever placeholders stand
  between them;
* with fewer, a reading exists only when every placement puts every value in the same column,
  and then it is that column; otherwise the row is refused (unreadable);
* a placeholder added before the first or after the last value never moves a value to another
  column: the row is read as before, or refused.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import document, grid, tokens_of
from nianbao.document import Location
from nianbao.extract import extract
from nianbao.extract.tables import Region, extract_table3, extract_table4, fit
from nianbao.extract.tokens import Token, make_token
from nianbao.formats import GOV2021

T3 = GOV2021.table3
T4 = GOV2021.table4


def slot(index: int, printed: str) -> Token:
    return make_token(index, printed, Location(), None, None, None, False)


def slots_of(pattern: list[bool]) -> list[Token]:
    """True: a printed value (distinct text per slot); False: an empty placeholder."""
    return [slot(k, str(k) if printed else "") for k, printed in enumerate(pattern)]


def printed(slots: list[Token]) -> list[Token]:
    return [token for token in slots if not token.empty]


def columns_of(reading: list[Token], values: list[Token]) -> list[int]:
    """The column each printed value landed in (by identity, so no value is mistaken for another)."""
    return [next(k for k, token in enumerate(reading) if token is value) for value in values]


def placements(slots: list[Token], n: int) -> set[tuple[int, ...]]:
    """Every way a run of n consecutive slots holds all printed values: their columns."""
    values = printed(slots)
    out = set()
    for start in range(len(slots) - n + 1):
        window = slots[start : start + n]
        if all(any(token is value for token in window) for value in values):
            out.add(tuple(columns_of(window, values)))
    return out


rows = st.lists(st.booleans(), max_size=12)
widths = st.integers(min_value=1, max_value=9)


# ------------------------------------------------------------------ fit: properties


@given(rows, widths)
def test_a_reading_holds_exactly_the_printed_values_in_order(pattern: list[bool], n: int) -> None:
    slots = slots_of(pattern)
    reading = fit(slots, n)
    if reading is None:
        return
    assert len(reading) == n
    assert [id(token) for token in printed(reading)] == [id(token) for token in printed(slots)]
    # nothing comes from outside the row, and the row's order is kept
    positions = [next(k for k, token in enumerate(slots) if token is cell) for cell in reading]
    assert positions == sorted(positions) and len(set(positions)) == n


@given(rows, widths)
def test_exactly_n_printed_values_fill_the_columns_in_order(pattern: list[bool], n: int) -> None:
    slots = slots_of(pattern)
    values = printed(slots)
    reading = fit(slots, n)
    if len(values) == n:
        assert reading is not None and columns_of(reading, values) == list(range(n))
    elif len(values) > n:
        assert reading is None  # more values than columns: nothing can say which one is extra


@given(rows, widths)
def test_fewer_values_are_placed_only_where_every_placement_agrees(pattern: list[bool], n: int) -> None:
    slots = slots_of(pattern)
    values = printed(slots)
    if len(values) >= n:
        return
    reading = fit(slots, n)
    found = placements(slots, n)
    if len(found) == 1:
        assert reading is not None and tuple(columns_of(reading, values)) == next(iter(found))
    else:
        assert reading is None


@given(rows, widths, st.sampled_from(["before", "after"]))
def test_an_outer_placeholder_never_moves_a_value(pattern: list[bool], n: int, where: str) -> None:
    slots = slots_of(pattern)
    values = printed(slots)
    extra = slot(99, "")
    more = [extra, *slots] if where == "before" else [*slots, extra]
    before, after = fit(slots, n), fit(more, n)
    if before is not None and after is not None:
        assert columns_of(after, values) == columns_of(before, values)


@given(st.lists(st.booleans(), min_size=1, max_size=12), st.data())
def test_placeholders_do_not_matter_when_every_column_is_printed(pattern: list[bool], data: st.DataObject) -> None:
    slots = slots_of(pattern)
    values = printed(slots)
    if not values:
        return
    at = data.draw(st.integers(min_value=0, max_value=len(slots)))
    more = [*slots[:at], slot(99, ""), *slots[at:]]
    reading = fit(more, len(values))
    assert reading is not None and columns_of(reading, values) == list(range(len(values)))


# ------------------------------------------------------------------ fit: cases


def test_fit_drops_the_only_possible_leading_placeholder() -> None:
    slots = slots_of([False, True, True, True, False])  # a placeholder each side, 4 columns
    assert fit(slots, 4) is None  # [_ 1 2 3] and [1 2 3 _] both place every value: refused
    slots = slots_of([False, False, True, False, True])
    reading = fit(slots, 4)
    assert reading is not None and columns_of(reading, printed(slots)) == [1, 3]


def test_a_dash_is_a_printed_blank_not_a_placeholder() -> None:
    slots = [slot(0, "—"), slot(1, "3")]
    reading = fit(slots, 2)
    assert reading == slots and reading[0].kind == "blank" and not reading[0].empty


# ------------------------------------------------------------------ rows of a table

HEADER_4 = [
    ["行政复议", "", "", "", "", "行政诉讼"],
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
    [*(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)],
]


def table4(values: list[str]) -> dict:
    tokens = tokens_of(grid([*HEADER_4, values]))
    result = extract_table4(tokens, Region(0, len(tokens)), T4)
    return {"data": result.data, "notes": result.notes}


def test_table4_reads_fifteen_values_in_place() -> None:
    values = [str(k) for k in range(15)]
    data = table4(values)["data"]
    flat = [data[group.key][col.key] for group in T4.groups for col in T4.columns]
    assert [cell.value for cell in flat] == list(range(15))
    assert all(cell.status == "value" and cell.location is not None for cell in flat)


def test_table4_with_a_value_too_many_is_unreadable_and_says_what_was_printed() -> None:
    out = table4([str(k) for k in range(16)])
    assert all(
        cell.status == "unreadable" and cell.value is None for cols in out["data"].values() for cell in cols.values()
    )
    (note,) = [note for note in out["notes"] if note.kind == "unreadable_row"]
    assert "应有15个数值，实际读到16个" in note.message and len(note.cells) == 15


def table3_tokens(rows: list[list[str]]) -> list[Token]:
    return tokens_of(grid(rows))


def t3_row(label: str, cells: list[str]) -> list[str]:
    return [label, *cells]


def test_sibling_rows_place_a_row_whose_empty_cells_are_ambiguous() -> None:
    # a web page kept one empty cell after the label in every row; rows read without doubt
    # carry their values in the last seven cells, so the doubtful row does too
    full = ["1", "0", "0", "0", "0", "0", "1"]
    rows = [t3_row(row.label, ["", *full]) for row in T3.rows if row.key != "partly_granted"]
    rows.append(t3_row("（二）部分公开", ["", "", "2", "", "", "", "", ""]))
    tokens = table3_tokens(rows)
    result = extract_table3(tokens, Region(0, len(tokens)), T3)
    partly = result.data["partly_granted"]
    assert partly["commercial"].value == 2
    assert [key for key, cell in partly.items() if cell.status == "value"] == ["commercial"]
    assert all(partly[key].status == "blank" for key in partly if key != "commercial")


def test_without_agreeing_siblings_an_ambiguous_row_is_unreadable() -> None:
    rows = [t3_row(row.label, ["1", "0", "0", "0", "0", "0", "1"]) for row in T3.rows if row.key != "partly_granted"]
    rows.append(t3_row("（二）部分公开", ["", "", "2", "", "", "", "", ""]))
    tokens = table3_tokens(rows)
    result = extract_table3(tokens, Region(0, len(tokens)), T3)
    assert {cell.status for cell in result.data["partly_granted"].values()} == {"unreadable"}
    assert any(note.kind == "unreadable_row" and "部分公开" in note.message for note in result.notes)


def test_a_missing_row_is_missing_and_its_neighbours_keep_their_values() -> None:
    rows = [t3_row(row.label, [str(k)] * 6 + [str(6 * k)]) for k, row in enumerate(T3.rows) if row.key != "granted"]
    tokens = table3_tokens(rows)
    result = extract_table3(tokens, Region(0, len(tokens)), T3)
    assert {cell.status for cell in result.data["granted"].values()} == {"missing"}
    for k, row in enumerate(T3.rows):
        if row.key != "granted":
            assert result.data[row.key]["natural_person"].value == k
    assert any(note.kind == "missing_row" and "（一）予以公开" in note.message for note in result.notes)


def test_collapsed_other_row_of_a_2021_table_gets_its_own_key() -> None:
    sub_rows = set(T3.collapsed_rows["other"])
    rows = [t3_row(row.label, ["0"] * 7) for row in T3.rows if row.key not in sub_rows]
    rows.insert(-2, t3_row(T3.row("other").label, ["1", "0", "0", "0", "0", "0", "1"]))
    tokens = table3_tokens(rows)
    result = extract_table3(tokens, Region(0, len(tokens)), T3)
    assert result.data["other"]["total"].value == 1 and not sub_rows & set(result.data)
    (note,) = [note for note in result.notes if note.kind == "collapsed_row"]
    assert "（六）1.逾期不补正" in note.message


@pytest.mark.parametrize("text", ["三", "3件", "0.5"])
def test_a_value_is_read_as_printed_or_not_at_all(text: str) -> None:
    rows = [t3_row(row.label, [text if row.key == "granted" else "0", *["0"] * 6]) for row in T3.rows]
    tokens = table3_tokens(rows)
    cell = extract_table3(tokens, Region(0, len(tokens)), T3).data["granted"]["natural_person"]
    assert cell.raw == text
    if text == "三":
        assert cell.status == "unreadable" and cell.value is None and "不是数字" in (cell.note or "")
    else:
        assert cell.status == "value" and cell.value == {"3件": 3, "0.5": 0.5}[text]


def test_tables_are_found_by_their_anchors_without_headings() -> None:
    doc = document(
        "某某局2023年政府信息公开工作年度报告",
        "一、总体情况",
        grid([*HEADER_4, [str(k) for k in range(15)]]),
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    )
    report = extract(doc)
    assert report.table4 is not None and report.table4["litigation_after_review"]["total"].value == 14


def test_table4_printed_as_one_run_of_digits_is_cut_where_the_groups_add_up() -> None:
    # a cell holding the whole data row: fifteen zeros have one cut, the commonest case
    zeros = table4(["0" * 15])
    assert all(cell.value == 0 for cols in zeros["data"].values() for cell in cols.values())
    # 1+0+0+0=1, 10+0+0+0=10, 0…: the only cut of the seventeen digits where every group adds up
    data = table4(["10001100001000000"])["data"]
    assert [cell.value for cell in data["litigation_direct"].values()] == [10, 0, 0, 0, 10]
    assert [cell.value for cell in data["review"].values()] == [1, 0, 0, 0, 1]
    # no cut adds up (the report's own error) and the cuts disagree: those cells stay unread
    out = table4(["1010000000000000"])
    review = out["data"]["review"]
    assert [review[col].status for col in ("upheld", "corrected", "other")] == ["unreadable"] * 3
    assert [cell.value for cell in out["data"]["litigation_direct"].values()] == [0] * 5


def test_table4_run_on_a_line_of_its_own_is_cut_as_well() -> None:
    header = [text for row in HEADER_4 for text in row if text]
    doc = document("四、政府信息公开行政复议、行政诉讼情况", *header, "010000000000000", "五、存在的主要问题及改进情况")
    report = extract(doc)
    assert report.table4 is not None
    assert [cell.value for cell in report.table4["review"].values()] == [0, 1, 0, 0, 0]


UNLABELLED = ("partly_granted", "not_processed_reconfirm", "other_no_correction", "other_no_fee")


def values_of(k: int) -> list[str]:
    return [str(k)] * 6 + [str(6 * k)]


def table3_without_labels(first_cell: dict[str, str | None]) -> dict:
    """Table 3 whose rows in ``first_cell`` print that text (a piece of the label, or nothing)
    before their values, or are left out (None); row k holds k in every applicant column."""
    rows = []
    for k, row in enumerate(T3.rows):
        if row.key not in first_cell:
            rows.append(t3_row(row.label, values_of(k)))
        elif (text := first_cell[row.key]) is not None:
            rows.append([text, *values_of(k)])
    tokens = table3_tokens(rows)
    result = extract_table3(tokens, Region(0, len(tokens)), T3)
    return {"data": result.data, "notes": result.notes}


def test_rows_printed_without_their_labels_are_read_by_the_order_of_rows() -> None:
    # a PDF converter scattered the labels of （二）, （五）5 and （六）1–2 away from their numbers;
    # what is left before the numbers is nothing, or a piece of the row's own label
    out = table3_without_labels({key: "" for key in UNLABELLED} | {"other_no_fee": "缴纳费用、"})
    for k, row in enumerate(T3.rows):
        assert out["data"][row.key]["natural_person"].value == k, row.key
        assert out["data"][row.key]["total"].value == 6 * k
    notes = [note for note in out["notes"] if note.kind == "row_by_order"]
    assert [note.cells[0].split(".")[1] for note in notes] == list(UNLABELLED)
    assert "“（一）予以公开”与“（三）1.属于国家秘密”之间有1行没有行标题的数值" in notes[0].message
    assert "标准格式在此处恰有3行，此为第2行" in notes[2].message
    assert not [note for note in out["notes"] if note.kind in ("missing_row", "extra_row")]


@pytest.mark.parametrize(
    "first_cell",
    [
        {"not_processed_reconfirm": "", "other_no_correction": None, "other_no_fee": ""},  # 2 rows for 3 places
        {"not_processed_reconfirm": "", "other_no_correction": "", "other_no_fee": "小计"},  # no piece of its label
    ],
)
def test_unlabelled_rows_are_not_read_unless_the_order_leaves_one_reading(first_cell: dict[str, str | None]) -> None:
    out = table3_without_labels(first_cell)
    for key in ("not_processed_reconfirm", "other_no_correction", "other_no_fee"):
        assert {cell.status for cell in out["data"][key].values()} == {"missing"}
    assert not [note for note in out["notes"] if note.kind == "row_by_order"]
    assert out["data"]["other_other"]["natural_person"].value == T3.rows.index(T3.row("other_other"))


def table4_section(*blocks: str | list[str]) -> tuple[dict, list]:
    """Table 4's section whose header is broken into pieces no label of it is recognised in."""
    pieces = [
        "四、政府信息公开行政复议、行政诉讼情况",
        "结果结果其他尚未",
        "维持纠正结果审结",
        "注：行政复议、行政诉讼数量含上年度结转数量。",
    ]
    built = [grid([block]) if isinstance(block, list) else block for block in blocks]
    report = extract(document(*pieces, *built, "五、存在的主要问题及改进情况", "六、其他需要报告的事项"))
    assert report.table4 is not None
    values = {group: [cell.value for cell in cols.values()] for group, cols in report.table4.items()}
    return values, [note for note in report.notes if note.table == "table4"]


def test_table4_without_a_recognisable_header_reads_its_one_row_by_position() -> None:
    values, notes = table4_section([str(k) for k in range(15)])
    assert values["review"] == [0, 1, 2, 3, 4] and values["litigation_after_review"] == [10, 11, 12, 13, 14]
    (note,) = notes
    assert note.kind == "header_label_missing" and "表四表头未能识别，按标准格式的列序读取" in note.message
    values, _notes = table4_section("000000000000000")  # one run of digits on a line: its one cut
    assert values["litigation_direct"] == [0] * 5


@pytest.mark.parametrize(
    "rows",
    [
        [[str(k) for k in range(15)], ["1"] * 15],  # two rows of values: which one is table 4's?
        [[str(k) for k in range(14)]],  # fourteen values for fifteen columns
        ["2023"],  # a number no cut makes fifteen cells of
    ],
)
def test_table4_without_a_header_is_missing_unless_one_row_fits(rows: list) -> None:
    values, notes = table4_section(*rows)
    assert all(value is None for group in values.values() for value in group)
    assert {note.kind for note in notes} == {"missing_row"}
