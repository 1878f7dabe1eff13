"""Reports flattened to one line by a crawler: headings, labels and values run together.

``…二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数…规章000行政规范性文件693665…``

:func:`segment` cuts such paragraphs at the section headings (numbered, as the format prints
them) and, inside a table's zone, at that table's labels; what lies between two labels becomes
value tokens marked ``glued`` (one per chunk: spaces and units such as 元/个 end a chunk).  A glued
chunk may hold several cells (``270020130`` is 27, 0, 0, 2, 0, 1, 30).  :func:`split_candidates`
lists every way to cut chunks into cells; the tables module keeps only the readings the table's
own arithmetic allows and leaves a cell empty when more than one reading remains.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from functools import lru_cache
from typing import TypeVar

from ..document import Location
from ..formats.labels import format_number, label_key, misprint_at, misprint_of, parse_value
from ..formats.spec import FormatSpec, Label, SectionSpec
from ..model import CellValue, NarrativeFigure, Note, Report
from .identity import per_items
from .sections import misprinted_inline, reworded_inline, section_of_inline
from .tokens import Token, make_token

# raw variants of the characters label_key folds together
_CHAR_CLASSES = {
    "(": "[(（]",
    ")": "[)）]",
    ",": "[,，、]",
    ".": "[.．、]",
    ":": "[:：]",
    '"': '["“”]',
    "/": "[/／]",
}
_GAP = "[ \\t\\u3000]*"
_MIN_PARAGRAPH = 60  # shorter paragraphs are ordinary lines
_RUN = re.compile(r"[\d.+\-\s\u3000元个笔件条项万/—]+")
_CHUNK = re.compile(r"[+\-]?[\d.]+(?:万元|元|个|笔|件|条|项)?|[/—]")
# the longest _RUN a line ends with, when it holds something _CHUNK reads as a value (a digit,
# a point, / or —): a run of units or signs alone cuts nothing (行政规范性文件 ends with 件)
_VALUES_AT_END = re.compile(r"[\d.+\-\s\u3000元个笔件条项万/—]*[\d./—][\d.+\-\s\u3000元个笔件条项万/—]*$")

T = TypeVar("T")


class _Prefiltered:
    """A pattern compiled on first need: a search first looks for a cheap pattern that every
    match of the full one starts with (most paragraphs have none)."""

    def __init__(self, source: str, prefix: str) -> None:
        self.source = source
        self.prefix = re.compile(prefix)
        self.pattern: re.Pattern[str] | None = None

    def _full(self) -> re.Pattern[str]:
        if self.pattern is None:
            self.pattern = re.compile(self.source)
        return self.pattern

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if not self.prefix.search(text):
            return iter(())
        return self._full().finditer(text)

    def search(self, text: str, pos: int, endpos: int) -> re.Match[str] | None:
        if not self.prefix.search(text, pos, endpos):
            return None
        return self._full().search(text, pos, endpos)


class _FirstOf:
    """Where the first of several labels starts, each label its own :class:`_Prefiltered`:
    a paragraph that starts like one label (申请人…) compiles that label's pattern only, not
    the long ones it never contains (the 40-character identity note of table 3)."""

    def __init__(self, texts: list[str]) -> None:
        unique = {label_key(text): text for text in texts}.values()
        self.keys = frozenset(map(label_key, unique))
        # labels that start alike (第二十条第…) share one look for their start
        groups: dict[str, list[_Prefiltered]] = {}
        for text in unique:
            label = _Prefiltered(_label_pattern(text), _label_pattern(text, 3))
            groups.setdefault(label.prefix.pattern, []).append(label)
        self.groups = [(labels[0].prefix, labels) for labels in groups.values()]

    def start(self, text: str, pos: int, endpos: int) -> int | None:
        found = [
            match.start()
            for prefix, labels in self.groups
            if prefix.search(text, pos, endpos)
            for label in labels
            if (match := label.search(text, pos, endpos))
        ]
        return min(found, default=None)


class _Anchors(dict[str, _FirstOf]):
    """Each table's anchors (:class:`_FirstOf`), and one pattern for where any of them may start:
    most paragraphs hold none, and one search tells instead of one per group of labels."""

    def __init__(self, texts: dict[str, list[str]]) -> None:
        super().__init__((name, _FirstOf(labels)) for name, labels in texts.items())
        # the groups' prefixes, any whitespace between characters: it may find more, never less,
        # and compiles in a third of the time (a first parse pays it)
        prefixes = dict.fromkeys(_label_pattern(text, 3, r"\s*") for labels in texts.values() for text in labels)
        self.somewhere = re.compile("|".join(prefixes))

    def starts(self, text: str, pos: int, endpos: int) -> list[tuple[int, str]]:
        """(start, table) of each table whose anchor is printed in text[pos:endpos]."""
        if not self.somewhere.search(text, pos, endpos):
            return []
        found = [(anchor.start(text, pos, endpos), name) for name, anchor in self.items()]
        return [(start, name) for start, name in found if start is not None]


def _first_chars(keys: Iterable[str]) -> set[str]:
    """The characters a match of the keys' :func:`_label_pattern` can start with."""
    chars: set[str] = set()
    for key in keys:
        chars.update(_CHAR_CLASSES[key[0]][1:-1] if key[0] in _CHAR_CLASSES else key[0])
    return chars


