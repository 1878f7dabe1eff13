"""The ledger as a spreadsheet, so it is useful before the web app exists.

:func:`write_template` makes an empty workbook: an instructions sheet, one sheet per register
(申请, 征求意见, 复议诉讼, 规范性文件, 主动公开, 年度数字), 报告正文 for what people write in the
report (its 落款日期 and any of its six sections), a 申请人 sheet for the personal data kept apart
from the rest, Chinese column headers and drop-down lists taken from the format's labels.
:func:`read_ledger` reads it back into a :class:`~nianbao.ledger.cases.Ledger` and lists every
bad row as ``工作表“申请”第12行：答复日期早于收到日期``; a row with a bad cell is left out of the
ledger and reported, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]
from openpyxl.comments import Comment  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

from ..errors import InputError
from ..files import write_atomic
from ..formats import GOV2021
from ..formats.labels import label_key
from .calendar import typed_date
from .cases import (
    APPLICANT_TYPES,
    RESULT_ROWS,
    TABLE4,
    Applicant,
    Application,
    Case,
    CaseKind,
    CaseOutcome,
    Correction,
    DocumentKind,
    FeeNotice,
    Ledger,
    NormativeDocument,
    ProactiveItem,
    Problem,
    ReportTexts,
    YearFigures,
    check_ledger,
)
from .deadlines import CHANNEL_LABELS, RECEIPT_RULES, Channel, Consultation

Kind = Literal["text", "date", "choice", "int", "decimal", "list"]
DATA_ROWS = 2000  # rows the drop-down lists and date formats are prepared for
OPTIONS_SHEET = "选项"
INSTRUCTIONS_SHEET = "说明"
AGENCY_LABEL = "机关名称"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: Kind = "text"
    required: bool = False
    choices: tuple[str, ...] = ()  # the drop-down list, in the format's words
    aliases: dict[str, str] = field(default_factory=dict, hash=False)  # accepted text → value
    strict: bool = True  # a value outside the list is an error (else a suggestion list)
    width: int = 14
    help: str = ""  # the header cell's comment


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]
    optional: bool = False  # may be missing: deleted (personal data), or older than the sheet
    note: str = ""

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


def _choice_map(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Accepted text → value; a text two values share is dropped (it would be a guess)."""
    seen: dict[str, str | None] = {}
    for text, value in pairs:
        key = label_key(text)
        if key in seen and seen[key] != value:
            seen[key] = None
        else:
            seen[key] = value
    return {key: value for key, value in seen.items() if value is not None}


_CHANNEL_ALIASES = {
    Channel.IN_PERSON: ("当面", "当面提交", "现场", "窗口", "in-person"),
    Channel.POST: ("邮寄", "信函", "邮政", "快递", "post"),
    Channel.ONLINE: ("网络", "互联网", "网上", "在线", "网站", "电子邮件", "online"),
    Channel.FAX: ("传真", "fax"),
}
_RESULT_GROUPS = {
    "withheld": "（三）不予公开",
    "unavailable": "（四）无法提供",
    "not_processed": "（五）不予处理",
    "other": "（六）其他处理",
}


def _result_aliases() -> dict[str, str]:
    pairs: list[tuple[str, str]] = []
    for row in RESULT_ROWS:
        texts = [row.key, row.name, row.label, *row.variants]
        # without the numbering: 部分公开, 属于国家秘密
        texts += [re.sub(r"^（[一二三四五六七]）", "", row.name), re.sub(r"^\d+\.", "", row.label)]
        for prefix, group in _RESULT_GROUPS.items():
            if row.key.startswith(prefix):
                texts += [group + row.label, group + "·" + row.label]
        pairs += [(text, row.key) for text in texts]
    return _choice_map(pairs)


_OUTCOME_SHORT = {"upheld": "维持", "corrected": "纠正", "other": "其他", "pending": "未审结"}

