"""Excel workbooks: nianbao's own output and a sheet an agency typed the three tables into."""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

import openpyxl
import pytest

from helpers import SEEDS, truth_of
from nianbao import parse_bytes
from nianbao.errors import InputError
from nianbao.model import Report
from nianbao.readers import read_bytes
from nianbao.render import render_bytes

HEADINGS = ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况")


def own_workbook(seed: int = 0) -> bytes:
    return render_bytes(Report.from_contract(truth_of(SEEDS[seed])), "xlsx")


def typed_workbook(seed: int = 0, *, formula_for: str | None = None) -> bytes:
    """The three tables typed into one sheet as an agency would: no borders, no merged cells,
    a heading line before each table and a blank line after it (and, when asked, one number
    replaced by a formula that was never calculated)."""
    source = openpyxl.load_workbook(io.BytesIO(own_workbook(seed)))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([source.worksheets[0].cell(1, 1).value])
    for heading, table in zip(HEADINGS, source.worksheets, strict=True):
        sheet.append([heading])
        for row in table.iter_rows(min_row=4, values_only=True):
            values: list[Any] = list(row)
            if formula_for is not None and formula_for in values:
                values[-1] = "=SUM(B1:B2)"
                formula_for = None
            sheet.append(values)
        sheet.append([])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize("seed", range(len(SEEDS)))
def test_own_output_and_a_typed_workbook_read_back_as_the_report(seed: int) -> None:
    truth = truth_of(SEEDS[seed])
    for data in (own_workbook(seed), typed_workbook(seed)):
        back = parse_bytes(data, "report.xlsx").to_contract(provenance=False)
        assert (back["agency"], back["year"]) == (truth["agency"], truth["year"])
        for name in ("table2", "table3", "table4"):
            assert back[name] == truth[name], name


def test_a_formula_never_calculated_is_unreadable_not_blank() -> None:
    data = typed_workbook(formula_for="（七）总计")
    report = parse_bytes(data, "formula.xlsx")
    assert report.to_contract(provenance=False)["table3"]["results_total"]["total"] is None  # not 0
    assert report.table3 is not None
    cell = report.table3["results_total"]["total"]
    assert cell.status == "unreadable" and cell.raw == "=SUM(B1:B2)"


def test_the_kind_is_xlsx_and_damage_is_one_sentence() -> None:
    assert read_bytes(own_workbook(), "a.xlsx").kind == "xlsx"
    data = own_workbook()
    with pytest.raises(InputError, match="Excel（XLSX）文件已损坏"):
        read_bytes(data[: len(data) // 2], "cut.xlsx")


def _with_merge(ref: str) -> bytes:
    """A small workbook whose sheet XML merges ``ref`` (written directly: openpyxl would fill it)."""
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "政府信息公开工作年度报告"
    workbook.active["XFD1048576"] = "末格"  # the used range is the whole sheet
    out = io.BytesIO()
    workbook.save(out)
    patched = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as source, zipfile.ZipFile(patched, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                merge = f'</sheetData><mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'.encode()
                content = content.replace(b"</sheetData>", merge)
            target.writestr(name, content)
    return patched.getvalue()


def test_a_sheet_spanning_everything_is_read_or_refused_at_once() -> None:
    start = time.process_time()
    document = read_bytes(_with_merge("B2:C3"), "wide.xlsx")  # only stored cells are visited
    assert [block.text for block in document.paragraphs()] == ["政府信息公开工作年度报告", "末格"]
    with pytest.raises(InputError, match=r"合并单元格范围过大（17,179,869,184 格"):
        read_bytes(_with_merge("A1:XFD1048576"), "merged.xlsx")  # openpyxl would make every cell
    assert time.process_time() - start < 5
