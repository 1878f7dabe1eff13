"""The table identities and anchors the specs carry, shared by extraction and the rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nianbao.formats import GOV2021, TRIAL2019
from nianbao.formats.labels import label_key
from nianbao.formats.spec import adds_up, balances

T3, T4 = GOV2021.table3, GOV2021.table4
counts = st.integers(min_value=0, max_value=10_000)


def test_adds_up_to_float_tolerance() -> None:
    assert adds_up(0.3, [0.1, 0.2]) and adds_up(5, [2, 3]) and not adds_up(5, [2, 2])
    assert balances([1, 2], [3]) and not balances([1, 2], [4])


@pytest.mark.parametrize(("spec", "count"), [(GOV2021, 21), (TRIAL2019, 19)])
def test_results_total_sums_the_result_rows(spec, count) -> None:  # type: ignore[no-untyped-def]
    assert len(spec.table3.summed_rows()) == count


def test_a_collapsed_row_stands_where_its_sub_rows_would() -> None:
    summed = T3.summed_rows({"other"})
    assert len(summed) == 21 - 3 + 1 and "other" in summed
    assert not set(T3.collapsed_rows["other"]) & set(summed)
    assert summed.index("other") == T3.summed_rows().index("other_no_correction")
    assert T3.row("other").name == "（六）其他处理"  # the one place the rules and views take it from


@given(st.lists(counts, min_size=6, max_size=6))
def test_a_row_adds_up_when_its_total_is_the_sum(applicants: list[int]) -> None:
    assert T3.row_adds_up([*applicants, sum(applicants)])
    assert not T3.row_adds_up([*applicants, sum(applicants) + 1])


@given(st.lists(st.lists(counts, min_size=4, max_size=4), min_size=3, max_size=3))
def test_table4_groups_add_up_one_by_one(groups: list[list[int]]) -> None:
    row = [value for group in groups for value in (*group, sum(group))]
    assert T4.groups_add_up(row)
    broken = list(row)
    broken[4] += 1  # the first group's total
    assert not T4.groups_add_up(broken)


def consistent_table(new: list[int]) -> dict[str, list[float | None]]:
    """Every applicant column handles all it received: 一 = （七） = （一）予以公开, nothing carried."""
    values: dict[str, list[float | None]] = {row.key: [0.0] * 7 for row in T3.rows}
    for key in (T3.received_new, T3.results_total, "granted"):
        values[key] = [*map(float, new), float(sum(new))]
    return values


@given(st.lists(counts, min_size=6, max_size=6))
def test_columns_consistent_checks_both_identities(new: list[int]) -> None:
    values = consistent_table(new)
    assert T3.columns_consistent(values)
    off_balance = dict(values, carried_over_out=[1.0] + [0.0] * 6)
    assert not T3.columns_consistent(off_balance)  # 一＋二 ≠ 三（七）＋四 in the first column
    off_sum = dict(values, withheld_state_secret=[1.0] + [0.0] * 6)
    assert not T3.columns_consistent(off_sum)  # （七） ≠ Σ results


def test_unknown_values_leave_an_identity_unchecked() -> None:
    values = consistent_table([1, 0, 0, 0, 0, 0])
    values["carried_over_out"] = [5.0, *values["carried_over_out"][1:]]
    assert not T3.columns_consistent(values)
    values["carried_over_in"] = [None, *values["carried_over_in"][1:]]
    values["granted"] = [None, *values["granted"][1:]]
    assert T3.columns_consistent(values)  # neither identity has all its terms in column one


def test_anchors_are_printed_labels_of_their_tables() -> None:
    assert GOV2021.table2.anchors[0] == "信息内容"
    assert {block.anchor for block in GOV2021.table2.blocks} <= set(GOV2021.table2.anchors)
    assert T3.anchors[:2] == (T3.identity_note, "申请人情况")
    assert label_key(T3.anchors[2]) in T3.row(T3.received_new).match_keys()
    assert T4.top_header == ("行政复议", "行政诉讼")
    assert [col.key for col in T4.part_columns] == ["upheld", "corrected", "other", "pending"]


def test_all_rows_adds_the_collapsed_row_once() -> None:
    assert [row.key for row in T3.all_rows] == [*(row.key for row in T3.rows), "other"]
    assert [row.key for row in TRIAL2019.table3.all_rows] == [row.key for row in TRIAL2019.table3.rows]