class _Alternations(dict[str, re.Pattern[str]]):
    """Each table's label alternation, compiled on first use: compiling them takes about 0.1 s
    and only text flattened by a crawler needs them."""

    def __init__(self, texts: dict[str, list[str]]) -> None:
        super().__init__()
        self.texts = texts

    def __missing__(self, name: str) -> re.Pattern[str]:
        pattern = self[name] = _alternation(self.texts[name])
        return pattern


def _label_pattern(text: str, head: int | None = None, gap: str = _GAP) -> str:
    key = label_key(text)[:head]
    return gap.join(_CHAR_CLASSES.get(ch, re.escape(ch)) for ch in key)


@per_items
def _patterns(
    specs: tuple[FormatSpec, ...],
) -> tuple[_Prefiltered, _Anchors, dict[str, re.Pattern[str]]]:
    """(inline section headings, table anchors, table labels) of all the formats together:
    the version is only known once the labels are cut apart."""
    titles = sorted(
        {
            label_key(title)
            for spec in specs
            for section in spec.sections
            for title in (section.title, *section.variants)
        },
        key=len,
        reverse=True,
    )
    numbered = "(?:[一二三四五六]|[1-6])" + _GAP + "[、.．]" + _GAP
    starts = "".join(re.escape(ch) for ch in sorted(_first_chars(titles)))
    headings = _Prefiltered(
        numbered + "(?:" + "|".join(_label_pattern(t) for t in titles) + ")", numbered + f"[{starts}]"
    )
    anchors: dict[str, list[str]] = {"table2": [], "table3": [], "table4": []}
    labels: dict[str, list[str]] = {"table2": [], "table3": [], "table4": []}
    for spec in specs:
        anchors["table2"] += spec.table2.anchors
        anchors["table3"] += spec.table3.anchors
        anchors["table4"].append("".join(spec.table4.top_header))  # flattened: 行政复议行政诉讼
        labels["table2"] += [block.anchor for block in spec.table2.blocks] + list(spec.table2.header_labels)
        labels["table2"] += [
            text
            for block in spec.table2.blocks
            for label in (*block.columns, *block.rows)
            for text in (label.label, *label.variants)
        ]
        labels["table3"] += [spec.table3.identity_note, *spec.table3.header_labels]
        labels["table3"] += [
            text for label in (*spec.table3.rows, *spec.table3.groups) for text in (label.label, *label.variants)
        ]
        labels["table4"] += list(spec.table4.header_labels)
    return (
        headings,
        _Anchors(anchors),
        _Alternations(labels),
    )


def _row_texts(specs: tuple[FormatSpec, ...]) -> list[str]:
    return [
        text
        for spec in specs
        for label in (*(row for _block, row in spec.table2.rows), *spec.table3.rows)
        for text in (label.label, *label.variants)
    ]


@per_items
def _sections_of(specs: tuple[FormatSpec, ...]) -> tuple[SectionSpec, ...]:
    """Every format's sections, once each (built once per set of specs)."""
    return tuple(dict.fromkeys(section for spec in specs for section in spec.sections))


