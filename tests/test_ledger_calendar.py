"""The working-day calendar: package data, the override table, and failing closed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from nianbao.ledger.calendar import (
    CalendarNotCoveredError,
    CalendarOverrideError,
    DayKind,
    Override,
    WorkCalendar,
    load_calendar,
    parse_overrides,
)
from nianbao.ledger.deadlines import answer_deadline

D = dt.date

# A made-up arrangement for 2027, for tests only: it is NOT the State Council's notice (not yet
# published when this was written).  Enough holiday rows to count as a described year.
TEST_2027 = """date,kind,source
# 测试用虚构安排，不是真实通知
2027-01-01,holiday,测试用安排（非真实通知）
2027-02-08,holiday,测试用安排（非真实通知）
2027-02-09,holiday,测试用安排（非真实通知）
2027-02-10,holiday,测试用安排（非真实通知）
2027-02-11,holiday,测试用安排（非真实通知）
2027-02-12,holiday,测试用安排（非真实通知）
2027-02-20,workday,测试用安排（非真实通知）
2027-04-05,holiday,测试用安排（非真实通知）
2027-05-03,holiday,测试用安排（非真实通知）
2027-10-01,holiday,测试用安排（非真实通知）
"""


def test_package_days() -> None:
    cal = WorkCalendar()
    assert not cal.is_workday(D(2025, 10, 1))  # 国庆节
    assert cal.is_workday(D(2025, 9, 28))  # 调休上班 (Sunday)
    assert not cal.is_workday(D(2025, 3, 1))  # an ordinary Saturday
    assert cal.describe(D(2025, 10, 11)) == "调休上班（国庆节）"
    assert cal.describe(D(2025, 1, 29)) == "春节假期"
    assert cal.next_workday(D(2025, 9, 30)) == D(2025, 10, 9)
    assert cal.workdays_between(D(2025, 9, 30), D(2025, 10, 13)) == 4
    assert cal.workdays_between(D(2025, 10, 13), D(2025, 9, 30)) == -4


@pytest.mark.parametrize("day", [D(2027, 1, 4), D(2003, 12, 31)])
def test_a_year_nobody_described_is_an_error_that_says_how_to_add_it(day: dt.date) -> None:
    cal = WorkCalendar(overrides_path=Path("data/calendar-overrides.csv"))
    with pytest.raises(CalendarNotCoveredError) as caught:
        cal.is_workday(day)
    message = str(caught.value)
    assert f"{day.year}年的法定节假日和调休安排尚未收录" in message
    assert "chinesecalendar 1.11.0 只收录2004—2026年" in message
    assert "data/calendar-overrides.csv" in message and "date,kind,source" in message
    assert caught.value.year == day.year
    assert not cal.covers(day.year)


def test_deadline_into_an_undescribed_year_fails_then_works_with_the_override_table() -> None:
    with pytest.raises(CalendarNotCoveredError, match="2027年"):
        answer_deadline(WorkCalendar(), D(2026, 12, 10))
    cal = WorkCalendar(parse_overrides(TEST_2027))
    # Thu 2026-12-10: 1 = 12-11, 2–6 = 12-14..12-18, 7–11 = 12-21..12-25, 12–15 = 12-28..12-31,
    # 2027-01-01 off (test table), 16–20 = 01-04..01-08.
    assert answer_deadline(cal, D(2026, 12, 10)).due == D(2027, 1, 8)
    assert cal.describe(D(2027, 2, 20)) == "调整为工作日（测试用安排（非真实通知））"
    assert cal.is_workday(D(2027, 2, 20)) and not cal.is_workday(D(2027, 2, 8))
    assert cal.override_years() == {2027: 10}


def test_a_year_with_only_a_few_override_rows_is_not_taken_as_described() -> None:
    cal = WorkCalendar(parse_overrides("date,kind,source\n2027-01-01,holiday,某通知\n"))
    with pytest.raises(CalendarNotCoveredError, match="只有1个放假日，不完整"):
        cal.is_workday(D(2027, 3, 3))


def test_override_takes_precedence_over_the_package() -> None:
    # e.g. a local arrangement making Thu 2025-10-09 a day off
    cal = WorkCalendar([Override(D(2025, 10, 9), DayKind.HOLIDAY, "本地通知")])
    assert not cal.is_workday(D(2025, 10, 9))
    assert answer_deadline(cal, D(2025, 9, 30)).due == D(2025, 11, 5)


def test_override_file_errors_are_reported_with_line_numbers() -> None:
    text = (
        "date,kind,source\n"
        "2027-02-30,holiday,某通知\n"
        "2027-03-01,rest,某通知\n"
        "2027-03-02,holiday,\n"
        "2027-03-03,holiday,某通知\n"
        "2027-03-03,workday,某通知\n"
        "2027-03-04\n"
    )
    with pytest.raises(CalendarOverrideError) as caught:
        parse_overrides(text, "overrides.csv")
    message = str(caught.value)
    assert message.startswith("overrides.csv：节假日覆盖表有误")
    for expected in (
        "第2行：日期“2027-02-30”无法识别",
        "第3行：类型“rest”无法识别",
        "第4行：未写明依据",
        "第6行：2027-03-03与第5行矛盾",
        "第7行：应有三列",
    ):
        assert expected in message


def test_chinese_kind_words_and_a_file_without_header() -> None:
    rows = parse_overrides("2027-01-01,放假,某通知\n2027-02-20,上班,某通知\n")
    assert [row.kind for row in rows] == [DayKind.HOLIDAY, DayKind.WORKDAY]


def test_load_calendar_reads_the_data_directory(tmp_path: Path) -> None:
    assert load_calendar(tmp_path).override_years() == {}  # no file: package only
    (tmp_path / "calendar-overrides.csv").write_text(TEST_2027, encoding="utf-8")
    assert load_calendar(tmp_path).covers(2027)
