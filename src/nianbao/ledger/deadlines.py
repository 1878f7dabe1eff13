"""Statutory deadlines for 依申请公开 applications (条例第三十条至第三十三条、第四十二条).

The counting rules, each with the article it comes from (docs/ledger.md explains them):

- the date of receipt depends on the channel (第三十一条): in person, the day it was handed in;
  by post, the day the agency signed for it; online or by fax, the day both sides confirmed it;
- the answer is due on the 20th working day after receipt (第三十三条第二款).  The day of receipt
  is not counted (民法典第二百零一条: 开始的当日不计入，自下一日开始计算), so a receipt on a
  non-working day starts counting at the next working day, which is day 1;
- an approved extension adds at most 20 working days, counted after the original due date
  (第三十三条第二款);
- a 补正 notice must go out within 7 working days of receipt (第三十条); the 20 days then run
  from the receipt of the corrected application (第三十条: 答复期限自行政机关收到补正的申请之日起计算);
- consulting a third party or another agency (第三十二条、第三十四条) stops the clock
  (第三十三条第三款): the working days from the day after the consultation was sent up to and
  including the day the reply came, or the day its 15-working-day reply period ran out, are
  not counted;
- a fee notice (第四十二条; 国办函〔2020〕109号): payment is due within 20 working days after the
  notice was received, counted from the next day; unpaid, the application is deemed abandoned
  (table 3 （六）2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from ..errors import NianbaoError
from .calendar import WorkCalendar, show

ANSWER_WORKDAYS = 20  # 第三十三条第二款
EXTENSION_WORKDAYS = 20  # 第三十三条第二款: 延长的期限最长不得超过20个工作日
CORRECTION_NOTICE_WORKDAYS = 7  # 第三十条
CONSULTATION_REPLY_WORKDAYS = 15  # 第三十二条、第三十四条
FEE_PAYMENT_WORKDAYS = 20  # 国办函〔2020〕109号; 四川省财政厅、发改委2021-01-18通知第二条

BASIS_ANSWER = "条例第三十三条第二款"
BASIS_START = "民法典第二百零一条"
BASIS_EXTENSION = "条例第三十三条第二款"
BASIS_CORRECTION = "条例第三十条"
BASIS_CONSULTATION = "条例第三十二条、第三十四条、第三十三条第三款"
BASIS_FEE = "条例第四十二条；《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"


class Channel(StrEnum):
    IN_PERSON = "in-person"
    POST = "post"
    ONLINE = "online"
    FAX = "fax"

    @property
    def label(self) -> str:
        return CHANNEL_LABELS[self]


CHANNEL_LABELS: dict[Channel, str] = {
    Channel.IN_PERSON: "当面",
    Channel.POST: "邮寄",
    Channel.ONLINE: "网络",
    Channel.FAX: "传真",
}

# What the date of receipt is for each channel (第三十一条).
RECEIPT_RULES: dict[Channel, tuple[str, str]] = {
    Channel.IN_PERSON: ("当面提交的，以提交之日为收到申请之日", "条例第三十一条第（一）项"),
    Channel.POST: (
        "邮寄提交的，以行政机关签收之日为收到申请之日（平常信函等无需签收的，以当日与申请人确认之日为准）",
        "条例第三十一条第（二）项",
    ),
    Channel.ONLINE: ("通过互联网渠道提交的，以双方确认之日为收到申请之日", "条例第三十一条第（三）项"),
    Channel.FAX: ("通过传真提交的，以双方确认之日为收到申请之日", "条例第三十一条第（三）项"),
}


class DeadlineInputError(NianbaoError):
    """Dates that cannot describe one application (a reply before the question was sent …)."""


@dataclass(frozen=True)
class Step:
    """One line of the explanation: what was counted, and the article that says so."""

    text: str
    basis: str = ""

    def render(self) -> str:
        return f"{self.text}〔{self.basis}〕" if self.basis else self.text


@dataclass(frozen=True)
class Consultation:
    """A written consultation of a third party (第三十二条) or another agency (第三十四条)."""

    sent: dt.date
    replied: dt.date | None = None  # None: no reply yet
    party: str = ""  # 第三方 / 其他机关, for the explanation
    origin: str | None = field(default=None, compare=False)  # where it was recorded, e.g. 工作表“征求意见”第3行


@dataclass(frozen=True)
class Pause:
    """The stretch of a consultation that is not counted: ``(sent, ends]``."""

    consultation: Consultation
    limit: dt.date  # the 15th working day after it was sent
    ends: dt.date  # the reply, or the limit if the reply came later or has not come
    open: bool  # no reply yet: the pause is assumed to run to the limit

    def covers(self, day: dt.date) -> bool:
        return self.consultation.sent < day <= self.ends


@dataclass(frozen=True)
class Deadline:
    received: dt.date
    channel: Channel
    clock_start: dt.date  # the receipt, or the receipt of the corrected application
    correction_notice_due: dt.date
    original_due: dt.date  # the 20th counted working day
    due: dt.date  # with the extension, if any
    extended: bool
    pauses: tuple[Pause, ...]
    provisional: bool  # a consultation without reply: the due date may still move earlier
    steps: tuple[Step, ...] = field(default=(), compare=False)

    def explain(self) -> list[str]:
        return [step.render() for step in self.steps]


def correction_notice_due(calendar: WorkCalendar, received: dt.date) -> dt.date:
    """The last day to send the one-time 补正 notice: 7 working days after receipt (第三十条)."""
    return calendar.add_workdays(received, CORRECTION_NOTICE_WORKDAYS)


def consultation_limit(calendar: WorkCalendar, sent: dt.date) -> dt.date:
    """The end of the 15-working-day reply period of a consultation (第三十二条、第三十四条)."""
    return calendar.add_workdays(sent, CONSULTATION_REPLY_WORKDAYS)


def fee_payment_due(calendar: WorkCalendar, notice_received: dt.date) -> dt.date:
    """The last day to pay the 信息处理费: 20 working days after the notice was received."""
    return calendar.add_workdays(notice_received, FEE_PAYMENT_WORKDAYS)


def pauses_for(calendar: WorkCalendar, consultations: Iterable[Consultation]) -> tuple[Pause, ...]:
    pauses = []
    for consultation in consultations:
        if consultation.replied is not None and consultation.replied < consultation.sent:
            raise DeadlineInputError(
                f"征求意见的收到意见日期{consultation.replied.isoformat()}早于发出日期{consultation.sent.isoformat()}"
            )
        limit = consultation_limit(calendar, consultation.sent)
        if consultation.replied is None:
            pauses.append(Pause(consultation, limit, limit, open=True))
        else:
            pauses.append(Pause(consultation, limit, min(consultation.replied, limit), open=False))
    return tuple(pauses)


def answer_deadline(
    calendar: WorkCalendar,
    received: dt.date,
    *,
    channel: Channel = Channel.IN_PERSON,
    corrected: dt.date | None = None,
    extended: bool = False,
    consultations: Sequence[Consultation] = (),
) -> Deadline:
    """The date the answer is due, with every step of the count."""
    if corrected is not None and corrected < received:
        raise DeadlineInputError(f"收到补正申请的日期{corrected.isoformat()}早于收到申请的日期{received.isoformat()}")
    for consultation in consultations:
        if consultation.sent < received:
            raise DeadlineInputError(
                f"征求意见发出日期{consultation.sent.isoformat()}早于收到申请的日期{received.isoformat()}"
            )
    rule, rule_basis = RECEIPT_RULES[channel]
    steps = [Step(f"收到申请：{show(received)}。{rule}。", rule_basis)]
    notice_due = correction_notice_due(calendar, received)
    clock_start = received
    if corrected is None:
        steps.append(
            Step(
                f"如申请内容不明确，应自收到申请之日起{CORRECTION_NOTICE_WORKDAYS}个工作日内一次性告知补正，"
                f"即不晚于{show(notice_due)}。",
                BASIS_CORRECTION,
            )
        )
    else:
        clock_start = corrected
        steps.append(
            Step(
                f"补正告知应不晚于{show(notice_due)}（收到申请后第{CORRECTION_NOTICE_WORKDAYS}个工作日）；"
                f"收到补正的申请：{show(corrected)}，答复期限自该日起计算。",
                BASIS_CORRECTION,
            )
        )
    pauses = pauses_for(calendar, consultations)
    for pause in pauses:
        steps.append(_pause_step(pause))
    steps.append(
        Step(
            f"起算：{show(clock_start)}当日不计入，自次日起计算，只计工作日"
            + ("（非工作日收到的，自其后第一个工作日起计为第1日）" if not calendar.is_workday(clock_start) else "")
            + "。",
            BASIS_START,
        )
    )

    def paused(day: dt.date) -> bool:
        return any(pause.covers(day) for pause in pauses)

    original_due = calendar.add_workdays(clock_start, ANSWER_WORKDAYS, paused)
    steps.extend(_day_runs(calendar, clock_start, original_due, paused, first_number=1))
    steps.append(
        Step(f"答复期限：第{ANSWER_WORKDAYS}个工作日，即{show(original_due)}。", BASIS_ANSWER),
    )
    due = original_due
    if extended:
        due = calendar.add_workdays(original_due, EXTENSION_WORKDAYS, paused)
        steps.append(
            Step(
                f"延长答复期限（经政府信息公开工作机构负责人同意并告知申请人）：自原期限届满次日起再计"
                f"{EXTENSION_WORKDAYS}个工作日。",
                BASIS_EXTENSION,
            )
        )
        steps.extend(_day_runs(calendar, original_due, due, paused, first_number=ANSWER_WORKDAYS + 1))
        steps.append(Step(f"延长后的答复期限：{show(due)}。", BASIS_EXTENSION))
    provisional = any(pause.open and pause.ends > clock_start for pause in pauses)
    if provisional:
        steps.append(Step("尚有征求意见未收到回复：以上按意见期限届满计算；收到意见后，答复期限相应提前。"))
    return Deadline(
        received=received,
        channel=channel,
        clock_start=clock_start,
        correction_notice_due=notice_due,
        original_due=original_due,
        due=due,
        extended=extended,
        pauses=pauses,
        provisional=provisional,
        steps=tuple(steps),
    )


def _pause_step(pause: Pause) -> Step:
    consultation = pause.consultation
    party = consultation.party or "第三方或其他机关"
    if pause.open:
        how = f"尚未收到意见，暂按{CONSULTATION_REPLY_WORKDAYS}个工作日的意见期限届满之日{show(pause.limit)}计"
    elif consultation.replied is not None and consultation.replied > pause.limit:
        how = (
            f"{show(consultation.replied)}收到意见，已超过{CONSULTATION_REPLY_WORKDAYS}个工作日的意见期限，"
            f"只计至期限届满之日{show(pause.limit)}"
        )
    else:
        assert consultation.replied is not None
        how = f"{show(consultation.replied)}收到意见"
    return Step(
        f"征求{party}意见：{show(consultation.sent)}发出，{how}；自发出次日起至该日的工作日不计入答复期限。",
        BASIS_CONSULTATION,
    )


def _day_runs(
    calendar: WorkCalendar, start: dt.date, end: dt.date, paused: Callable[[dt.date], bool], *, first_number: int
) -> list[Step]:
    """The days in ``(start, end]`` grouped into runs: counted, not working, consultation pause."""
    runs: list[tuple[str, str, list[dt.date]]] = []  # (kind, description, days)
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if paused(day):
            kind, description = "paused", ""
        elif calendar.is_workday(day):
            described = calendar.describe(day)
            kind, description = "counted", "" if described == "工作日" else described
        else:
            kind, description = "off", ""  # one run across a holiday and its weekend
        if runs and runs[-1][0] == kind and runs[-1][1] == description:
            runs[-1][2].append(day)
        else:
            runs.append((kind, description, [day]))
    steps = []
    number = first_number
    for kind, description, days in runs:
        span = show(days[0]) if len(days) == 1 else f"{show(days[0])}至{show(days[-1])}"
        if kind == "counted":
            count = len(days)
            numbers = f"第{number}个工作日" if count == 1 else f"第{number}—{number + count - 1}个工作日"
            steps.append(Step(f"  {numbers}：{span}" + (f"，{description}，计入" if description else "")))
            number += count
        elif kind == "off":
            reasons = "、".join(dict.fromkeys(calendar.describe(d) for d in days))
            steps.append(Step(f"  {span}：{reasons}，不计"))
        else:
            not_counted = sum(1 for d in days if calendar.is_workday(d))
            steps.append(Step(f"  {span}：征求意见期间，其中{not_counted}个工作日不计"))
    return steps
