"""The tolerances of the page layout, named and checked once.

Every distance the layout compares against lives in one frozen :class:`Tolerances` (as
pdfplumber's ``TableSettings`` does for its table finder): in points, in ems (the line's glyph
height) or as shares.  They are fixed reader heuristics, measured on real reports, not user
settings; a value that makes no sense raises at construction instead of laying pages out wrongly.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

from .content import Edge


@dataclass(frozen=True)
class Tolerances:
    # ruling lines (points)
    snap: float = 3.0  # rules closer than this are one line
    join: float = 3.0  # collinear pieces with a gap up to this are one rule
    touch: float = 3.0  # a rule ending this close to another one touches it
    min_edge: float = 2.0  # shorter pieces are glyph parts or dots, not rules
    thin_rule: float = 2.5  # a filled rectangle thinner than this is a rule drawn as a bar
    rule_cover: float = 0.6  # share of a cell side a rule must cover to separate two cells
    column_align: float = 6.0  # a continued table's column borders lie this close to the table's
    # lines of text
    same_line: float = 0.5  # share of the glyph height two fragments' centres may differ by
    word_gap: float = 0.3  # em: a wider gap between fragments is a space
    space_gap: float = 0.05  # em: a gap where the text layer has a space, if wider than this
    # borderless tables
    column_gap: float = 1.8  # em: a wider gap between fragments separates columns
    column_overlap: float = 0.2  # em: a piece of a row belongs to a column it overlaps this much
    min_borderless_rows: int = 3  # columnar lines needed to make a table
    # paragraphs and pages
    margin_zone: float = 0.12  # share of the page height at top and bottom for headers/footers
    size_change: float = 0.3  # share of the em: a larger change of glyph size starts a paragraph
    short_line: float = 1.5  # em: a line ending this short of the right margin ends a paragraph
    indent: float = 0.8  # em: a line starting this far right of the margin starts a paragraph
    paragraph_gap: float = 1.5  # em: a wider gap between lines starts a paragraph

    def __post_init__(self) -> None:
        for tolerance in dataclasses.fields(self):
            _check(tolerance.name, getattr(self, tolerance.name))

    def replace(self, **changes: Any) -> Tolerances:
        return dataclasses.replace(self, **changes)

    def touches(self, h: Edge, v: Edge) -> bool:
        """A horizontal and a vertical rule meet (or end within ``touch`` of each other)."""
        reach = self.touch
        return h.start - reach <= v.pos <= h.end + reach and v.start - reach <= h.pos <= v.end + reach


_SHARES = frozenset(("rule_cover", "same_line", "margin_zone", "size_change"))


def _check(name: str, value: object) -> None:
    if name == "min_borderless_rows":
        if not isinstance(value, int) or isinstance(value, bool) or value < 2:
            raise ValueError(f"tolerance {name} must be an integer of at least 2, got {value!r}")
        return
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"tolerance {name} must be a positive number, got {value!r}")
    if name in _SHARES and value >= (0.5 if name == "margin_zone" else 1):
        limit = "0.5 (top and bottom zones must not meet)" if name == "margin_zone" else "1"
        raise ValueError(f"tolerance {name} is a share and must be below {limit}, got {value!r}")


TOLERANCES = Tolerances()
