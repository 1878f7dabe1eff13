"""Table arithmetic (勾稽关系) and the cell-level rules: blank, unreadable, negative values.

A blank cell counts as 0 (with a BLANK finding); an unreadable or missing cell makes every
equation it takes part in uncheckable, so those equations are reported as not checkable (naming
the cells) rather than guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from ..formats.labels import format_number
from ..formats.spec import adds_up, balances
from ..model import CellValue
from .common import row_name, show, where
from .registry import Context, RuleOutput, rule


def _num(cell: CellValue | None) -> float:
    assert cell is not None and cell.number is not None
    return float(cell.number)


def _nums(cells: Iterable[CellValue | None]) -> list[float]:
    return [_num(cell) for cell in cells]


def _sum_shown(cells: Iterable[CellValue | None]) -> str:
    """A computed sum as a message prints it: added in decimals, so 0.1 + 0.2 shows 0.3."""
    return format_number(sum((Decimal(repr(_num(cell))) for cell in cells), Decimal(0)))


@rule(
    "T3-ID",
    "error",
    "arithmetic",
    "表三勾稽关系：一＋二＝三（七）＋四",
    "每一申请人列：本年新收＋上年结转＝本年度办理结果总计＋结转下年度继续办理。",
    "表三左上角印明的勾稽关系（国办公开办函〔2021〕30号附件；2019年试行格式同）",
)
def t3_identity(ctx: Context) -> Iterator[RuleOutput]:
    table = ctx.report.table3
    if (absent := ctx.without_table("table3", "表三勾稽关系")) is not None:
        yield absent
        return
    assert table is not None
    spec = ctx.spec.table3
    left, right = spec.balance
    for col in spec.columns:
        subject = f"表三{col.name}列：一＋二＝三（七）＋四"
        ids = [f"table3.{key}.{col.key}" for key in (*left, *right)]
        cells = [table.get(key, {}).get(col.key) for key in (*left, *right)]
        if (reason := ctx.unknown(ids)) is not None:
            yield ctx.not_checkable(subject, reason, ids)
            continue
        new, carried_in, total, carried_out = cells
        if not balances(_nums((new, carried_in)), _nums((total, carried_out))):
            yield ctx.finding(
                f"{col.name}列：一({show(new)})+二({show(carried_in)}) ≠ 三（七）({show(total)})+四({show(carried_out)})",
                ids,
                subject=subject,
            )
        else:
            yield ctx.passed(subject, ids)


@rule(
    "T3-SUM",
    "error",
    "arithmetic",
    "表三（七）总计＝各项办理结果之和",
    "每一列：三（七）总计等于（一）至（六）各项办理结果之和（2021年格式21行，试行格式19行）。",
    "每件申请只计一种办理结果；部分公开“只计这一情形，不计其他情形”（表三行标题）",
)
def t3_results_sum(ctx: Context) -> Iterator[RuleOutput]:
    table = ctx.report.table3
    if (absent := ctx.without_table("table3", "表三（七）总计＝各项办理结果之和")) is not None:
        yield absent
        return
    assert table is not None
    spec = ctx.spec.table3
    rows = [row for row in spec.summed_rows(table) if row in table]
    for col in spec.columns:
        subject = f"表三{col.name}列：三（七）总计＝（一）至（六）各项之和"
        ids = [f"table3.{spec.results_total}.{col.key}"] + [f"table3.{row}.{col.key}" for row in rows]
        total = table.get(spec.results_total, {}).get(col.key)
        parts = [table[row].get(col.key) for row in rows]
        if (reason := ctx.unknown(ids)) is not None:
            yield ctx.not_checkable(subject, reason, ids)
            continue
        if adds_up(_num(total), _nums(parts)):
            yield ctx.passed(subject, ids)
        else:
            contributors = "+".join(
                f"{row_name(ctx, row)}{show(cell)}" for row, cell in zip(rows, parts, strict=True) if _num(cell)
            )
            yield ctx.finding(
                f"{col.name}列：三（七）总计({show(total)}) ≠ 各项办理结果之和({_sum_shown(parts)})"
                + (f"，即{contributors}" if contributors else ""),
                [f"table3.{spec.results_total}.{col.key}"]
                + [f"table3.{row}.{col.key}" for row, cell in zip(rows, parts, strict=True) if _num(cell)],
                subject=subject,
            )


@rule(
    "T3-COL",
    "error",
    "arithmetic",
    "表三每行：总计＝各类申请人之和",
    "每一行：总计列等于自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他六列之和。",
    "表三表头结构（总计列为各申请人列之和）",
)
def t3_columns_sum(ctx: Context) -> Iterator[RuleOutput]:
    table = ctx.report.table3
    if (absent := ctx.without_table("table3", "表三每行：总计＝各类申请人之和")) is not None:
        yield absent
        return
    assert table is not None
    spec = ctx.spec.table3
    applicants = spec.applicant_columns
    for row_key, cols in table.items():
        subject = f"表三“{row_name(ctx, row_key)}”行：总计＝各类申请人之和"
        ids = [f"table3.{row_key}.{spec.total_column}"] + [f"table3.{row_key}.{col.key}" for col in applicants]
        total = cols.get(spec.total_column)
        parts = [cols.get(col.key) for col in applicants]
        if (reason := ctx.unknown(ids)) is not None:
            yield ctx.not_checkable(subject, reason, ids)
        elif adds_up(_num(total), _nums(parts)):
            yield ctx.passed(subject, ids)
        else:
            terms = "+".join(f"{col.name}{show(cell)}" for col, cell in zip(applicants, parts, strict=True))
            yield ctx.finding(
                f"“{row_name(ctx, row_key)}”行：总计({show(total)}) ≠ {terms} = {_sum_shown(parts)}",
                ids,
                subject=subject,
            )


@rule(
    "T4-SUM",
    "error",
    "arithmetic",
    "表四各组：总计＝维持＋纠正＋其他＋尚未审结",
    "行政复议、未经复议直接起诉、复议后起诉三组，每组总计等于结果维持、结果纠正、其他结果、尚未审结之和。",
    "表四表头结构（每组五列，末列为总计）",
)
def t4_sum(ctx: Context) -> Iterator[RuleOutput]:
    table = ctx.report.table4
    if (absent := ctx.without_table("table4", "表四各组：总计＝维持＋纠正＋其他＋尚未审结")) is not None:
        yield absent
        return
    assert table is not None
    spec = ctx.spec.table4
    parts_cols = spec.part_columns
    for group in spec.groups:
        subject = f"表四{group.name}：总计＝结果维持＋结果纠正＋其他结果＋尚未审结"
        ids = [f"table4.{group.key}.{spec.total_column}"] + [f"table4.{group.key}.{col.key}" for col in parts_cols]
        cols = table.get(group.key, {})
        total = cols.get(spec.total_column)
        parts = [cols.get(col.key) for col in parts_cols]
        if (reason := ctx.unknown(ids)) is not None:
            yield ctx.not_checkable(subject, reason, ids)
        elif adds_up(_num(total), _nums(parts)):
            yield ctx.passed(subject, ids)
        else:
            terms = "+".join(f"{col.name}{show(cell)}" for col, cell in zip(parts_cols, parts, strict=True))
            yield ctx.finding(
                f"{group.name}：总计({show(total)}) ≠ {terms} = {_sum_shown(parts)}", ids, subject=subject
            )


@rule(
    "GLUED",
    "info",
    "arithmetic",
    "连写数字的拆法由勾稽关系或正文选定",
    "数字连写（如网页被压成一行）而只有借助表格自身的勾稽关系才能唯一拆分的行：列出这些行。"
    "表二本身没有勾稽关系：正文写明同一格的数字（如“制发行政规范性文件62件”）时，只保留与之相符的拆法，"
    "各拆法一致的格按此读取并在此列出（正文对同一格说法不一、或没有相符的拆法时不采用）；"
    "规章、行政规范性文件行有同一机关上一年度报告时，若只有一种拆法符合"
    "“上年现行有效＋本年制发－本年废止＝本年现行有效”，按该拆法读取并在此列出（多种或没有相符的拆法时仍无法读取）。"
    "这些行的勾稽、与正文（或年度衔接）的核查必然通过，不能说明原表数字一致，需对照原件核对。",
    "宁缺毋错：拆分依据须可复核",
)
def glued_cut_by_arithmetic(ctx: Context) -> Iterator[RuleOutput]:
    subject = "连写数字的拆法不依赖勾稽关系"
    glued = [note for note in ctx.report.notes if note.kind == "glued_split"]
    if not glued:
        yield ctx.not_applicable(subject, "表格数字没有连写")
    for note in glued:
        if note.cells:  # no cells: every row had only one cut
            yield ctx.finding(note.message, note.cells, locations=note.locations, subject=subject)
        else:
            yield ctx.passed(subject)


def _negative_or_fractional(
    ctx: Context,
    table_name: str,
    subject: str,
    signed_columns: frozenset[str] = frozenset(),
    decimal_columns: frozenset[str] = frozenset(),
) -> Iterator[RuleOutput]:
    table = ctx.report.table(table_name)
    if (absent := ctx.without_table(table_name, subject)) is not None:
        yield absent
        return
    assert table is not None
    yield ctx.passed(subject)  # the values read; a finding below makes it failed
    for row, cols in table.items():
        for col, cell in cols.items():
            if cell.status != "value" or cell.value is None:
                continue
            cell_name = f"{table_name}.{row}.{col}"
            if cell.value < 0 and col not in signed_columns:
                yield ctx.finding(
                    f"{where(ctx, table_name, row, col)}为负数({show(cell)})", [cell_name], subject=subject
                )
            elif not float(cell.value).is_integer() and col not in decimal_columns:
                yield ctx.finding(
                    f"{where(ctx, table_name, row, col)}应为整数件数，却是{show(cell)}", [cell_name], subject=subject
                )


@rule(
    "T3-NONNEG",
    "error",
    "arithmetic",
    "表三、表四数值为非负整数",
    "申请件数和案件数只能是0或正整数。",
    "表三、表四统计的是件数",
)
def t3_nonneg(ctx: Context) -> Iterator[RuleOutput]:
    yield from _negative_or_fractional(ctx, "table3", "表三数值为非负整数")
    yield from _negative_or_fractional(ctx, "table4", "表四数值为非负整数")


@rule(
    "T2-NONNEG",
    "error",
    "arithmetic",
    "表二数值不为负",
    "表二的件数和处理决定数量不能为负；收费金额（万元）可为小数；试行格式的“本年增/减”可带符号。",
    "表二各列含义",
)
def t2_nonneg(ctx: Context) -> Iterator[RuleOutput]:
    yield from _negative_or_fractional(
        ctx,
        "table2",
        "表二数值不为负",
        signed_columns=frozenset(ctx.spec.table2.signed_columns),
        decimal_columns=frozenset({"amount", "change"}),
    )
