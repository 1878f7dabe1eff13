"""Answer deadlines over the real holiday calendars (条例第三十条至第三十三条).

Every expected date below was counted by hand, day by day, from the State Council notice quoted
in the comment; the count rule: the day of receipt is not counted (民法典第二百零一条), day 1 is
the first working day after it, and the answer is due on working day 20 (第三十三条).

Notices used (the arrangements quoted are those the counts pass through):
- 《国务院办公厅关于2024年部分节假日安排的通知》: 春节 2月10日至17日放假调休，共8天；
  2月4日（星期日）、2月18日（星期日）上班.
- 《国务院办公厅关于2025年部分节假日安排的通知》: 元旦 1月1日放假1天；春节 1月28日至2月4日放假
  调休，共8天，1月26日（周日）、2月8日（周六）上班；清明节 4月4日至6日放假；劳动节 5月1日至5日
  放假调休，4月27日（周日）上班；国庆节、中秋节 10月1日至8日放假调休，共8天，9月28日（周日）、
  10月11日（周六）上班.
- 《国务院办公厅关于2026年部分节假日安排的通知》: 元旦 1月1日至3日放假调休，1月4日（周日）上班；
  国庆节 10月1日至7日放假调休，9月20日（周日）、10月10日（周六）上班.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nianbao.ledger.calendar import WorkCalendar
from nianbao.ledger.deadlines import (
    Channel,
    Consultation,
    DeadlineInputError,
    answer_deadline,
    correction_notice_due,
    fee_payment_due,
)

D = dt.date
CAL = WorkCalendar()


def due(received: dt.date, **kwargs: object) -> dt.date:
    return answer_deadline(CAL, received, **kwargs).due  # type: ignore[arg-type]


def test_receipt_just_before_national_day_2025() -> None:
    # Received Tue 2025-09-30. 10-01..10-08 off (国庆节、中秋节). Day 1 = Thu 10-09, 2 = Fri 10-10,
    # 3 = Sat 10-11 (调休上班), 4–8 = 10-13..10-17, 9–13 = 10-20..10-24, 14–18 = 10-27..10-31,
    # 19 = Mon 11-03, 20 = Tue 11-04.
    assert due(D(2025, 9, 30)) == D(2025, 11, 4)


def test_receipt_on_make_up_sunday_before_national_day_2025() -> None:
    # Sun 2025-09-28 is a working day (调休上班), so it is an ordinary receipt day, itself not counted.
    # Day 1 = Mon 09-29, 2 = Tue 09-30, then 10-01..10-08 off, 3 = 10-09, 4 = 10-10, 5 = Sat 10-11
    # (调休上班), 6–10 = 10-13..10-17, 11–15 = 10-20..10-24, 16–20 = 10-27..10-31.
    assert due(D(2025, 9, 28)) == D(2025, 10, 31)


def test_receipt_on_a_holiday_counts_from_the_next_working_day() -> None:
    # Fri 2025-10-03 is inside 国庆节 (10-01..10-08): counting starts at the next working day,
    # Thu 10-09 = day 1, and runs as in the 09-30 case: day 20 = Tue 11-04.
    assert due(D(2025, 10, 3), channel=Channel.ONLINE) == D(2025, 11, 4)
    # the same with a receipt on the Saturday in the middle of the holiday
    assert due(D(2025, 10, 4), channel=Channel.FAX) == D(2025, 11, 4)


def test_receipt_on_an_ordinary_saturday_equals_the_friday_before() -> None:
    # Sat 2025-03-01 (no holiday near): day 1 = Mon 03-03 — the same first day as a receipt on
    # Fri 02-28. Days 1–5 = 03-03..03-07, 6–10 = 03-10..03-14, 11–15 = 03-17..03-21,
    # 16–20 = 03-24..03-28.
    assert due(D(2025, 3, 1)) == D(2025, 3, 28)
    assert due(D(2025, 2, 28)) == D(2025, 3, 28)


def test_receipt_just_before_spring_festival_2025() -> None:
    # Received Mon 2025-01-27 (post, signed for that day). 01-28..02-04 off (春节).
    # Day 1 = Wed 02-05, 2 = 02-06, 3 = 02-07, 4 = Sat 02-08 (调休上班), 5–9 = 02-10..02-14,
    # 10–14 = 02-17..02-21, 15–19 = 02-24..02-28, 20 = Mon 03-03.
    assert due(D(2025, 1, 27), channel=Channel.POST) == D(2025, 3, 3)


def test_receipt_on_make_up_sunday_before_spring_festival_2025() -> None:
    # Sun 2025-01-26 is a working day (调休上班). Day 1 = Mon 01-27, then 01-28..02-04 off,
    # 2 = 02-05, 3 = 02-06, 4 = 02-07, 5 = Sat 02-08 (调休上班), 6–10 = 02-10..02-14,
    # 11–15 = 02-17..02-21, 16–20 = 02-24..02-28.
    assert due(D(2025, 1, 26)) == D(2025, 2, 28)


def test_receipt_on_make_up_sunday_before_spring_festival_2024() -> None:
    # Sun 2024-02-04 is a working day (调休上班). Day 1 = Mon 02-05 … 5 = Fri 02-09; 02-10..02-17
    # off (春节); 6 = Sun 02-18 (调休上班), 7–11 = 02-19..02-23, 12–16 = 02-26..03-01,
    # 17 = 03-04, 18 = 03-05, 19 = 03-06, 20 = Thu 03-07.
    assert due(D(2024, 2, 4)) == D(2024, 3, 7)


def test_receipt_on_new_years_eve_runs_into_spring_festival() -> None:
    # Received Tue 2024-12-31. 2025-01-01 off (元旦). Day 1 = 01-02, 2 = 01-03, 3–7 = 01-06..01-10,
    # 8–12 = 01-13..01-17, 13–17 = 01-20..01-24, 18 = Sun 01-26 (调休上班), 19 = Mon 01-27;
    # 01-28..02-04 off (春节); 20 = Wed 02-05.
    assert due(D(2024, 12, 31), channel=Channel.POST) == D(2025, 2, 5)


def test_receipt_in_december_runs_over_new_year_2026() -> None:
    # Received Wed 2025-12-10. Days 1–2 = 12-11, 12-12; 3–7 = 12-15..12-19; 8–12 = 12-22..12-26;
    # 13–15 = 12-29..12-31; 2026-01-01..01-03 off (元旦); 16 = Sun 01-04 (调休上班);
    # 17–20 = 01-05..01-08.
    assert due(D(2025, 12, 10)) == D(2026, 1, 8)


def test_receipt_just_before_national_day_2026() -> None:
    # Received Wed 2026-09-30. 10-01..10-07 off (国庆节). Day 1 = Thu 10-08, 2 = 10-09,
    # 3 = Sat 10-10 (调休上班), 4–8 = 10-12..10-16, 9–13 = 10-19..10-23, 14–18 = 10-26..10-30,
    # 19 = Mon 11-02, 20 = Tue 11-03.
    assert due(D(2026, 9, 30)) == D(2026, 11, 3)


def test_extension_adds_twenty_working_days_after_the_original_due_date() -> None:
    # Original due date 2025-11-04 (see above). Extension, counted from 11-05: 1–3 = 11-05..11-07,
    # 4–8 = 11-10..11-14, 9–13 = 11-17..11-21, 14–18 = 11-24..11-28, 19 = 12-01, 20 = Tue 12-02.
    deadline = answer_deadline(CAL, D(2025, 9, 30), extended=True)
    assert deadline.original_due == D(2025, 11, 4)
    assert deadline.due == D(2025, 12, 2)


def test_correction_notice_and_the_clock_restarting_on_the_corrected_application() -> None:
    # Received Fri 2025-09-26. 补正 notice within 7 working days: 1 = Sun 09-28 (调休上班),
    # 2 = 09-29, 3 = 09-30, (10-01..10-08 off), 4 = 10-09, 5 = 10-10, 6 = Sat 10-11 (调休上班),
    # 7 = Mon 10-13.
    assert correction_notice_due(CAL, D(2025, 9, 26)) == D(2025, 10, 13)
    # Corrected application received Mon 10-20: day 1 = 10-21, 1–4 = 10-21..10-24,
    # 5–9 = 10-27..10-31, 10–14 = 11-03..11-07, 15–19 = 11-10..11-14, 20 = Mon 11-17.
    deadline = answer_deadline(CAL, D(2025, 9, 26), corrected=D(2025, 10, 20))
    assert deadline.clock_start == D(2025, 10, 20)
    assert deadline.due == D(2025, 11, 17)


def test_consultation_time_is_not_counted() -> None:
    # Received Mon 2025-03-03; third party consulted Mon 03-10, reply Thu 03-20.
    # Counted: 1–4 = 03-04..03-07, 5 = 03-10 (the day it was sent counts);
    # not counted: 03-11..03-20 (8 working days); 6 = 03-21, 7–11 = 03-24..03-28,
    # 12–15 = 03-31..04-03, (04-04..04-06 off, 清明节), 16–20 = 04-07..04-11.
    deadline = answer_deadline(CAL, D(2025, 3, 3), consultations=[Consultation(D(2025, 3, 10), D(2025, 3, 20))])
    assert deadline.due == D(2025, 4, 11)
    assert not deadline.provisional


def test_consultation_pause_ends_with_the_fifteen_day_reply_period() -> None:
    # Sent Mon 2025-03-10; the 15th working day after it: 03-11..03-14 (4), 03-17..03-21 (9),
    # 03-24..03-28 (14), Mon 03-31 (15). A reply on 04-15 is late: only 03-11..03-31 are not
    # counted. Counted: 1–4 = 03-04..03-07, 5 = 03-10, 6–8 = 04-01..04-03, (04-04..04-06 off),
    # 9–13 = 04-07..04-11, 14–18 = 04-14..04-18, 19 = 04-21, 20 = Tue 04-22.
    late = answer_deadline(CAL, D(2025, 3, 3), consultations=[Consultation(D(2025, 3, 10), D(2025, 4, 15))])
    assert late.pauses[0].limit == D(2025, 3, 31)
    assert late.due == D(2025, 4, 22)
    # No reply yet: the pause is assumed to run to its limit, and the due date is provisional.
    waiting = answer_deadline(CAL, D(2025, 3, 3), consultations=[Consultation(D(2025, 3, 10))])
    assert waiting.due == D(2025, 4, 22)
    assert waiting.provisional


def test_consultation_and_extension_together() -> None:
    # Original due date 2025-04-11 (consultation case above). Extension from 04-14:
    # 1–5 = 04-14..04-18, 6–10 = 04-21..04-25, 11 = Sun 04-27 (调休上班), 12–14 = 04-28..04-30,
    # (05-01..05-05 off, 劳动节), 15–18 = 05-06..05-09, 19 = 05-12, 20 = Tue 05-13.
    deadline = answer_deadline(
        CAL, D(2025, 3, 3), consultations=[Consultation(D(2025, 3, 10), D(2025, 3, 20))], extended=True
    )
    assert deadline.due == D(2025, 5, 13)


def test_fee_payment_due_twenty_working_days_after_the_notice() -> None:
    # Notice received Fri 2025-09-26: 1 = Sun 09-28 (调休上班), 2 = 09-29, 3 = 09-30,
    # (10-01..10-08 off), 4 = 10-09, 5 = 10-10, 6 = Sat 10-11, 7–11 = 10-13..10-17,
    # 12–16 = 10-20..10-24, 17–20 = 10-27..10-30.
    assert fee_payment_due(CAL, D(2025, 9, 26)) == D(2025, 10, 30)


def test_explanation_names_each_step_and_article() -> None:
    deadline = answer_deadline(CAL, D(2025, 9, 30), channel=Channel.POST, extended=True)
    text = "\n".join(deadline.explain())
    assert "以行政机关签收之日为收到申请之日" in text and "第三十一条第（二）项" in text
    assert "民法典第二百零一条" in text
    assert "2025-10-01（星期三）至2025-10-08（星期三）：国庆节假期、中秋假期，不计" in text
    assert "第3个工作日：2025-10-11（星期六），调休上班（国庆节），计入" in text
    assert "答复期限：第20个工作日，即2025-11-04（星期二）" in text
    assert "延长后的答复期限：2025-12-02（星期二）" in text


def test_impossible_dates_are_refused() -> None:
    with pytest.raises(DeadlineInputError, match="早于收到申请"):
        answer_deadline(CAL, D(2025, 3, 3), corrected=D(2025, 3, 1))
    with pytest.raises(DeadlineInputError, match="早于发出日期"):
        answer_deadline(CAL, D(2025, 3, 3), consultations=[Consultation(D(2025, 3, 10), D(2025, 3, 5))])


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 11, 1)))
def test_due_date_is_the_twentieth_working_day(received: dt.date) -> None:
    deadline = answer_deadline(CAL, received)
    assert CAL.is_workday(deadline.due)
    assert CAL.workdays_between(received, deadline.due) == 20
