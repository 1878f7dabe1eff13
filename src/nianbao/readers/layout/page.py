"""One page laid out: its ruled tables and its lines of text, in reading order."""

from __future__ import annotations

from dataclasses import dataclass, field

from .content import Box, Fragment, PageContent, lowest_score, round_box
from .geometry import TOLERANCES, Tolerances
from .lattice import find_lattices
from .lines import TextLine, group_lines, lines_text


@dataclass
class PageTableCell:
    text: str
    row: int
    col: int
    rowspan: int
    colspan: int
    page: int
    bbox: Box
    confidence: float | None = None  # OCR: the lowest score of the cell's text


@dataclass
class PageTable:
    """A table found on a page (ruled, or borderless from word positions), before it becomes a
    :class:`~nianbao.document.Table`; it may grow with the parts continued on later pages."""

    cells: list[PageTableCell]
    n_rows: int
    xs: list[float]  # column boundaries
    page: int
    bbox: Box
    ruled: bool = True


PageItem = TextLine | PageTable


@dataclass
class PageLayout:
    number: int
    width: float
    height: float
    items: list[PageItem] = field(default_factory=list)  # reading order


def layout_page(page: PageContent, tol: Tolerances = TOLERANCES) -> PageLayout:
    """Fragments inside a ruled table go to the cell under their centre; the rest form lines."""
    lattices = [g for g in find_lattices(page.edges, tol) if len(g.xs) > 2]
    per_lattice: list[dict[int, list[Fragment]]] = [{} for _ in lattices]
    free: list[Fragment] = []
    for frag in page.fragments:
        for k, lattice in enumerate(lattices):
            if lattice.contains(frag.cx, frag.cy):
                per_lattice[k].setdefault(lattice.cell_at(frag.cx, frag.cy), []).append(frag)
                break
        else:
            free.append(frag)
    items: list[PageItem] = []
    for lattice, assigned in zip(lattices, per_lattice, strict=True):
        if not assigned:
            continue  # an empty ruled box is decoration
        cells = [
            PageTableCell(
                lines_text(assigned.get(i, []), page.number, tol),
                c.row,
                c.col,
                c.rowspan,
                c.colspan,
                page.number,
                round_box(c.bbox),
                lowest_score(assigned.get(i, [])),
            )
            for i, c in enumerate(lattice.cells)
        ]
        items.append(PageTable(cells, len(lattice.ys) - 1, lattice.xs, page.number, round_box(lattice.bbox)))
    items.extend(group_lines(free, page.number, tol))
    items.sort(key=lambda item: item.bbox[1] if isinstance(item, PageTable) else item.top)
    return PageLayout(page.number, page.width, page.height, items)
