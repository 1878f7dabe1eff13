"""Shared test helpers: the fixture folders, truth files, and small documents built in code.

A module of its own, not conftest.py: tests/web/ has a conftest.py too, and two modules named
``conftest`` cannot both be imported by name in one pytest run.
"""

from __future__ import annotations

import json
from pathlib import Path

from nianbao.document import Block, Cell, Document, Location, Paragraph, Table
from nianbao.extract.tokens import Token, tokenize
from nianbao.sample import PlannedReport
from nianbao.stats import Member

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "corpus"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))


def truth_of(path: Path) -> dict:
    """The hand-checked ``nianbao.report/1`` object beside a fixture (``x.txt`` → ``x.truth.json``)."""
    return json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))


def grid(rows: list[list[str]], *, reliable: bool = True) -> Table:
    """A table block from rows of cell texts, one cell per position (no spans)."""
    cells = [
        Cell(text, r, c, Location(table=0, row=r, col=c)) for r, row in enumerate(rows) for c, text in enumerate(row)
    ]
    return Table(cells, Location(table=0), grid_reliable=reliable)


def document(*blocks: Block | str) -> Document:
    """A document of the given blocks; a string is a paragraph on its own line (1-based)."""
    built: list[Block] = [
        Paragraph(block, Location(line=line, column=1)) if isinstance(block, str) else block
        for line, block in enumerate(blocks, start=1)
    ]
    return Document(blocks=built, source="test.txt", kind="text")


def tokens_of(*blocks: Block | str) -> list[Token]:
    """The token stream extraction sees for these blocks."""
    return tokenize(document(*blocks))


def member_of(item: PlannedReport) -> Member:
    """A planned sample report's agency as statistics see it."""
    agency = item.agency
    return Member(agency.name, agency.region.code, agency.region.name, agency.level, agency.type, agency.parent)
