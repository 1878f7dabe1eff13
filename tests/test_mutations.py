"""Mutation properties over every cell of every seed.

Each seed is changed one cell or one row at a time, in its own text layout, and read again:

* a changed number in table 3 or 4 is read as the new number and ``check`` reports an
  arithmetic error that names the cell and its column or group;
* a deleted row leaves that row null and every other cell as it was — nothing shifts;
* a 0 turned into a blank is never read as 0: the cell is null with a finding naming it.

The cell positions come from the original parse's provenance; the expected values come from
the hand-checked truth files.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import SEEDS, truth_of
from nianbao import parse_bytes
from nianbao.model import Report
from nianbao.rules import run_rules

ARITHMETIC = {"T3-ID", "T3-SUM", "T3-COL", "T4-SUM"}
COLUMN_NAMES = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "social_welfare": "社会公益组织",
    "legal_service": "法律服务机构",
    "other_org": "其他",
    "total": "总计",
}
GROUP_NAMES = {"review": "行政复议", "litigation_direct": "未经复议直接起诉", "litigation_after_review": "复议后起诉"}


@cache
def original(path: Path) -> tuple[list[str], Report]:
    text = path.read_text(encoding="utf-8")
    return text.split("\n"), parse_bytes(text.encode("utf-8"), path.name)


def reparse(path: Path, lines: list[str]) -> Report:
    return parse_bytes("\n".join(lines).encode("utf-8"), path.name)


def replace_cell(lines: list[str], report: Report, cell_id: str, new_text: str) -> list[str]:
    cell = report.cell(cell_id)
    assert cell is not None and cell.location is not None
    index, start = cell.location.line - 1, cell.location.column - 1  # type: ignore[operator]
    line = lines[index]
    end = line.find("\t", start)
    end = len(line) if end == -1 else end
    assert line[start:end].strip() == cell.raw, (cell_id, line)
    changed = list(lines)
    changed[index] = line[:start] + new_text + line[end:]
    return changed


def truth_cells(path: Path) -> dict[str, float | None]:
    truth = truth_of(path)
    return {
        f"{table}.{row}.{col}": value
        for table in ("table2", "table3", "table4")
        for row, cols in truth[table].items()
        for col, value in cols.items()
    }


def contract_cells(report: Report) -> dict[str, float | None]:
    return {cell_id: cell.value for cell_id, cell in report.iter_cells()}


def all_cells(tables: tuple[str, ...]) -> list[tuple[Path, str]]:
    return [(path, cell_id) for path in SEEDS for cell_id in truth_cells(path) if cell_id.split(".")[0] in tables]


def _id(param: object) -> str:
    return param.stem[:3] if isinstance(param, Path) else str(param)


# ------------------------------------------------------------------------------ changed numbers


def assert_change_is_caught(path: Path, cell_id: str, new_value: int) -> None:
    lines, report = original(path)
    mutated = reparse(path, replace_cell(lines, report, cell_id, str(new_value)))
    expected = truth_cells(path)
    expected[cell_id] = new_value
    assert contract_cells(mutated) == expected

    table, row, col = cell_id.split(".")
    errors = [f for f in run_rules(mutated) if f.severity == "error" and f.code in ARITHMETIC and cell_id in f.cells]
    assert errors, f"{cell_id} changed to {new_value} but no arithmetic error names it"
    if table == "table4":
        assert any(GROUP_NAMES[row] in f.message for f in errors)  # the group
    else:
        # the column (一+二 or （七）总计 identities) or the row whose 总计 no longer adds up
        assert any(f"{COLUMN_NAMES[col]}列" in f.message or f.code == "T3-COL" for f in errors)


@pytest.mark.parametrize(("path", "cell_id"), all_cells(("table3", "table4")), ids=_id)
def test_every_changed_number_is_an_arithmetic_error(path: Path, cell_id: str) -> None:
    old = truth_cells(path)[cell_id]
    assert old is not None
    assert_change_is_caught(path, cell_id, int(old) + 1)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_new_value_is_an_arithmetic_error(data: st.DataObject) -> None:
    path, cell_id = data.draw(st.sampled_from(all_cells(("table3", "table4"))))
    old = int(truth_cells(path)[cell_id] or 0)
    new = data.draw(st.integers(min_value=0, max_value=9999).filter(lambda v: v != old))
    assert_change_is_caught(path, cell_id, new)


# ------------------------------------------------------------------------------ deleted rows


def rows_of(table: str) -> list[tuple[Path, str]]:
    return [(path, row) for path in SEEDS for row in truth_of(path)[table]]


def delete_row(path: Path, table: str, row: str) -> list[str]:
    """The seed without the lines from a row's label to its last value."""
    lines, report = original(path)
    label = report.row_labels[f"{table}.{row}"]
    cells = [cell for cell_id, cell in report.iter_cells() if cell_id.startswith(f"{table}.{row}.")]
    last = max(cell.location.line for cell in cells if cell.location and cell.location.line)
    assert label.line is not None
    return lines[: label.line - 1] + lines[last:]


