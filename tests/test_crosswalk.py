"""The crosswalk places every cell of both formats exactly once, and docs/dataset.md is its
generated text."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from nianbao.formats import FORMATS, crosswalk
from nianbao.formats.gov2021 import GOV2021
from nianbao.formats.spec import Label

DOCS = Path(__file__).parents[1] / "docs" / "dataset.md"


def test_every_cell_of_every_format_is_placed_exactly_once() -> None:
    placed = Counter(cell for variable in crosswalk.variables() for cell in variable.cells)
    for key, spec in FORMATS.items():
        cells = crosswalk.format_cell_ids(spec)
        assert {(key, cell) for cell in cells} == {placed_cell for placed_cell in placed if placed_cell[0] == key}
        assert all(placed[(key, cell)] == 1 for cell in cells)
    assert crosswalk.unplaced() == {key: frozenset() for key in FORMATS}


def test_a_cell_a_format_gains_is_reported_unplaced(monkeypatch: pytest.MonkeyPatch) -> None:
    table4 = replace(GOV2021.table4, columns=(*GOV2021.table4.columns, Label("withdrawn", "撤回")))
    monkeypatch.setitem(FORMATS, "gov2021", replace(GOV2021, table4=table4))
    assert crosswalk.unplaced()["gov2021"] == {f"table4.{group.key}.withdrawn" for group in table4.groups}


def test_variable_ids_are_unique_and_say_when_they_belong_to_one_format() -> None:
    ids = [variable.id for variable in crosswalk.variables()]
    assert len(ids) == len(set(ids))
    for variable in crosswalk.variables():
        if variable.shared:
            assert not variable.note and "_2019_" not in variable.id and "_2021_" not in variable.id
        else:
            (fmt,) = variable.formats
            assert f"_{fmt[-4:]}_" in variable.id and variable.note


def test_what_is_shared_and_what_is_kept_apart() -> None:
    def variable(fmt: str, cell: str) -> str:
        found = crosswalk.variable_for(fmt, cell)
        assert found is not None
        return found.id

    # the same row in both formats is one variable
    assert variable("trial2019", "table3.granted.natural_person") == variable(
        "gov2021", "table3.granted.natural_person"
    )
    assert variable("trial2019", "table3.granted.natural_person") == "t3_granted_natural_person"
    assert variable("trial2019", "table4.review.upheld") == variable("gov2021", "table4.review.upheld")
    assert variable("trial2019", "table2.licensing.decisions") == variable("gov2021", "table2.licensing.decisions")
    # （六）其他处理 as one row is one variable; 2021's sub-rows are its own
    assert variable("trial2019", "table3.other.total") == variable("gov2021", "table3.other.total") == "t3_other_total"
    assert variable("gov2021", "table3.other_no_fee.total") == "t3_2021_other_no_fee_total"
    # the same key with another meaning is kept apart
    assert variable("trial2019", "table2.procurement.amount") == "t2_2019_procurement_amount"
    assert variable("gov2021", "table2.fees.amount") == "t2_2021_fees_amount"
    assert variable("trial2019", "table2.regulations.made") != variable("gov2021", "table2.regulations.issued")
    assert crosswalk.variable_for("pre2019", "table3.granted.total") is None
    assert crosswalk.variable_for("gov2021", "table2.procurement.amount") is None


def test_the_labels_are_the_printed_chinese_ones() -> None:
    by_id = {variable.id: variable for variable in crosswalk.variables()}
    assert by_id["t3_granted_natural_person"].label == "表三 （一）予以公开 · 自然人"
    assert by_id["t4_litigation_direct_pending"].label == "表四 行政诉讼·未经复议直接起诉 · 尚未审结"
    assert "本年收费金额" in by_id["t2_2021_fees_amount"].label


def test_docs_dataset_is_generated_from_the_crosswalk() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert text == crosswalk.markdown(), "docs/dataset.md is stale: run `make docs`"
    for variable in crosswalk.variables():
        assert f"| `{variable.id}` |" in text
