"""XLSX: one sheet per table, with the printed table's merged headers and numbers as numbers.

Each sheet starts with the report title and the section heading, then the grid exactly as
printed (the same :class:`~nianbao.render.view.Grid` the DOCX and PDF draw): merged cells are
merged ranges, values are numbers, blank cells are empty (never 0).  The last sheet ends with the
signature (agency and date) as the printed report does, so the workbook read back carries its
date too.  Sheets print on A4 with the table fitted to the page width.
"""

from __future__ import annotations

import io

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from ..errors import RenderError
from .view import Grid, ReportView

FONT = "仿宋_GB2312"
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_CELL_FONT = Font(name=FONT, size=10.5)
# column widths (characters) per table: label columns wide, value columns narrow
_WIDTHS = {
    "table2": [22] + [8] * 6,
    "table3": [6, 8, 34] + [9] * 7,
    "table4": [7] * 15,
}
FIRST_GRID_ROW = 4  # title, section heading, blank line, then the table


def render_xlsx(view: ReportView) -> bytes:
    if not view.tables:
        raise RenderError("这份报告没有统计表（2019年以前的格式），无法生成 Excel 表格")
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = view.title
    workbook.properties.subject = "政府信息公开工作年度报告"
    workbook.properties.creator = view.agency or "nianbao"
    for section in view.sections:
        if section.table is not None:
            _sheet(workbook.create_sheet(section.table.title[:31]), view, section.heading, section.table)
    _signature(workbook.worksheets[-1], [line for line in (view.agency, view.date) if line])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet(sheet: Worksheet, view: ReportView, heading: str, grid: Grid) -> None:
    width = grid.n_cols
    sheet.cell(row=1, column=1, value=view.title).font = Font(name="方正小标宋简体", size=16)
    sheet.cell(row=2, column=1, value=heading).font = Font(name="黑体", size=12)
    for line in (1, 2):
        sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=width)
        sheet.cell(row=line, column=1).alignment = Alignment(horizontal="center" if line == 1 else "left")
    sheet.row_dimensions[1].height = 28
    grid.matrix()  # checks that every row fills the grid
    for r, row in enumerate(grid.rows):
        excel_row = FIRST_GRID_ROW + r
        for c in range(width):
            sheet.cell(row=excel_row, column=c + 1).border = _BORDER  # merged ranges need every border
        col = 0
        for cell in row.cells:
            if not cell.covered:
                target = sheet.cell(row=excel_row, column=col + 1)
                target.value = cell.value if cell.kind == "value" else cell.text
                target.font = _CELL_FONT
                target.alignment = _LEFT if cell.align == "left" else _CENTER
                if cell.rowspan > 1 or cell.colspan > 1:
                    sheet.merge_cells(
                        start_row=excel_row,
                        start_column=col + 1,
                        end_row=excel_row + cell.rowspan - 1,
                        end_column=col + cell.colspan,
                    )
            col += cell.colspan
    for index, chars in enumerate(_WIDTHS.get(grid.key, [10] * width), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = chars
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if width > 10 else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _signature(sheet: Worksheet, lines: list[str]) -> None:
    """The signature under the last table, a blank row apart (so it reads as text, not a row),
    right-aligned across the table's width."""
    width = sheet.max_column
    for offset, line in enumerate(lines):
        row = sheet.max_row + (2 if offset == 0 else 1)
        sheet.cell(row=row, column=1, value=line).font = Font(name=FONT, size=12)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        sheet.cell(row=row, column=1).alignment = Alignment(horizontal="right")