APPLICATIONS = SheetSpec(
    "申请",
    (
        Column("number", "申请编号", required=True, width=12, help="本机关的申请登记编号，不能重复。"),
        Column(
            "received",
            "收到日期",
            "date",
            required=True,
            width=12,
            help="收到申请之日（条例第三十一条）："
            + "；".join(f"{CHANNEL_LABELS[c]}——{RECEIPT_RULES[c][0]}" for c in Channel)
            + "。",
        ),
        Column(
            "channel",
            "提交方式",
            "choice",
            required=True,
            choices=tuple(CHANNEL_LABELS[c] for c in Channel),
            aliases=_choice_map((alias, c.value) for c in Channel for alias in _CHANNEL_ALIASES[c]),
            width=10,
        ),
        Column(
            "applicant_type",
            "申请人类型",
            "choice",
            required=True,
            choices=tuple(label.label for label in APPLICANT_TYPES),
            aliases=_choice_map(
                [(label.label, label.key) for label in APPLICANT_TYPES]
                + [(label.key, label.key) for label in APPLICANT_TYPES]
                + [("其他组织", "other_org"), ("法人或其他组织·其他", "other_org")]
            ),
            width=14,
            help="表三的申请人列：自然人，或法人或其他组织中的商业企业、科研机构、社会公益组织、法律服务机构、其他。",
        ),
        Column(
            "applicant_id", "申请人编号", width=12, help="对应“申请人”工作表的编号（姓名、证件、联系方式记在那里）。"
        ),
        Column("request", "申请内容", width=30),
        Column(
            "correction_sent",
            "补正告知日期",
            "date",
            width=12,
            help="应自收到申请之日起7个工作日内一次性告知（条例第三十条）。",
        ),
        Column("correction_deadline", "补正期限", "date", width=12, help="补正告知书确定的补正期限。"),
        Column(
            "corrected_received",
            "收到补正日期",
            "date",
            width=12,
            help="答复期限自收到补正的申请之日起重新计算（条例第三十条）。",
        ),
        Column("consulted_party", "征求意见对象", width=14, help="第三方（条例第三十二条）或其他机关（第三十四条）。"),
        Column(
            "consultation_sent",
            "征求意见发出日期",
            "date",
            width=12,
            help="征求意见期间不计入答复期限（条例第三十三条第三款），最长按15个工作日计。"
            "征求了不止一次的，其余各次记在“征求意见”工作表。",
        ),
        Column("consultation_replied", "收到意见日期", "date", width=12),
        Column(
            "extension_notified",
            "延期告知日期",
            "date",
            width=12,
            help="经政府信息公开工作机构负责人同意延长答复期限并告知申请人的日期；延长不超过20个工作日（条例第三十三条）。",
        ),
        Column(
            "fee_notice_received",
            "收费通知送达日期",
            "date",
            width=12,
            help="申请人收到信息处理费收费通知之日；应自次日起20个工作日内缴费，逾期视为放弃申请。",
        ),
        Column("fee_amount", "收费金额（元）", "decimal", width=10),
        Column("fee_paid", "缴费日期", "date", width=12),
        Column(
            "result",
            "办理结果",
            "choice",
            choices=tuple(row.name for row in RESULT_ROWS),
            aliases=_result_aliases(),
            width=30,
            help="办结后选择表三的一项办理结果；未办结的留空，年底计入“结转下年度继续办理”。部分公开的只选（二）。",
        ),
        Column("closed", "答复日期", "date", width=12, help="答复（办结）之日；与办理结果一同填写。"),
        Column("note", "备注", width=20),
    ),
)

CONSULTATIONS = SheetSpec(
    "征求意见",
    (
        Column("application", "申请编号", required=True, width=12, help="“申请”工作表中该申请的编号。"),
        Column("party", "征求意见对象", width=18, help="第三方（条例第三十二条）或其他机关（第三十四条）。"),
        Column(
            "sent",
            "征求意见发出日期",
            "date",
            required=True,
            width=14,
            help="征求意见期间不计入答复期限（条例第三十三条第三款），最长按15个工作日计。",
        ),
        Column("replied", "收到意见日期", "date", width=12, help="尚未收到意见的留空。"),
    ),
    optional=True,
    note="一件申请征求了不止一次意见的（如征求几个第三方），每次一行；第一次也可以记在“申请”表。"
    "各次征求意见期间都不计入答复期限。",
)

APPLICANTS = SheetSpec(
    "申请人",
    (
        Column("id", "申请人编号", required=True, width=12),
        Column("name", "姓名或名称", width=16),
        Column("id_number", "证件号码", width=22),
        Column("contact", "联系方式", width=22),
    ),
    optional=True,
    note="个人信息单独保存：生成报告不读取本表；对外提供台账前可清空本表。",
)