@per_items
def _labelled_line(specs: tuple[FormatSpec, ...]) -> re.Pattern[str]:
    """A row label followed by its values, alone on a line."""
    return re.compile("(" + _alternation_source(_row_texts(specs)) + ")" + _GAP + "(.+)")


@per_items
def _row_starts(specs: tuple[FormatSpec, ...]) -> frozenset[str]:
    """Every character a line :func:`_labelled_line` matches can start with (no compiling)."""
    return frozenset(_first_chars(label_key(text) for text in _row_texts(specs)))


def _alternation(texts: list[str]) -> re.Pattern[str]:
    return re.compile(_alternation_source(texts))


def _alternation_source(texts: list[str]) -> str:
    """The labels as one alternation, longest first."""
    unique = sorted({label_key(text): text for text in texts}.values(), key=lambda t: len(label_key(t)), reverse=True)
    return "|".join(_label_pattern(text) for text in unique)


def segment(tokens: list[Token], specs: tuple[FormatSpec, ...]) -> list[Token]:
    """Tokens with glued paragraphs cut into headings, labels and value chunks (re-indexed).

    ``tokens`` are numbered in order (as :func:`~nianbao.extract.tokens.tokenize` makes them);
    when no paragraph is cut they are returned as they are.
    """
    headings, anchors, labels = _patterns(specs)
    sections = _sections_of(specs)
    row_starts = _row_starts(specs)
    cut: list[tuple[int, list[tuple[int, str, str]]]] = []  # (position, pieces) of each paragraph cut
    # only long paragraphs and lines starting like a row label can be cut
    candidates = [
        position
        for position, token in enumerate(tokens)
        if not token.is_cell and (len(token.text) >= _MIN_PARAGRAPH or token.text[:1] in row_starts)
    ]
    carried: str | None = None  # the table a cut paragraph ended inside, for the next one to go on
    for k, position in enumerate(candidates):
        text = tokens[position].text
        if carried is not None and k and not _continues(tokens[candidates[k - 1] + 1 : position], headings):
            carried = None
        if len(text) < _MIN_PARAGRAPH:
            # a short line holding a row: 行政许可 0, 规章000 (the label pattern is compiled only
            # for lines that end as a run of values can)
            values = _VALUES_AT_END.search(text)
            plausible = values is not None and values.start() > 0  # a label (never all run characters) first
            match = _labelled_line(specs).fullmatch(text) if plausible else None
            if not (match and _RUN.fullmatch(match.group(2))):
                continue
            pieces = [(0, match.group(1), "label"), *_between(text, match.start(2), len(text))]
        else:
            pieces, carried = _cut(text, headings, anchors, labels, sections, carried)
        if len(pieces) > 1:
            cut.append((position, pieces))
    if not cut:
        return tokens
    out: list[Token] = []
    done = 0
    for position, pieces in cut:
        out += tokens[done:position]
        out += [_sub_token(tokens[position], start, text, glued=kind == "value") for start, text, kind in pieces]
        done = position + 1
    out += tokens[done:]
    for index, token in enumerate(out):
        token.index = index
    return out


def _continues(between: list[Token], headings: _Prefiltered) -> bool:
    """A table cut across paragraphs goes on past these tokens: short lines (a page's chrome, a
    stray line), none a cell or a heading."""
    return all(
        not token.is_cell and len(token.text) < _MIN_PARAGRAPH and next(headings.finditer(token.text), None) is None
        for token in between
    )


