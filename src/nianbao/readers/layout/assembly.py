"""Page contents to a :class:`~nianbao.document.Document`, the step the PDF and OCR readers share.

Each page is laid out (:mod:`.page`, :mod:`.borderless`); then, across pages, page numbers and
running headers/footers are dropped, lines are joined into paragraphs (indent, a short last line
and numbering start a new one; a paragraph may go on over a page break), and a table at the top
of a page that continues the table ending the previous page joins it (:mod:`.continued`).
"""

from __future__ import annotations

import re

from ...document import Block, Cell, Document, DocumentKind, Location, Paragraph, Table
from .borderless import find_borderless
from .content import PageContent, lowest_score, round_box
from .continued import continue_table
from .geometry import TOLERANCES, Tolerances
from .lines import ASCII_WORD, NUMBERED, TextLine, compact
from .page import PageItem, PageLayout, PageTable, layout_page

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－~·•\s]*\d{1,3}[-—–－~·•\s]*"
    r"|[-—–－]\s*[一二三四五六七八九十〇]{1,3}\s*[-—–－]"
    r"|第\s*\d{1,3}\s*页(?:\s*[，,、/／]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*[/／]\s*\d{1,3}"
    r"|(?:page|Page|PAGE)\s*\d{1,3}(?:\s*of\s*\d{1,3})?)$"
)
_CONTINUED = re.compile(r"^[（(]?续(?:表|上表)?[)）]?[:：]?$")
_DIGITS = re.compile(r"\d+")
_TURNS = {90: "横置，已顺时针旋转90°", 180: "倒置，已旋转180°", 270: "横置，已逆时针旋转90°"}  # the turn the OCR made


def assemble(
    pages: list[PageContent], source: str, kind: DocumentKind, notes: list[str], tol: Tolerances = TOLERANCES
) -> Document:
    """Page contents → Document (shared by the PDF and the OCR reader)."""
    layouts = [layout_page(page, tol) for page in pages]
    _drop_running_lines(layouts, tol)
    for layout in layouts:
        layout.items = find_borderless(layout.items, layout.number, tol)
    builder = _Builder(tol)
    for layout in layouts:
        builder.page(layout)
    if builder.continued:
        notes.append(f"跨页表格已接续（第{page_list(builder.continued)}页）")
    blocks = builder.finish()
    turned = {page.number: page for page in pages if page.turned}
    if turned:
        _locate_as_displayed(blocks, turned)
        for angle in sorted({page.turned for page in turned.values()}):
            numbers = [number for number, page in turned.items() if page.turned == angle]
            notes.append(f"第{page_list(numbers)}页的扫描{_TURNS[angle]}后识别")
    return Document(blocks=blocks, source=source, kind=kind, notes=notes)


def _locate_as_displayed(blocks: list[Block], turned: dict[int, PageContent]) -> None:
    """Boxes on pages the OCR turned to read them, moved to the page as it is shown (the page
    image a person compares them with is the file's, not the turned one)."""
    locations = [block.location for block in blocks]
    locations += [cell.location for block in blocks if isinstance(block, Table) for cell in block.cells]
    for location in locations:
        page = turned.get(location.page) if location.page is not None else None
        if page is not None and location.bbox is not None:
            location.bbox = round_box(page.as_displayed(location.bbox))


def page_list(numbers: list[int]) -> str:
    """1,2,3,5 → 1–3、5"""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return "、".join(f"{run[0]}–{run[-1]}" if len(run) > 2 else "、".join(map(str, run)) for run in runs)


