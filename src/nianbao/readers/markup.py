"""What the HTML and DOCX readers share: a flow of paragraphs and tables as the markup gives
them, the rule that tells a report table from a table used for page layout, and the step to the
Document's blocks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..document import Block, Cell, Location, Paragraph, Table

# A cell longer than this holds running text, not a table value: its table is page layout.
LAYOUT_CELL_CHARS = 300


@dataclass(slots=True)
class MarkupParagraph:
    """A paragraph (or one line of a cell) of a web page or Word document, with its style."""

    text: str
    style: str | None = None


@dataclass(slots=True)
class MarkupCell:
    """A (merged) cell of a markup table: its paragraphs, top-left position and spans."""

    lines: list[str]
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(slots=True)
class MarkupTable:
    """A table of the markup (``<table>``, ``w:tbl``): each merged cell once, at its top-left
    position, with its spans."""

    cells: list[MarkupCell] = field(default_factory=list)


MarkupItem = MarkupParagraph | MarkupTable


def resolve_nesting(
    table: MarkupTable, contents: list[list[MarkupItem]], medium: str, note: Callable[[str], None]
) -> list[MarkupItem]:
    """A table as its grid followed by the tables nested in its cells — or, when it only lays out
    the page (a cell of running text, or nested tables larger than itself), its content as text."""
    nested = [item for items in contents for item in items if isinstance(item, MarkupTable)]
    longest = max(
        (len(item.text) for items in contents for item in items if isinstance(item, MarkupParagraph)), default=0
    )
    if longest > LAYOUT_CELL_CHARS or any(len(inner.cells) > len(table.cells) for inner in nested):
        note(f"{medium}用表格排版，排版表格中的内容按正文读取")
        return [item for items in contents for item in items]
    if nested:
        note("表格单元格中嵌套的表格已在该表格之后单独读取")
    return [table, *nested]


def to_blocks(items: list[MarkupItem]) -> list[Block]:
    """Paragraphs numbered in order, tables numbered in order, every cell with its position."""
    blocks: list[Block] = []
    n_paragraphs = n_tables = 0
    for item in items:
        if isinstance(item, MarkupParagraph):
            blocks.append(Paragraph(item.text, Location(paragraph=n_paragraphs), style=item.style))
            n_paragraphs += 1
            continue
        index = n_tables
        n_tables += 1
        cells = [
            Cell(
                "\n".join(cell.lines),
                cell.row,
                cell.col,
                Location(table=index, row=cell.row, col=cell.col),
                cell.rowspan,
                cell.colspan,
            )
            for cell in item.cells
        ]
        blocks.append(Table(cells, Location(table=index), grid_reliable=True))
    return blocks
