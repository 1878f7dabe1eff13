"""Where each application stands today: due soon, overdue, waiting for 补正, a reply or a fee.

The answer deadline comes from :mod:`.deadlines`; a date the calendar does not cover makes that
application's status ``unknown`` with the calendar's message (never a guessed date).  Everything
here is data: ``nianbao ledger status`` draws it as a table or prints :meth:`LedgerStatus.dump`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from .calendar import CalendarNotCoveredError, WorkCalendar
from .cases import NO_CORRECTION, NO_FEE, Application, Ledger, Problem
from .deadlines import Deadline, answer_deadline, consultation_limit, correction_notice_due, fee_payment_due

DUE_SOON_WORKDAYS = 5


class State(StrEnum):
    UNKNOWN = "unknown"
    OVERDUE = "overdue"
    CORRECTION_LAPSED = "correction_lapsed"
    FEE_LAPSED = "fee_lapsed"
    DUE_SOON = "due_soon"
    WAITING_CORRECTION = "waiting_correction"
    WAITING_FEE = "waiting_fee"
    WAITING_CONSULTATION = "waiting_consultation"
    OPEN = "open"
    CLOSED_LATE = "closed_late"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    State.UNKNOWN: "无法计算期限",
    State.OVERDUE: "已逾期",
    State.CORRECTION_LAPSED: "补正期限已过",
    State.FEE_LAPSED: "缴费期限已过",
    State.DUE_SOON: "即将到期",
    State.WAITING_CORRECTION: "等待补正",
    State.WAITING_FEE: "等待缴费",
    State.WAITING_CONSULTATION: "等待征求意见回复",
    State.OPEN: "办理中",
    State.CLOSED_LATE: "已办结（逾期答复）",
    State.CLOSED: "已办结",
}
_ORDER = {state: index for index, state in enumerate(State)}  # most urgent first
# a period has passed with nothing done: someone must act today
ATTENTION = frozenset({State.OVERDUE, State.CORRECTION_LAPSED, State.FEE_LAPSED})


@dataclass(frozen=True)
class ApplicationStatus:
    application: Application
    state: State
    due: dt.date | None = None  # the answer deadline, when the clock is running
    workdays_left: int | None = None  # working days after today up to the due date
    notes: tuple[str, ...] = field(default=())
    deadline: Deadline | None = None

    @property
    def number(self) -> str:
        return self.application.number

    def dump(self) -> dict[str, Any]:
        """The JSON form (``nianbao ledger status --json``); the applicant's data stays out."""
        return {
            "number": self.number,
            "received": self.application.received.isoformat(),
            "state": self.state.value,
            "label": self.state.label,
            "due": self.due.isoformat() if self.due else None,
            "workdays_left": self.workdays_left,
            "notes": list(self.notes),
        }


def application_status(
    app: Application, calendar: WorkCalendar, today: dt.date, *, soon: int = DUE_SOON_WORKDAYS
) -> ApplicationStatus:
    try:
        return _status(app, calendar, today, soon)
    except CalendarNotCoveredError as exc:
        return ApplicationStatus(app, State.UNKNOWN, notes=(str(exc),))


def _deadline(app: Application, calendar: WorkCalendar) -> Deadline:
    correction = app.correction
    return answer_deadline(
        calendar,
        app.received,
        channel=app.channel,
        corrected=correction.corrected_received if correction else None,
        extended=app.extension_notified is not None,
        consultations=app.consultations,
    )


