"""Find the six section headings, in their real printed variants.

A heading is a paragraph made of a numbering (``三、`` ``3、`` ``三`` ``（三）`` or none) and a
title matching one of the section's known titles.  Sub-headings inside section 一 often reuse
the other sections' words (``一主动公开政府信息情况``), so the headings are chosen together:
the increasing sequence of candidates that best agrees with the numbering wins.

A title may also be a misprint of a known one (a character or two inserted, dropped or
changed: ``政府信息公开行政复复议、行政诉讼情况``) where it is numbered as its section and no
other section's title fits as well, or be in other words altogether (``五、存在的主要问题及明年
工作计划``) where it is the one line numbered as the missing section between its neighbours.
Either way the heading records how its title was recognised, and the SEC-6 rule says so.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..formats.labels import cn_number, label_key, misprint_allowance, misprint_at, misprint_of
from ..formats.spec import FormatSpec, SectionSpec
from ..model import HeadingWording
from .identity import per_items
from .tokens import TEXT, Token

_NUMBERING = re.compile(
    r"^(?P<num>第[一二三四五六七八九十]{1,2}部分[:：、.．]?"
    r"|[（(][一二三四五六七八九十]{1,2}[)）]"
    r"|[一二三四五六七八九十]{1,2}\s*[、.．,，:：]?"
    r"|\d{1,2}\s*[、.．,，:：]"
    r"|\d{1,2}(?=\D))?\s*(?P<title>.+)$"
)
_MAX_HEADING_CHARS = 48
_TRAILING = ":：。.;；"  # punctuation a title may end with
# punctuation of a sentence, which a heading in other words does not print inside its title
_SENTENCE = re.compile(r"[。；;，,！!？?]")
_MIN_RUN_ON_TITLE = 4  # characters a title running on into its text has at least
_SEPARATORS = "、.．,，:："  # what may follow a heading's numeral
_MISPRINT_QUALITY = 0.92  # below an exact title, above a title with words added


@dataclass(frozen=True)
class HeadingMatch:
    """A paragraph read as the heading of one of the six sections, and how it was recognised."""

    token: Token
    section: int
    numbering: str
    printed_number: int | None
    score: float
    wording: HeadingWording = "standard"
    end: int | None = None  # where the title ends in a paragraph that runs on into the section's text

    @property
    def text(self) -> str:
        """The heading as printed."""
        return self.token.text if self.end is None else self.token.text[: self.end].rstrip()

    @property
    def run_on(self) -> str:
        """The section's text the heading's paragraph goes on with (a page flattened to one line)."""
        return "" if self.end is None else self.token.text[self.end :].strip()

    @property
    def canonical(self) -> bool:
        return canonical_numbering(self.section, self.numbering, self.printed_number)


_CANONICAL = {n: f"{numeral}、" for n, numeral in enumerate("一二三四五六", start=1)}


def canonical_numbering(section: int, numbering: str, printed: int | None) -> bool:
    """Numbered exactly as the format numbers the section (三、)."""
    return printed == section and numbering.rstrip() == _CANONICAL.get(section)


def find_sections(tokens: list[Token], spec: FormatSpec) -> tuple[dict[int, HeadingMatch], list[HeadingMatch]]:
    """The chosen heading of each section found, and every candidate (for the order rule)."""
    titles = _titles(spec.sections)
    candidates: list[HeadingMatch] = []
    for token in tokens:
        if token.is_cell or token.parsed.kind != TEXT or len(token.text) > _MAX_HEADING_CHARS:
            continue
        for number, numbering, printed, score, wording in titles.scores(token.text):
            candidates.append(HeadingMatch(token, number, numbering, printed, score, wording))
    chosen = _best_sequence(candidates)
    chosen.update(_reworded(tokens, chosen, spec))
    return chosen, candidates


def numbering_of(text: str) -> tuple[str, int | None]:
    """The numbering a line starts with (``三、`` ``3、`` ``（三）`` or ``""``) and the number it says."""
    match = _NUMBERING.match(text.strip())
    numbering = (match.group("num") or "").strip() if match else ""
    return numbering, _printed_number(numbering)


# a section's number and the separator after it, as a flattened page prints a heading inline
# (the numeral first, so that the regex engine scans for it in C; what may not precede it is
# tested after: 十一、 or 2.1. are no section numbers)
_INLINE_NUMBER = re.compile(r"([一二三四五六1-6])[ \t\u3000]*[、.．][ \t\u3000]*")
_INLINE_NUMERALS = {numeral: cn_number(numeral) or 0 for numeral in "一二三四五六123456"}  # what it can print
_NOT_BEFORE_NUMERAL = frozenset("一二三四五六七八九十〇")


def _numbers_inline(text: str) -> Iterator[re.Match[str]]:
    """The matches of :data:`_INLINE_NUMBER` whose numeral is not part of a longer number."""
    for match in _INLINE_NUMBER.finditer(text):
        start = match.start()
        if start:
            before = text[start - 1]
            if before in _NOT_BEFORE_NUMERAL if not match.group(1).isdigit() else before == "." or before.isdecimal():
                continue
        yield match


_PROBE_CHARS = 13  # the five characters misprint_at tests, and eight for spaces and artifacts


def misprinted_inline(
    text: str, sections: tuple[SectionSpec, ...], taken: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """(start, end) of each numbered section heading a flattened paragraph prints with a
    misprinted title (``…0000000四、政府信息公开行政复复议、行政诉讼情况行政复议…``), outside
    the ``taken`` spans (the headings printed exactly).  As for a line, the numbering must say
    the one section whose title the misprint fits."""
    numbered = list(_numbers_inline(text))
    if not numbered:
        return []  # most paragraphs print no section number inline
    titles = _titles(sections)
    found = []
    for match in numbered:
        number = _INLINE_NUMERALS[match.group(1)]
        keys = titles.keys_of.get(number)
        # within its allowance one of a title's first characters is printed right after the
        # numbering (misprint_at's own test, made here on the raw text — with room for what
        # label_key drops — before the window's key is worked out)
        probe = unicodedata.normalize("NFKC", text[match.end() : match.end() + _PROBE_CHARS])
        if not keys or titles.first_chars[number].isdisjoint(probe):
            continue
        if any(start <= match.start() < end for start, end in taken):
            continue
        fits = misprint_at(text, match.end(), keys)
        if fits is not None and misprint_of(label_key(text[match.end() : fits[1]]), titles.owners) == number:
            found.append((match.start(), fits[1]))
    return found


# a numbering of the top level as a flattened page prints it inline (一、 二．), not 一是 or （一）
_INLINE_TOP = re.compile(r"(?<![一二三四五六七八九十〇])([一二三四五六七八九十]{1,2})[ \t\u3000]*[、．.]")


def section_of_inline(heading: str, sections: tuple[SectionSpec, ...]) -> int:
    """The section a heading found in a flattened paragraph opens (0: none)."""
    return _titles(sections).section_of(heading)


def reworded_inline(
    text: str, sections: tuple[SectionSpec, ...], headings: list[tuple[int, int]], blocked: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """(start, end) of the headings in other words a flattened paragraph prints: where the
    headings found in it (``headings``) leave sections out between them, and the only
    numberings of the top level there, outside ``blocked`` (the tables' labels), are the
    missing sections' own, once each and in order, each opens its section; its title ends
    where the section's text begins (a number, a bracket, 一是, a sentence's punctuation).
    Section 一 is looked for only before a heading of section 二, section 六 only after one of
    section 五."""
    if not headings:
        return []  # no heading found: no sections left out between or around them
    titles = _titles(sections)
    found = sorted((start, end, titles.section_of(text[start:end])) for start, end in headings)
    gaps = [
        (end, start, before, after)
        for (_, end, before), (start, _, after) in itertools.pairwise(found)
        if after - before >= 2
    ]
    if found and found[0][2] == 2:
        gaps.append((0, found[0][0], 0, 2))
    if found and found[-1][2] == 5:
        gaps.append((found[-1][1], len(text), 5, 7))
    added = []
    for lo, hi, before, after in gaps:
        numbered = [
            match
            for match in _INLINE_TOP.finditer(text, lo, hi)
            if not any(start <= match.start() < end for start, end in blocked)
        ]
        printed = [cn_number(match.group(1)) or 0 for match in numbered]
        if not printed or printed != sorted(set(printed)) or not before < printed[0] <= printed[-1] < after:
            continue  # none, a list (a number twice, out of order) or numbers of sections found
        spans = []
        for match, following in itertools.zip_longest(numbered, numbered[1:]):
            # the title runs at most to the next numbering or table label
            stop = min(
                [following.start() if following is not None else hi]
                + [start for start, _end in blocked if match.start() < start < hi]
            )
            title_end = _title_end(text[match.start() : stop], match.group(0), runs_on=True)
            if title_end == 0:
                break
            spans.append((match.start(), stop if title_end is None else match.start() + title_end))
        else:
            added += spans
    return added


# what a line scores as the heading of a section: (section, numbering, printed number, score, wording)
_Score = tuple[int, str, int | None, float, HeadingWording]


class _Titles:
    """A format's section titles as :func:`find_sections` compares them, and what each line
    scored: a line's scores depend on its text alone, and the same headings and short lines
    (table labels printed as paragraphs) come back in report after report."""

    _KEEP = 4096  # lines remembered; then they are forgotten all at once

    def __init__(self, sections: tuple[SectionSpec, ...]) -> None:
        # each section's title keys with what _title_quality compares, the range of title
        # lengths that can score at all, and every character the keys use
        self.titles: list[tuple[int, list[_TitleKey], int, int]] = []
        alphabet: set[str] = set()
        for section in sections:
            keys = [label_key(title) for title in (section.title, *section.variants)]
            compared = [(key, frozenset(key), len(key), max(3, len(key) // 3), 0.8 * len(set(key))) for key in keys]
            # a score needs the prefix case (len(key) <= length <= len(key) + 8) or the fuzzy one (within slack)
            shortest = min(key_length - slack for _, _, key_length, slack, _ in compared)
            longest = max(key_length + max(8, slack) for _, _, key_length, slack, _ in compared)
            self.titles.append((section.number, compared, shortest, longest))
            alphabet.update(*keys)
        self.alphabet = frozenset(alphabet)
        self.owners = {key: section.number for section in sections for key in section.title_keys()}
        self.keys_of: dict[int, dict[str, int]] = {}
        for key, number in self.owners.items():
            self.keys_of.setdefault(number, {})[key] = number
        # the characters a misprint of a section's title can start with: one of the first
        # allowance + 1 of one of its keys (as misprint_at looks for them)
        self.first_chars: dict[int, set[str]] = {
            number: {char for key in keys for char in key[: misprint_allowance(key) + 1]}
            for number, keys in self.keys_of.items()
        }
        self.scored: dict[str, tuple[_Score, ...]] = {}

    def section_of(self, heading: str) -> int:
        """The section a heading found inline opens: by its title (also misprinted), else by
        its numbering (二、收到和处理… opens section 三)."""
        match = _NUMBERING.match(heading.strip())
        title_key = label_key(match.group("title")).rstrip(_TRAILING) if match else ""
        number = self.owners.get(title_key) or misprint_of(title_key, self.owners)
        return number or _printed_number((match.group("num") or "") if match else "") or 0

    def scores(self, text: str) -> tuple[_Score, ...]:
        found = self.scored.get(text)
        if found is None:
            if len(self.scored) >= self._KEEP:
                self.scored.clear()
            found = self.scored[text] = self._score(text)
        return found

    def _score(self, text: str) -> tuple[_Score, ...]:
        match = _NUMBERING.match(text.strip())
        if not match:
            return ()
        title_key = label_key(match.group("title")).rstrip(_TRAILING)
        chars = set(title_key)
        if len(chars & self.alphabet) < 0.7 * len(chars):
            return ()  # mostly characters no section title uses
        numbering = match.group("num") or ""
        printed = _printed_number(numbering)
        length = len(title_key)
        # a misprinted title counts only where its numbering says the section it fits
        misprinted = misprint_of(title_key, self.owners) if printed is not None else None
        scores: list[_Score] = []
        for number, keys, shortest, longest in self.titles:
            factor = _numbering_factor(numbering, printed, number)
            if number == misprinted == printed:
                scores.append((number, numbering.strip(), printed, _MISPRINT_QUALITY * factor, "misprint"))
                continue
            if not shortest <= length <= longest:
                continue  # no key of the section is close enough in length to score
            quality, wording = _title_quality(title_key, chars, keys)
            # a title in other words must be numbered to be a heading (没有其他需要报告的事项。)
            if quality and (wording == "standard" or printed is not None):
                scores.append((number, numbering.strip(), printed, quality * factor, wording))
        return tuple(scores)


@per_items
def _titles(sections: tuple[SectionSpec, ...]) -> _Titles:
    return _Titles(sections)


_NOT_DIGITS = re.compile(r"[第部分（）()、.．,，:：\s]")


def _printed_number(numbering: str) -> int | None:
    digits = _NOT_DIGITS.sub("", numbering)
    return cn_number(digits) if digits else None


def _numbering_factor(numbering: str, printed: int | None, section: int) -> float:
    if printed is None:
        return 0.6
    if printed != section:
        return 0.3
    if numbering.startswith(("（", "(")):
        return 0.7  # the sub-heading style
    return 1.0


# a title key, its characters, its length, the length difference allowed, the characters it must share
_TitleKey = tuple[str, frozenset[str], int, int, float]


def _title_quality(title_key: str, chars: set[str], keys: list[_TitleKey]) -> tuple[float, HeadingWording]:
    """How well a title matches a section's keys: 1 for one of them exactly; less for the
    title with words added or in words close to one (then it is reworded)."""
    best = 0.0
    length = len(title_key)
    for key, key_chars, key_length, slack, shared in keys:
        if title_key == key:
            return 1.0, "standard"
        if title_key.startswith(key) and length - key_length <= 8:
            best = max(best, 0.9)
        elif abs(length - key_length) <= slack and len(chars & key_chars) >= shared:
            matcher = SequenceMatcher(None, title_key, key)
            if matcher.quick_ratio() >= 0.85 and (ratio := matcher.ratio()) >= 0.85:
                best = max(best, ratio * 0.95)
    return best, "reworded"


def _style(numbering: str) -> str:
    """The level a numbering marks: 第三部分, （三） (a sub-heading), 3、 or 三、."""
    if numbering.startswith("第"):
        return "part"
    if numbering.startswith(("（", "(")):
        return "sub"
    return "arabic" if numbering[:1].isdigit() else "chinese"


def _reworded(tokens: list[Token], chosen: dict[int, HeadingMatch], spec: FormatSpec) -> dict[int, HeadingMatch]:
    """Headings in other words: where sections are missing between two headings found (or
    before the first, after the last), and the only lines there numbered in the headings' own
    style are short titles numbered as missing sections, once each and in order, those lines
    are their headings.  A list numbered in the same style, a table's labels
    (四、结转下年度继续办理) or a sentence make it no heading.  A heading chosen although numbered
    as another section (a sub-heading 一主动公开政府信息情况 in section 一) gives way to such a
    line."""
    misnumbered = {number for number, match in chosen.items() if match.printed_number not in (None, number)}
    if len(chosen) == len(spec.sections) and not misnumbered:
        return {}  # every section found where its number says: no gap for a heading in other words
    styles = {_style(match.numbering) for match in chosen.values() if match.printed_number == match.section}
    styles.discard("sub")
    if not styles:
        return {}
    numbered: list[tuple[Token, str, int | None]] = []
    for token in tokens:
        if token.is_cell or not token.text or token.key in spec.table_label_keys:
            continue
        match = _NUMBERING.match(token.text.strip())
        raw = match.group("num") if match else None
        # a numeral run into its word is not a numbering of its own (一是…, 二要…)
        if not raw or not (raw[-1] in _SEPARATORS or raw[-1].isspace() or raw.startswith(("（", "(", "第"))):
            continue
        numbering, printed = numbering_of(token.text)
        if _style(numbering) in styles:
            numbered.append((token, numbering, printed))
    past_the_end = tokens[-1].index + 1 if tokens else 0
    added = _in_gaps(numbered, chosen, len(spec.sections), past_the_end)
    if misnumbered:
        solid = {number: match for number, match in chosen.items() if number not in misnumbered}
        replaced = _in_gaps(numbered, solid, len(spec.sections), past_the_end)
        added.update({number: match for number, match in replaced.items() if number in misnumbered})
    return added


def _in_gaps(
    numbered: list[tuple[Token, str, int | None]], chosen: dict[int, HeadingMatch], sections: int, past_the_end: int
) -> dict[int, HeadingMatch]:
    """The numbered lines that are the headings of the sections missing between the headings chosen."""
    found = sorted((number, match.token.index) for number, match in chosen.items())
    bounds = [(0, -1), *found, (sections + 1, past_the_end)]
    added: dict[int, HeadingMatch] = {}
    for (before, start), (after, end) in itertools.pairwise(bounds):
        lines = [line for line in numbered if start < line[0].index < end]
        printed = [number for _token, _numbering, number in lines]
        if not lines or any(number is None or not before < number < after for number in printed):
            continue  # none, or a number of a section found: a list, not headings
        if printed != sorted(set(printed), key=lambda number: number or 0):
            continue  # a number twice, or out of order: a list, not headings
        title_ends = [_title_end(token.text, numbering) for token, numbering, _number in lines]
        if all(title_end != 0 for title_end in title_ends):
            for (token, numbering, number), title_end in zip(lines, title_ends, strict=True):
                assert number is not None  # checked above
                added[number] = HeadingMatch(token, number, numbering, number, 0.5, "reworded", title_end)
    return added


# where a title that runs on into its section's text ends: at a number, a bracket, 一是 or a sentence's punctuation
_TITLE_END = re.compile(r"[\d\s（(《“〔。；;，,：:！!？?]|一是")


def _title_end(text: str, numbering: str, *, runs_on: bool = False) -> int | None:
    """None for a short title of its own (not a sentence, not a number); where the title ends in
    a paragraph that goes on with the section's text (a page flattened to one line; ``runs_on``:
    the text is known to go on so); 0 for neither, a line that is no heading."""
    start = len(text) - len(text.lstrip()) + len(numbering)
    title = text[start:].strip().rstrip(_TRAILING)
    short = len(text) <= _MAX_HEADING_CHARS
    if short and len(title) >= 2 and not _SENTENCE.search(title):
        return None
    if short and not runs_on:
        return 0
    boundary = _TITLE_END.search(text, start + _MIN_RUN_ON_TITLE)
    if boundary is None or boundary.start() > _MAX_HEADING_CHARS or _SENTENCE.search(text, start, boundary.start()):
        return 0
    return boundary.start()


def _best_sequence(candidates: list[HeadingMatch]) -> dict[int, HeadingMatch]:
    """Maximum-score subsequence increasing in both document order and section number."""
    candidates = sorted(candidates, key=lambda c: (c.token.index, c.section))
    best: list[tuple[float, int]] = []  # (score of best chain ending here, previous index)
    for i, cand in enumerate(candidates):
        score, prev = cand.score, -1
        for j in range(i):
            other = candidates[j]
            if other.token.index < cand.token.index and other.section < cand.section:
                total = best[j][0] + cand.score
                if total > score + 1e-9:
                    score, prev = total, j
        best.append((score, prev))
    if not best:
        return {}
    end = max(range(len(best)), key=lambda k: (best[k][0], -candidates[k].token.index))
    chosen: dict[int, HeadingMatch] = {}
    while end != -1:
        chosen[candidates[end].section] = candidates[end]
        end = best[end][1]
    return chosen
