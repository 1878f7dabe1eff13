"""Structure: the six sections, the tables' rows and columns, the format version."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..formats import FORMATS, PRE2019, format_for_year
from ..formats.labels import cn_number, label_key
from ..model import NoteKind, Severity
from .registry import Context, RuleOutput, rule

_NOTE_SEVERITY: dict[NoteKind, Severity] = {
    "missing_row": "warning",
    "extra_row": "warning",
    "header_label_missing": "warning",
    "collapsed_row": "warning",
    "duplicate_row": "warning",
    "label_variant": "info",
    "row_by_order": "info",
    "version_guessed": "info",
    "work_bounded": "warning",
}
_WHOLE_READ = "读取工作未达上限，格式版本由表格标题识别"  # the notes of no one table: work_bounded, version_guessed
_TABLE_TITLES = {
    "table2": "表二（主动公开政府信息情况）",
    "table3": "表三（收到和处理政府信息公开申请情况）",
    "table4": "表四（政府信息公开行政复议、行政诉讼情况）",
}


@rule(
    "STRUCT",
    "warning",
    "structure",
    "表格结构与标准格式一致",
    "表二至表四的行、列与标准格式比对：缺行、多行、表头缺列、（六）其他处理未分项、标题措辞不同（提示）、"
    "数值行前没有行标题而按标准格式的行序读取（提示）；"
    "表格标题、表头或分组行标题印错个别字而只与一个标准标题相近的，按该标题读取并提示疑为印误；整张表缺失为错误；"
    "读取工作达到上限（页面文字或表格线过多、OCR 页数、连写数字的拆分搜索）时警告，说明哪些内容未读取。",
    "国办公开办函〔2021〕30号附件表格；各地通知要求“格式规范”",
)
def structure(ctx: Context) -> Iterator[RuleOutput]:
    report = ctx.report
    subjects = {table_name: f"{title[:2]}的行、列与标准格式一致" for table_name, title in _TABLE_TITLES.items()}
    if report.format_version in (None, PRE2019):
        yield ctx.not_applicable("统计表结构与标准格式一致", "报告未使用统一格式统计表")
        return
    absent = set()
    for table_name, title in _TABLE_TITLES.items():
        table = report.table(table_name)
        if table is not None and all(cell.status == "missing" for cols in table.values() for cell in cols.values()):
            absent.add(table_name)
            yield ctx.finding(f"未找到{title}", severity="error", subject=subjects[table_name])
        else:
            yield ctx.passed(subjects[table_name])  # a note below makes it failed
    yield ctx.passed(_WHOLE_READ)
    for note in report.notes:
        if note.kind in _NOTE_SEVERITY and note.table not in absent:
            yield ctx.finding(
                note.message,
                note.cells,
                severity=_NOTE_SEVERITY[note.kind],
                locations=note.locations,
                subject=subjects.get(note.table or "", _WHOLE_READ),
            )


@rule(
    "SEC-6",
    "error",
    "structure",
    "六个部分齐全、顺序正确、编号规范",
    "报告应依次包含一、总体情况至六、其他需要报告的事项六个部分；缺失或顺序错误为错误，编号不规范（如“3、”“（三）”或与位置不符）为警告。"
    "标题与标准标题相差一两个字（疑为印误，且只与这一部分的标题相近）、或措辞不同而按编号和位置可确定是哪一部分的，"
    "按该部分读取并提示。",
    "条例第五十条；国办公开办函〔2021〕30号“不能遗漏”",
)
def six_sections(ctx: Context) -> Iterator[RuleOutput]:
    report = ctx.report
    found = {heading.number: heading for heading in report.headings}
    for section in ctx.spec.sections:
        subject = f"第{section.numeral}部分“{section.title}”齐全、位置和编号正确"
        heading = found.get(section.number)
        if heading is None:
            elsewhere = _printed_elsewhere(report.full_text, section.title)
            if elsewhere:
                yield ctx.finding(
                    f"第{section.numeral}部分“{section.title}”的标题“{elsewhere}”不在应有的位置（六个部分顺序不对）",
                    subject=subject,
                )
            else:
                yield ctx.finding(f"缺少第{section.numeral}部分“{section.title}”", subject=subject)
            continue
        wording = f"第{section.numeral}部分标题的文字与标准标题一致"
        differs = _WORDING_DIFFERS.get(heading.wording)
        if differs is None:
            yield ctx.passed(wording)
        else:
            yield ctx.finding(
                f"第{section.numeral}部分的标题“{heading.text}”与标准标题“{section.heading}”{differs}，"
                f"已作为第{section.numeral}部分读取",
                severity="info",
                locations=[heading.location],
                subject=wording,
            )
        if heading.canonical:
            yield ctx.passed(subject)
            continue
        if heading.printed_number is not None and heading.printed_number != section.number:
            message = (
                f"第{section.numeral}部分的标题编号印为“{heading.numbering}”，与所在位置不符，应为“{section.numeral}、”"
            )
        elif heading.numbering:
            message = f"第{section.numeral}部分的标题编号为“{heading.numbering}”，标准格式为“{section.numeral}、”"
        else:
            message = f"第{section.numeral}部分的标题“{heading.text}”没有编号，标准格式为“{section.heading}”"
        yield ctx.finding(message, severity="warning", locations=[heading.location], subject=subject)


# how a heading taken for its section differs from the standard title (Heading.wording)
_WORDING_DIFFERS = {"misprint": "相差个别字，疑为印误", "reworded": "措辞不同"}

_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]{1,2}|\d{1,2})[,.:]?")


def _printed_elsewhere(full_text: str, title: str) -> str | None:
    """A line that is this section's heading (numbered or bare) but was not taken as one."""
    key = label_key(title)
    for line in full_text.splitlines():
        line_key = label_key(line)
        if len(line) <= 40 and _NUMBERED.sub("", line_key, count=1).rstrip(":：。") == key:
            return line.strip()
    return None