def _cut(
    text: str,
    headings: _Prefiltered,
    anchors: _Anchors,
    labels: dict[str, re.Pattern[str]],
    sections: tuple[SectionSpec, ...],
    carried: str | None = None,
) -> tuple[list[tuple[int, str, str]], str | None]:
    """(offset, text, kind) pieces, kind heading, label, value or text, and the table whose
    zone the paragraph ends in.  ``carried`` is the table the paragraph before ended in: a
    paragraph that starts as that table goes on (a row label, or values and then a label) is in
    its zone from the start."""
    found = [(m.start(), m.end()) for m in headings.finditer(text)]
    found += misprinted_inline(text, sections, found)
    zone_cuts, zone = _zones(text, found, sections, anchors, labels, carried)
    reworded = reworded_inline(text, sections, found, [cut[:2] for cut in zone_cuts])
    if reworded:  # the new headings bound the tables' zones too
        found += reworded
        zone_cuts, zone = _zones(text, found, sections, anchors, labels, carried)
    cuts = [(start, end, "heading") for start, end in found] + zone_cuts
    pieces: list[tuple[int, str, str]] = []
    if not cuts:
        return pieces, zone
    cuts.sort()
    position = 0
    after_label = False
    for start, end, kind in cuts:
        if start < position:
            continue  # overlapping match inside an earlier one
        if start > position:
            pieces += _between(text, position, start, after_label=after_label)
        pieces.append((start, text[start:end], "label" if kind == "label" else "heading"))
        position, after_label = end, kind == "label"
    if position < len(text):
        pieces += _between(text, position, len(text), after_label=after_label)
    return pieces, zone


def _zones(
    text: str,
    found: list[tuple[int, int]],
    sections: tuple[SectionSpec, ...],
    anchors: _Anchors,
    labels: dict[str, re.Pattern[str]],
    carried: str | None,
) -> tuple[list[tuple[int, int, str]], str | None]:
    """The label cuts of the tables' zones between the headings ``found``, and the table whose
    zone the paragraph ends in."""
    if not found:  # no heading: the whole paragraph is one segment (most paragraphs)
        going_on = carried if carried is not None and _goes_on(text, labels[carried]) else None
        return _table_cuts(text, 0, len(text), anchors, labels, None, going_on)
    # the segment a heading opens: its section's table (if any) is expected right after it
    opens = {start: (f"table{section_of_inline(text[start:end], sections)}", end) for start, end in found}
    bounds = sorted({0, len(text), *opens})
    cuts: list[tuple[int, int, str]] = []
    zone = None
    for lo, hi in itertools.pairwise(bounds):
        going_on = (
            carried if lo == 0 and 0 not in opens and _goes_on(text, labels[carried] if carried else None) else None
        )
        segment_cuts, zone = _table_cuts(text, lo, hi, anchors, labels, opens.get(lo), going_on)
        cuts.extend(segment_cuts)
    return cuts, zone


def _goes_on(text: str, table_labels: re.Pattern[str] | None) -> bool:
    """The paragraph starts as a table cut before it goes on: with one of its labels, or with
    values and then one."""
    if table_labels is None:
        return False
    start = len(text) - len(text.lstrip())
    run = _RUN.match(text, start)
    return bool(
        table_labels.match(text, start) or (run and _CHUNK.match(run.group(0)) and table_labels.match(text, run.end()))
    )


def _table_cuts(
    text: str,
    lo: int,
    hi: int,
    anchors: _Anchors,
    labels: dict[str, re.Pattern[str]],
    opened: tuple[str, int] | None = None,
    going_on: str | None = None,
) -> tuple[list[tuple[int, int, str]], str | None]:
    """Label matches inside the zones that start at a table's anchor within [lo, hi), and the
    table whose zone is open at ``hi``.

    ``opened`` is the table whose section's heading opens the segment, and where the heading
    ends: when that table's anchor is not printed exactly, a misprint of it right after the
    heading, followed by one of the table's labels, opens its zone (行政复复议行政诉讼结果维持…).
    ``going_on`` is a table whose zone goes on from the paragraph before: open from ``lo``.
    """
    starts = [(lo, going_on)] if going_on is not None else []
    starts += anchors.starts(text, lo, hi)
    if opened is not None and opened[0] in anchors and all(name != opened[0] for _, name in starts):
        misprinted = _misprinted_anchor(text, opened[1], anchors, labels[opened[0]], opened[0])
        if misprinted is not None:
            starts.append((misprinted, opened[0]))
    starts.sort()
    cuts: list[tuple[int, int, str]] = []
    for k, (start, name) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else hi
        cuts.extend((m.start(), m.end(), "label") for m in labels[name].finditer(text, start, end))
    return cuts, (starts[-1][1] if starts else None)


