"""What the agency records during the year: the ledger.

- :class:`Application`: one 依申请公开 application, with its receipt, channel, applicant type
  (a table 3 column), the steps taken (补正, consultations, extension, fee notice) and its
  outcome (one of the table 3 result rows) with the reply date;
- :class:`Applicant`: the applicant's personal data, kept apart and referenced by id; the tables
  never read it;
- :class:`Case`: a 行政复议 or 行政诉讼 case (a table 4 group) and its outcome (a table 4 column);
- :class:`NormativeDocument`: the register of 规章 and 行政规范性文件 from which table 2 （一） is
  computed;
- :class:`YearFigures`: the year's 行政许可/处罚/强制 decision counts and 行政事业性收费 total;
- :class:`ProactiveItem`: the register of 主动公开 items, for the narrative's counts;
- :class:`ReportTexts`: per year, what people write for the report (落款日期, section texts).

Keys are the ``nianbao.report/1`` contract keys and labels come from ``formats.gov2021``.
:func:`check_ledger` lists every record that cannot be right (a reply before receipt, an
outcome that contradicts the steps …), so nothing is counted silently.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import NianbaoError
from ..formats import GOV2021
from ..formats.spec import Label
from .deadlines import Channel, Consultation

TABLE3 = GOV2021.table3
TABLE4 = GOV2021.table4

# table 3 columns an application can fall in (总计 is their sum)
APPLICANT_TYPES: tuple[Label, ...] = TABLE3.applicant_columns
APPLICANT_TYPE_KEYS: tuple[str, ...] = tuple(label.key for label in APPLICANT_TYPES)
# the 21 result rows （七）总计 sums, in printed order
RESULT_ROWS: tuple[Label, ...] = tuple(TABLE3.row(key) for key in TABLE3.result_rows)
RESULT_KEYS: tuple[str, ...] = TABLE3.result_rows

NO_CORRECTION = "other_no_correction"  # （六）1: 逾期不补正 (第三十条)
NO_FEE = "other_no_fee"  # （六）2: 逾期未缴费 (第四十二条)
UNCLEAR_AFTER_CORRECTION = "unavailable_unclear"  # （四）3: 补正后申请内容仍不明确 (第三十条)


class CaseKind(StrEnum):
    """The three groups of table 4."""

    REVIEW = "review"
    LITIGATION_DIRECT = "litigation_direct"
    LITIGATION_AFTER_REVIEW = "litigation_after_review"

    @property
    def label(self) -> str:
        return {group.key: group.label for group in TABLE4.groups}[self.value]


class CaseOutcome(StrEnum):
    """The result columns of table 4 (总计 is their sum)."""

    UPHELD = "upheld"
    CORRECTED = "corrected"
    OTHER = "other"
    PENDING = "pending"

    @property
    def label(self) -> str:
        return {col.key: col.label for col in TABLE4.columns}[self.value]


class DocumentKind(StrEnum):
    """The two rows of table 2 第二十条第（一）项."""

    REGULATION = "regulations"
    NORMATIVE_DOCUMENT = "normative_documents"

    @property
    def label(self) -> str:
        return {row.key: row.label for _block, row in GOV2021.table2.rows}[self.value]


class LedgerModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    origin: str | None = None  # where the record came from, e.g. 工作表“申请”第12行


class Applicant(LedgerModel):
    """Personal data of an applicant; only applications refer to it, by ``id``."""

    id: str
    name: str = ""
    id_number: str = ""  # 身份证明
    contact: str = ""


class Correction(LedgerModel):
    """A one-time 补正 notice (第三十条)."""

    notice_sent: dt.date
    deadline: dt.date | None = None  # the 补正期限 the notice set
    corrected_received: dt.date | None = None  # receipt of the corrected application


class FeeNotice(LedgerModel):
    """A 信息处理费 notice (第四十二条; 国办函〔2020〕109号)."""

    notice_received: dt.date  # the day the applicant received the notice
    amount_yuan: Decimal | None = None
    paid: dt.date | None = None


class Application(LedgerModel):
    number: str
    received: dt.date  # the date of receipt as 第三十一条 defines it for the channel
    channel: Channel = Channel.IN_PERSON
    applicant_type: str  # a table 3 column key
    applicant_id: str | None = None  # → Applicant.id
    request: str = ""  # what was asked
    correction: Correction | None = None
    consultations: tuple[Consultation, ...] = ()
    extension_notified: dt.date | None = None  # the approved extension was notified on this day
    fee: FeeNotice | None = None
    result: str | None = None  # a table 3 result row key
    closed: dt.date | None = None  # the reply (办结) date
    note: str = ""

    @property
    def where(self) -> str:
        return self.origin or f"申请“{self.number}”"

    def is_open_at(self, day: dt.date) -> bool:
        """Received by ``day`` and not yet answered at its end."""
        return self.received <= day and (self.closed is None or self.closed > day)

    def closed_in(self, year: int) -> bool:
        return self.closed is not None and self.closed.year == year


class Case(LedgerModel):
    """A 行政复议 or 行政诉讼 case about the agency's 政府信息公开 work."""

    number: str
    kind: CaseKind
    filed: dt.date  # the day the agency learnt of it (受理/立案)
    outcome: CaseOutcome = CaseOutcome.PENDING
    concluded: dt.date | None = None  # 审结 date
    application: str | None = None  # the application it is about, if any
    note: str = ""

    @property
    def where(self) -> str:
        return self.origin or f"案件“{self.number}”"

    def outcome_at(self, day: dt.date) -> CaseOutcome | None:
        """The outcome as known at the end of ``day``; None if the case had not begun."""
        if self.filed > day:
            return None
        if self.outcome is not CaseOutcome.PENDING and self.concluded is not None and self.concluded <= day:
            return self.outcome
        return CaseOutcome.PENDING

    def active_in(self, year: int) -> bool:
        """Filed by the year's end and not concluded before it began."""
        return self.filed.year <= year and (self.concluded is None or self.concluded.year >= year)


