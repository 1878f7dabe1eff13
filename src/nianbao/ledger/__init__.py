"""The agency's ledger: working-day calendar, statutory deadlines, cases, and tables 2–4.

- :mod:`.calendar`: working days from ``chinesecalendar`` plus the user's override table;
  years nobody has described raise :class:`CalendarNotCoveredError`;
- :mod:`.deadlines`: the answer deadline after 条例第三十条至第三十三条 and 第四十二条;
- :mod:`.cases`: applications, applicants (personal data, kept apart), review and litigation
  cases, the register of 规章/行政规范性文件, 主动公开 items, the year's figures;
- :mod:`.tables`: a ``nianbao.report/1`` report whose tables add up by construction;
- :mod:`.status`: due soon, overdue, waiting for 补正, a reply or a fee;
- :mod:`.spreadsheet`: the ledger as an .xlsx workbook (template and reading);
- :mod:`.export`: writing the report (JSON, other formats through ``nianbao.render``).

docs/ledger.md explains the counting rules with the article each comes from.
"""

from __future__ import annotations

from .calendar import CalendarNotCoveredError, CalendarOverrideError, WorkCalendar, load_calendar
from .cases import (
    Applicant,
    Application,
    Case,
    CaseKind,
    CaseOutcome,
    Correction,
    DocumentKind,
    FeeNotice,
    Ledger,
    LedgerDataError,
    NormativeDocument,
    ProactiveItem,
    Problem,
    YearFigures,
    check_ledger,
)
from .deadlines import Channel, Consultation, Deadline, answer_deadline, correction_notice_due, fee_payment_due
from .tables import build_report, ledger_warnings, table2_values, table3_counts, table4_counts

__all__ = [
    "Applicant",
    "Application",
    "CalendarNotCoveredError",
    "CalendarOverrideError",
    "Case",
    "CaseKind",
    "CaseOutcome",
    "Channel",
    "Consultation",
    "Correction",
    "Deadline",
    "DocumentKind",
    "FeeNotice",
    "Ledger",
    "LedgerDataError",
    "NormativeDocument",
    "ProactiveItem",
    "Problem",
    "WorkCalendar",
    "YearFigures",
    "answer_deadline",
    "build_report",
    "check_ledger",
    "correction_notice_due",
    "fee_payment_due",
    "ledger_warnings",
    "load_calendar",
    "table2_values",
    "table3_counts",
    "table4_counts",
]