def _drop_running_lines(layouts: list[PageLayout], tol: Tolerances) -> None:
    """Page numbers, and headers/footers repeated on several pages, in the top/bottom margins."""
    marginal: dict[str, list[tuple[int, float]]] = {}
    for k, layout in enumerate(layouts):
        for item in layout.items:
            if isinstance(item, TextLine) and _in_margin(item, layout, tol):
                signature = _DIGITS.sub("#", compact(item.text))
                marginal.setdefault(signature, []).append((k, item.top))
    repeated = {
        signature
        for signature, where in marginal.items()
        if len({k for k, _ in where}) >= max(2, (len(layouts) * 2 + 4) // 5) and len(signature) >= 2
    }
    for layout in layouts:
        kept: list[PageItem] = []
        for item in layout.items:
            if isinstance(item, TextLine) and _in_margin(item, layout, tol):
                text = compact(item.text)
                if _PAGE_NUMBER.match(text) or _DIGITS.sub("#", text) in repeated:
                    continue
            kept.append(item)
        layout.items = kept


def _in_margin(line: TextLine, layout: PageLayout, tol: Tolerances) -> bool:
    zone = tol.margin_zone
    return line.top >= layout.height * (1 - zone) or line.bottom <= layout.height * zone


class _Builder:
    """Lines → paragraphs; tables continued across pages."""

    def __init__(self, tol: Tolerances) -> None:
        self.tol = tol
        self.blocks: list[Paragraph | PageTable] = []
        self.open_lines: list[TextLine] = []  # the paragraph being built
        self.margins: tuple[float, float] = (0.0, 0.0)  # left and right text edge of this page
        self.last_page_margins: tuple[float, float] = (0.0, 0.0)  # ... of the previous page
        self.width = self.last_page_width = 0.0
        self.continued: list[int] = []

    def page(self, layout: PageLayout) -> None:
        lines = [item for item in layout.items if isinstance(item, TextLine)]
        self.last_page_margins, self.last_page_width = self.margins, self.width
        self.margins = _margins(lines, layout.width) if lines else self.margins
        self.width = layout.width
        first = True
        for item in layout.items:
            if isinstance(item, PageTable):
                self._flush()
                previous = self.blocks[-1] if self.blocks else None
                if (
                    first
                    and isinstance(previous, PageTable)
                    and previous.page < item.page
                    and continue_table(previous, item, self.tol)
                ):
                    if item.page not in self.continued:
                        self.continued.append(item.page)
                else:
                    self.blocks.append(item)
            else:
                if first and _CONTINUED.match(compact(item.text)):
                    continue  # 续表: the table goes on, the marker is no content
                self._line(item, new_page=first)
            first = False

    def _line(self, line: TextLine, new_page: bool) -> None:
        if self.open_lines and self._continues(self.open_lines[-1], line, new_page):
            self.open_lines.append(line)
            return
        self._flush()
        self.open_lines = [line]

    def _continues(self, prev: TextLine, line: TextLine, new_page: bool) -> bool:
        tol = self.tol
        left = self.margins[0]
        prev_left, prev_right = self.last_page_margins if new_page else self.margins
        prev_width = self.last_page_width if new_page else self.width
        em = prev.em
        if abs(line.em - em) > tol.size_change * em:
            return False
        if prev.x1 < prev_right - tol.short_line * em or prev.x1 - prev_left < 0.5 * prev_width:
            return False  # the previous line ended short
        if line.x0 > left + tol.indent * em:  # indented: a new paragraph
            return False
        if not new_page and line.top - prev.bottom > tol.paragraph_gap * em:
            return False
        return not NUMBERED.match(line.text)

    def _flush(self) -> None:
        if not self.open_lines:
            return
        lines = self.open_lines
        self.open_lines = []
        parts = [lines[0].text]
        for line in lines[1:]:
            text = line.text
            if ASCII_WORD.match(parts[-1][-1:]) and ASCII_WORD.match(text[:1]):
                parts.append(" ")
            parts.append(text)
        first = lines[0]
        on_first_page = [line for line in lines if line.page == first.page]
        box = (
            round(min(line.x0 for line in on_first_page), 2),
            round(min(line.top for line in on_first_page), 2),
            round(max(line.x1 for line in on_first_page), 2),
            round(max(line.bottom for line in on_first_page), 2),
        )
        confidence = lowest_score(f for line in lines for f in line.fragments)
        self.blocks.append(
            Paragraph("".join(parts).strip(), Location(page=first.page, bbox=box), confidence=confidence)
        )

    def finish(self) -> list[Block]:
        self._flush()
        return [_to_table(block) if isinstance(block, PageTable) else block for block in self.blocks]


def _margins(lines: list[TextLine], width: float) -> tuple[float, float]:
    """Left text edge and right text edge of a page's body lines."""
    long = [line for line in lines if line.x1 - line.x0 >= 0.5 * width] or lines
    lefts = sorted(line.x0 for line in long)
    rights = sorted(line.x1 for line in long)
    return lefts[len(lefts) // 10], rights[(len(rights) * 9) // 10]


def _to_table(table: PageTable) -> Table:
    cells = [
        Cell(
            c.text,
            c.row,
            c.col,
            Location(page=c.page, bbox=c.bbox),
            rowspan=c.rowspan,
            colspan=c.colspan,
            confidence=c.confidence,
        )
        for c in sorted(table.cells, key=lambda c: (c.row, c.col))
    ]
    return Table(cells, Location(page=table.page, bbox=table.bbox), grid_reliable=table.ruled)
