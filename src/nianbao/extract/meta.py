"""Agency, year, statistics period and publication date, each with where it was found.

The title usually says it all (``朝阳市商务局2023年政府信息公开工作年度报告``), but titles are
split over lines, spaced (``西工区商务局 2023 年…``) or lack the agency, which then comes from
the preamble (``现公布2023年度永吉县商务局信息公开年度报告``), the signature at the end, or the
page's ``信息来源`` line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..formats.labels import cn_number, strip_artifacts
from ..model import DatedFact
from .tokens import Token

_AGENCY_SUFFIX = "人民政府办公室|人民政府办公厅|人民政府|委员会|管理委员会|办公室|办公厅|局|委|办|厅|院|中心|部|署|会|馆|站|所|队|处|室|集团|公司|政府"
# a character of an agency's name: a letter that is not Latin (Chinese characters, of any CJK
# block), a bracket or a middle dot.  Not the block [\u4e00-\u9fff]: Python compiles a block
# into a map of 65,536 entries one code point at a time, a millisecond for each of five patterns
_NAME_CHAR = r"(?:[^\W\d_A-Za-z]|[()·]|（|）)"
_AGENCY = rf"{_NAME_CHAR}{{2,40}}?(?:{_AGENCY_SUFFIX})"
_YEAR = r"((?:19|20)\d{2})"
# in a title, a place name alone names its government's report (平潭综合实验区2021年度…)
_TITLE_AGENCY = rf"{_NAME_CHAR}{{2,40}}?(?:{_AGENCY_SUFFIX}|区|县|市|州|盟|旗|省)"
_TITLE_AGENCY_FIRST = re.compile(rf"^(?P<agency>{_TITLE_AGENCY})?{_YEAR}年度?(?P<rest>.*?)政府信息公开.*?报告")
_TITLE_YEAR_FIRST = re.compile(rf"^{_YEAR}年度?(?P<agency>{_AGENCY})政府信息公开.*?报告")
_PREAMBLE_AGENCY = re.compile(rf"{_YEAR}年度?(?P<agency>{_AGENCY})(?:政府)?信息公开(?:工作)?(?:年度)?报告")
_SOURCE_LINE = re.compile(rf"信息来源[:：]\s*(?P<agency>{_AGENCY})\s*$")
_PUBLISHED_META = re.compile(
    r"(?:发布日期|发布时间|成文日期|公开日期)[:：]\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
)
_DATE_LINE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_CN_DATE_LINE = re.compile(
    r"^([〇零○О一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$"
)
_PERIOD = re.compile(
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?\s*(?:起)?\s*(?:至|到|—|－|-|~)\s*"
    r"(?:(\d{4})\s*年)?\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)
_SIGNATURE_AGENCY = re.compile(rf"^{_AGENCY}$")
_TITLE_PREFIX = re.compile(r"^\s*(?:标题|题名|名称)\s*[:：]\s*")  # metadata lines written by crawlers
_SPACES = re.compile(r"\s+")
_YEAR_AT = re.compile(r"(?:19|20)\d{2}")
_DIGIT = re.compile(r"\d")


@dataclass
class Meta:
    """What a report says of itself: agency, year, publication date, title and period."""

    agency: str | None = None
    year: int | None = None
    published: dt.date | None = None
    title: str | None = None
    period: tuple[dt.date, dt.date] | None = None
    facts: dict[str, DatedFact] | None = None


def extract_meta(paragraphs: list[Token], first_heading: int | None) -> Meta:
    """What the paragraphs that print something (in order, as extraction gathers them once for
    every pass) say of the agency, year, publication date and statistics period."""
    facts: dict[str, DatedFact] = {}
    front = [t for t in paragraphs if first_heading is None or t.index < first_heading]
    title, title_token = _title(front)
    meta = Meta(title=title, facts=facts)

    if title and title_token is not None:
        compact = _SPACES.sub("", title)
        # the agency may precede the year or follow it (2025年上海市人民政府办公厅政府信息公开…)
        match = _TITLE_AGENCY_FIRST.match(compact)
        if match is None or match.group("agency") is None:
            match = _TITLE_YEAR_FIRST.match(compact) or match
        if match:
            meta.year = int(match.group(1) if match.re is _TITLE_YEAR_FIRST else match.group(2))
            facts["year"] = DatedFact(how="title", text=title, location=title_token.location)
            agency = _clean_agency(match.group("agency"))
            if agency:
                meta.agency = agency
                facts["agency"] = DatedFact(how="title", text=title, location=title_token.location)

    if meta.agency is None:
        for token in front[:8]:
            match = _PREAMBLE_AGENCY.search(_SPACES.sub("", token.text))
            agency = _clean_agency(match.group("agency")) if match else None
            if agency:
                meta.agency = agency
                facts["agency"] = DatedFact(how="preamble", text=token.text[:80], location=token.location)
                if meta.year is None:
                    meta.year = int(match.group(1))  # type: ignore[union-attr]
                    facts["year"] = facts["agency"]
                break

    signature_agency, signature_date = _signature(paragraphs)
    if meta.agency is None and signature_agency is not None:
        meta.agency = _clean_agency(signature_agency.text)
        facts["agency"] = DatedFact(how="signature", text=signature_agency.text, location=signature_agency.location)

    for token in front[:6]:
        source = _SOURCE_LINE.search(token.text)
        if source and meta.agency is None:
            meta.agency = _clean_agency(source.group("agency"))
            facts["agency"] = DatedFact(how="metadata", text=token.text, location=token.location)
        published = _PUBLISHED_META.search(token.text)
        if published and meta.published is None:
            meta.published = _date(*published.groups())
            if meta.published:
                facts["published"] = DatedFact(how="metadata", text=token.text, location=token.location)

    if meta.published is None and signature_date is not None:
        meta.published = _signature_date(signature_date.text)
        if meta.published:
            facts["published"] = DatedFact(how="signature", text=signature_date.text, location=signature_date.location)

    front_indices = {token.index for token in front}
    for token in paragraphs:
        if "统计" in token.text or "期限" in token.text or "期间" in token.text or token.index in front_indices:
            period = _PERIOD.search(token.text)
            if period:
                y1, m1, d1, y2, m2, d2 = period.groups()
                start, end = _date(y1, m1, d1), _date(y2 or y1, m2, d2)
                if start and end:
                    meta.period = (start, end)
                    facts["period"] = DatedFact(how="period", text=period.group(0), location=token.location)
                    if meta.year is None:
                        meta.year = start.year
                        facts["year"] = facts["period"]
                    break
    return meta


def _title(front: list[Token]) -> tuple[str | None, Token | None]:
    """The title line, joined with its continuation when it is split over two lines."""
    for k, token in enumerate(front[:6]):
        text = _TITLE_PREFIX.sub("", strip_artifacts(token.text)).strip()
        compact = _SPACES.sub("", text)
        if "报告" in compact and ("信息公开" in compact or "年报" in compact) and len(compact) <= 60:
            previous = _SPACES.sub("", front[k - 1].text) if k else ""
            if _YEAR_AT.match(compact) and _SIGNATURE_AGENCY.match(previous):
                return front[k - 1].text.strip() + text, front[k - 1]  # agency on its own line above
            return text, token
        if k + 1 < len(front) and _YEAR_AT.search(compact) and len(compact) <= 40:
            joined = compact + _SPACES.sub("", front[k + 1].text)
            if "报告" in joined and "信息公开" in joined and len(joined) <= 60:
                return text + front[k + 1].text.strip(), token
    return None, None


def _signature(paragraphs: list[Token]) -> tuple[Token | None, Token | None]:
    """The agency line and the date line at the end of the report."""
    tail = paragraphs[-6:]
    agency = date = None
    for k, token in enumerate(tail):
        text = _SPACES.sub("", strip_artifacts(token.text))
        if _DATE_LINE.match(text) or _CN_DATE_LINE.match(text):
            date = token
            if k > 0:
                prev = _SPACES.sub("", tail[k - 1].text)
                if _SIGNATURE_AGENCY.match(prev):
                    agency = tail[k - 1]
        elif _SIGNATURE_AGENCY.match(text) and k >= len(tail) - 2:
            agency = agency or token
    return agency, date


def _signature_date(text: str) -> dt.date | None:
    text = _SPACES.sub("", text)
    match = _DATE_LINE.match(text)
    if match:
        return _date(*match.groups())
    match = _CN_DATE_LINE.match(text)
    if match:
        year = cn_number(match.group(1))
        month = cn_number(match.group(2))
        day = cn_number(match.group(3))
        if year and month and day:
            return _date(str(year), str(month), str(day))
    return None


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _clean_agency(text: str | None) -> str | None:
    if not text:
        return None
    text = _SPACES.sub("", strip_artifacts(text)).strip('“”"《》')
    if len(text) < 3 or _DIGIT.search(text):
        return None
    return text