CASES = SheetSpec(
    "复议诉讼",
    (
        Column("number", "案件编号", required=True, width=14),
        Column(
            "kind",
            "类别",
            "choice",
            required=True,
            choices=tuple(group.label for group in TABLE4.groups),
            aliases=_choice_map(
                [(group.label, group.key) for group in TABLE4.groups]
                + [(group.key, group.key) for group in TABLE4.groups]
                + [(group.short, group.key) for group in TABLE4.groups if group.short]
            ),
            width=16,
        ),
        Column("filed", "收到（立案）日期", "date", required=True, width=14),
        Column(
            "outcome",
            "结果",
            "choice",
            choices=tuple(col.label for col in TABLE4.columns if col.key != TABLE4.total_column),
            aliases=_choice_map(
                [(col.label, col.key) for col in TABLE4.columns if col.key != TABLE4.total_column]
                + [(short, key) for key, short in _OUTCOME_SHORT.items()]
                + [(key, key) for key in _OUTCOME_SHORT]
            ),
            width=12,
            help="审结后填写；留空即“尚未审结”。表四按年底时的状态统计。",
        ),
        Column("concluded", "审结日期", "date", width=12),
        Column("application", "关联申请编号", width=12),
        Column("note", "备注", width=20),
    ),
)

DOCUMENTS = SheetSpec(
    "规范性文件",
    (
        Column(
            "kind",
            "类别",
            "choice",
            required=True,
            choices=tuple(kind.label for kind in DocumentKind),
            aliases=_choice_map(
                [(kind.label, kind.value) for kind in DocumentKind]
                + [("规范性文件", DocumentKind.NORMATIVE_DOCUMENT.value)]
            ),
            width=16,
        ),
        Column("doc_number", "文号", width=20),
        Column("title", "标题", width=36),
        Column("issued", "印发日期", "date", required=True, width=12),
        Column(
            "repealed",
            "废止（失效）日期",
            "date",
            width=14,
            help="文件停止有效之日。表二的本年制发、本年废止、现行有效件数都由本表计算。",
        ),
        Column("note", "备注", width=20),
    ),
    note="本机关制发的规章和行政规范性文件，含已废止的；表二第二十条第（一）项据此计算。",
)

# 第二十条's items, as suggestions for the category of a proactively disclosed item
PROACTIVE_CATEGORIES = (
    "行政法规、规章和规范性文件",
    "机关职能、机构设置等",
    "规划及相关政策",
    "统计信息",
    "行政许可和其他对外管理服务事项",
    "行政处罚、行政强制",
    "财政预算、决算",
    "行政事业性收费",
    "政府集中采购",
    "重大建设项目",
    "扶贫、教育、医疗、社会保障、促进就业",
    "突发公共事件",
    "监督检查情况",
    "公务员招考",
    "其他",
)

PROACTIVE = SheetSpec(
    "主动公开",
    (
        Column("title", "标题", required=True, width=36),
        Column("published", "公开日期", "date", required=True, width=12),
        Column(
            "category",
            "类别",
            "choice",
            choices=PROACTIVE_CATEGORIES,
            strict=False,
            width=24,
            help="可从下拉列表（条例第二十条各项）选择，也可自行填写。",
        ),
        Column(
            "reviews",
            "审查环节",
            "list",
            width=24,
            help="公开前经过的审查，如：保密审查、合法性审查（条例第十七条）；多项用顿号分隔。",
        ),
        Column("note", "备注", width=20),
    ),
)

_T2 = {row.key: (block, row) for block, row in GOV2021.table2.rows}


def _figure_header(row_key: str) -> str:
    block, row = _T2[row_key]
    return f"{row.label}·{block.columns[0].label}"


FIGURES = SheetSpec(
    "年度数字",
    (
        Column("year", "年度", "int", required=True, width=8),
        Column("licensing", _figure_header("licensing"), "int", width=22),
        Column("punishment", _figure_header("punishment"), "int", width=22),
        Column("coercion", _figure_header("coercion"), "int", width=22),
        Column("fees", _figure_header("fees"), "decimal", width=32),
    ),
    note="表二第二十条第（五）（六）（八）项，每年一行；未填的单元格在报告中留空。",
)

REPORT_TEXTS = SheetSpec(
    "报告正文",
    (
        Column("year", "年度", "int", required=True, width=8),
        Column(
            "signed",
            "落款日期",
            "date",
            width=12,
            help="报告末尾落款的日期（成文日期）。不填则报告没有落款日期，生成时会提示。",
        ),
        *(
            Column(
                f"section_{spec.number}",
                spec.heading,
                width=40,
                help=f"填写后，报告“{spec.heading}”部分的正文即为所填内容（不再按台账自动生成）；留空则自动生成。"
                "单元格内换行（Alt+Enter）即分段。",
            )
            for spec in GOV2021.sections
        ),
    ),
    optional=True,
    note="每个年度一行：落款日期，以及要亲自撰写的各部分正文（未填的部分由台账自动生成，其中标有【待填写】处须补写）。",
)

