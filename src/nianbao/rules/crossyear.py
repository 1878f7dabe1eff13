"""Checks against the same agency's report for the previous year (``check --previous``)."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Finding
from .registry import Context, rule


@rule(
    "X-CARRY",
    "warning",
    "crossyear",
    "上年结转＝上年报告的结转下年度",
    "逐列比对：本年“二、上年结转”等于上一年度报告的“四、结转下年度继续办理”。机构调整或更正可能造成合理差异，故为警告。",
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
    for col in spec.columns:
        carried_in = report.table3.get(spec.carried_over_in, {}).get(col.key)
        carried_out = previous.table3.get(spec.carried_over_out, {}).get(col.key)
        if carried_in is None or carried_out is None or carried_in.number is None or carried_out.number is None:
            continue
        if carried_in.number != carried_out.number:
            yield ctx.finding(
                f"{col.name}列：本年“二、上年结转”为{carried_in.number:g}，上年报告“四、结转下年度继续办理”为{carried_out.number:g}",
                [f"table3.{spec.carried_over_in}.{col.key}"],
            )


@rule(
    "X-VALID",
    "info",
    "crossyear",
    "现行有效件数的年度衔接",
    "现行有效件数（本年）约等于现行有效件数（上年）＋本年制发－本年废止；修订、清理和统计口径变化都会打破这一关系，故仅作提示。",
    "表二第二十条第（一）项各列含义",
)
def in_force_continuity(ctx: Context) -> Iterator[Finding]:
    report, previous = ctx.report, ctx.previous
    if previous is None or not report.table2 or not previous.table2 or report.format_version != "gov2021":
        return
    if previous.format_version != "gov2021":
        return
    for row, name in (("regulations", "规章"), ("normative_documents", "行政规范性文件")):
        now = report.table2.get(row, {})
        before = previous.table2.get(row, {})
        cells = [now.get("in_force"), before.get("in_force"), now.get("issued"), now.get("repealed")]
        if any(cell is None or cell.number is None for cell in cells):
            continue
        in_force, last, issued, repealed = (
            float(cell.number) for cell in cells if cell is not None and cell.number is not None
        )
        if in_force != last + issued - repealed:
            yield ctx.finding(
                f"{name}：现行有效{in_force:g} ≠ 上年现行有效{last:g}＋本年制发{issued:g}－本年废止{repealed:g}",
                [f"table2.{row}.in_force"],
            )