@pytest.mark.parametrize(("path", "row"), rows_of("table3") + rows_of("table2"), ids=_id)
def test_deleted_row_is_null_and_nothing_shifts(path: Path, row: str) -> None:
    table = "table3" if row in truth_of(path)["table3"] else "table2"
    mutated = reparse(path, delete_row(path, table, row))
    expected = truth_cells(path)
    got = contract_cells(mutated)
    for cell_id, value in expected.items():
        if cell_id.startswith(f"{table}.{row}."):
            assert got[cell_id] is None, cell_id
            assert mutated.cell(cell_id).status == "missing", cell_id  # type: ignore[union-attr]
        else:
            assert got[cell_id] == value, cell_id
    struct = [
        f for f in run_rules(mutated) if f.code == "STRUCT" and any(c.startswith(f"{table}.{row}.") for c in f.cells)
    ]
    assert struct, "the missing row is reported"


def test_deleted_table4_data_row_is_null(seed: Path) -> None:
    lines, report = original(seed)
    cells = [cell for cell_id, cell in report.iter_cells() if cell_id.startswith("table4.")]
    first = min(cell.location.line for cell in cells if cell.location) - 1  # type: ignore[union-attr]
    last = max(cell.location.line for cell in cells if cell.location) - 1  # type: ignore[union-attr]
    mutated = reparse(seed, lines[:first] + lines[last + 1 :])
    assert all(cell.value is None for cell_id, cell in mutated.iter_cells() if cell_id.startswith("table4."))
    others = {k: v for k, v in truth_cells(seed).items() if not k.startswith("table4.")}
    assert {k: v for k, v in contract_cells(mutated).items() if not k.startswith("table4.")} == others


# ------------------------------------------------------------------------------ blanks


def zero_cells() -> list[tuple[Path, str]]:
    return [(path, cell_id) for path in SEEDS for cell_id, value in truth_cells(path).items() if value == 0]


# Seeds whose layout keeps a blank cell's position (a tab line or a tab-separated cell).  In the
# paragraph-cells layout (001) a blank cell and the empty paragraph after a table look the same,
# so a blank at the edge of a row may be reported as unreadable instead.
POSITION_KEEPING = {"000", "002", "003", "004"}


@pytest.mark.parametrize(("path", "cell_id"), zero_cells(), ids=_id)
def test_zero_turned_blank_is_never_read_as_zero(path: Path, cell_id: str) -> None:
    lines, report = original(path)
    mutated = reparse(path, replace_cell(lines, report, cell_id, ""))
    cell = mutated.cell(cell_id)
    assert cell is not None and cell.value is None
    findings = run_rules(mutated)
    if cell.status == "blank":
        assert any(f.code == "BLANK" and cell_id in f.cells for f in findings)
    else:
        assert path.stem[:3] not in POSITION_KEEPING, f"{cell_id} should have been read as blank"
        assert cell.status == "unreadable"
        assert any(f.code == "UNREADABLE" and cell_id in f.cells for f in findings)
    # no other cell takes a different number: unchanged, or null where its row became unreadable
    expected = truth_cells(path)
    for other_id, value in contract_cells(mutated).items():
        if other_id != cell_id:
            assert value in (expected[other_id], None), other_id
            if value is None and expected[other_id] is not None:
                assert mutated.cell(other_id).status == "unreadable"  # type: ignore[union-attr]


def test_most_blanks_are_read_as_blanks() -> None:
    """Even in the paragraph-cells layout, a blank inside a row is read as blank."""
    blank = total = 0
    for path, cell_id in zero_cells():
        lines, report = original(path)
        mutated = reparse(path, replace_cell(lines, report, cell_id, ""))
        total += 1
        blank += mutated.cell(cell_id).status == "blank"  # type: ignore[union-attr]
    assert blank / total > 0.95
