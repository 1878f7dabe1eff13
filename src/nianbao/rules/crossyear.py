"""Checks against the same agency's report for the previous year (``check --previous``).

X-VALID and T2-REPEAL are two rules because they say different things: X-VALID compares this
year's 现行有效 with last year's carried forward (修订、清理 or a change of scope break that
legitimately), T2-REPEAL finds a report repealing more documents than it can have had in force,
which no such change explains.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..formats.labels import format_number
from ..model import CellValue
from .common import show
from .registry import Context, RuleOutput, Verdict, rule

_T2_ROWS = (("regulations", "规章"), ("normative_documents", "行政规范性文件"))


NO_PREVIOUS = "没有同一机关上一年度的报告（nianbao check --previous，或报告库中的上一年度报告）"


def without_last_year(ctx: Context) -> str | None:
    """Why the cross-year checks cannot be made (no previous report, or not the year before);
    None when they can."""
    report, previous = ctx.report, ctx.previous
    if previous is None:
        return NO_PREVIOUS
    if report.year is not None and previous.year is not None and previous.year != report.year - 1:
        return f"对照的上年报告是{previous.year}年度，不是{report.year - 1}年度"
    return None


@rule(
    "X-CARRY",
    "warning",
    "crossyear",
    "上年结转＝上年报告的结转下年度",
    "逐个申请人列（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他）比对：本年“二、上年结转”等于上一年度报告的"
    "“四、结转下年度继续办理”；各申请人列一致而总计列不一致时也列出总计列。机构调整或更正可能造成合理差异，故为警告。",
    "表三结构：结转下年度的申请在次年作为上年结转办理",
)
def carry_over(ctx: Context) -> Iterator[RuleOutput]:
    report, previous = ctx.report, ctx.previous
    title = "表三“二、上年结转”＝上年报告“四、结转下年度继续办理”"
    if previous is None:
        yield ctx.not_checkable(title, NO_PREVIOUS)
        return
    if (absent := ctx.without_table("table3", title)) is not None:
        yield absent
        return
    if not previous.table3 or all(
        cell.status == "missing" for cols in previous.table3.values() for cell in cols.values()
    ):
        yield ctx.not_checkable(title, "上年报告没有表三")
        return
    if report.year is not None and previous.year is not None and previous.year != report.year - 1:
        yield ctx.finding(
            f"对照的上年报告是{previous.year}年度，不是{report.year - 1}年度", severity="info", subject=title
        )
        return
    if report.agency and previous.agency and report.agency != previous.agency:
        yield ctx.finding(
            f"对照的上年报告机关为“{previous.agency}”，与本报告“{report.agency}”不同", severity="info", subject=title
        )
    assert report.table3 is not None
    spec = ctx.spec.table3
    carried_in = report.table3.get(spec.carried_over_in, {})
    carried_out = previous.table3.get(spec.carried_over_out, {})
    differs = False
    for col in (*spec.applicant_columns, spec.column(spec.total_column)):
        subject = f"表三{col.name}列：本年“二、上年结转”＝上年“四、结转下年度继续办理”"
        cell_id = f"table3.{spec.carried_over_in}.{col.key}"
        if col.key == spec.total_column and differs:
            # the total differs because an applicant column does
            yield ctx.not_checkable(subject, "申请人列已不一致，总计列不再单列", [cell_id])
            break
        now, before = carried_in.get(col.key), carried_out.get(col.key)
        if (reason := ctx.unknown([cell_id])) is not None:
            yield ctx.not_checkable(subject, reason, [cell_id])
        elif before is None or before.number is None:
            yield ctx.not_checkable(subject, "上年报告“四、结转下年度继续办理”的该列未读取到数值", [cell_id])
        elif now is not None and now.number != before.number:
            differs = True
            yield ctx.finding(
                f"{col.name}列：本年“二、上年结转”为{show(now)}，上年报告“四、结转下年度继续办理”为{show(before)}",
                [cell_id],
                subject=subject,
            )
        else:
            yield ctx.passed(subject, [cell_id])


def _table2_rows(ctx: Context, what: str) -> Iterator[Verdict | tuple[str, str, list[CellValue], list[float]]]:
    """For each row, (row, name, cells, their numbers) for [this 现行有效, last 现行有效, 本年制发,
    本年废止] where all four are numbers, else the verdict saying why it cannot be checked (the
    subject is the row's name and ``what``); only the 2021 format has these columns."""
    report, previous = ctx.report, ctx.previous
    reason = without_last_year(ctx)
    if reason is None and (
        report.format_version != "gov2021" or previous is None or previous.format_version != "gov2021"
    ):
        yield ctx.not_applicable(f"表二规章、行政规范性文件{what}", "仅2021年格式的表二有现行有效件数")
        return
    for row, name in _T2_ROWS:
        subject = f"表二“{name}”{what}"
        ids = [f"table2.{row}.in_force", f"table2.{row}.issued", f"table2.{row}.repealed"]
        if reason is not None:
            yield ctx.not_checkable(subject, reason)
            continue
        assert previous is not None
        if (unknown := ctx.unknown(ids)) is not None:
            yield ctx.not_checkable(subject, unknown, ids)
            continue
        last = previous.table2.get(row, {}).get("in_force") if previous.table2 else None
        if last is None or last.number is None:
            yield ctx.not_checkable(subject, "上年报告的现行有效件数未读取到数值", ids)
            continue
        now = report.table2.get(row, {}) if report.table2 else {}
        cells = [now["in_force"], last, now["issued"], now["repealed"]]
        yield row, name, cells, [float(cell.number) for cell in cells if cell.number is not None]


@rule(
    "X-VALID",
    "warning",
    "crossyear",
    "现行有效件数的年度衔接",
    "规章、行政规范性文件两行：本年现行有效件数应等于上年报告的现行有效件数＋本年制发件数－本年废止件数（2021年格式）。"
    "修订、清理和统计口径变化也会打破这一关系，故为警告。",
    "表二第二十条第（一）项各列含义",
)
def in_force_continuity(ctx: Context) -> Iterator[RuleOutput]:
    what = "：现行有效＝上年现行有效＋本年制发－本年废止"
    for checked in _table2_rows(ctx, what):
        if isinstance(checked, Verdict):
            yield checked
            continue
        row, name, (in_force, last, issued, repealed), (now, before, made, dropped) = checked
        ids = [f"table2.{row}.in_force", f"table2.{row}.issued", f"table2.{row}.repealed"]
        if now != before + made - dropped:
            yield ctx.finding(
                f"{name}：现行有效{show(in_force)} ≠ 上年现行有效{show(last)}＋本年制发{show(issued)}－本年废止{show(repealed)}"
                f"（＝{format_number(before + made - dropped)}）",
                ids,
                subject=f"表二“{name}”{what}",
            )
        else:
            yield ctx.passed(f"表二“{name}”{what}", ids)


@rule(
    "T2-REPEAL",
    "warning",
    "crossyear",
    "本年废止件数不超过可废止的件数",
    "规章、行政规范性文件两行：本年废止件数不能超过上年报告的现行有效件数＋本年制发件数（2021年格式）——"
    "不能废止本来没有的文件。",
    "表二第二十条第（一）项各列含义",
)
def repeal_bound(ctx: Context) -> Iterator[RuleOutput]:
    what = "：本年废止不多于上年现行有效＋本年制发"
    for checked in _table2_rows(ctx, what):
        if isinstance(checked, Verdict):
            yield checked
            continue
        row, name, (_in_force, last, issued, repealed), (_now, before, made, dropped) = checked
        if dropped > before + made:
            yield ctx.finding(
                f"{name}：本年废止{show(repealed)}件，多于上年现行有效{show(last)}件与本年制发{show(issued)}件之和",
                [f"table2.{row}.repealed"],
                subject=f"表二“{name}”{what}",
            )
        else:
            yield ctx.passed(f"表二“{name}”{what}", [f"table2.{row}.repealed"])