SHEETS = (APPLICATIONS, CONSULTATIONS, CASES, DOCUMENTS, PROACTIVE, FIGURES, REPORT_TEXTS, APPLICANTS)

INSTRUCTIONS = (
    "每个工作表的第一行是列名，请勿修改或删除；从第二行起每行一条记录。带下拉箭头的列请从列表中选择。",
    "日期请按日期格式填写，如 2025-03-01。",
    "【申请】每件依申请公开申请一行。收到日期按条例第三十一条确定："
    + "；".join(f"{CHANNEL_LABELS[c]}——{RECEIPT_RULES[c][0]}" for c in Channel)
    + "。",
    "【申请】办结后填写“办理结果”和“答复日期”；未办结的两项都留空，年底自动计入“结转下年度继续办理”。"
    "补正、征求意见、延期、收费各列按实际发生填写，答复期限据此计算（见 nianbao ledger status）。",
    "【征求意见】一件申请征求了不止一次意见的，第一次记在“申请”表，其余每次在“征求意见”表记一行（填申请编号）；"
    "各次征求意见期间都不计入答复期限。",
    "【申请人】姓名、证件号码、联系方式等个人信息单独记在“申请人”工作表，“申请”表只填申请人编号；生成报告不读取个人信息。",
    "【复议诉讼】每件行政复议或行政诉讼案件一行；审结后填写结果和审结日期，未审结的结果留空。",
    "【规范性文件】本机关制发的每件规章、行政规范性文件一行（包括往年制发、仍然有效或已废止的），"
    "表二的本年制发、本年废止、现行有效件数由此计算，与上年自然衔接。",
    "【主动公开】每条主动公开的政府信息一行，用于报告正文中的主动公开条数。",
    "【年度数字】每年一行：行政许可、行政处罚、行政强制的处理决定数量和行政事业性收费金额（万元）。",
    "【报告正文】每年一行：报告的落款日期；六个部分中要亲自撰写的，把该部分全文填在对应列（单元格内 Alt+Enter 换行分段），"
    "报告即用所填内容；未填的部分由台账自动生成。",
    "查看办理情况：nianbao ledger status 台账.xlsx；生成年度报告：nianbao ledger report 台账.xlsx --year 2025 -o 报告.json",
    "有错误的行会逐行列出（如：工作表“申请”第12行：答复日期早于收到日期），改正后才生成报告。",
)


# ---------------------------------------------------------------------- writing


def write_template(path: str | os.PathLike[str], *, agency: str = "") -> None:
    """An empty ledger workbook, written atomically."""
    _save_atomically(_template(agency), Path(path))


def ledger_workbook(ledger: Ledger) -> bytes:
    """The ledger as the template's workbook, every record on its row: :func:`read_ledger`
    reads it back to the same ledger.  Refused when a record cannot be written without loss."""
    workbook = _template(ledger.agency or "")
    for spec, records in (
        (APPLICATIONS, [_application_row(app) for app in ledger.applications]),
        (CONSULTATIONS, [_consultation_row(app, c) for app in ledger.applications for c in app.consultations[1:]]),
        (CASES, [_case_row(case) for case in ledger.cases]),
        (DOCUMENTS, [_document_row(document) for document in ledger.documents]),
        (PROACTIVE, [_proactive_row(item) for item in ledger.proactive]),
        (FIGURES, [_figures_row(figures) for figures in ledger.figures]),
        (REPORT_TEXTS, [_report_texts_row(texts) for texts in ledger.report_texts]),
        (APPLICANTS, [_applicant_row(applicant) for applicant in ledger.applicants]),
    ):
        sheet = workbook[spec.name]
        for row_number, values in enumerate(records, start=2):
            for column_number, column in enumerate(spec.columns, start=1):
                value = values.get(column.key)
                if value is not None and value != "":
                    cell = sheet.cell(row=row_number, column=column_number, value=value)
                    if column.kind == "date":
                        cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _template(agency: str) -> Any:
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = INSTRUCTIONS_SHEET
    _write_instructions(instructions, agency)
    options = workbook.create_sheet(OPTIONS_SHEET)
    option_ranges: dict[tuple[str, str], str] = {}
    option_column = 0
    for spec in SHEETS:
        for column in spec.columns:
            if column.choices:
                option_column += 1
                letter = get_column_letter(option_column)
                options.cell(row=1, column=option_column, value=f"{spec.name}·{column.header}")
                for index, choice in enumerate(column.choices, start=2):
                    options.cell(row=index, column=option_column, value=choice)
                option_ranges[(spec.name, column.key)] = (
                    f"'{OPTIONS_SHEET}'!${letter}$2:${letter}${len(column.choices) + 1}"
                )
    for spec in SHEETS:
        _write_sheet(workbook.create_sheet(spec.name), spec, option_ranges)
    options.sheet_state = "hidden"
    return workbook


