"""The dataset writers: CSV with a BOM and a header, one JSON object per line, XLSX with numbers
as numbers; blank and unreadable cells have no value and say so; the file appears whole."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from nianbao.stats.dataset import COLUMNS, dataset_format, write_dataset, write_xlsx
from nianbao.stats.rows import CellRow


def cell(table: str, row: str, col: str, value: float | None, status: str = "value", **kw: object) -> CellRow:
    fields: dict[str, object] = {
        "report": 7,
        "agency": "甲县商务局",
        "region_code": "110101",
        "region_name": "甲县",
        "level": "县级部门",
        "year": 2023,
        "table": table,
        "row": row,
        "col": col,
        "value": value,
        "status": status,
        "raw": None if value is None else str(value),
        "agency_type": "部门",
        "format_version": "gov2021",
    }
    fields.update(kw)
    return CellRow(**fields)  # type: ignore[arg-type]


ROWS = [
    cell("table3", "granted", "natural_person", 12),
    cell("table2", "fees", "amount", 0.35),
    cell("table3", "granted", "commercial", None, "blank", raw="/"),
    cell("table3", "granted", "research", None, "unreadable", raw="=一二"),
    cell("table3", "other", "total", 3, format_version="trial2019", year=2019, report=8),
]


def test_csv_has_a_bom_a_header_and_empty_values_for_cells_without_one(tmp_path: Path) -> None:
    out = tmp_path / "d.csv"
    assert write_dataset(ROWS, out) == 5
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    assert rows[0]["variable"] == "t3_granted_natural_person" and rows[0]["value"] == "12"
    assert rows[0]["label"] == "表三 （一）予以公开 · 自然人" and rows[0]["agency"] == "甲县商务局"
    assert rows[1]["variable"] == "t2_2021_fees_amount" and rows[1]["value"] == "0.35"
    assert (rows[2]["value"], rows[2]["status"], rows[2]["raw"]) == ("", "blank", "/")
    assert (rows[3]["value"], rows[3]["status"]) == ("", "unreadable")
    assert rows[4]["variable"] == "t3_other_total" and rows[4]["format_version"] == "trial2019"


def test_jsonl_is_one_object_per_line(tmp_path: Path) -> None:
    out = tmp_path / "d.jsonl"
    write_dataset(ROWS, out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5
    objects = [json.loads(line) for line in lines]
    assert list(objects[0]) == list(COLUMNS)
    assert objects[0]["value"] == 12 and objects[1]["value"] == 0.35 and objects[2]["value"] is None
    assert objects[2]["status"] == "blank" and objects[4]["year"] == 2019


def test_xlsx_keeps_numbers_as_numbers_and_text_as_text(tmp_path: Path) -> None:
    out = tmp_path / "d.xlsx"
    write_dataset(ROWS, out)
    sheet = load_workbook(out, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == COLUMNS and len(rows) == 6
    value = COLUMNS.index("value")
    assert rows[1][value] == 12 and isinstance(rows[1][value], int)
    assert rows[2][value] == 0.35
    assert rows[3][value] is None and rows[3][COLUMNS.index("status")] == "blank"
    # a raw text that starts with "=" is text, not a formula
    raw = next(iter(sheet.iter_rows(min_row=5, max_row=5)))[COLUMNS.index("raw")]
    assert (raw.value, raw.data_type) == ("=一二", "s")


def test_xlsx_continues_on_a_new_sheet_when_one_is_full() -> None:
    out = io.BytesIO()
    records = [(n, *[""] * (len(COLUMNS) - 1)) for n in range(5)]
    assert write_xlsx(records, out, max_rows=3) == 5
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == ["数据1", "数据2", "数据3"]
    counts = [[row[0] for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets]
    assert counts == [["report_id", 0, 1], ["report_id", 2, 3], ["report_id", 4]]


def test_an_empty_dataset_is_a_header(tmp_path: Path) -> None:
    write_dataset([], tmp_path / "d.xlsx")
    rows = list(load_workbook(tmp_path / "d.xlsx", read_only=True).worksheets[0].iter_rows(values_only=True))
    assert rows == [COLUMNS]
    write_dataset([], tmp_path / "d.csv")
    assert (tmp_path / "d.csv").read_bytes() == "\ufeff".encode() + ",".join(COLUMNS).encode() + b"\r\n"


def test_a_failure_midway_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    out = tmp_path / "d.csv"
    out.write_bytes(b"old")

    def failing() -> Iterator[CellRow]:
        yield ROWS[0]
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        write_dataset(failing(), out)
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["d.csv"]


def test_the_format_comes_from_the_suffix() -> None:
    assert [dataset_format(name) for name in ("a.csv", "B.XLSX", "c.jsonl", "d.json", "e")] == [
        "csv",
        "xlsx",
        "jsonl",
        None,
        None,
    ]
    with pytest.raises(ValueError):
        write_dataset(ROWS, "dataset.json")
