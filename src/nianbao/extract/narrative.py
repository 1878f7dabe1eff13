"""Numbers the narrative states: 收到申请N件, 主动公开信息N条, 行政复议N件, 收取信息处理费N元 …

Only phrasings that clearly name the same quantity as a table cell are read; a figure that
merely looks similar (依申请公开信息182条 counts information items, not applications) is left
alone, because a false alarm costs a clerk time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..document import Location
from ..formats.labels import parse_value
from ..model import NarrativeFigure
from .tokens import Token

_CLAUSE = r"[^。；;，,]"
_NUMBER = r"(\d+(?:\.\d+)?)"
# between 收到 and 申请: anything in the clause but a review or a lawsuit (收到行政复议申请2件 is a
# review case, not an application for information)
_NOT_CASE = r"(?:(?!复议|诉讼)[^。；;，,])"
# a parenthesis after 申请 is passed over: 申请（含网络申请、信函申请）25件, 申请（含上年结转3件）25件
_ASIDE = r"(?:[（(][^）)]{0,30}[）)])?"
_COUNT = r"\s*(?:件|个|宗|份)"

# (kind, unit, pattern); the number is the first group; a pattern without a group states zero
_PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    (
        "applications_received",
        "件",
        re.compile(rf"(?:收到|受理|新收|接收){_NOT_CASE}{{0,40}}?申请{_ASIDE}[^。；;，,\d]{{0,8}}?{_NUMBER}{_COUNT}"),
    ),
    # the number before the word: 共收到70件申请, 受理各类政府信息公开申请 → 收到25件政府信息公开申请
    (
        "applications_received",
        "件",
        re.compile(rf"(?:收到|受理|新收|接收)[^。；;，,\d]{{0,6}}?{_NUMBER}{_COUNT}{_NOT_CASE}{{0,12}}?申请"),
    ),
    # 办理 may mean received, received with last year's, or answered: compared with all three
    (
        "applications_handled",
        "件",
        re.compile(rf"办理{_NOT_CASE}{{0,20}}?申请{_ASIDE}[^。；;，,\d]{{0,8}}?{_NUMBER}{_COUNT}"),
    ),
    # 办结N件 is 三（七）总计 (every application answered this year, last year's included)
    (
        "applications_closed",
        "件",
        re.compile(rf"办结{_NOT_CASE}{{0,20}}?{_NUMBER}{_COUNT}(?![^。；;，,]{{0,4}}?(?:复议|诉讼))"),
    ),
    (
        "granted_and_partly",
        "件",
        re.compile(rf"予以公开(?:及|和|与|、|或)部分公开[^。；;，,\d]{{0,6}}?{_NUMBER}{_COUNT}"),
    ),
    ("applications_received", "件", re.compile(rf"(?:未|没有|无)(?:收到|受理|接到){_CLAUSE}{{0,16}}?申请")),
    (
        "proactive_items",
        "条",
        re.compile(rf"主动公开{_CLAUSE}{{0,12}}?(?:信息|文件)[^。；;，,\d]{{0,6}}?{_NUMBER}\s*(?:条|件|篇)"),
    ),
    ("review_cases", "件", re.compile(rf"行政复议[^。；;，,\d、和及与]{{0,6}}?{_NUMBER}\s*(?:件|起|宗)")),
    ("litigation_cases", "件", re.compile(rf"行政诉讼[^。；;，,\d]{{0,6}}?{_NUMBER}\s*(?:件|起|宗)")),
    (
        "review_and_litigation_none",
        "件",
        re.compile(rf"(?:未|没有|无){_CLAUSE}{{0,16}}?行政复议{_CLAUSE}{{0,4}}?行政诉讼"),
    ),
    (
        "fee_yuan",
        "元",
        re.compile(rf"收取{_CLAUSE}{{0,6}}?信息处理费[^。；;，,\d]{{0,4}}?{_NUMBER}\s*(万元|元)"),
    ),
    ("fee_yuan", "元", re.compile(rf"(?:未|没有|无|不)收取{_CLAUSE}{{0,6}}?信息处理费")),
    (
        "normative_documents_in_force",
        "件",
        re.compile(rf"现行有效{_CLAUSE}{{0,4}}?(?:行政)?规范性文件[^。；;，,\d]{{0,4}}?{_NUMBER}\s*件"),
    ),
    (
        "normative_documents_issued",
        "件",
        re.compile(
            rf"(?:制发|印发|出台|制定)(?:(?!现行有效){_CLAUSE}){{0,6}}?(?:行政)?规范性文件[^。；;，,\d]{{0,4}}?{_NUMBER}\s*件"
        ),
    ),
)


# A word every match of a kind's patterns contains: most paragraphs name none of them, and a
# substring test is far cheaper than running the patterns.
_WORDS = {
    "applications_received": "申请",
    "applications_handled": "申请",
    "applications_closed": "办结",
    "granted_and_partly": "部分公开",
    "proactive_items": "主动公开",
    "review_cases": "行政复议",
    "litigation_cases": "行政诉讼",
    "review_and_litigation_none": "行政诉讼",
    "fee_yuan": "信息处理费",
    "normative_documents_in_force": "规范性文件",
    "normative_documents_issued": "规范性文件",
}
assert all(_WORDS[kind] in pattern.pattern for kind, _unit, pattern in _PATTERNS), "each pattern must contain its word"


# the patterns in their order, consecutive ones that share a word under it (one test each)
_BY_WORD: list[tuple[str, list[tuple[str, str, re.Pattern[str]]]]] = []
for _entry in _PATTERNS:
    if not _BY_WORD or _BY_WORD[-1][0] != _WORDS[_entry[0]]:
        _BY_WORD.append((_WORDS[_entry[0]], []))
    _BY_WORD[-1][1].append(_entry)


def extract_narrative(paragraphs: list[tuple[Token, int | None]]) -> list[NarrativeFigure]:
    """Figures from (paragraph token, section number) pairs."""
    figures: list[NarrativeFigure] = []
    for token, section in paragraphs:
        text = token.text
        for word, entries in _BY_WORD:
            if word in text:
                for kind, unit, pattern in entries:
                    figures.extend(_figures(kind, unit, pattern, token, section))
    return figures


def _figures(
    kind: str, unit: str, pattern: re.Pattern[str], token: Token, section: int | None
) -> Iterator[NarrativeFigure]:
    for match in pattern.finditer(token.text):
        if match.groups():
            parsed = parse_value(match.group(1))  # the one reading of a number (and its bound)
            if parsed.number is None:
                continue
            value: int | float = parsed.number
            if kind == "fee_yuan" and match.group(2) == "万元":
                value = float(value) * 10000
        else:
            value = 0
        if kind == "review_and_litigation_none":
            for split_kind in ("review_cases", "litigation_cases"):
                yield _figure(split_kind, 0, unit, match, token, section)
            continue
        yield _figure(kind, value, unit, match, token, section)


def _figure(
    kind: str, value: int | float, unit: str, match: re.Match[str], token: Token, section: int | None
) -> NarrativeFigure:
    location = token.location
    if location.line is not None and location.column is not None:
        location = Location(line=location.line, column=location.column + match.start())
    return NarrativeFigure(
        kind=kind,
        value=value,
        unit=unit,
        text=match.group(0),
        section=section,
        location=location,
    )
