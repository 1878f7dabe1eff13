"""What a reader gives the layout: text fragments and ruling lines of one page, in points from
the page's top-left corner."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass(slots=True)
class Fragment:
    """A piece of text and its box (x0, top, x1, bottom) in points from the page's top-left."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    score: float | None = None  # OCR confidence; None for a text layer
    space_before: bool = False  # the text layer has a space between this and the previous glyph

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Edge:
    """A ruling line: horizontal (``h``, at y=pos from start to end x) or vertical (``v``)."""

    orientation: str
    pos: float
    start: float
    end: float

    def shifted(self, dx: float, dy: float) -> Edge:
        if self.orientation == "h":
            return Edge("h", self.pos + dy, self.start + dx, self.end + dx)
        return Edge("v", self.pos + dx, self.start + dy, self.end + dy)


@dataclass
class PageContent:
    number: int  # 1-based
    width: float
    height: float
    fragments: list[Fragment]
    edges: list[Edge]
    ocr: bool = False
    # degrees (clockwise: 90, 180, 270) the scan was turned to be read; the boxes are in points of
    # the page so turned, ``width`` and ``height`` its size
    turned: int = 0

    def as_displayed(self, box: Box) -> Box:
        """A box of the page as read, in points of the page as it was given (before it was turned)."""
        x0, top, x1, bottom = box
        if self.turned == 90:  # the given page is the one read turned back a quarter (counter-clockwise)
            return (top, self.width - x1, bottom, self.width - x0)
        if self.turned == 180:
            return (self.width - x1, self.height - bottom, self.width - x0, self.height - top)
        if self.turned == 270:
            return (self.height - bottom, x0, self.height - top, x1)
        return box


def lowest_score(fragments: Iterable[Fragment]) -> float | None:
    """The lowest OCR score among fragments (None for a text layer): a cell is as sure as its
    least sure piece."""
    scores = [f.score for f in fragments if f.score is not None]
    return min(scores) if scores else None


def lower(a: float | None, b: float | None) -> float | None:
    """The lower of two confidences, either of which may be unknown."""
    return b if a is None else a if b is None else min(a, b)


def round_box(box: Box) -> Box:
    return (round(box[0], 2), round(box[1], 2), round(box[2], 2), round(box[3], 2))
