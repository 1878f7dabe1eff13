"""Tables 2–4 and a report skeleton from the ledger, consistent by construction.

Table 3, per applicant column (the application's applicant type):

- 一、本年新收 = applications received in the year;
- 二、上年结转 = applications open at the end of the previous year (received, not yet answered);
- 三、the result rows = applications answered in the year, each counted once in its result row;
  （七）总计 = their sum;
- 四、结转下年度继续办理 = applications open at the end of the year.

Every application that was in hand during the year is in exactly one of 一/二 and exactly one of
三/四, so 一＋二＝三（七）＋四 holds in every column, and 四 of year N is 二 of year N+1.

Table 4, per group (the case kind): the cases counted are those in hand during the year (filed by
its end, not concluded before it began), each in the column of its outcome as known at the
year's end (尚未审结 if not concluded by then).  With ``cases_counted="filed"`` only the cases
filed in the year are counted.

Table 2 （一） from the register: 本年制发 = issued in the year, 本年废止 = repealed in the year,
现行有效 = in force at the year's end, so 现行有效(N) = 现行有效(N−1) + 制发(N) − 废止(N).  The
other rows come from the year's figures (blank when not recorded).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from typing import Literal

from ..errors import NianbaoError
from ..extract import narrative_of_sections
from ..formats import GOV2021
from ..formats.labels import format_number
from ..model import CellValue, DatedFact, Heading, Report, Section, TableData
from .cases import (
    APPLICANT_TYPE_KEYS,
    Case,
    CaseOutcome,
    DocumentKind,
    Ledger,
    LedgerDataError,
    Problem,
    check_ledger,
    errors_of,
)

TABLE3 = GOV2021.table3
TABLE4 = GOV2021.table4
CasesCounted = Literal["active", "filed"]
PLACEHOLDER = "【待填写】"


class LedgerYearError(NianbaoError):
    """A year the ledger cannot report on in the current format."""


def _year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def table3_counts(ledger: Ledger, year: int) -> dict[str, dict[str, int]]:
    """Table 3 as plain counts: row key → column key → count (total column included)."""
    columns = (*APPLICANT_TYPE_KEYS, TABLE3.total_column)
    counts: dict[str, dict[str, int]] = {row.key: dict.fromkeys(columns, 0) for row in TABLE3.rows}
    previous_end, end = _year_end(year - 1), _year_end(year)

    def add(row: str, column: str) -> None:
        counts[row][column] += 1
        counts[row][TABLE3.total_column] += 1

    for app in ledger.applications:
        column = app.applicant_type
        if app.received.year == year:
            add(TABLE3.received_new, column)
        elif app.is_open_at(previous_end):
            add(TABLE3.carried_over_in, column)
        else:
            continue  # not in hand this year
        if app.closed_in(year) and app.result is not None:
            add(app.result, column)
            add(TABLE3.results_total, column)
        elif app.is_open_at(end):
            add(TABLE3.carried_over_out, column)
        else:  # pragma: no cover - impossible once check_ledger passed
            raise LedgerDataError([Problem(app.where, "无法归入办理结果或结转下年度")])
    return counts


def counted_cases(ledger: Ledger, year: int, cases_counted: CasesCounted = "active") -> list[Case]:
    if cases_counted == "filed":
        return [case for case in ledger.cases if case.filed.year == year]
    return [case for case in ledger.cases if case.active_in(year)]


def table4_counts(ledger: Ledger, year: int, cases_counted: CasesCounted = "active") -> dict[str, dict[str, int]]:
    counts = {group.key: {col.key: 0 for col in TABLE4.columns} for group in TABLE4.groups}
    end = _year_end(year)
    for case in counted_cases(ledger, year, cases_counted):
        outcome = case.outcome_at(end) or CaseOutcome.PENDING
        counts[case.kind.value][outcome.value] += 1
        counts[case.kind.value][TABLE4.total_column] += 1
    return counts


def table2_values(ledger: Ledger, year: int) -> dict[str, dict[str, int | float | None]]:
    end = _year_end(year)
    values: dict[str, dict[str, int | float | None]] = {}
    for kind in DocumentKind:
        documents = [doc for doc in ledger.documents if doc.kind is kind]
        values[kind.value] = {
            "issued": sum(1 for doc in documents if doc.issued.year == year),
            "repealed": sum(1 for doc in documents if doc.repealed is not None and doc.repealed.year == year),
            "in_force": sum(1 for doc in documents if doc.in_force_at(end)),
        }
    figures = ledger.figures_for(year)
    values["licensing"] = {"decisions": figures.licensing if figures else None}
    values["punishment"] = {"decisions": figures.punishment if figures else None}
    values["coercion"] = {"decisions": figures.coercion if figures else None}
    fees = figures.fees_wan_yuan if figures else None
    values["fees"] = {"amount": _decimal_value(fees)}
    return values


def _decimal_value(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _cells(values: dict[str, dict[str, int]] | dict[str, dict[str, int | float | None]]) -> TableData:
    table: TableData = {}
    for row, cols in values.items():
        table[row] = {}
        for col, value in cols.items():
            if value is None:
                table[row][col] = CellValue(value=None, raw="", status="blank", note="台账未填写")
            else:
                table[row][col] = CellValue(value=value, raw=format_number(value), status="value")
    return table


def ledger_warnings(ledger: Ledger, year: int) -> list[Problem]:
    """What the report on ``year`` will carry that a person should look at."""
    warnings = [problem for problem in check_ledger(ledger) if problem.severity == "warning"]
    figures = ledger.figures_for(year)
    where = "工作表“年度数字”"
    if figures is None:
        warnings.append(Problem(where, f"没有{year}年的行政许可、处罚、强制和收费数字，表二相应单元格留空", "warning"))
    else:
        missing = [
            name
            for name, value in (
                ("行政许可", figures.licensing),
                ("行政处罚", figures.punishment),
                ("行政强制", figures.coercion),
                ("行政事业性收费", figures.fees_wan_yuan),
            )
            if value is None
        ]
        if missing:
            warnings.append(
                Problem(figures.origin or where, f"{year}年未填{'、'.join(missing)}，表二相应单元格留空", "warning")
            )
    return warnings


def build_report(
    ledger: Ledger,
    year: int,
    *,
    agency: str | None = None,
    cases_counted: CasesCounted = "active",
    sections: Mapping[str, str] | None = None,
) -> Report:
    """The ``nianbao.report/1`` report on ``year``; refuses a ledger with errors.

    The 落款日期 and the sections people wrote for the year (``ledger.texts_for(year)``, the
    workbook's 报告正文) are used, and ``sections`` (section number → text, a draft being
    edited) over them; a section nobody wrote is generated from the ledger.  The narrative
    figures are read from the sections as printed, so the rules compare them with the tables."""
    if not GOV2021.covers_year(year):
        raise LedgerYearError(
            f"台账按{GOV2021.name}格式生成报告，只适用于{GOV2021.first_year}年度及以后，不能生成{year}年度的报告"
        )
    errors = errors_of(check_ledger(ledger))
    if errors:
        raise LedgerDataError(errors)
    t3 = table3_counts(ledger, year)
    t4 = table4_counts(ledger, year, cases_counted)
    t2 = table2_values(ledger, year)
    name = agency or ledger.agency
    written = ledger.texts_for(year)
    texts = _sections(ledger, year, t3, t4)
    texts.update(written.sections if written else {})
    texts.update(sections or {})
    report_sections = {
        str(spec.number): Section(heading=spec.heading, text=texts[str(spec.number)]) for spec in GOV2021.sections
    }
    headings = [
        Heading(
            number=spec.number,
            text=spec.heading,
            numbering=f"{spec.numeral}、",
            printed_number=spec.number,
            canonical=True,
        )
        for spec in GOV2021.sections
    ]
    title = f"{name or ''}{year}年政府信息公开工作年度报告"
    preamble = (
        "本报告根据《中华人民共和国政府信息公开条例》第五十条的规定编制，包括"
        + "、".join(spec.title for spec in GOV2021.sections)
        + f"六个部分。本报告中所列数据统计期限为{year}年1月1日至12月31日。"
    )
    full_text = "\n".join(
        [title, preamble, *(f"{spec.heading}\n{report_sections[str(spec.number)].text}" for spec in GOV2021.sections)]
    )
    period_text = f"{year}年1月1日至12月31日"
    facts = {"period": DatedFact(how="ledger", text=period_text)}
    signed = written.signed if written else None
    if signed is not None:
        facts["published"] = DatedFact(how="ledger", text=f"{signed.year}年{signed.month}月{signed.day}日")
    return Report(
        format_version=GOV2021.key,
        agency=name,
        year=year,
        published=signed,
        sections=report_sections,
        table2=_cells(t2),
        table3=_cells(t3),
        table4=_cells(t4),
        title=title,
        source={"kind": "ledger", "cases_counted": cases_counted},
        facts=facts,
        period=(dt.date(year, 1, 1), dt.date(year, 12, 31)),
        headings=headings,
        narrative=narrative_of_sections(report_sections),
        preamble=preamble,
        full_text=full_text,
    )


def _sections(
    ledger: Ledger, year: int, t3: dict[str, dict[str, int]], t4: dict[str, dict[str, int]]
) -> dict[str, str]:
    """The text of each section (by number) as the ledger can write it."""
    total = TABLE3.total_column
    items = [item for item in ledger.proactive if item.published.year == year]
    categories = Counter(item.category for item in items if item.category)
    reviews = Counter(step for item in items for step in dict.fromkeys(item.reviews))
    proactive = f"{year}年，本机关主动公开政府信息{len(items)}条"
    if categories:
        proactive += "，其中" + "、".join(f"{category}{n}条" for category, n in categories.most_common())
    proactive += "。"
    if reviews:
        proactive += "公开前" + "、".join(f"经{step}{n}条" for step, n in reviews.most_common()) + "。"
    applications = (
        f"本年度新收政府信息公开申请{t3[TABLE3.received_new][total]}件，"
        f"上年结转{t3[TABLE3.carried_over_in][total]}件，"
        f"本年度办结{t3[TABLE3.results_total][total]}件，"
        f"结转下年度继续办理{t3[TABLE3.carried_over_out][total]}件。"
    )
    overview = "\n".join(
        [
            "（一）主动公开",
            proactive,
            "（二）依申请公开",
            applications,
            "（三）政府信息管理",
            PLACEHOLDER,
            "（四）政府信息公开平台建设",
            PLACEHOLDER,
            "（五）监督保障",
            PLACEHOLDER,
        ]
    )
    reviews_total = t4["review"][TABLE4.total_column]
    litigation_total = t4["litigation_direct"][TABLE4.total_column] + t4["litigation_after_review"][TABLE4.total_column]
    notices = [app.fee for app in ledger.applications if app.fee is not None and app.fee.notice_received.year == year]
    collected = sum(
        (
            app.fee.amount_yuan
            for app in ledger.applications
            if app.fee is not None
            and app.fee.paid is not None
            and app.fee.paid.year == year
            and app.fee.amount_yuan is not None
        ),
        Decimal(0),
    )
    if notices or collected:
        fee_text = f"本年度发出信息处理费收费通知{len(notices)}件，实际收取信息处理费{collected:f}元。"
    else:
        fee_text = "本年度未发出信息处理费收费通知，未收取信息处理费。"
    texts = {
        1: overview,
        2: "主动公开政府信息情况见下表。",
        3: "收到和处理政府信息公开申请情况见下表。",
        4: f"本年度因政府信息公开工作被申请行政复议{reviews_total}件、提起行政诉讼{litigation_total}件，具体情况见下表。",
        5: PLACEHOLDER,
        6: f"依据《政府信息公开信息处理费管理办法》，{fee_text}\n{PLACEHOLDER}",
    }
    return {str(number): text for number, text in texts.items()}
