"""The narrative against the tables, the year, the fee statement and the law cited."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ..model import CellValue, Finding, NarrativeFigure
from .registry import Context, rule

# narrative kind → (description, cells whose sum it states)
# narrative kind → (description, cells whose sum it states); several sums when usage varies
_COMPARABLE = {
    "applications_received": (
        "收到申请",
        (("table3.received_new.total",), ("table3.received_new.total", "table3.carried_over_in.total")),
    ),
    "review_cases": ("行政复议案件", (("table4.review.total",),)),
    "litigation_cases": (
        "行政诉讼案件",
        (("table4.litigation_direct.total", "table4.litigation_after_review.total"),),
    ),
    "normative_documents_issued": ("制发行政规范性文件", (("table2.normative_documents.issued",),)),
    "normative_documents_in_force": ("现行有效行政规范性文件", (("table2.normative_documents.in_force",),)),
}


def _table_value(cells: list[CellValue | None]) -> float | None:
    if any(cell is None or cell.number is None for cell in cells):
        return None
    return sum(float(cell.number) for cell in cells if cell is not None and cell.number is not None)


@rule(
    "NARR-TAB",
    "warning",
    "narrative",
    "正文数字与表格一致",
    "正文中“收到政府信息公开申请N件”“行政复议N件”“行政诉讼N件”“制发规范性文件N件”等说法与表格对应单元格比对；同一说法有多处时，任一处与表格相符即视为一致。",
    "各地通知要求“确保逻辑关系对应一致”；实践中常见正文与表格不符",
)
def narrative_vs_tables(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    by_kind: dict[str, list[NarrativeFigure]] = {}
    for figure in report.narrative:
        by_kind.setdefault(figure.kind, []).append(figure)
    for kind, (what, readings) in _COMPARABLE.items():
        figures = by_kind.get(kind)
        if not figures:
            continue
        sums = [_table_value([report.cell(cell_id) for cell_id in cell_ids]) for cell_ids in readings]
        if sums[0] is None:
            continue
        if any(abs(float(figure.value) - value) < 1e-6 for figure in figures for value in sums if value is not None):
            continue
        stated = "、".join(f"“{f.text}”" for f in figures[:3])
        yield ctx.finding(
            f"正文称{stated}，而表格中{what}为{sums[0]:g}",
            list(readings[0]),
            locations=[f.location for f in figures[:3]],
        )


@rule(
    "FEE-6",
    "info",
    "narrative",
    "第六部分说明信息处理费收取情况",
    "第六部分应说明依据《政府信息公开信息处理费管理办法》收取信息处理费的情况（未收取也应写明）；表三（六）2有逾期未缴费时，应提及收费通知。",
    "国办函〔2020〕109号《政府信息公开信息处理费管理办法》；国办公开办函〔2021〕30号对第六部分的要求",
)
def fee_statement(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    if report.year is not None and report.year < 2021:
        return  # the fee regime starts on 2021-01-01
    section6 = report.sections.get("6")
    if section6 is not None and not _states_fees(section6.text):
        where = "全文" if not _states_fees(report.full_text) else "第六部分"
        yield ctx.finding(f"{where}未说明信息处理费的收取情况（未收取也应写明）", locations=[section6.location])
    unpaid = report.cell("table3.other_no_fee.total")
    if unpaid is not None and unpaid.value and "收费通知" not in report.full_text:
        yield ctx.finding(
            f"表三（六）2逾期未缴费有{unpaid.value:g}件，正文未提及收费通知的发出情况",
            ["table3.other_no_fee.total"],
        )


# "信息处理费…", or a plain statement about charging such as 未发生收费情况 / 未收取任何费用
_FEE_STATEMENT = re.compile(r"信息处理费|(?:未|没有|无|不)(?:发生|产生)?(?:收费|收取)|收取[^。；;]{0,8}?费")


def _states_fees(text: str) -> bool:
    return bool(_FEE_STATEMENT.search(text))


_OLD_LAW = re.compile(r"国务院令第?\s*492\s*号")


@rule(
    "LAW-CITE",
    "warning",
    "narrative",
    "引用现行条例",
    "2019年度及以后的报告引用“国务院令第492号”（2007年条例，已于2019年修订）作为现行依据的，提示改为第711号。",
    "《中华人民共和国政府信息公开条例》（国务院令第711号，2019年5月15日施行）",
)
def law_citation(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    if report.year is None or report.year < 2019:
        return
    match = _OLD_LAW.search(report.full_text)
    if match:
        yield ctx.finding(f"{report.year}年度报告引用了“{match.group(0)}”，现行条例为国务院令第711号")


@rule(
    "YEAR",
    "error",
    "narrative",
    "报告年度前后一致",
    "标题年度与统计期限年度一致；统计期限应为该年1月1日至12月31日（警告）；发布日期应在报告年度结束之后（警告）。",
    "条例第四十九条（报告上一年度工作）；四川DB51/T 2660—2019 统计期限",
)
def year_consistency(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    if report.year is None:
        yield ctx.finding("无法从标题、导语或统计期限确定报告年度", severity="warning")
        return
    period_fact = report.facts.get("period")
    if report.period is not None:
        start, end = report.period
        if start.year != report.year or end.year != report.year:
            yield ctx.finding(
                f"报告年度为{report.year}年，但统计期限为{start:%Y年%m月%d日}至{end:%Y年%m月%d日}",
                locations=[period_fact.location if period_fact else None],
            )
        elif (start.month, start.day, end.month, end.day) != (1, 1, 12, 31):
            yield ctx.finding(
                f"统计期限为{start:%Y年%m月%d日}至{end:%Y年%m月%d日}，不是完整的自然年度（如因机构改革，请在报告中说明）",
                severity="warning",
                locations=[period_fact.location if period_fact else None],
            )
    if report.published is not None and report.published <= dt.date(report.year, 12, 31):
        fact = report.facts.get("published")
        yield ctx.finding(
            f"发布日期{report.published.isoformat()}早于{report.year}年度结束，年度或日期可能有误",
            severity="warning",
            locations=[fact.location if fact else None],
        )
