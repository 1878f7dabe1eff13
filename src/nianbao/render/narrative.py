"""The words around the tables: title, preamble, and a default text for each section.

A section the user wrote (``report.sections``) is printed as written.  A section without text
gets a default built only from the numbers in the tables, so narrative and tables cannot
disagree: nothing is said that the tables do not say, a sentence whose figures are unknown is
left out, and the phrasing is the one nianbao's own narrative check reads back (``新收政府信息
公开申请N件`` is compared with table 3, ``行政复议N件`` with table 4).  Sections the numbers
cannot fill (五、存在的主要问题及改进情况, usually 六) get a visible placeholder, and the
renderer tells the user so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from ..formats import FormatSpec, Label
from ..model import Report, TableData
from .values import format_number, number_of, printable

Source = Literal["user", "generated", "placeholder"]
PLACEHOLDER = "【待填写】本部分内容由报告机关填写。"
TITLE_SUFFIX = "政府信息公开工作年度报告"
SUMMARY_MARK = "汇总"  # a region's summary (nianbao.stats.summarize) is titled …年度报告汇总
TITLE_LINE_CHARS = 19  # a 二号 title fits about 20 characters on the 156 mm type area; digits print wider than half


class Table3Row:
    """A printed data row of table 3: key, label, and the label of its group cell if any."""

    __slots__ = ("group", "in_results", "key", "label")

    def __init__(self, key: str, label: str, group: str | None, in_results: bool) -> None:
        self.key, self.label, self.group, self.in_results = key, label, group, in_results


# ---------------------------------------------------------------------------------- title


def title(report: Report) -> str:
    """Built from the agency and the year (a parsed report's own title is not reprinted); a
    summary keeps its title, which is the built one followed by 汇总."""
    built = _standard_title(report)
    return built + SUMMARY_MARK if is_summary(report) else built


def _standard_title(report: Report) -> str:
    year = f"{report.year}年" if report.year is not None else ""
    return f"{agency(report) or ''}{year}{TITLE_SUFFIX}"


def is_summary(report: Report) -> bool:
    """The report is a region's summary: its title is the standard one followed by 汇总."""
    return report.title is not None and re.sub(r"\s+", "", report.title) == _standard_title(report) + SUMMARY_MARK


def agency(report: Report) -> str | None:
    """The agency as printed in the title and the signature: no spaces or control characters."""
    name = re.sub(r"\s+", "", printable(report.agency or ""))
    return name or None


def title_lines(report: Report) -> tuple[str, ...]:
    """One line if it fits, else 机关+年度 over 政府信息公开工作年度报告 (where 公文 titles break)."""
    whole = title(report)
    if _width(whole) <= TITLE_LINE_CHARS:
        return (whole,)
    suffix = TITLE_SUFFIX + SUMMARY_MARK if is_summary(report) else TITLE_SUFFIX
    return (whole[: -len(suffix)], suffix)


def _width(text: str) -> float:
    return sum(0.5 if ord(char) < 0x2E80 else 1.0 for char in text)


def preamble(report: Report, spec: FormatSpec) -> list[str]:
    """The standard sentence(s); a summary's own preamble (its problems and their effect on the
    totals, which must not be hidden) comes first."""
    notes = [line for line in report.preamble.splitlines() if line.strip()] if is_summary(report) else []
    return notes + _standard_preamble(report, spec)


def _standard_preamble(report: Report, spec: FormatSpec) -> list[str]:
    if report.year is None:
        return [f"本报告根据《中华人民共和国政府信息公开条例》和{spec.name}的要求编制。"]
    return [
        f"本报告根据《中华人民共和国政府信息公开条例》和{spec.name}的要求编制。"
        f"本报告所列数据的统计期限自{report.year}年1月1日起至{report.year}年12月31日止。"
    ]


# ---------------------------------------------------------------------------------- sections


def section_texts(
    report: Report, spec: FormatSpec, table3_rows: Sequence[Table3Row]
) -> dict[int, tuple[Source, list[str]]]:
    generated = {
        1: _section1(report, spec),
        2: _section2(report, spec),
        3: _section3(report, spec, table3_rows),
        4: _section4(report, spec),
        5: [],
        6: _section6(report, spec),
    }
    out: dict[int, tuple[Source, list[str]]] = {}
    for section in spec.sections:
        written = report.sections.get(str(section.number))
        lines = _lines(written.text) if written is not None else []
        if section.number == 6:
            lines = _without_signature(lines, report)
        if lines:
            out[section.number] = ("user", lines)
        elif generated[section.number]:
            out[section.number] = ("generated", generated[section.number])
        else:
            out[section.number] = ("placeholder", [PLACEHOLDER])
    return out


def _lines(text: str) -> list[str]:
    return [line.strip() for line in printable(text).splitlines() if line.strip()]


_DATE_LINE = re.compile(r"^(?:\d{4}|[〇零○一二三四五六七八九]{4})年.{1,3}月.{1,3}日$")


def _without_signature(lines: list[str], report: Report) -> list[str]:
    """Section 六 read from a published report ends with its signature; the renderer prints its own."""
    name = agency(report) or ""
    while lines:
        last = re.sub(r"\s+", "", lines[-1])
        if (name and last == name) or _DATE_LINE.match(last):
            lines = lines[:-1]
        else:
            break
    return lines


def _n(value: int | float | None) -> str:
    return format_number(value)


def _sum(values: Sequence[int | float | None]) -> int | float | None:
    return None if not values or any(v is None for v in values) else sum(v for v in values if v is not None)


def _plain(label: str) -> str:
    """（二）部分公开（区分处理的，…） → 部分公开: the label without numbering or explanation."""
    label = re.sub(r"^[（(][一二三四五六七八九十]+[）)]", "", label)
    return re.sub(r"[（(][^（）()]*[）)]$", "", label)


def _section1(report: Report, spec: FormatSpec) -> list[str]:
    t3, t4 = report.table3, report.table4
    received = number_of(t3, "received_new", "total")
    review = number_of(t4, "review", "total")
    litigation = _sum([number_of(t4, group.key, "total") for group in spec.table4.groups[1:]])
    clauses = []
    if received is not None:
        clauses.append(f"新收政府信息公开申请{_n(received)}件")
    if review is not None and litigation is not None:
        if review == 0 and litigation == 0:
            clauses.append("未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况")
        else:
            clauses.append(f"因政府信息公开工作被申请行政复议{_n(review)}件、被提起行政诉讼{_n(litigation)}件")
    if not clauses:
        return []
    who = agency(report) or "本机关"
    when = f"{report.year}年" if report.year is not None else "本年度"
    return [
        f"{when}，{who}依照《中华人民共和国政府信息公开条例》开展政府信息公开工作。本年度" + "；".join(clauses) + "。"
        "主动公开、依申请公开和行政复议、行政诉讼的具体数据见本报告第二至第四部分。"
    ]


_VERBS = {  # table 2 columns that count documents: how the sentence says it
    "issued": "制发",
    "repealed": "废止",
    "in_force": "现行有效",
    "made": "新制作",
    "published": "新公开",
    "public_total": "累计对外公开",
}


def _section2(report: Report, spec: FormatSpec) -> list[str]:
    data = report.table2
    if data is None:
        return []
    # the same column in several blocks (处理决定数量 under 第（五）项 and 第（六）项) is one clause
    by_column: dict[str, list[tuple[Label, int | float]]] = {}
    other_columns: dict[str, set[str]] = {}
    for block in spec.table2.blocks:
        for col in block.columns:
            for row in block.rows:
                value = number_of(data, row.key, col.key)
                if value is not None:
                    by_column.setdefault(col.key, []).append((row, value))
                    other_columns.setdefault(row.key, set()).update(c.key for c in block.columns)
    clauses: list[str] = []
    for key, known in by_column.items():
        if key in _VERBS:
            clauses.append(_VERBS[key] + "、".join(f"{row.label}{_n(v)}件" for row, v in known))
        elif key == "decisions":
            clauses.append("作出" + "、".join(f"{row.label}处理决定{_n(v)}件" for row, v in known))
        elif key == "projects":  # 2019 上一年项目数量 and 本年增/减 are left to the table
            clauses.append("、".join(f"{row.label}项目{_n(v)}个" for row, v in known))
        elif key == "amount":  # a fee in 万元 (2021); the 2019 procurement amount has no printed unit
            clauses += [f"收取{row.label}{_n(v)}万元" for row, v in known if "projects" not in other_columns[row.key]]
    if not clauses:
        return []
    return ["本年度" + "；".join(clauses) + "。"]


def _section3(report: Report, spec: FormatSpec, rows: Sequence[Table3Row]) -> list[str]:
    data = report.table3
    if data is None:
        return []
    t3 = spec.table3
    received = number_of(data, t3.received_new, "total")
    carried_in = number_of(data, t3.carried_over_in, "total")
    handled = number_of(data, t3.results_total, "total")
    carried_out = number_of(data, t3.carried_over_out, "total")
    sentences = []
    if received is not None:
        if received == 0 and carried_in == 0:
            sentences.append("本年度未收到政府信息公开申请，也没有上年结转的申请。")
        else:
            clause = f"本年度新收政府信息公开申请{_n(received)}件"
            split = _applicants(data, spec) if received else ""
            clause += f"（{split}）" if split else ""
            if carried_in is not None:
                clause += f"，上年结转{_n(carried_in)}件"
            sentences.append(clause + "。")
    if handled is not None and (handled or received):
        categories = _categories(data, rows, t3.results_total)
        listed = "、".join(f"{name}{_n(v)}件" for name, v in categories if v)
        sentences.append(f"本年度办理完结{_n(handled)}件" + (f"，其中{listed}" if listed else "") + "。")
    if carried_out is not None and (carried_out or received or carried_in):
        sentences.append(f"结转下年度继续办理{_n(carried_out)}件。")
    return ["".join(sentences)] if sentences else []


def _applicants(data: TableData, spec: FormatSpec) -> str:
    columns = spec.table3.columns
    person = number_of(data, "received_new", columns[0].key)
    orgs = _sum([number_of(data, "received_new", col.key) for col in columns[1:-1]])
    if person is None or orgs is None:
        return ""
    org_label = [h for h in spec.table3.header_labels if h not in {c.label for c in columns}][-1]
    return f"其中{columns[0].label}{_n(person)}件、{org_label}{_n(orgs)}件"


def _categories(data: TableData, rows: Sequence[Table3Row], total_key: str) -> list[tuple[str, int | float | None]]:
    """（一）予以公开, （二）部分公开, then each group (三)–(六) summed over its rows."""
    out: list[tuple[str, int | float | None]] = []
    groups: dict[str, list[int | float | None]] = {}
    for row in rows:
        if row.key == total_key or not row.in_results:
            continue
        value = number_of(data, row.key, "total")
        if row.group is None:
            out.append((_plain(row.label), value))
        else:
            if row.group not in groups:
                groups[row.group] = []
                out.append((row.group, None))
            groups[row.group].append(value)
    return [(_plain(name), _sum(groups[name]) if name in groups else value) for name, value in out]


def _section4(report: Report, spec: FormatSpec) -> list[str]:
    data = report.table4
    if data is None:
        return []
    t4 = spec.table4
    review, *litigation = t4.groups
    review_total = number_of(data, review.key, t4.total_column)
    litigation_totals = [number_of(data, group.key, t4.total_column) for group in litigation]
    litigation_total = _sum(litigation_totals)
    if review_total is None or litigation_total is None:
        return []
    if review_total == 0 and litigation_total == 0:
        return ["本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"]
    sentence = f"本年度因政府信息公开工作被申请行政复议{_n(review_total)}件"
    if review_total:
        sentence += _outcomes(data, review, t4.columns, t4.total_column)
    sentence += f"；被提起行政诉讼{_n(litigation_total)}件"
    if litigation_total:
        parts = [f"{group.label}{_n(v)}件" for group, v in zip(litigation, litigation_totals, strict=True) if v]
        sentence += "，其中" + "、".join(parts)
    return [sentence + "。"]


def _outcomes(data: TableData, group: Label, columns: Sequence[Label], total: str) -> str:
    parts = [
        f"{col.label}{_n(v)}件"
        for col in columns
        if col.key != total and (v := number_of(data, group.key, col.key)) is not None and v
    ]
    return "（" + "、".join(parts) + "）" if parts else ""


def _section6(report: Report, spec: FormatSpec) -> list[str]:
    unpaid = number_of(report.table3, "other_no_fee", "total")
    if not unpaid:
        return []
    return [f"本年度因申请人逾期未按收费通知要求缴纳费用、行政机关不再处理的政府信息公开申请{_n(unpaid)}件。"]