# The records as rows, each value in the words the drop-down lists use (the inverse of _build).
_CHANNEL_NAMES = {channel.value: CHANNEL_LABELS[channel] for channel in Channel}
_APPLICANT_TYPE_NAMES = {label.key: label.label for label in APPLICANT_TYPES}
_RESULT_NAMES = {row.key: row.name for row in RESULT_ROWS}


def _application_row(app: Application) -> dict[str, Any]:
    consultation = app.consultations[0] if app.consultations else None  # the others: _consultation_row
    return {
        "number": app.number,
        "received": app.received,
        "channel": _CHANNEL_NAMES[Channel(app.channel).value],
        "applicant_type": _APPLICANT_TYPE_NAMES.get(app.applicant_type, app.applicant_type),
        "applicant_id": app.applicant_id,
        "request": app.request,
        "correction_sent": app.correction.notice_sent if app.correction else None,
        "correction_deadline": app.correction.deadline if app.correction else None,
        "corrected_received": app.correction.corrected_received if app.correction else None,
        "consulted_party": consultation.party if consultation else None,
        "consultation_sent": consultation.sent if consultation else None,
        "consultation_replied": consultation.replied if consultation else None,
        "extension_notified": app.extension_notified,
        "fee_notice_received": app.fee.notice_received if app.fee else None,
        "fee_amount": app.fee.amount_yuan if app.fee else None,
        "fee_paid": app.fee.paid if app.fee else None,
        "result": _RESULT_NAMES.get(app.result, app.result) if app.result else None,
        "closed": app.closed,
        "note": app.note,
    }


def _consultation_row(app: Application, consultation: Consultation) -> dict[str, Any]:
    return {
        "application": app.number,
        "party": consultation.party,
        "sent": consultation.sent,
        "replied": consultation.replied,
    }


def _case_row(case: Case) -> dict[str, Any]:
    outcome = None if case.outcome is CaseOutcome.PENDING else case.outcome.label
    return {
        "number": case.number,
        "kind": case.kind.label,
        "filed": case.filed,
        "outcome": outcome,
        "concluded": case.concluded,
        "application": case.application,
        "note": case.note,
    }


def _document_row(document: NormativeDocument) -> dict[str, Any]:
    return {
        "kind": document.kind.label,
        "doc_number": document.doc_number,
        "title": document.title,
        "issued": document.issued,
        "repealed": document.repealed,
    }


def _proactive_row(item: ProactiveItem) -> dict[str, Any]:
    return {
        "title": item.title,
        "published": item.published,
        "category": item.category,
        "reviews": "、".join(item.reviews),
    }


def _figures_row(figures: YearFigures) -> dict[str, Any]:
    return {
        "year": figures.year,
        "licensing": figures.licensing,
        "punishment": figures.punishment,
        "coercion": figures.coercion,
        "fees": figures.fees_wan_yuan,
    }


def _report_texts_row(texts: ReportTexts) -> dict[str, Any]:
    sections = {f"section_{number}": text for number, text in texts.sections.items()}
    return {"year": texts.year, "signed": texts.signed, **sections}


def _applicant_row(applicant: Applicant) -> dict[str, Any]:
    return {"id": applicant.id, "name": applicant.name, "id_number": applicant.id_number, "contact": applicant.contact}


def _write_instructions(sheet: Any, agency: str) -> None:
    sheet["A1"] = "政府信息公开工作台账（nianbao）"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A3"] = AGENCY_LABEL
    sheet["A3"].font = Font(bold=True)
    sheet["B3"] = agency or None
    sheet["B3"].fill = PatternFill("solid", fgColor="FFF2CC")
    sheet["C3"] = "← 请填写本机关全称，用于报告标题"
    for index, text in enumerate(INSTRUCTIONS, start=5):
        cell = sheet.cell(row=index, column=1, value=text)
        cell.alignment = Alignment(wrap_text=False)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 40