class NormativeDocument(LedgerModel):
    kind: DocumentKind
    doc_number: str = ""  # 文号
    title: str = ""
    issued: dt.date
    repealed: dt.date | None = None  # the day it ceased to be in force (废止或失效)

    @property
    def where(self) -> str:
        return self.origin or f"{self.kind.label}“{self.doc_number or self.title}”"

    def in_force_at(self, day: dt.date) -> bool:
        return self.issued <= day and (self.repealed is None or self.repealed > day)


class ProactiveItem(LedgerModel):
    title: str
    published: dt.date
    category: str = ""
    reviews: tuple[str, ...] = ()  # the review steps it passed (保密审查 …, 第十七条)


class YearFigures(LedgerModel):
    """The rest of table 2 for one year; None = not recorded (the cell stays blank)."""

    year: int
    licensing: int | None = Field(default=None, ge=0)
    punishment: int | None = Field(default=None, ge=0)
    coercion: int | None = Field(default=None, ge=0)
    fees_wan_yuan: Decimal | None = Field(default=None, ge=0)  # 本年收费金额（单位：万元）


SECTION_NUMBERS: tuple[str, ...] = tuple(str(spec.number) for spec in GOV2021.sections)


class ReportTexts(LedgerModel):
    """What people write for the report on one year, where the ledger has nothing to count: the
    落款日期, and for any of the six sections its whole text, in place of the generated one."""

    year: int
    signed: dt.date | None = None  # 落款日期 (the report's ``published``)
    sections: dict[str, str] = Field(default_factory=dict)  # section number ("1"–"6") → its text


class Ledger(LedgerModel):
    agency: str | None = None
    applicants: tuple[Applicant, ...] = ()
    applications: tuple[Application, ...] = ()
    cases: tuple[Case, ...] = ()
    documents: tuple[NormativeDocument, ...] = ()
    proactive: tuple[ProactiveItem, ...] = ()
    figures: tuple[YearFigures, ...] = ()
    report_texts: tuple[ReportTexts, ...] = ()

    def figures_for(self, year: int) -> YearFigures | None:
        for figures in self.figures:
            if figures.year == year:
                return figures
        return None

    def texts_for(self, year: int) -> ReportTexts | None:
        return next((texts for texts in self.report_texts if texts.year == year), None)


# ---------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """A record that cannot be counted as it stands (error) or looks wrong (warning)."""

    where: str  # 工作表“申请”第12行, or the record's number
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        return f"{self.where}：{self.message}"


class LedgerDataError(NianbaoError):
    """The ledger has records that cannot be counted; the report is not produced."""

    def __init__(self, problems: list[Problem]) -> None:
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"台账有{len(errors)}处错误，未生成报告")
        self.problems = problems


def _before(later: dt.date | None, earlier: dt.date | None) -> bool:
    return later is not None and earlier is not None and later < earlier


