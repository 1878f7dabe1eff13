"""How well each cell was read: blank cells, cells that could not be read, OCR confidence.

Whether a cell is readable was decided once, by extraction, and recorded on the cell
(``status``, ``reason``, ``threshold``); these rules report that decision and never make it again.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..formats import TABLE_TITLES
from .common import where
from .registry import Context, RuleOutput, rule


@rule(
    "BLANK",
    "info",
    "cells",
    "空白单元格",
    "数值单元格空白或印为“/”“—”“无”：按0参与勾稽计算，并提示核实。",
    "统一格式未规定可留空；实践中常见空白、“/”与0混用",
)
def blank_cells(ctx: Context) -> Iterator[RuleOutput]:
    for table_name, title in TABLE_TITLES.items():
        subject = f"{title}没有空白单元格"
        table = ctx.report.table(table_name)
        if (absent := ctx.without_table(table_name, subject)) is not None:
            yield absent
            continue
        assert table is not None
        blanks = [
            (row, col, cell) for row, cols in table.items() for col, cell in cols.items() if cell.status == "blank"
        ]
        if not blanks:
            yield ctx.passed(subject)
            continue
        names = "、".join(
            where(ctx, table_name, row, col) + (f"（印为“{cell.raw}”）" if cell.raw else "")
            for row, col, cell in blanks[:5]
        )
        more = f"等{len(blanks)}处" if len(blanks) > 5 else ""
        yield ctx.finding(
            f"{title}有{len(blanks)}个空白单元格，按0计：{names}{more}",
            [f"{table_name}.{row}.{col}" for row, col, _cell in blanks],
            subject=subject,
        )


@rule(
    "UNREADABLE",
    "warning",
    "cells",
    "无法可靠读取的单元格",
    "单元格内容不是数字，或一行的数值个数与标准格式不符而无法确定对应关系：该单元格置空，不参与勾稽计算，需人工核对。",
    "宁缺毋错：不确定时不猜测数值",
)
def unreadable_cells(ctx: Context) -> Iterator[RuleOutput]:
    subjects = {table_name: f"{title}各单元格均可读取" for table_name, title in TABLE_TITLES.items()}
    for table_name, subject in subjects.items():
        yield ctx.without_table(table_name, subject) or ctx.passed(subject)  # a finding below makes it failed
    covered: set[str] = set()
    for note in ctx.report.notes:
        if note.kind == "unreadable_row":
            covered.update(note.cells)
            yield ctx.finding(
                note.message, note.cells, locations=note.locations, subject=subjects.get(note.table or "")
            )
    for cell_id, cell in ctx.report.iter_cells():
        if cell.status == "unreadable" and cell_id not in covered and cell.reason != "ocr_low_confidence":  # OCR-CONF
            table_name, row, col = cell_id.split(".")
            yield ctx.finding(
                f"{where(ctx, table_name, row, col)}：{cell.note or '无法识别'}",
                [cell_id],
                subject=subjects[table_name],
            )


@rule(
    "OCR-CONF",
    "warning",
    "cells",
    "扫描件识别置信度低的数值",
    "扫描件经 OCR 识别的数值，识别置信度低于阈值（设置 NIANBAO_OCR_MIN_CONFIDENCE，默认0.8）的不作为数值读取（置空，不参与勾稽计算），列出识别结果，提示对照原件核对。",
    "宁缺毋错：OCR 结果须可复核",
)
def ocr_confidence(ctx: Context) -> Iterator[RuleOutput]:
    for table_name, title in TABLE_TITLES.items():
        subject = f"{title}识别结果置信度均达到阈值"
        table = ctx.report.table(table_name)
        if (absent := ctx.without_table(table_name, subject)) is not None:
            yield absent
            continue
        assert table is not None
        if not any(cell.confidence is not None for cols in table.values() for cell in cols.values()):
            yield ctx.not_applicable(subject, f"{title}不是经 OCR 识别的扫描件")
            continue
        doubtful = [
            (row, col, cell)
            for row, cols in table.items()
            for col, cell in cols.items()
            if cell.reason == "ocr_low_confidence" and cell.raw
        ]
        if not doubtful:
            yield ctx.passed(subject)
        else:
            names = "、".join(
                f"{where(ctx, table_name, row, col)}（识别为“{cell.raw}”"
                + (f"，置信度{cell.confidence:.2f}" if cell.confidence is not None else "")
                + "）"
                for row, col, cell in doubtful[:5]
            )
            more = f"等{len(doubtful)}处" if len(doubtful) > 5 else ""
            yield ctx.finding(
                f"{title}有{len(doubtful)}个数值识别置信度低，暂不采用，请对照原件核对：{names}{more}",
                [f"{table_name}.{row}.{col}" for row, col, _cell in doubtful],
                subject=subject,
            )