def _status(app: Application, calendar: WorkCalendar, today: dt.date, soon: int) -> ApplicationStatus:
    notes: list[str] = []
    correction = app.correction
    if correction is not None:
        notice_due = correction_notice_due(calendar, app.received)
        if correction.notice_sent > notice_due:
            notes.append(f"补正告知于{correction.notice_sent}发出，晚于法定期限{notice_due}（条例第三十条）")
    if app.result is not None and app.closed is not None and app.closed <= today:
        return _closed_status(app, calendar, notes)
    if correction is not None and correction.corrected_received is None:
        if correction.deadline is None:
            return ApplicationStatus(app, State.WAITING_CORRECTION, notes=("等待补正（未填补正期限）", *notes))
        if today > correction.deadline:
            notes.insert(0, f"补正期限{correction.deadline}已过仍未补正：可按视为放弃申请办结（表三（六）1）")
            return ApplicationStatus(app, State.CORRECTION_LAPSED, notes=tuple(notes))
        notes.insert(0, f"等待补正，补正期限{correction.deadline}")
        return ApplicationStatus(app, State.WAITING_CORRECTION, notes=tuple(notes))
    deadline = _deadline(app, calendar)
    if app.extension_notified is not None and app.extension_notified > deadline.original_due:
        notes.append(f"延期告知于{app.extension_notified}，晚于原答复期限{deadline.original_due}（条例第三十三条）")
    left = calendar.workdays_between(today, deadline.due)
    if app.fee is not None and app.fee.paid is None:
        payment_due = fee_payment_due(calendar, app.fee.notice_received)
        if today > payment_due:
            notes.insert(0, f"缴费期限{payment_due}已过仍未缴费：可按视为放弃申请办结（表三（六）2）")
            return ApplicationStatus(app, State.FEE_LAPSED, deadline.due, left, tuple(notes), deadline)
        notes.insert(0, f"等待缴纳信息处理费，缴费期限{payment_due}")
        return ApplicationStatus(app, State.WAITING_FEE, deadline.due, left, tuple(notes), deadline)
    waiting = [c for c in app.consultations if c.replied is None]
    for consultation in waiting:
        limit = consultation_limit(calendar, consultation.sent)
        if today > limit:
            notes.append(f"征求意见（{consultation.sent}发出）的15个工作日意见期限{limit}已过，恢复计时")
        else:
            notes.append(f"等待征求意见回复，意见期限{limit}；答复期限随回复日期提前")
    if today > deadline.due:
        notes.insert(0, f"答复期限{deadline.due}已过{-left}个工作日")
        return ApplicationStatus(app, State.OVERDUE, deadline.due, left, tuple(notes), deadline)
    if any(today <= consultation_limit(calendar, c.sent) for c in waiting):
        return ApplicationStatus(app, State.WAITING_CONSULTATION, deadline.due, left, tuple(notes), deadline)
    state = State.DUE_SOON if left <= soon else State.OPEN
    return ApplicationStatus(app, state, deadline.due, left, tuple(notes), deadline)


def _closed_status(app: Application, calendar: WorkCalendar, notes: list[str]) -> ApplicationStatus:
    if app.result in (NO_CORRECTION, NO_FEE) or app.closed is None:
        return ApplicationStatus(app, State.CLOSED, notes=tuple(notes))
    deadline = _deadline(app, calendar)
    if app.closed > deadline.due:
        late = calendar.workdays_between(deadline.due, app.closed)
        notes.insert(0, f"答复日期{app.closed}晚于答复期限{deadline.due}（晚{late}个工作日）")
        return ApplicationStatus(app, State.CLOSED_LATE, deadline.due, None, tuple(notes), deadline)
    return ApplicationStatus(app, State.CLOSED, deadline.due, None, tuple(notes), deadline)


def ledger_status(
    ledger: Ledger,
    calendar: WorkCalendar,
    today: dt.date,
    *,
    soon: int = DUE_SOON_WORKDAYS,
    include_closed: bool = False,
) -> list[ApplicationStatus]:
    """Every application received by ``today`` (open ones only unless ``include_closed``), most
    urgent first."""
    statuses = []
    for app in ledger.applications:
        if app.received > today:
            continue
        if not include_closed and app.result is not None and app.closed is not None and app.closed <= today:
            continue
        statuses.append(application_status(app, calendar, today, soon=soon))
    return sorted(statuses, key=lambda s: (_ORDER[s.state], s.due or dt.date.max, s.number))


def state_counts(statuses: Iterable[ApplicationStatus]) -> dict[State, int]:
    """How many applications are in each state, every state present (0 when none), most urgent first."""
    counts = Counter(status.state for status in statuses)
    return {state: counts[state] for state in State}


def summary(statuses: Iterable[ApplicationStatus]) -> str:
    counts = state_counts(statuses)
    if not any(counts.values()):
        return "没有需要办理的申请。"
    return "；".join(f"{state.label}{count}件" for state, count in counts.items() if count)


@dataclass(frozen=True)
class LedgerStatus:
    """Where a ledger stands on a day: its applications, most urgent first, and the rows that
    could not be counted (``problems``: errors and warnings of the workbook)."""

    today: dt.date
    applications: tuple[ApplicationStatus, ...]
    problems: tuple[Problem, ...] = ()

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "error"]

    @property
    def states(self) -> set[State]:
        return {status.state for status in self.applications}

    def summary(self) -> str:
        return summary(self.applications)

    def dump(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "summary": self.summary(),
            "counts": {state.value: count for state, count in state_counts(self.applications).items()},
            "applications": [status.dump() for status in self.applications],
            "problems": [asdict(problem) for problem in self.problems],
        }