def check_application(app: Application) -> list[Problem]:
    out: list[Problem] = []

    def error(message: str) -> None:
        out.append(Problem(app.where, message))

    if app.applicant_type not in APPLICANT_TYPE_KEYS:
        error(f"申请人类型“{app.applicant_type}”不是表三的申请人列")
    if app.result is not None and app.result not in RESULT_KEYS:
        error(f"办理结果“{app.result}”不是表三的办理结果行")
    if app.result is not None and app.closed is None:
        error("已填办理结果，但未填答复日期")
    if app.closed is not None and app.result is None:
        error("已填答复日期，但未填办理结果")
    if _before(app.closed, app.received):
        error("答复日期早于收到日期")
    correction = app.correction
    if correction is not None:
        if _before(correction.notice_sent, app.received):
            error("补正告知日期早于收到日期")
        if _before(correction.deadline, correction.notice_sent):
            error("补正期限早于补正告知日期")
        if _before(correction.corrected_received, correction.notice_sent):
            error("收到补正日期早于补正告知日期")
        if _before(app.closed, correction.corrected_received):
            error("答复日期早于收到补正日期")
    for consultation in app.consultations:  # each said where it was recorded (a row of its own, or the application's)
        where = consultation.origin or app.where
        if _before(consultation.sent, app.received):
            out.append(Problem(where, "征求意见发出日期早于收到日期"))
        if _before(consultation.replied, consultation.sent):
            out.append(Problem(where, "收到意见日期早于征求意见发出日期"))
    if _before(app.extension_notified, app.received):
        error("延期告知日期早于收到日期")
    fee = app.fee
    if fee is not None:
        if _before(fee.notice_received, app.received):
            error("收费通知送达日期早于收到日期")
        if _before(fee.paid, fee.notice_received):
            error("缴费日期早于收费通知送达日期")
    if app.result == NO_CORRECTION:
        if correction is None:
            error("办理结果为（六）1逾期不补正，但没有补正告知记录")
        else:
            if (
                correction.corrected_received is not None
                and correction.deadline is not None
                and correction.corrected_received <= correction.deadline
            ):
                error("办理结果为（六）1逾期不补正，但申请人已在补正期限内补正")
            if correction.deadline is None:
                error("办理结果为（六）1逾期不补正，但未填补正期限")
            elif _before(app.closed, correction.deadline + dt.timedelta(days=1)):
                error("补正期限届满之前不能按（六）1逾期不补正办结")
    if app.result == UNCLEAR_AFTER_CORRECTION and (correction is None or correction.corrected_received is None):
        error("办理结果为（四）3补正后申请内容仍不明确，但没有补正及收到补正的记录")
    if app.result == NO_FEE:
        if fee is None:
            error("办理结果为（六）2逾期未缴费，但没有收费通知记录")
        elif fee.paid is not None:
            error("办理结果为（六）2逾期未缴费，但已填缴费日期")
    return out


def check_case(case: Case) -> list[Problem]:
    out: list[Problem] = []
    if _before(case.concluded, case.filed):
        out.append(Problem(case.where, "审结日期早于收到（立案）日期"))
    if case.outcome is not CaseOutcome.PENDING and case.concluded is None:
        out.append(Problem(case.where, f"结果为“{case.outcome.label}”，但未填审结日期"))
    if case.outcome is CaseOutcome.PENDING and case.concluded is not None:
        out.append(Problem(case.where, "结果为“尚未审结”，却填了审结日期"))
    return out


def check_document(document: NormativeDocument) -> list[Problem]:
    out: list[Problem] = []
    if _before(document.repealed, document.issued):
        out.append(Problem(document.where, "废止（失效）日期早于印发日期"))
    if not document.doc_number and not document.title:
        out.append(Problem(document.where, "文号和标题都为空"))
    return out


def check_ledger(ledger: Ledger) -> list[Problem]:
    """Every problem of every record, errors and warnings, in register order."""
    problems: list[Problem] = []
    numbers = Counter(app.number for app in ledger.applications)
    applicant_ids = {applicant.id for applicant in ledger.applicants}
    for app in ledger.applications:
        if numbers[app.number] > 1:
            problems.append(Problem(app.where, f"申请编号“{app.number}”重复（共{numbers[app.number]}处）"))
        problems.extend(check_application(app))
        # the applicants' register may have been emptied before sharing (personal data)
        if applicant_ids and app.applicant_id and app.applicant_id not in applicant_ids:
            problems.append(
                Problem(app.where, f"申请人编号“{app.applicant_id}”在申请人登记中找不到", severity="warning")
            )
    case_numbers = Counter(case.number for case in ledger.cases)
    application_numbers = set(numbers)
    for case in ledger.cases:
        if case_numbers[case.number] > 1:
            problems.append(Problem(case.where, f"案件编号“{case.number}”重复（共{case_numbers[case.number]}处）"))
        problems.extend(check_case(case))
        if case.application and case.application not in application_numbers:
            problems.append(
                Problem(case.where, f"关联申请编号“{case.application}”在申请登记中找不到", severity="warning")
            )
    doc_numbers = Counter((doc.kind, doc.doc_number) for doc in ledger.documents if doc.doc_number)
    for document in ledger.documents:
        if document.doc_number and doc_numbers[(document.kind, document.doc_number)] > 1:
            problems.append(Problem(document.where, f"文号“{document.doc_number}”重复登记，会重复计数"))
        problems.extend(check_document(document))
    years = Counter(figures.year for figures in ledger.figures)
    for figures in ledger.figures:
        if years[figures.year] > 1:
            problems.append(Problem(figures.origin or f"{figures.year}年度数字", f"{figures.year}年的数字填了不止一行"))
    text_years = Counter(texts.year for texts in ledger.report_texts)
    for texts in ledger.report_texts:
        where = texts.origin or f"{texts.year}年度报告正文"
        if text_years[texts.year] > 1:
            problems.append(Problem(where, f"{texts.year}年的报告正文填了不止一行"))
        unknown = sorted(set(texts.sections) - set(SECTION_NUMBERS))
        if unknown:
            problems.append(Problem(where, f"报告正文只有第1至第6部分，没有第{'、'.join(unknown)}部分"))
    return problems


def errors_of(problems: list[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.severity == "error"]
