"""DUP: how much of this year's narrative repeats the agency's previous report.

Both narratives are reduced to the words that an agency writes itself: numbers, dates, the
agency's name, punctuation and white space go, and so do the section headings, the short
numbered sub-headings every report has (（一）主动公开) and the fixed sentences of the format
(统计期限、联系方式 …).  What is left is cut into overlapping runs of :data:`SHINGLE` characters;
the share of this year's characters covered by a run that also occurs in last year's text is the
repetition rate.  That is linear in the length of the texts (a hash lookup per character), so a
province's tens of thousands of pairs cost seconds, where a ``difflib`` comparison of two long
narratives costs tens of milliseconds.  The longest passages both texts share are shown, taken
from the printed text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..model import Report
from .crossyear import without_last_year
from .registry import Context, RuleOutput, rule

THRESHOLD = 0.5  # 宿迁 indicator: “与上年度重复率大于50%的，扣0.5分”
SHINGLE = 12  # characters; common phrases such as 政府信息公开申请 (8) are shorter
MIN_TEXT = 200  # normalised characters: shorter narratives say too little to compare
SHOWN = 3  # passages in the message
SHOWN_CHARS = 24  # characters of each passage shown

# dropped before comparing: every report prints them, copied or not
_NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?|[〇零一二三四五六七八九十]+(?=年|月|日)")
_DIGITS = frozenset("0123456789０１２３４５６７８９.．")
_KEPT = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_SUBHEADING = re.compile(r"^\s*[（(]?[一二三四五六七八九十0-9]+[）)、.．]\s*\S{0,16}[。：:]?\s*$")
_BOILERPLATE = re.compile(
    "统计期限|统计期间|数据统计期|如对本报告|如对本年度报告|联系电话|联系地址|邮政编码|电子邮箱|网址|电子版|"
    "根据《中华人民共和国政府信息公开条例》|依据《中华人民共和国政府信息公开条例》|按照《中华人民共和国政府信息公开条例》"
)
_SENTENCE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?]?")


@dataclass(frozen=True)
class Similarity:
    """How much of this year's narrative repeats last year's, with the passages it shares."""

    share: float  # of this year's compared characters found in last year's text
    passages: list[str]  # the longest shared passages as printed, longest first
    compared: int  # characters of this year's text compared


def narrative(report: Report) -> str:
    """The report's own text: its sections in order (table cells are not in them)."""
    return "\n".join(section.text for _number, section in sorted(report.sections.items()))


def _normalised(text: str, names: Sequence[str]) -> tuple[str, list[int]]:
    """The characters compared, and for each its offset in ``text``."""
    kept: list[str] = []
    offsets: list[int] = []
    position = 0
    for line in text.splitlines(keepends=True):
        start = position
        position += len(line)
        if _SUBHEADING.match(line):
            continue
        for sentence in _SENTENCE.finditer(line):
            piece = sentence.group(0)
            if _BOILERPLATE.search(piece):
                continue
            at = start + sentence.start()
            for found in _KEPT.finditer(_blank(piece, names)):  # one scan, not a match per character
                kept.append(found.group())
                offsets.append(at + found.start())
    return "".join(kept), offsets


def _blank(piece: str, names: Sequence[str]) -> str:
    """Numbers and the agency's names replaced by spaces (same length, so offsets hold)."""
    for name in names:
        piece = piece.replace(name, " " * len(name))
    return _NUMBER.sub(lambda m: " " * len(m.group(0)), piece)


def similarity(current: str, previous: str, names: Sequence[str] = ()) -> Similarity:
    """How much of ``current`` repeats ``previous`` (see the module's docstring)."""
    this, offsets = _normalised(current, names)
    last, _ = _normalised(previous, names)
    if len(this) < SHINGLE or len(last) < SHINGLE:
        return Similarity(0.0, [], len(this))
    where: dict[str, list[int]] = {}
    for j in range(len(last) - SHINGLE + 1):
        where.setdefault(last[j : j + SHINGLE], []).append(j)
    covered = [False] * len(this)
    runs: list[tuple[int, int]] = []  # (start, end) in ``this`` of passages found whole in ``last``
    run_start, run_last = -1, -2  # the open run and where its last shingle sits in ``last``
    for i in range(len(this) - SHINGLE + 1):
        found = where.get(this[i : i + SHINGLE])
        if not found:
            if run_start >= 0:
                runs.append((run_start, i - 1 + SHINGLE))
            run_start = -1
            continue
        for k in range(i, i + SHINGLE):
            covered[k] = True
        if run_start >= 0 and run_last + 1 in found:
            run_last += 1
            continue
        if run_start >= 0:
            runs.append((run_start, i - 1 + SHINGLE))
        run_start, run_last = i, found[0]
    if run_start >= 0:
        runs.append((run_start, len(this)))
    # each passage once, longest first, in the order of the text among equals
    unique = dict.fromkeys(piece for start, end in runs for piece in _printed(current, offsets, start, end))
    pieces = sorted(unique, key=len, reverse=True)  # stable: equals keep the text's order
    passages = [piece if len(piece) <= SHOWN_CHARS else piece[:SHOWN_CHARS] + "……" for piece in pieces[:SHOWN]]
    return Similarity(sum(covered) / len(this), passages, len(this))


def _printed(text: str, offsets: list[int], start: int, end: int) -> list[str]:
    """A shared run as printed, cut into its sentences (a wholly copied text is one run)."""
    first = offsets[start]
    while first > 0 and text[first - 1] in _DIGITS:  # “2023年，…” rather than “年，…”
        first -= 1
    passage = re.sub(r"\s+", "", text[first : offsets[end - 1] + 1])
    return [piece.group(0) for piece in _SENTENCE.finditer(passage) if len(piece.group(0)) >= SHINGLE]


@rule(
    "DUP",
    "warning",
    "crossyear",
    "正文与上年报告雷同",
    f"本年报告正文与同一机关上一年度报告相同的比例超过{THRESHOLD:.0%}：比较前去掉数字、日期、机关名称、标点、"
    f"各部分标题与编号小标题，以及统计期限、联系方式等固定格式语句；以连续{SHINGLE}个字为单位，计算本年正文中"
    "与上年正文相同部分所占比例，并列出最长的几段相同文字。正文过短（去除后不足"
    f"{MIN_TEXT}字）时不比较。",
    "30号文件“内容雷同、敷衍塞责”追责；宿迁考核指标“与上年度重复率大于50%的，扣0.5分”",
)
def duplicate_text(ctx: Context) -> Iterator[RuleOutput]:
    subject = f"正文与上年报告相同的比例不超过{THRESHOLD:.0%}"
    report, previous = ctx.report, ctx.previous
    if (reason := without_last_year(ctx)) is not None:
        yield ctx.not_checkable(subject, reason)
        return
    assert previous is not None
    names = sorted({name for name in (report.agency, previous.agency) if name}, key=len, reverse=True)
    found = similarity(narrative(report), narrative(previous), names)
    if found.compared < MIN_TEXT:
        yield ctx.not_checkable(subject, f"正文去除数字和固定格式语句后只有{found.compared}字，不足{MIN_TEXT}字")
        return
    if found.share <= THRESHOLD:
        yield ctx.passed(subject)
        return
    shown = "；".join(f"“{passage}”" for passage in found.passages)
    yield ctx.finding(
        f"正文有{found.share:.0%}与{previous.year or '上一'}年度报告相同（去除数字、机关名称和固定格式语句后比较，"
        f"共{found.compared}字），超过{THRESHOLD:.0%}；最长的相同段落：{shown}",
        subject=subject,
    )
