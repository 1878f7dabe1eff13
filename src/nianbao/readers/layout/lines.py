"""Fragments grouped into lines of text, and a line's fragments joined into its text."""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Iterable

from .content import Fragment
from .geometry import TOLERANCES, Tolerances

ASCII_WORD = re.compile(r"[0-9A-Za-z]")
# a line or cell that starts with its own numbering (一、 （二） 3．) begins something new
NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|\d{1,2}\s*[、.．](?!\d))"
)
_WHITESPACE = re.compile(r"\s+")


def compact(text: str) -> str:
    """The text without any whitespace, for comparing what two pages print."""
    return _WHITESPACE.sub("", text)


class TextLine:
    """Fragments on one baseline, left to right (fixed once made)."""

    __slots__ = ("_text", "bottom", "em", "fragments", "page", "tol", "top", "x0", "x1")

    def __init__(self, fragments: list[Fragment], page: int, tol: Tolerances = TOLERANCES) -> None:
        self.fragments = fragments
        self.page = page
        self.tol = tol
        self.x0 = fragments[0].x0
        self.x1 = max(f.x1 for f in fragments)
        self.top = min(f.top for f in fragments)
        self.bottom = max(f.bottom for f in fragments)
        # typical glyph height, the font size near enough (Latin digits and punctuation are lower)
        heights = sorted(f.height for f in fragments if not f.text.isascii() or len(f.text) > 1)
        if not heights:
            heights = sorted(f.height for f in fragments)
        self.em = max(heights[len(heights) // 2], 1.0)
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = join_fragments(self.fragments, self.em, self.tol)
        return self._text

    def segments(self, gap: float) -> list[list[Fragment]]:
        """The line cut where the space between two fragments is wider than ``gap``."""
        out: list[list[Fragment]] = [[self.fragments[0]]]
        for prev, frag in itertools.pairwise(self.fragments):
            if frag.x0 - prev.x1 > gap:
                out.append([frag])
            else:
                out[-1].append(frag)
        return out


def group_lines(fragments: Iterable[Fragment], page: int, tol: Tolerances = TOLERANCES) -> list[TextLine]:
    """Fragments on the same baseline (vertical centres within ``same_line`` of a glyph) form a line."""
    ordered = sorted(fragments, key=lambda f: (f.cy, f.x0))
    lines: list[list[Fragment]] = []
    centres: list[float] = []
    for frag in ordered:
        if lines and abs(frag.cy - centres[-1]) <= max(frag.height, 1.0) * tol.same_line:
            lines[-1].append(frag)
            members = lines[-1]
            centres[-1] = statistics.fmean(f.cy for f in members) if len(members) < 8 else centres[-1]
        else:
            lines.append([frag])
            centres.append(frag.cy)
    return [TextLine(sorted(members, key=lambda f: f.x0), page, tol) for members in lines]


def join_fragments(fragments: list[Fragment], em: float, tol: Tolerances = TOLERANCES) -> str:
    """A line's text: a space where the gap is wide, or where the text layer had one."""
    parts = [fragments[0].text]
    for prev, frag in itertools.pairwise(fragments):
        gap = frag.x0 - prev.x1
        if gap > tol.word_gap * em or (frag.space_before and gap > tol.space_gap * em):
            parts.append(" ")
        parts.append(frag.text)
    return "".join(parts)


def lines_text(fragments: list[Fragment], page: int, tol: Tolerances = TOLERANCES) -> str:
    """The text of a cell: its lines, one per row."""
    if not fragments:
        return ""
    return "\n".join(line.text for line in group_lines(fragments, page, tol)).strip()