def _write_sheet(sheet: Any, spec: SheetSpec, option_ranges: dict[tuple[str, str], str]) -> None:
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(spec.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        help_text = column.help + ("（必填）" if column.required else "")
        if help_text:
            cell.comment = Comment(help_text, "nianbao", width=300, height=120)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        cells = f"{letter}2:{letter}{DATA_ROWS + 1}"
        if column.kind == "date":
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
        if column.choices:
            validation = DataValidation(
                type="list",
                formula1=option_ranges[(spec.name, column.key)],
                allow_blank=True,
                showErrorMessage=column.strict,
                errorTitle="不在列表中",
                error=f"请从下拉列表中选择“{column.header}”。",
            )
            sheet.add_data_validation(validation)
            validation.add(cells)
    sheet.freeze_panes = "A2"
    if spec.note:
        sheet.cell(row=1, column=len(spec.columns) + 2, value=spec.note).font = Font(italic=True, color="808080")


def _save_atomically(workbook: Any, path: Path) -> None:
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError("目录不存在", source=str(directory))
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_atomic(path, buffer.getvalue())


# ---------------------------------------------------------------------- reading


@dataclass
class ReadResult:
    ledger: Ledger
    problems: list[Problem]  # cell problems and check_ledger's, errors and warnings

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "warning"]


class _RowError(Exception):
    pass


