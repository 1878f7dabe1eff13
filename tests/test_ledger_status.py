"""Where applications stand: due soon, overdue, waiting for 补正, a reply or a fee.

Dates over the 2025 calendar (《国务院办公厅关于2025年部分节假日安排的通知》: 国庆节、中秋节
10月1日至8日放假，9月28日、10月11日上班).  A receipt on 2025-09-30 is due on 2025-11-04
(counted in test_ledger_deadlines.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from nianbao.ledger.calendar import WorkCalendar
from nianbao.ledger.cases import Application, Correction, FeeNotice, Ledger
from nianbao.ledger.deadlines import Consultation
from nianbao.ledger.status import ATTENTION, LedgerStatus, State, application_status, ledger_status, summary

D = dt.date
CAL = WorkCalendar()


def app(**changes: object) -> Application:
    base: dict[str, object] = {"number": "1", "received": D(2025, 9, 30), "applicant_type": "natural_person"}
    return Application.model_validate({**base, **changes})


def test_open_due_soon_and_overdue() -> None:
    # today 10-09: working days after it up to 11-04: 10-10, 10-11, 13–17, 20–24, 27–31, 11-03, 11-04 = 19
    status = application_status(app(), CAL, D(2025, 10, 9))
    assert (status.state, status.due, status.workdays_left) == (State.OPEN, D(2025, 11, 4), 19)
    # today 10-30: 10-31, 11-03, 11-04 are left
    status = application_status(app(), CAL, D(2025, 10, 30))
    assert (status.state, status.workdays_left) == (State.DUE_SOON, 3)
    status = application_status(app(), CAL, D(2025, 11, 4))
    assert (status.state, status.workdays_left) == (State.DUE_SOON, 0)
    status = application_status(app(), CAL, D(2025, 11, 5))
    assert (status.state, status.workdays_left) == (State.OVERDUE, -1)
    assert status.notes[0] == "答复期限2025-11-04已过1个工作日"


def test_waiting_for_correction_and_its_deadline_passing() -> None:
    correction = Correction(notice_sent=D(2025, 10, 20), deadline=D(2025, 11, 3))
    waiting = application_status(app(correction=correction), CAL, D(2025, 10, 25))
    assert waiting.state is State.WAITING_CORRECTION and waiting.due is None
    # the notice was due by 10-16 (7th working day after 09-30)
    assert any("晚于法定期限2025-10-16" in note for note in waiting.notes)
    lapsed = application_status(app(correction=correction), CAL, D(2025, 11, 4))
    assert lapsed.state is State.CORRECTION_LAPSED
    assert "表三（六）1" in lapsed.notes[0]
    corrected = Correction(notice_sent=D(2025, 10, 9), deadline=D(2025, 10, 20), corrected_received=D(2025, 10, 20))
    # clock restarts on 10-20: due 11-17 (see test_ledger_deadlines); from 11-10: 11-11..11-14, 11-17 left
    status = application_status(app(correction=corrected), CAL, D(2025, 11, 10))
    assert (status.state, status.due, status.workdays_left) == (State.DUE_SOON, D(2025, 11, 17), 5)


def test_waiting_for_a_consultation_reply() -> None:
    consulted = app(received=D(2025, 3, 3), consultations=(Consultation(D(2025, 3, 10)),))
    status = application_status(consulted, CAL, D(2025, 3, 20))
    assert status.state is State.WAITING_CONSULTATION
    assert status.due == D(2025, 4, 22) and status.deadline is not None and status.deadline.provisional
    # the reply period ended on 03-31: the clock runs again
    status = application_status(consulted, CAL, D(2025, 4, 2))
    assert status.state is State.OPEN
    assert any("意见期限2025-03-31已过，恢复计时" in note for note in status.notes)


def test_waiting_for_a_fee_and_the_payment_period_passing() -> None:
    fee = FeeNotice(notice_received=D(2025, 9, 26), amount_yuan=Decimal(100))
    early = app(received=D(2025, 9, 22), fee=fee)
    assert application_status(early, CAL, D(2025, 10, 20)).state is State.WAITING_FEE
    lapsed = application_status(early, CAL, D(2025, 10, 31))  # payment was due 10-30
    assert lapsed.state is State.FEE_LAPSED and "表三（六）2" in lapsed.notes[0]


def test_closed_on_time_and_late() -> None:
    on_time = application_status(app(result="granted", closed=D(2025, 11, 4)), CAL, D(2025, 12, 1))
    assert on_time.state is State.CLOSED
    late = application_status(app(result="granted", closed=D(2025, 11, 6)), CAL, D(2025, 12, 1))
    assert (
        late.state is State.CLOSED_LATE and late.notes[0] == "答复日期2025-11-06晚于答复期限2025-11-04（晚2个工作日）"
    )
    extended = application_status(
        app(result="granted", closed=D(2025, 11, 6), extension_notified=D(2025, 10, 30)), CAL, D(2025, 12, 1)
    )
    assert extended.state is State.CLOSED


def test_a_year_the_calendar_does_not_cover_gives_unknown_not_a_guess() -> None:
    status = application_status(app(received=D(2026, 12, 10)), CAL, D(2026, 12, 15))
    assert status.state is State.UNKNOWN and status.due is None
    assert "2027年的法定节假日和调休安排尚未收录" in status.notes[0]


def test_ledger_status_lists_the_most_urgent_first() -> None:
    ledger = Ledger(
        applications=(
            app(number="open", received=D(2025, 10, 27)),
            app(number="overdue", received=D(2025, 9, 1)),
            app(number="done", result="granted", closed=D(2025, 10, 10)),
            app(number="future", received=D(2025, 12, 1)),
            app(number="soon", received=D(2025, 9, 30)),
        )
    )
    statuses = ledger_status(ledger, CAL, D(2025, 10, 31))
    assert [s.number for s in statuses] == ["overdue", "soon", "open"]
    assert summary(statuses) == "已逾期1件；即将到期1件；办理中1件"
    with_closed = ledger_status(ledger, CAL, D(2025, 10, 31), include_closed=True)
    assert [s.number for s in with_closed][-1] == "done"


def test_the_status_is_data_with_a_json_form() -> None:
    ledger = Ledger(
        applications=(app(number="open", received=D(2025, 10, 27)), app(number="late", received=D(2025, 9, 1)))
    )
    status = LedgerStatus(D(2025, 10, 31), tuple(ledger_status(ledger, CAL, D(2025, 10, 31))))
    assert status.states & ATTENTION == {State.OVERDUE} and status.errors == []
    dumped = status.dump()
    assert dumped["today"] == "2025-10-31" and dumped["summary"] == "已逾期1件；办理中1件"
    assert list(dumped["counts"]) == [state.value for state in State]  # every state, most urgent first
    assert dumped["counts"]["overdue"] == 1 and dumped["counts"]["open"] == 1 and dumped["counts"]["closed"] == 0
    # 2025-09-01 + 20 working days: 09-28 is a Sunday worked for 国庆节
    assert dumped["applications"][0] == {
        "number": "late",
        "received": "2025-09-01",
        "state": "overdue",
        "label": "已逾期",
        "due": "2025-09-28",
        "workdays_left": -20,
        "notes": ["答复期限2025-09-28已过20个工作日"],
    }
    assert dumped["applications"][1]["due"] == "2025-11-24" and dumped["problems"] == []
