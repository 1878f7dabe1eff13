"""The document as one ordered stream of text tokens: paragraphs and table cells.

Extraction aligns the format's templates against this stream.  A token remembers whether it
is a table cell and in which row, so values are only taken from the row of their label when
the source has rows, and from the following paragraphs when it does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import Final

from ..document import Document, Location, Paragraph
from ..formats.labels import ParsedValue, clean_text, label_key, parse_value

VALUE: Final = "value"  # the kinds of formats.labels.ParsedValue
BLANK: Final = "blank"
TEXT: Final = "text"
_ROW_COL = attrgetter("row", "col")


@dataclass(slots=True, eq=False)  # tokens are compared by identity
class Token:
    """A paragraph or table cell of the document, as extraction reads it."""

    index: int
    text: str  # display text: artifacts removed, wrapped lines joined
    raw: str  # as printed
    key: str  # label_key(text)
    location: Location
    table: int | None  # block index of the table it belongs to; None for paragraphs
    row: int | None
    col: int | None
    grid_reliable: bool
    parsed: ParsedValue
    is_cell: bool  # a table cell (else a paragraph)
    glued: bool = False  # digits cut from a flattened line: may hold several cells
    confidence: float | None = None  # OCR score of the source text

    @property
    def kind(self) -> str:
        return self.parsed.kind

    @property
    def empty(self) -> bool:
        """Nothing printed at all (a placeholder or an empty cell), as opposed to a dash."""
        return self.key == ""

    def same_row(self, other: Token) -> bool:
        return self.table == other.table and self.row == other.row


def tokenize(document: Document) -> list[Token]:
    tokens: list[Token] = []
    append = tokens.append
    index = 0
    # make_token's work written out: a report has some four hundred tokens
    for block_index, block in enumerate(document.blocks):
        if isinstance(block, Paragraph):
            raw = block.text
            text, key, parsed = _read(raw)
            append(
                Token(
                    index,
                    text,
                    raw,
                    key,
                    block.location,
                    None,
                    None,
                    None,
                    False,
                    parsed,
                    False,
                    False,
                    block.confidence,
                )
            )
            index += 1
            continue
        reliable = block.grid_reliable
        # the order of block.rows() (by row, then column; stable), without its per-cell Python key
        for cell in block.cells if block.in_order else sorted(block.cells, key=_ROW_COL):
            raw = cell.text
            text, key, parsed = _read(raw)
            append(
                Token(
                    index,
                    text,
                    raw,
                    key,
                    cell.location,
                    block_index,
                    cell.row,
                    cell.col,
                    reliable,
                    parsed,
                    True,
                    False,
                    cell.confidence,
                )
            )
            index += 1
    return tokens


def make_token(
    index: int,
    raw: str,
    location: Location,
    table: int | None,
    row: int | None,
    col: int | None,
    grid_reliable: bool,
    confidence: float | None = None,
) -> Token:
    text, key, parsed = _read(raw)
    return Token(
        index, text, raw, key, location, table, row, col, grid_reliable, parsed, table is not None, False, confidence
    )


@lru_cache(maxsize=8192)
def _read(raw: str) -> tuple[str, str, ParsedValue]:
    """Display text, key and value of a printed text, in one cache look-up: the labels and
    numbers of a table are the same in every report."""
    text = clean_text(raw)
    return text, label_key(text), parse_value(text)
