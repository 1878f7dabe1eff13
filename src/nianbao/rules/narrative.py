"""The narrative against the tables, the year, the fee statement and the law cited."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ..model import CellValue, NarrativeFigure
from .registry import Context, RuleOutput, rule

# narrative kind → (description, cells whose sum it states); several sums when usage varies.
# ``APPLICANTS`` in a cell id stands for each applicant column of the row (the 总计 column is
# sometimes left blank while the applicant columns carry the numbers).
APPLICANTS = "<applicants>"
_COMPARABLE: dict[str, tuple[str, tuple[tuple[str, ...], ...]]] = {
    "applications_received": (
        "收到申请",
        (("table3.received_new.total",), ("table3.received_new.total", "table3.carried_over_in.total")),
    ),
    "applications_handled": (
        "办理申请（本年新收、加上年结转或办结）",
        (
            ("table3.received_new.total", "table3.carried_over_in.total"),
            ("table3.received_new.total",),
            ("table3.results_total.total",),
        ),
    ),
    "applications_closed": ("办结申请（三（七）总计）", (("table3.results_total.total",),)),
    "granted_and_partly": (
        "予以公开及部分公开",
        (
            ("table3.granted.total", "table3.partly_granted.total"),
            (f"table3.granted.{APPLICANTS}", f"table3.partly_granted.{APPLICANTS}"),
        ),
    ),
    "review_cases": ("行政复议案件", (("table4.review.total",),)),
    "litigation_cases": (
        "行政诉讼案件",
        (("table4.litigation_direct.total", "table4.litigation_after_review.total"),),
    ),
}
# narrative kind → description, for the figures that state one table-2 cell (which one is the
# format's: Table2Spec.narrative_cells)
_TABLE2_STATED = {
    "normative_documents_issued": "制发行政规范性文件",
    "normative_documents_in_force": "现行有效行政规范性文件",
}


def _cell_ids(ctx: Context, reading: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for cell_id in reading:
        table, row, col = cell_id.split(".")
        if col == APPLICANTS:
            out.extend(f"{table}.{row}.{column.key}" for column in ctx.spec.table3.applicant_columns)
        else:
            out.append(cell_id)
    return out


def _table_value(cells: list[CellValue | None]) -> float | None:
    """The cells' sum, a blank counting as 0; None when one is unreadable or missing, or when
    every one is blank (a 总计 left blank beside filled applicant columns is not a printed 0)."""
    if any(cell is None or cell.number is None for cell in cells):
        return None
    if all(cell is not None and cell.status == "blank" for cell in cells):
        return None
    return sum(float(cell.number) for cell in cells if cell is not None and cell.number is not None)


# the case counts of table 4 the narrative should mention somewhere (a heading does not count)
_CASES = (
    ("行政复议", "复议", ("table4.review.total",)),
    ("行政诉讼", "诉讼", ("table4.litigation_direct.total", "table4.litigation_after_review.total")),
)


@rule(
    "NARR-TAB",
    "warning",
    "narrative",
    "正文数字与表格一致",
    "正文中“收到政府信息公开申请N件”“共收到N件申请”“办理/办结申请N件”“予以公开及部分公开N件”“行政复议N件”"
    "“行政诉讼N件”“制发规范性文件N件”等说法与表格对应单元格比对；同一说法有多处时，任一处与表格相符即视为一致。"
    "表四有行政复议或行政诉讼案件而正文（各部分标题除外）从未提及的，提示补充说明。",
    "各地通知要求“确保逻辑关系对应一致”；实践中常见正文与表格不符",
)
def narrative_vs_tables(ctx: Context) -> Iterator[RuleOutput]:
    report = ctx.report
    by_kind: dict[str, list[NarrativeFigure]] = {}
    for figure in report.narrative:
        by_kind.setdefault(figure.kind, []).append(figure)
    comparable = dict(_COMPARABLE)
    for kind, cell in ctx.spec.table2.narrative_cells:
        comparable[kind] = (_TABLE2_STATED[kind], ((f"table2.{cell}",),))
    for kind, (what, readings) in comparable.items():
        subject = f"正文所称{what.split('（')[0]}的件数与表格一致"
        figures = by_kind.get(kind)
        if not figures:
            yield ctx.not_applicable(subject, "正文没有这一说法")
            continue
        cells = [_cell_ids(ctx, reading) for reading in readings]
        sums = [_table_value([report.cell(cell_id) for cell_id in ids]) for ids in cells]
        known = [(value, ids) for value, ids in zip(sums, cells, strict=True) if value is not None]
        if not known:
            yield ctx.not_checkable(subject, ctx.unknown(cells[0]) or "表格中对应单元格均为空白", cells[0])
            continue
        if any(abs(float(figure.value) - value) < 1e-6 for figure in figures for value, _ids in known):
            yield ctx.passed(subject, known[0][1])
            continue
        stated = "、".join(f"“{f.text}”" for f in figures[:3])
        value, ids = known[0]
        yield ctx.finding(
            f"正文称{stated}，而表格中{what}为{value:g}",
            ids,
            locations=[f.location for f in figures[:3]],
            subject=subject,
        )
    # the sections' text without the section titles (a preamble or an overview lists them)
    narrative = "\n".join(section.text for section in report.sections.values())
    for section in ctx.spec.sections:
        narrative = narrative.replace(section.title, "")
    subject = "表四的行政复议、行政诉讼案件在正文中有说明"
    unmentioned = []
    cases_found = False
    for what, word, cell_ids in _CASES:
        total = _table_value([report.cell(cell_id) for cell_id in cell_ids])
        cases_found = cases_found or bool(total)
        if total and word not in narrative:
            unmentioned.append((what, total, cell_ids))
    if unmentioned:
        cases = "、".join(f"{what}{total:g}件" for what, total, _ids in unmentioned)
        yield ctx.finding(
            f"表四有{cases}，正文未提及，宜在第四部分说明案件情况",
            [cell_id for _what, _total, ids in unmentioned for cell_id in ids],
            severity="info",
            subject=subject,
        )
    elif cases_found:
        yield ctx.passed(subject)
    else:
        yield ctx.not_applicable(subject, "表四没有（或未读取到）行政复议、行政诉讼案件")


@rule(
    "FEE-6",
    "info",
    "narrative",
    "第六部分说明信息处理费收取情况",
    "第六部分应说明依据《政府信息公开信息处理费管理办法》收取信息处理费的情况（未收取也应写明）；表三（六）2有逾期未缴费时，应提及收费通知。",
    "国办函〔2020〕109号《政府信息公开信息处理费管理办法》；国办公开办函〔2021〕30号对第六部分的要求",
)
def fee_statement(ctx: Context) -> Iterator[RuleOutput]:
    report = ctx.report
    statement, notice = "第六部分说明信息处理费的收取情况", "逾期未缴费时正文提及收费通知"
    if report.year is not None and report.year < 2021:
        # the fee regime starts on 2021-01-01
        for subject in (statement, notice):
            yield ctx.not_applicable(subject, "信息处理费自2021年1月1日起收取")
        return
    section6 = report.sections.get("6")
    if section6 is None:
        yield ctx.not_checkable(statement, "报告没有第六部分")
    elif not _states_fees(section6.text):
        where = "全文" if not _states_fees(report.full_text) else "第六部分"
        yield ctx.finding(
            f"{where}未说明信息处理费的收取情况（未收取也应写明）", locations=[section6.location], subject=statement
        )
    else:
        yield ctx.passed(statement)
    unpaid = report.cell("table3.other_no_fee.total")
    if unpaid is None or unpaid.number is None:
        yield ctx.not_checkable(notice, ctx.unknown(["table3.other_no_fee.total"]) or "未读取到表三（六）2", [])
    elif not unpaid.value:
        yield ctx.not_applicable(notice, "表三（六）2逾期未缴费为0件")
    elif not _FEE_NOTICE.search(report.full_text):
        yield ctx.finding(
            f"表三（六）2逾期未缴费有{unpaid.value:g}件，正文未提及收费通知的发出情况",
            ["table3.other_no_fee.total"],
            subject=notice,
        )
    else:
        yield ctx.passed(notice, ["table3.other_no_fee.total"])


# "信息处理费…" (信息公开处理费, 处理费), or a plain statement about charging such as 未发生收费情况,
# 未产生费用, 不涉及收费, 未收取任何费用, 免费提供
_FEE_STATEMENT = re.compile(
    r"处理费|(?:未|没有|无|不|均未|并未)(?:发生|产生|涉及|存在)?(?:任何|相关)?(?:收费|收取|费用)"
    r"|收取[^。；;]{0,8}?费|免费|零收费|免收"
)
# the notices behind （六）2 逾期未缴费: 收费通知, 缴费通知书, 通知申请人缴纳费用
_FEE_NOTICE = re.compile(r"(?:收费|缴费|缴纳)[^。；;]{0,6}?通知|通知[^。；;]{0,8}?(?:缴费|缴纳|交费)")


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
def law_citation(ctx: Context) -> Iterator[RuleOutput]:
    report = ctx.report
    subject = "没有引用已修订的2007年条例（国务院令第492号）"
    if report.year is None:
        yield ctx.not_checkable(subject, "报告年度未能确定")
        return
    if report.year < 2019:
        yield ctx.not_applicable(subject, "2019年修订的条例自2019年5月15日起施行")
        return
    match = _OLD_LAW.search(report.full_text)
    if match:
        yield ctx.finding(f"{report.year}年度报告引用了“{match.group(0)}”，现行条例为国务院令第711号", subject=subject)
    else:
        yield ctx.passed(subject)


@rule(
    "YEAR",
    "error",
    "narrative",
    "报告年度前后一致",
    "标题年度与统计期限年度一致；统计期限应为该年1月1日至12月31日（警告）；发布日期应在报告年度结束之后（警告）。",
    "条例第四十九条（报告上一年度工作）；四川DB51/T 2660—2019 统计期限",
)
def year_consistency(ctx: Context) -> Iterator[RuleOutput]:
    report = ctx.report
    known, period, published = "报告年度可以确定", "统计期限为报告年度的1月1日至12月31日", "发布日期在报告年度结束之后"
    if report.year is None:
        yield ctx.finding("无法从标题、导语或统计期限确定报告年度", severity="warning", subject=known)
        for subject in (period, published):
            yield ctx.not_checkable(subject, "报告年度未能确定")
        return
    yield ctx.passed(known)
    period_fact = report.facts.get("period")
    if report.period is None:
        yield ctx.not_applicable(period, "报告未写明统计期限")
    else:
        start, end = report.period
        if start.year != report.year or end.year != report.year:
            yield ctx.finding(
                f"报告年度为{report.year}年，但统计期限为{start:%Y年%m月%d日}至{end:%Y年%m月%d日}",
                locations=[period_fact.location if period_fact else None],
                subject=period,
            )
        elif (start.month, start.day, end.month, end.day) != (1, 1, 12, 31):
            yield ctx.finding(
                f"统计期限为{start:%Y年%m月%d日}至{end:%Y年%m月%d日}，不是完整的自然年度（如因机构改革，请在报告中说明）",
                severity="warning",
                locations=[period_fact.location if period_fact else None],
                subject=period,
            )
        else:
            yield ctx.passed(period)
    if report.published is None:
        yield ctx.not_checkable(published, "报告未载明发布（落款）日期")
    elif report.published <= dt.date(report.year, 12, 31):
        fact = report.facts.get("published")
        yield ctx.finding(
            f"发布日期{report.published.isoformat()}早于{report.year}年度结束，年度或日期可能有误",
            severity="warning",
            locations=[fact.location if fact else None],
            subject=published,
        )
    else:
        yield ctx.passed(published)