def read_ledger(path: str | os.PathLike[str]) -> ReadResult:
    """Read a ledger workbook; every bad row is in ``problems``, never silently dropped."""
    name = str(path)
    if not Path(path).is_file():
        raise InputError("文件不存在", source=name)
    try:
        workbook = load_workbook(path, data_only=True, read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(f"不是可以读取的 Excel（.xlsx）台账文件（{type(exc).__name__}）", source=name) from None
    try:
        problems: list[Problem] = []
        agency = _read_agency(workbook)
        rows: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for spec in SHEETS:
            if spec.name not in workbook.sheetnames:
                if not spec.optional:
                    problems.append(
                        Problem(f"工作表“{spec.name}”", "缺少该工作表（请使用 nianbao ledger template 生成的台账）")
                    )
                rows[spec.name] = []
                continue
            rows[spec.name] = _read_sheet(workbook[spec.name], spec, problems)
    finally:
        workbook.close()
    applications = _build(rows, APPLICATIONS, _application, problems)
    consultations = _build(rows, CONSULTATIONS, _consultation, problems)
    ledger = Ledger(
        agency=agency,
        applicants=tuple(_build(rows, APPLICANTS, _applicant, problems)),
        applications=tuple(_with_consultations(applications, consultations, problems)),
        cases=tuple(_build(rows, CASES, _case, problems)),
        documents=tuple(_build(rows, DOCUMENTS, _document, problems)),
        proactive=tuple(_build(rows, PROACTIVE, _proactive, problems)),
        figures=tuple(_build(rows, FIGURES, _figures, problems)),
        report_texts=tuple(_build(rows, REPORT_TEXTS, _report_texts, problems)),
    )
    problems.extend(check_ledger(ledger))
    return ReadResult(ledger, sorted(problems, key=_problem_order))


_ORIGIN = re.compile(r"^工作表“(.+?)”(?:第(\d+)行)?")
_SHEET_ORDER = {spec.name: index for index, spec in enumerate(SHEETS)}


def _problem_order(problem: Problem) -> tuple[int, int]:
    """Sheet by sheet, row by row; problems of records built in code last."""
    match = _ORIGIN.match(problem.where)
    if match is None:
        return (len(SHEETS), 0)
    return (_SHEET_ORDER.get(match.group(1), len(SHEETS)), int(match.group(2) or 0))


def _read_agency(workbook: Any) -> str | None:
    if INSTRUCTIONS_SHEET not in workbook.sheetnames:
        return None
    for row in workbook[INSTRUCTIONS_SHEET].iter_rows(min_row=1, max_row=20, max_col=2, values_only=True):
        if row and isinstance(row[0], str) and row[0].strip() == AGENCY_LABEL:
            value = row[1] if len(row) > 1 else None
            return (str(value).strip() or None) if value is not None else None
    return None


def _read_sheet(sheet: Any, spec: SheetSpec, problems: list[Problem]) -> list[tuple[str, dict[str, Any]]]:
    """Rows as (origin, {column key: cell value}); a row with a bad cell is reported and skipped."""
    iterator = sheet.iter_rows(values_only=True)
    header = next(iterator, None) or ()
    by_header = {label_key(column.header): column for column in spec.columns}
    positions: dict[int, Column] = {}
    for index, text in enumerate(header):
        if text is None or not str(text).strip():
            continue
        if spec.note and str(text).strip() == spec.note:
            continue  # the sheet's own note, written beside the headers
        column = by_header.get(label_key(str(text)))
        positions[index] = column if column is not None else Column(f"?{text}", str(text))
    where_sheet = f"工作表“{spec.name}”"
    present = {column.key for column in positions.values()}
    missing = [column for column in spec.columns if column.key not in present]
    if missing:
        names = "”“".join(column.header for column in missing)
        problems.append(Problem(where_sheet, f"缺少列“{names}”（第一行列名请勿修改）"))
        if any(column.required for column in missing):
            return []
    unknown = {index: column for index, column in positions.items() if column.key.startswith("?")}
    out: list[tuple[str, dict[str, Any]]] = []
    for row_number, row in enumerate(iterator, start=2):
        if row is None or all(_blank(value) for value in row):
            continue
        origin = f"{where_sheet}第{row_number}行"
        values: dict[str, Any] = {}
        bad = False
        for index, column in positions.items():
            raw = row[index] if index < len(row) else None
            if index in unknown:
                if not _blank(raw):
                    problems.append(
                        Problem(origin, f"“{column.header}”列不是台账的列，其内容“{raw}”不会使用", "warning")
                    )
                continue
            try:
                values[column.key] = _cell(column, raw)
            except _RowError as exc:
                problems.append(Problem(origin, str(exc)))
                bad = True
        if not bad:
            out.append((origin, values))
    return out


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell(column: Column, raw: Any) -> Any:
    if _blank(raw):
        if column.required:
            raise _RowError(f"未填“{column.header}”")
        return None
    if column.kind == "date":
        return _date(column, raw)
    if column.kind == "int":
        return _int(column, raw)
    if column.kind == "decimal":
        return _decimal(column, raw)
    text = str(raw).strip()
    if column.kind == "choice":
        value = column.aliases.get(label_key(text)) if column.aliases else None
        if value is not None:
            return value
        if not column.strict:
            return text
        if column.choices and label_key(text) in {label_key(choice) for choice in column.choices}:
            return text
        options = "、".join(column.choices) if len(column.choices) <= 8 else f"共{len(column.choices)}项"
        raise _RowError(f"{column.header}“{text}”不在下拉列表中（{options}）")
    if column.kind == "list":
        return tuple(part.strip() for part in re.split(r"[、,，;；/\n]+", text) if part.strip())
    return text


def _date(column: Column, raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, (int, float)):
        raise _RowError(f"{column.header}是数字“{raw:g}”，不是日期（请把该单元格设为日期格式后重新填写）")
    typed = typed_date(str(raw))
    if typed is not None:
        return typed
    raise _RowError(f"{column.header}“{raw}”不是有效日期（应如 2025-03-01）")


def _int(column: Column, raw: Any) -> int:
    value: Decimal
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        raise _RowError(f"{column.header}“{raw}”不是数字") from None
    if value != value.to_integral_value():
        raise _RowError(f"{column.header}应为整数，却是“{raw}”")
    if value < 0:
        raise _RowError(f"{column.header}不能为负数（{raw}）")
    return int(value)


def _decimal(column: Column, raw: Any) -> Decimal:
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        raise _RowError(f"{column.header}“{raw}”不是数字") from None
    if not value.is_finite() or value < 0:
        raise _RowError(f"{column.header}不能为负数或非数字（{raw}）")
    return value


def _build(
    rows: dict[str, list[tuple[str, dict[str, Any]]]],
    spec: SheetSpec,
    make: Callable[[str, dict[str, Any]], Any],
    problems: list[Problem],
) -> list[Any]:
    out = []
    for origin, values in rows[spec.name]:
        try:
            out.append(make(origin, values))
        except _RowError as exc:
            problems.append(Problem(origin, str(exc)))
    return out


def _requires(values: dict[str, Any], spec: SheetSpec, needed: str, *dependents: str) -> None:
    filled = [key for key in dependents if values.get(key) is not None]
    if filled and values.get(needed) is None:
        names = "、".join(f"“{spec.column(key).header}”" for key in filled)
        raise _RowError(f"填了{names}，但未填“{spec.column(needed).header}”")


def _applicant(origin: str, v: dict[str, Any]) -> Applicant:
    return Applicant(
        origin=origin,
        id=v["id"],
        name=v.get("name") or "",
        id_number=v.get("id_number") or "",
        contact=v.get("contact") or "",
    )


def _application(origin: str, v: dict[str, Any]) -> Application:
    spec = APPLICATIONS
    _requires(v, spec, "correction_sent", "correction_deadline", "corrected_received")
    _requires(v, spec, "consultation_sent", "consultation_replied", "consulted_party")
    _requires(v, spec, "fee_notice_received", "fee_amount", "fee_paid")
    correction = (
        Correction(
            notice_sent=v["correction_sent"],
            deadline=v.get("correction_deadline"),
            corrected_received=v.get("corrected_received"),
        )
        if v.get("correction_sent")
        else None
    )
    consultations = (
        (Consultation(v["consultation_sent"], v.get("consultation_replied"), v.get("consulted_party") or ""),)
        if v.get("consultation_sent")
        else ()
    )
    fee = (
        FeeNotice(notice_received=v["fee_notice_received"], amount_yuan=v.get("fee_amount"), paid=v.get("fee_paid"))
        if v.get("fee_notice_received")
        else None
    )
    return Application(
        origin=origin,
        number=v["number"],
        received=v["received"],
        channel=Channel(v["channel"]),
        applicant_type=v["applicant_type"],
        applicant_id=v.get("applicant_id"),
        request=v.get("request") or "",
        correction=correction,
        consultations=consultations,
        extension_notified=v.get("extension_notified"),
        fee=fee,
        result=v.get("result"),
        closed=v.get("closed"),
        note=v.get("note") or "",
    )


def _consultation(origin: str, v: dict[str, Any]) -> tuple[str, Consultation]:
    """A row of the 征求意见 sheet: the application's number and the consultation."""
    return v["application"], Consultation(v["sent"], v.get("replied"), v.get("party") or "", origin=origin)


def _with_consultations(
    applications: list[Application], consultations: list[tuple[str, Consultation]], problems: list[Problem]
) -> list[Application]:
    """The applications with the consultations of the 征求意见 sheet after the one on their row."""
    numbers = {app.number for app in applications}
    extra: dict[str, list[Consultation]] = {}
    for number, consultation in consultations:
        if number in numbers:
            extra.setdefault(number, []).append(consultation)
        else:
            where = consultation.origin or f"工作表“{CONSULTATIONS.name}”"
            problems.append(Problem(where, f"申请编号“{number}”在“申请”表中找不到（或该行有错误未能读入）"))
    return [
        app.model_copy(update={"consultations": (*app.consultations, *extra[app.number])})
        if app.number in extra
        else app
        for app in applications
    ]


def _case(origin: str, v: dict[str, Any]) -> Case:
    return Case(
        origin=origin,
        number=v["number"],
        kind=CaseKind(v["kind"]),
        filed=v["filed"],
        outcome=CaseOutcome(v.get("outcome") or CaseOutcome.PENDING.value),
        concluded=v.get("concluded"),
        application=v.get("application"),
        note=v.get("note") or "",
    )


def _document(origin: str, v: dict[str, Any]) -> NormativeDocument:
    return NormativeDocument(
        origin=origin,
        kind=DocumentKind(v["kind"]),
        doc_number=v.get("doc_number") or "",
        title=v.get("title") or "",
        issued=v["issued"],
        repealed=v.get("repealed"),
    )


def _proactive(origin: str, v: dict[str, Any]) -> ProactiveItem:
    return ProactiveItem(
        origin=origin,
        title=v["title"],
        published=v["published"],
        category=v.get("category") or "",
        reviews=v.get("reviews") or (),
    )


def _year(v: dict[str, Any]) -> int:
    year: int = v["year"]
    if not 1990 <= year <= 2100:
        raise _RowError(f"年度“{year}”不是有效年份")
    return year


def _figures(origin: str, v: dict[str, Any]) -> YearFigures:
    year = _year(v)
    return YearFigures(
        origin=origin,
        year=year,
        licensing=v.get("licensing"),
        punishment=v.get("punishment"),
        coercion=v.get("coercion"),
        fees_wan_yuan=v.get("fees"),
    )


def _report_texts(origin: str, v: dict[str, Any]) -> ReportTexts:
    sections = {}
    for spec in GOV2021.sections:
        text = v.get(f"section_{spec.number}")
        if text:  # a cell's line breaks (Alt+Enter) are the section's paragraphs
            sections[str(spec.number)] = re.sub(r"\r\n?", "\n", text)
    return ReportTexts(origin=origin, year=_year(v), signed=v.get("signed"), sections=sections)


__all__ = ["SHEETS", "ReadResult", "ledger_workbook", "read_ledger", "write_template"]