@rule(
    "VER",
    "error",
    "structure",
    "统计表格式版本与报告年度相符",
    "2021年及以后的报告应使用国办公开办函〔2021〕30号格式，2019、2020年度使用2019年试行格式；2021年以后仍用旧表为错误，2019—2020年度用新表为警告。",
    "国办公开办函〔2021〕30号；国办公开办函〔2019〕60号",
)
def version_matches_year(ctx: Context) -> Iterator[RuleOutput]:
    report = ctx.report
    if report.year is None or report.format_version is None:
        yield ctx.not_checkable(ctx.title, "报告年度未能确定" if report.year is None else "统计表格式版本未能识别")
        return
    expected = format_for_year(report.year)
    actual = report.format_version
    if actual == expected:
        yield ctx.passed(ctx.title)
        return
    name = FORMATS[actual].name if actual in FORMATS else "无统一格式统计表"
    expected_name = FORMATS[expected].name if expected in FORMATS else "无统一格式"
    severity: Severity = "error" if report.year >= 2021 or (report.year >= 2019 and actual == PRE2019) else "warning"
    yield ctx.finding(f"{report.year}年度报告应使用{expected_name}，实际使用{name}", severity=severity)


_PARTS_CLAIM = re.compile(r"(?:共|分为|由|包括|包含)?\s*([一二三四五六七八九十两\d]{1,2})\s*个?部分")


@rule(
    "PREAMBLE-COUNT",
    "warning",
    "structure",
    "导语所称部分数与实际一致",
    "导语中“本报告由……六个部分组成”等说法，与正文实际的部分数比对。",
    "实际报告中常见“六部分组成”而只列五部分等错误",
)
def preamble_count(ctx: Context) -> Iterator[RuleOutput]:
    report = ctx.report
    match = _PARTS_CLAIM.search(report.preamble)
    if not match:
        yield ctx.not_applicable(ctx.title, "导语没有说明报告由几个部分组成")
        return
    claimed = 2 if match.group(1) == "两" else cn_number(match.group(1))
    actual = len(report.headings)
    if claimed is not None and claimed != actual:
        yield ctx.finding(f"导语称报告共{match.group(1)}个部分，正文实际有{actual}个部分", locations=[])
    else:
        yield ctx.passed(ctx.title)


# What a template leaves for the author to fill in: 【待填写】 (the placeholder nianbao's own
# renderer and ledger print), 【请填写机关名称】, 此处填写…, and the marks that stand for a name or a
# number not yet written (XXX, XX局, ××, ＸＸ, ×月×日).  Latin X next to a letter or digit is part
# of a code or an address, not a mark.
_PLACEHOLDER = re.compile(
    r"[【\[［]\s*(?:待|请)(?:填写|填报|填入|补充|完善|撰写)[^】\]［］\n]{0,12}[】\]］]"
    r"|(?:请在)?此处(?:填写|填入|输入|补充)"
    r"|(?<![A-Za-z0-9])[XＸ]{2,}(?![A-Za-z0-9])"
    r"|×{2,}|[×Ｘ](?=\s*[年月日号件])"
)
_QUOTED_PLACEHOLDERS = 3


def placeholders(text: str) -> list[str]:
    """The placeholders left in ``text``, each once, in the order they first appear."""
    return list(dict.fromkeys(match.group(0) for match in _PLACEHOLDER.finditer(text)))


@rule(
    "META",
    "warning",
    "structure",
    "机关名称、发布日期齐全，没有留下占位符",
    "报告应写明机关名称（标题、导语或落款）和发布（落款）日期；正文、标题中不应留下“【待填写】”“此处填写”"
    "“XXX”“××”等模板占位符（警告）。未能识别机关名称为警告；未载明发布日期为提示（网页的发布日期常在正文之外，"
    "此时无法核查发布时限）。",
    "条例第五十条（年度报告的内容）；各地通知要求报告“内容完整”",
)
def metadata(ctx: Context) -> Iterator[RuleOutput]:
    report = ctx.report
    named, dated, filled = "写明机关名称", "载明发布（落款）日期", "没有留下模板占位符"
    if not report.agency:
        yield ctx.finding("未能从标题、导语或落款识别机关名称，请确认报告写明了机关全称", subject=named)
    else:
        yield ctx.passed(named)
    if report.published is None:
        yield ctx.finding("报告未载明发布（落款）日期，无法核查发布时限", severity="info", subject=dated)
    else:
        yield ctx.passed(dated)
    numerals = {str(section.number): section.numeral for section in ctx.spec.sections}
    parts = [("标题", report.title or "", None), ("导语", report.preamble, None)] + [
        (f"第{numerals.get(number, number)}部分", section.text, section.location)
        for number, section in sorted(report.sections.items())
    ]
    found: dict[str, list[str]] = {}
    where = []
    for name, text, location in parts:
        for mark in placeholders(text):
            if name not in found.setdefault(mark, []):
                found[mark].append(name)
            if location is not None and location not in where:
                where.append(location)
    if found:
        marks = "、".join(f"“{mark}”" for mark in list(found)[:_QUOTED_PLACEHOLDERS])
        more = f"等{len(found)}种" if len(found) > _QUOTED_PLACEHOLDERS else ""
        places = "、".join(dict.fromkeys(name for names in found.values() for name in names))
        yield ctx.finding(
            f"报告留有模板占位符{marks}{more}（{places}），须填写完整后再发布", locations=where, subject=filled
        )
    else:
        yield ctx.passed(filled)
