"""Checks against the same agency's report for the previous year (``check --previous``).

X-VALID and T2-REPEAL are two rules because they say different things: X-VALID compares this
year's 现行有效 with last year's carried forward (修订、清理 or a change of scope break that
legitimately), T2-REPEAL finds a report repealing more documents than it can have had in force,
which no such change explains.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..formats.labels import format_number
from ..model import CellValue, Finding, Report
from .common import show
from .registry import Context, rule

_T2_ROWS = (("regulations", "规章"), ("normative_documents", "行政规范性文件"))


def _last_year(ctx: Context) -> Report | None:
    """The previous report when it is the year before; None (and nothing said) otherwise."""
    report, previous = ctx.report, ctx.previous
    if previous is None:
        return None
    if report.year is not None and previous.year is not None and previous.year != report.year - 1:
        return None
    return previous


@rule(
    "X-CARRY",
    "warning",
    "crossyear",
    "上年结转＝上年报告的结转下年度",
    "逐个申请人列（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他）比对：本年“二、上年结转”等于上一年度报告的"
    "“四、结转下年度继续办理”；各申请人列一致而总计列不一致时也列出总计列。机构调整或更正可能造成合理差异，故为警告。",
    "表三结构：结转下年度的申请在次年作为上年结转办理",
)
def carry_over(ctx: Context) -> Iterator[Finding]:
    report, previous = ctx.report, ctx.previous
    if previous is None or not report.table3 or not previous.table3:
        return
    if report.year is not None and previous.year is not None and previous.year != report.year - 1:
        yield ctx.finding(f"对照的上年报告是{previous.year}年度，不是{report.year - 1}年度", severity="info")
        return
    if report.agency and previous.agency and report.agency != previous.agency:
        yield ctx.finding(f"对照的上年报告机关为“{previous.agency}”，与本报告“{report.agency}”不同", severity="info")
    spec = ctx.spec.table3
    carried_in = report.table3.get(spec.carried_over_in, {})
    carried_out = previous.table3.get(spec.carried_over_out, {})
    differs = False
    for col in (*spec.applicant_columns, spec.column(spec.total_column)):
        if col.key == spec.total_column and differs:
            break  # the total differs because an applicant column does
        now, before = carried_in.get(col.key), carried_out.get(col.key)
        if now is None or before is None or now.number is None or before.number is None:
            continue
        if now.number != before.number:
            differs = True
            yield ctx.finding(
                f"{col.name}列：本年“二、上年结转”为{show(now)}，上年报告“四、结转下年度继续办理”为{show(before)}",
                [f"table3.{spec.carried_over_in}.{col.key}"],
            )


def _table2_rows(ctx: Context) -> Iterator[tuple[str, str, list[CellValue], list[float]]]:
    """(row, name, cells, their numbers) for [this 现行有效, last 现行有效, 本年制发, 本年废止] where
    all four are numbers; only the 2021 format has these columns."""
    report, previous = ctx.report, _last_year(ctx)
    if previous is None or not report.table2 or not previous.table2:
        return
    if report.format_version != "gov2021" or previous.format_version != "gov2021":
        return
    for row, name in _T2_ROWS:
        now, before = report.table2.get(row, {}), previous.table2.get(row, {})
        cells = [now.get("in_force"), before.get("in_force"), now.get("issued"), now.get("repealed")]
        known = [cell for cell in cells if cell is not None and cell.number is not None]
        if len(known) == len(cells):
            yield row, name, known, [float(cell.number) for cell in known if cell.number is not None]


@rule(
    "X-VALID",
    "warning",
    "crossyear",
    "现行有效件数的年度衔接",
    "规章、行政规范性文件两行：本年现行有效件数应等于上年报告的现行有效件数＋本年制发件数－本年废止件数（2021年格式）。"
    "修订、清理和统计口径变化也会打破这一关系，故为警告。",
    "表二第二十条第（一）项各列含义",
)
def in_force_continuity(ctx: Context) -> Iterator[Finding]:
    for row, name, (in_force, last, issued, repealed), (now, before, made, dropped) in _table2_rows(ctx):
        if now != before + made - dropped:
            yield ctx.finding(
                f"{name}：现行有效{show(in_force)} ≠ 上年现行有效{show(last)}＋本年制发{show(issued)}－本年废止{show(repealed)}"
                f"（＝{format_number(before + made - dropped)}）",
                [f"table2.{row}.in_force", f"table2.{row}.issued", f"table2.{row}.repealed"],
            )


@rule(
    "T2-REPEAL",
    "warning",
    "crossyear",
    "本年废止件数不超过可废止的件数",
    "规章、行政规范性文件两行：本年废止件数不能超过上年报告的现行有效件数＋本年制发件数（2021年格式）——"
    "不能废止本来没有的文件。",
    "表二第二十条第（一）项各列含义",
)
def repeal_bound(ctx: Context) -> Iterator[Finding]:
    for row, name, (_in_force, last, issued, repealed), (_now, before, made, dropped) in _table2_rows(ctx):
        if dropped > before + made:
            yield ctx.finding(
                f"{name}：本年废止{show(repealed)}件，多于上年现行有效{show(last)}件与本年制发{show(issued)}件之和",
                [f"table2.{row}.repealed"],
            )
