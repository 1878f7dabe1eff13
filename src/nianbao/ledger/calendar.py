"""The working-day calendar: Chinese public holidays and make-up working days (调休).

Two sources, in this order:

1. the override table, a CSV file in the data directory (``settings.home``, i.e. ``NIANBAO_HOME``;
   ``calendar-overrides.csv``: ``date``,
   ``kind`` = ``workday`` | ``holiday``, ``source`` = the notice it comes from).  The user adds
   the State Council's notice for a year the package does not cover yet, or corrects a day;
2. the ``chinesecalendar`` package (the State Council notices 2004–2026 in version 1.11.0).

Dates fail closed: a date in a year neither source describes raises
:class:`CalendarNotCoveredError`, whose message says how to add that year.  Nothing is guessed
from weekdays alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.metadata
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import chinese_calendar  # type: ignore[import-untyped]

from ..errors import NianbaoError
from ..settings import DEFAULT_SETTINGS

OVERRIDES_FILE = "calendar-overrides.csv"
OVERRIDE_COLUMNS = ("date", "kind", "source")
# A State Council notice names seven festivals, each with at least one weekday off; fewer
# holiday rows for a year the package does not know means the notice was not entered in full.
MIN_HOLIDAYS_PER_YEAR = 7

WEEKDAYS = "一二三四五六日"

_KIND_WORDS = {
    "workday": "workday",
    "work": "workday",
    "上班": "workday",
    "工作日": "workday",
    "调休上班": "workday",
    "holiday": "holiday",
    "放假": "holiday",
    "休息": "holiday",
    "节假日": "holiday",
}


class DayKind(StrEnum):
    WORKDAY = "workday"
    HOLIDAY = "holiday"


class CalendarNotCoveredError(NianbaoError):
    """A date in a year whose holiday arrangement nobody has described."""

    def __init__(self, message: str, *, year: int) -> None:
        super().__init__(message)
        self.year = year


class CalendarOverrideError(NianbaoError):
    """The override table cannot be read."""


@dataclass(frozen=True)
class Override:
    day: dt.date
    kind: DayKind
    source: str  # the notice, e.g. 国务院办公厅关于2027年部分节假日安排的通知
    line: int | None = None  # line in the override file


# a date as people type it: 2025-03-01, 2025/3/1, 2025.3.1, 2025年3月1日 (or 号), full-width digits
_TYPED_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?\s*$")


def typed_date(text: str) -> dt.date | None:
    """The date ``text`` names as people type it (the workbook's cells and the command line
    options read dates this one way); None for anything else, an impossible day included."""
    match = _TYPED_DATE.match(unicodedata.normalize("NFKC", text))
    if match is None:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def weekday_name(day: dt.date) -> str:
    return f"星期{WEEKDAYS[day.weekday()]}"


def show(day: dt.date) -> str:
    """``2025-10-09（星期四）``"""
    return f"{day.isoformat()}（{weekday_name(day)}）"


def package_version() -> str:
    try:
        return importlib.metadata.version("chinesecalendar")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - installed with nianbao
        return "?"


def _package_tables() -> tuple[dict[dt.date, str], dict[dt.date, str], range]:
    holidays: dict[dt.date, str] = dict(chinese_calendar.holidays)
    workdays: dict[dt.date, str] = dict(chinese_calendar.workdays)
    years = range(min(holidays).year, max(holidays).year + 1)
    return holidays, workdays, years


def _festival_name(english: str) -> str:
    try:
        return str(chinese_calendar.Holiday(english).chinese)
    except ValueError:
        return english


class WorkCalendar:
    """Which days are working days, from the package plus the user's override table."""

    def __init__(
        self, overrides: Iterable[Override] = (), *, use_package: bool = True, overrides_path: Path | None = None
    ) -> None:
        self.overrides: dict[dt.date, Override] = {}
        for override in overrides:
            self.overrides[override.day] = override
        self.overrides_path = overrides_path
        if use_package:
            self._holidays, self._workdays, self.package_years = _package_tables()
        else:
            self._holidays, self._workdays, self.package_years = {}, {}, range(0)
        self._override_years: dict[int, list[Override]] = {}
        for override in self.overrides.values():
            self._override_years.setdefault(override.day.year, []).append(override)
        self._checked_years: set[int] = set()

    # ------------------------------------------------------------------ coverage

    def covers(self, year: int) -> bool:
        try:
            self.check_year(year)
        except CalendarNotCoveredError:
            return False
        return True

    def override_years(self) -> dict[int, int]:
        """Years described in the override table → number of rows."""
        return {year: len(rows) for year, rows in sorted(self._override_years.items())}

    def check_year(self, year: int) -> None:
        if year in self._checked_years:
            return
        if year not in self.package_years:
            rows = self._override_years.get(year, [])
            holidays = sum(1 for row in rows if row.kind is DayKind.HOLIDAY)
            if not rows:
                raise CalendarNotCoveredError(self._not_covered_message(year), year=year)
            if holidays < MIN_HOLIDAYS_PER_YEAR:
                raise CalendarNotCoveredError(
                    f"{year}年的节假日安排在覆盖表{self._where()}中只有{holidays}个放假日，不完整"
                    f"（国务院办公厅每年的节假日安排通知包含七个节日的放假日）；请把该通知中的每个放假日和调休上班日都写入覆盖表",
                    year=year,
                )
        self._checked_years.add(year)

    def _where(self) -> str:
        return f"（{self.overrides_path}）" if self.overrides_path else ""

    def _not_covered_message(self, year: int) -> str:
        path = self.overrides_path or f"数据目录（NIANBAO_HOME）中的 {OVERRIDES_FILE}"
        if self.package_years:
            known = (
                f"chinesecalendar {package_version()} 只收录{self.package_years.start}—{self.package_years.stop - 1}年"
            )
        else:
            known = "未使用 chinesecalendar 包"
        return (
            f"{year}年的法定节假日和调休安排尚未收录（{known}），无法计算工作日。"
            f"请按国务院办公厅关于{year}年部分节假日安排的通知，把每个放假日（holiday）和调休上班日（workday）"
            f"逐行写入 {path}（列：date,kind,source，例如 {year}-01-01,holiday,国务院办公厅关于{year}年部分节假日安排的通知），"
            f"或升级 chinesecalendar 包"
        )

    # ------------------------------------------------------------------ days

    def is_workday(self, day: dt.date) -> bool:
        self.check_year(day.year)
        override = self.overrides.get(day)
        if override is not None:
            return override.kind is DayKind.WORKDAY
        if day in self._workdays:
            return True
        if day in self._holidays:
            return False
        return day.weekday() < 5

    def describe(self, day: dt.date) -> str:
        """Why a day is or is not a working day, in Chinese."""
        self.check_year(day.year)
        override = self.overrides.get(day)
        if override is not None:
            kind = "调整为工作日" if override.kind is DayKind.WORKDAY else "放假"
            return f"{kind}（{override.source}）"
        if day in self._workdays:
            return f"调休上班（{_festival_name(self._workdays[day])}）"
        if day in self._holidays:
            return f"{_festival_name(self._holidays[day])}假期"
        return "工作日" if day.weekday() < 5 else "周末"

    def next_workday(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        current = day + dt.timedelta(days=1)
        while not self.is_workday(current):
            current += dt.timedelta(days=1)
        return current

    def counted_days(
        self, start: dt.date, skip: Callable[[dt.date], bool] | None = None
    ) -> Iterator[tuple[dt.date, bool]]:
        """Every day after ``start`` with whether it counts (a working day not in ``skip``)."""
        current = start
        while True:
            current += dt.timedelta(days=1)
            yield current, self.is_workday(current) and not (skip is not None and skip(current))

    def add_workdays(self, start: dt.date, count: int, skip: Callable[[dt.date], bool] | None = None) -> dt.date:
        """The ``count``-th working day after ``start`` (``start`` itself is never counted)."""
        if count <= 0:
            return start
        counted = 0
        for day, counts in self.counted_days(start, skip):
            if counts:
                counted += 1
                if counted == count:
                    return day
        raise AssertionError("unreachable")  # pragma: no cover

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in ``(start, end]``; negative when ``end`` is before ``start``."""
        if end < start:
            return -self.workdays_between(end, start)
        count = 0
        current = start
        while current < end:
            current += dt.timedelta(days=1)
            if self.is_workday(current):
                count += 1
        return count


# ---------------------------------------------------------------------- the override table


def parse_overrides(text: str, source: str = OVERRIDES_FILE) -> list[Override]:
    """Read the override CSV; every bad line is reported, with its number, in one error."""
    reader = csv.reader(io.StringIO(text))
    rows: list[Override] = []
    problems: list[str] = []
    seen: dict[dt.date, Override] = {}
    header_seen = False
    for line_number, fields in enumerate(reader, start=1):
        cells = [cell.strip() for cell in fields]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            if [cell.lower() for cell in cells[:3]] == list(OVERRIDE_COLUMNS):
                continue
        if len(cells) < 3:
            problems.append(f"第{line_number}行：应有三列（date,kind,source），实际{len(cells)}列")
            continue
        raw_date, raw_kind, note = cells[0], cells[1], ",".join(cells[2:]).strip(", ")
        try:
            day = dt.date.fromisoformat(raw_date)
        except ValueError:
            problems.append(f"第{line_number}行：日期“{raw_date}”无法识别（应为 YYYY-MM-DD）")
            continue
        kind = _KIND_WORDS.get(raw_kind.lower())
        if kind is None:
            problems.append(f"第{line_number}行：类型“{raw_kind}”无法识别（应为 workday 或 holiday）")
            continue
        if not note:
            problems.append(f"第{line_number}行：未写明依据（source 列应为节假日安排通知的名称或文号）")
            continue
        override = Override(day, DayKind(kind), note, line_number)
        previous = seen.get(day)
        if previous is not None and previous.kind is not override.kind:
            problems.append(f"第{line_number}行：{raw_date}与第{previous.line}行矛盾（一处为上班，一处为放假）")
            continue
        seen[day] = override
        rows.append(override)
    if problems:
        raise CalendarOverrideError("节假日覆盖表有误：" + "；".join(problems), source=source)
    return rows


def overrides_path(home: Path = DEFAULT_SETTINGS.home) -> Path:
    """The override table of a data directory (``settings.home``)."""
    return home / OVERRIDES_FILE


def load_calendar(home: Path = DEFAULT_SETTINGS.home) -> WorkCalendar:
    """The package calendar plus the override table of the data directory (if the file exists)."""
    path = overrides_path(home)
    overrides: list[Override] = []
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CalendarOverrideError(f"无法读取节假日覆盖表（{exc}）", source=str(path)) from None
        overrides = parse_overrides(text, str(path))
    return WorkCalendar(overrides, overrides_path=path)


def override_template(year: int) -> str:
    """The header and one example line for a year, for the docs and the error message."""
    notice = f"国务院办公厅关于{year}年部分节假日安排的通知"
    return f"date,kind,source\n{year}-01-01,holiday,{notice}\n"