def _misprinted_anchor(
    text: str, start: int, anchors: _Anchors, table_labels: re.Pattern[str], name: str
) -> int | None:
    """Where a misprint of the table's anchor starts, at ``start`` (spaces skipped)."""
    start = _skip_gap(text, start)
    owners = {key: owner for owner, anchor in anchors.items() for key in anchor.keys}
    fits = misprint_at(text, start, {key: owner for key, owner in owners.items() if owner == name})
    if fits is None or misprint_of(label_key(text[start : fits[1]]), owners) != name:
        return None
    return start if table_labels.match(text, _skip_gap(text, fits[1])) else None


def _skip_gap(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\u3000":
        position += 1
    return position


_ENDS_WITH_NUMBER = re.compile(r"\d(?:万元|元|个|笔|件|条|项)?$")
_LAST_GAP = re.compile(r"[ \t\u3000]+(?=\S*$)")
_NUMBER_BOUND = frozenset("年月日号时分秒余多名人次户家位份册篇期场批宗套部倍天周种类处岁届")


def _stands_apart(follower: str) -> bool:
    """Whether text starting with ``follower`` stands apart from a number printed straight
    before it (a Chinese character, an opening bracket or quote); after 年 月 日 件 人, a comma
    … the number is the text's own."""
    return follower != "" and (follower in "（(【“《「" or "\u4e00" <= follower <= "\u9fff")


def _between(text: str, start: int, end: int, *, after_label: bool = False) -> Iterator[tuple[int, str, str]]:
    piece = text[start:end]
    if not piece.strip():
        return
    if _RUN.fullmatch(piece):
        yield from _values(piece, start)
        return
    if after_label:
        # a row's values glued to what follows it (三三、本年度办理结果, 注：…, the next
        # paragraph): the values are the row's, the rest is text
        run = _RUN.match(piece)
        values = run.group(0).rstrip() if run else ""
        rest = len(piece) - len(piece[len(values) :].lstrip())  # where the text starts
        follower = piece[rest : rest + 1]
        # a number or an amount (12件, 5万元) ends the values, not a point (2. numbers what follows)
        ends_with_number = _ENDS_WITH_NUMBER.search(values) is not None
        if ends_with_number and follower not in _NUMBER_BOUND and _stands_apart(follower):
            yield from _values(values, start)
            yield start + rest, piece[rest:].strip(), "text"
            return
        last_gap = _LAST_GAP.search(values)
        if values and follower in _NUMBER_BOUND and last_gap:
            # the text goes on from a number of its own (… 2023年): the values are before it
            yield from _values(values[: last_gap.start()], start)
            yield start + last_gap.end(), piece[last_gap.end() :].strip(), "text"
            return
    lead = len(piece) - len(piece.lstrip())
    yield start + lead, piece.strip(), "text"


def _values(run: str, start: int) -> Iterator[tuple[int, str, str]]:
    for chunk in _CHUNK.finditer(run):
        yield start + chunk.start(), chunk.group(0), "value"


def _sub_token(token: Token, offset: int, text: str, *, glued: bool) -> Token:
    location = token.location
    if location.line is not None and location.column is not None:
        location = Location(line=location.line, column=location.column + offset)
    sub = make_token(0, text, location, None, None, None, False)
    sub.glued = glued
    return sub


# ---------------------------------------------------------------------------- splitting

_MAX_CELL_DIGITS = 9  # digits before the decimal point
_MAX_DECIMALS = 6  # and after it (万元 amounts are printed to 4 or 6 places)
_MAX_CANDIDATES = 20000
# Search steps (cuts tried) for one chunk and for one file.  A real row's run takes a few
# hundred; a flattened page of long digit runs once kept the search busy for seconds.  Past a
# bound the run has no reading: its row is unreadable and the note says why (never a guess).
MAX_CHUNK_STEPS = 50_000
MAX_FILE_STEPS = 1_000_000


class SearchBudget:
    """The glued-digit search steps one file may still spend."""

    def __init__(self, steps: int) -> None:
        self.steps = self.left = steps

    @property
    def spent(self) -> bool:
        return self.left <= 0


_BUDGET: ContextVar[SearchBudget | None] = ContextVar("glued_search_budget", default=None)


@contextlib.contextmanager
def search_budget(steps: int | None = None) -> Iterator[SearchBudget]:
    """Bound every split made inside the block (one file's extraction) to ``steps`` in all
    (:data:`MAX_FILE_STEPS` unless given)."""
    budget = SearchBudget(MAX_FILE_STEPS if steps is None else steps)
    token = _BUDGET.set(budget)
    try:
        yield budget
    finally:
        _BUDGET.reset(token)


def split_candidates(chunks: list[str], n: int) -> list[list[str]] | None:
    """Every way to cut the chunks into ``n`` cells (each chunk at least one cell).

    A cell has no leading zero unless it is ``0``; a unit (元, 个 …) or sign stays with its
    number; a decimal point is never a cut.  None when there are too many ways to list or the
    search hit its bound (:data:`MAX_CHUNK_STEPS`, the file's :class:`SearchBudget`).
    """
    pieces = [_split_unit(chunk) for chunk in chunks]
    out: list[list[str]] = []

    def walk(k: int, remaining: int, acc: list[str]) -> bool:
        if len(out) > _MAX_CANDIDATES:
            return False
        if k == len(pieces):
            if remaining == 0:
                out.append(list(acc))
            return True
        digits, unit = pieces[k]
        chunks_left = len(pieces) - k - 1
        cuts = _cuts(digits, 1, remaining - chunks_left)
        if cuts is None:  # past the search bound: as with too many candidates, no reading
            return False
        for parts in cuts:
            if unit:
                parts = [*parts[:-1], parts[-1] + unit]
            if not walk(k + 1, remaining - len(parts), acc + parts):
                return False
        return True

    if not walk(0, n, []):
        return None
    return out


def _split_unit(chunk: str) -> tuple[str, str]:
    match = re.fullmatch(r"([+\-]?[\d.]+)(万元|元|个|笔|件|条|项)?", chunk)
    if not match:
        return chunk, ""
    return match.group(1), match.group(2) or ""


@lru_cache(maxsize=4096)
def _cuts_cached(digits: str, low: int, high: int) -> tuple[tuple[tuple[str, ...], ...] | None, int]:
    """The cuts (None past :data:`MAX_CHUNK_STEPS`) and the steps the search took."""
    results: list[tuple[str, ...]] = []
    steps = 0
    # the longest cell: an amount of 75394432.52元 is one cell, not cut after nine characters
    width = _MAX_CELL_DIGITS + (1 + _MAX_DECIMALS if "." in digits else 0)

    def walk(position: int, acc: tuple[str, ...]) -> None:
        nonlocal steps
        steps += 1
        if len(results) > _MAX_CANDIDATES or steps > MAX_CHUNK_STEPS:
            return
        if position == len(digits):
            if low <= len(acc) <= high:
                results.append(acc)
            return
        # the digits left must fit the cells left: a long run is not searched to its dead ends
        if len(acc) >= high or len(digits) - position > (high - len(acc)) * width:
            return
        for end in range(position + 1, min(len(digits), position + width) + 1):
            part = digits[position:end]
            if not _valid_part(part):
                continue
            if end < len(digits) and digits[end] == ".":
                continue  # never cut right before a decimal point
            walk(end, (*acc, part))

    walk(0, ())
    return (None if steps > MAX_CHUNK_STEPS else tuple(results)), steps


def _cuts(digits: str, low: int, high: int) -> list[list[str]] | None:
    """The cuts of one chunk into ``low`` to ``high`` cells; None when the search hit its bound."""
    if high < low:
        return []
    budget = _BUDGET.get()
    if budget is not None and budget.spent:
        return None
    cuts, steps = _cuts_cached(digits, low, high)
    if budget is not None:
        budget.left -= steps  # a cached answer is charged too: the bound stays independent of the cache
    return None if cuts is None else [list(parts) for parts in cuts]


def _valid_part(part: str) -> bool:
    body = part.lstrip("+-")
    if not body or body.startswith(".") or body.endswith("."):
        return False
    if body.count(".") > 1:
        return False
    whole, _point, fraction = body.partition(".")
    if len(whole) > _MAX_CELL_DIGITS or len(fraction) > _MAX_DECIMALS:
        return False
    if part[1:].count("+") or part[1:].count("-"):
        return False
    return not (len(body) > 1 and body[0] == "0" and body[1] != ".")


# ---------------------------------------------------------------------------- by the narrative


def resolve_by_narrative(report: Report, spec: FormatSpec) -> list[str]:
    """Read table-2 cells left unreadable for their glued digits where the narrative states the
    same cell (制发行政规范性文件62件, ``Table2Spec.narrative_cells``); returns the cells now read.

    Of the cuts of the row's run, only those whose cell equals the stated figure are kept, and a
    cell is read where every kept cut agrees (the stated one always, the others when one cut is
    left).  A figure stated as two different numbers is not used, nor one that no cut agrees with
    (the narrative then counts something else: 集中发布现行有效文件393件 beside a table's 470).  The
    row's notes say what pinned it; its narrative check (NARR-TAB) passes by construction.
    """
    if not report.table2 or not spec.table2.narrative_cells:
        return []
    stated: dict[str, list[NarrativeFigure]] = {}
    for figure in report.narrative:
        stated.setdefault(figure.kind, []).append(figure)
    by_row: dict[str, list[tuple[str, NarrativeFigure]]] = {}
    for kind, cell in spec.table2.narrative_cells:
        figures = stated.get(kind, [])
        if figures and len({float(figure.value) for figure in figures}) == 1:
            row, column = cell.split(".")
            by_row.setdefault(row, []).append((column, figures[0]))
    resolved: list[str] = []
    for block, label in spec.table2.rows:
        if label.key in by_row:
            resolved += _pin_by_narrative(report, label, block.columns, by_row[label.key])
    return resolved


def _pin_by_narrative(
    report: Report, row: Label, columns: tuple[Label, ...], statements: list[tuple[str, NarrativeFigure]]
) -> list[str]:
    assert report.table2 is not None
    cells = report.table2.get(row.key, {})
    keys = [column.key for column in columns]
    runs = {cells[key].raw for key in keys if key in cells and cells[key].reason == "glued_ambiguous"}
    if len(runs) != 1 or None in runs:
        return []
    (run,) = runs
    assert run is not None
    readings = _readings(run, [cells.get(key) for key in keys])
    used = []
    for column, figure in statements:
        at = keys.index(column)
        agreeing = [parts for parts in readings if parse_value(parts[at]).number == figure.value]
        if agreeing:
            readings = agreeing
            used.append(figure)
    decided = {
        key: texts.pop()
        for at, key in enumerate(keys)
        if cells[key].status != "value" and len(texts := {parts[at] for parts in readings}) == 1
    }
    if not used or not decided:
        return []
    location = next((cells[key].location for key in keys if cells[key].location is not None), None)
    for key, text in decided.items():
        cells[key] = CellValue(value=parse_value(text).number, raw=text, status="value", location=location)
    ids = [f"table2.{row.key}.{key}" for key in decided]
    doubtful = [column for column in columns if cells[column.key].status != "value"]
    printed = run.replace(" ", "")
    report.notes = [
        note
        for note in report.notes
        if not (note.kind == "unreadable_row" and set(note.cells) & {f"table2.{row.key}.{key}" for key in keys})
    ]
    said = "、".join(f"“{figure.text}”" for figure in used)
    read = "、".join(f"{column.name}{decided[column.key]}" for column in columns if column.key in decided)
    report.notes.append(
        Note(
            kind="glued_split",
            table="table2",
            message=(
                f"表二“{row.name}”行的数字连写为“{printed}”，表格本身无法唯一拆分；正文称{said}，"
                f"按此只保留与之相符的拆法，读取{read}；该行与正文的核对（NARR-TAB）因此不具独立性，需对照原件核对"
            ),
            cells=ids,
            locations=[location] if location is not None else [],
        )
    )
    if doubtful:
        report.notes.append(
            Note(
                kind="unreadable_row",
                table="table2",
                message=(
                    f"表二“{row.name}”行的数字连写为“{printed}”，按正文所述拆分后，"
                    f"{'、'.join(column.name for column in doubtful)}仍有多种可能，无法确定"
                ),
                cells=[f"table2.{row.key}.{column.key}" for column in doubtful],
                locations=[location] if location is not None else [],
            )
        )
    return ids


# ---------------------------------------------------------------------------- across years

# table 2 rows of the 2021 format whose cells last year's report ties: 现行有效(N−1) + 本年制发(N)
# − 本年废止(N) = 现行有效(N)
_IN_FORCE_ROWS = {"regulations": "规章", "normative_documents": "行政规范性文件"}
_IN_FORCE_COLUMNS = ("issued", "repealed", "in_force")


def resolve_by_previous(report: Report, previous: Report) -> list[str]:
    """Read table-2 rows left unreadable for their glued digits, where last year's report allows
    exactly one cut; returns the cells now read.

    It works on the report as stored: the run is the unreadable cells' ``raw`` (chunks apart), so
    a report kept before its previous year arrived is resolved when it does.  A cut is consistent
    when 上年现行有效 + 本年制发 − 本年废止 = 本年现行有效; only a single consistent cut is taken
    (a wrong number is worse than a missing one).  The row's unreadable note gives way to a
    ``glued_split`` note naming its cells, which the GLUED rule reports: the X-VALID check of such
    a row passes by construction.
    """
    if report.format_version != "gov2021" or previous.format_version != "gov2021":
        return []
    if report.year is None or previous.year != report.year - 1 or not report.table2 or not previous.table2:
        return []
    resolved: list[str] = []
    for row, name in _IN_FORCE_ROWS.items():
        cells = report.table2.get(row, {})
        last = previous.table2.get(row, {}).get("in_force")
        if last is None or last.number is None:
            continue
        runs = {cells[col].raw for col in _IN_FORCE_COLUMNS if col in cells and cells[col].reason == "glued_ambiguous"}
        if len(runs) != 1 or None in runs:
            continue
        (run,) = runs
        assert run is not None
        consistent = [
            parts
            for parts in _readings(run, [cells.get(col) for col in _IN_FORCE_COLUMNS])
            if _ties(parts, last.number)
        ]
        if len(consistent) != 1:
            continue
        (chosen,) = consistent
        location = next((cells[col].location for col in _IN_FORCE_COLUMNS if col in cells), None)
        for col, text in zip(_IN_FORCE_COLUMNS, chosen, strict=True):
            if cells[col].status != "value":
                cells[col] = CellValue(value=parse_value(text).number, raw=text, status="value", location=location)
        ids = [f"table2.{row}.{col}" for col in _IN_FORCE_COLUMNS]
        resolved += ids
        report.notes = [
            note for note in report.notes if not (note.kind == "unreadable_row" and set(note.cells) <= set(ids))
        ]
        report.notes.append(
            Note(
                kind="glued_split",
                table="table2",
                message=(
                    f"表二“{name}”行的数字连写为“{run.replace(' ', '')}”，表格本身无法唯一拆分；按上年（{previous.year}年度）"
                    f"报告的现行有效件数{format_number(last.number)}，只有“本年制发{chosen[0]}、本年废止{chosen[1]}、"
                    f"现行有效{chosen[2]}”一种拆法符合“上年现行有效＋本年制发－本年废止＝本年现行有效”，按此读取；"
                    "该行的年度衔接核查（X-VALID）因此不具独立性，需对照原件核对"
                ),
                cells=ids,
                locations=[location] if location is not None else [],
            )
        )
    return resolved


def _readings(run: str, cells: list[CellValue | None]) -> list[list[str]]:
    """The cuts of ``run`` into the row's cells that read as numbers and agree with the cells
    already read (those every cut agreed on)."""
    out = []
    for parts in split_candidates(run.split(), len(cells)) or []:
        parsed = [parse_value(part) for part in parts]
        if any(value.kind != "value" or value.number is None for value in parsed):
            continue
        if any(
            cell is not None and cell.status == "value" and cell.number != value.number
            for cell, value in zip(cells, parsed, strict=True)
        ):
            continue
        out.append(parts)
    return out


def _ties(parts: list[str], last: int | float) -> bool:
    issued, repealed, in_force = (parse_value(part).number for part in parts)
    assert issued is not None and repealed is not None and in_force is not None
    return bool(last + issued - repealed == in_force)
