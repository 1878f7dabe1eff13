"""The research dataset: every stored cell as one row, in CSV, JSONL or XLSX (docs/dataset.md).

A row is one cell of one report with its agency, region, level, year and format, and the
crosswalk variable (:mod:`nianbao.formats.crosswalk`) that puts the 2019 and 2021 cells that
mean the same thing under one name.  ``value`` is the number as read; a blank, unreadable or
missing cell has no value and says which in ``status`` — it is never written as 0.

The rows are streamed: a store of 10,000 reports has about two million cells, and neither the
CSV/JSONL writers nor openpyxl's write-only workbook hold more than one row at a time.  The file
appears in one step when it is complete (:func:`nianbao.files.atomic_writer`).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from ..files import atomic_writer
from ..formats.crosswalk import variable_for
from .rows import CellRow

FORMATS = ("csv", "jsonl", "xlsx")
_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".xlsx": "xlsx"}

COLUMNS = (
    "report_id",
    "agency",
    "region_code",
    "region_name",
    "level",
    "agency_type",
    "year",
    "format_version",
    "variable",
    "label",
    "table",
    "row",
    "col",
    "value",
    "status",
    "raw",
)

# One sheet holds 1,048,576 rows; a larger dataset continues on 数据2, 数据3 …
XLSX_MAX_ROWS = 1_048_576

Record = tuple[Any, ...]


def dataset_format(path: str | os.PathLike[str]) -> str | None:
    """csv, jsonl or xlsx by the file name's suffix; None for any other."""
    return _SUFFIXES.get(Path(path).suffix.lower())


def records(rows: Iterable[CellRow]) -> Iterator[Record]:
    """The dataset's rows in :data:`COLUMNS` order."""
    for row in rows:
        variable = variable_for(row.format_version, f"{row.table}.{row.row}.{row.col}")
        yield (
            row.report,
            row.agency,
            row.region_code,
            row.region_name,
            row.level,
            row.agency_type or "",
            row.year,
            row.format_version or "",
            variable.id if variable else "",
            variable.label if variable else "",
            row.table,
            row.row,
            row.col,
            row.value,
            row.status,
            row.raw,
        )


def write_dataset(rows: Iterable[CellRow], path: str | os.PathLike[str], fmt: str | None = None) -> int:
    """Write the dataset to ``path`` (format by suffix unless ``fmt``); the number of rows."""
    fmt = fmt or dataset_format(path)
    writers: dict[str, Callable[[Iterable[Record], IO[bytes]], int]] = {
        "csv": write_csv,
        "jsonl": write_jsonl,
        "xlsx": write_xlsx,
    }
    if fmt not in writers:
        raise ValueError(f"no dataset format for {path}: use one of {', '.join(FORMATS)}")
    with atomic_writer(path) as out:
        return writers[fmt](records(rows), out)


def write_csv(rows: Iterable[Record], out: IO[bytes]) -> int:
    """UTF-8 with a byte order mark, so that Excel reads the Chinese text; empty for no value."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=False)
    writer = csv.writer(text)
    writer.writerow(COLUMNS)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    text.flush()
    text.detach()  # the caller closes the binary file
    return count


def write_jsonl(rows: Iterable[Record], out: IO[bytes]) -> int:
    """One JSON object per line; a cell without a value has ``"value": null``."""
    count = 0
    for row in rows:
        out.write(json.dumps(dict(zip(COLUMNS, row, strict=True)), ensure_ascii=False).encode("utf-8") + b"\n")
        count += 1
    return count


def write_xlsx(rows: Iterable[Record], out: IO[bytes], *, max_rows: int = XLSX_MAX_ROWS) -> int:
    """openpyxl's write-only workbook: numbers stay numbers, no value is an empty cell."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]

    def text(sheet: Any, value: str) -> Any:
        # XML cannot hold control characters, and openpyxl would take "=…" for a formula
        cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
        cell.data_type = "s"
        return cell

    book = Workbook(write_only=True)
    sheet = None
    count = in_sheet = 0
    for row in rows:
        if sheet is None or in_sheet == max_rows - 1:
            sheet = book.create_sheet(f"数据{len(book.worksheets) + 1}")
            sheet.append(COLUMNS)
            in_sheet = 0
        sheet.append([text(sheet, v) if isinstance(v, str) and _needs_care(v) else v for v in row])
        in_sheet += 1
        count += 1
    if sheet is None:
        book.create_sheet("数据1").append(COLUMNS)
    book.save(out)
    return count


# a formula's "=" or a control character: text openpyxl cannot take as it is
_NEEDS_CARE = re.compile(r"\A=|[\x00-\x1f]")


def _needs_care(value: str) -> bool:
    return _NEEDS_CARE.search(value) is not None


__all__ = ["COLUMNS", "FORMATS", "XLSX_MAX_ROWS", "dataset_format", "records", "write_dataset"]
