"""Shared test helpers: the fixture folders, truth files, and small documents built in code.

A module of its own, not conftest.py: tests/web/ has a conftest.py too, and two modules named
``conftest`` cannot both be imported by name in one pytest run.
"""

from __future__ import annotations

import io
import itertools
import json
import zipfile
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


# ---------------------------------------------------------------------------- OFD written from a PDF

OFD_NS = "http://www.ofdspec.org/2016"


def ofd_from_pdf(data: bytes, *, runs: bool = False) -> bytes:
    """An OFD with the PDF's glyphs and rules; ``runs``: each line of glyphs one TextCode with DeltaX."""
    import pypdfium2 as pdfium  # here: most tests never need it

    from nianbao.readers import pdf as pdf_reader
    from nianbao.readers.ofd import MM

    pages = []
    for number, page in enumerate(pdfium.PdfDocument(data), start=1):
        content, _scan, _images = pdf_reader._pdfium_page(page, number)
        pages.append(content)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", f'<ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.0" DocType="OFD"><ofd:DocBody>'
                         "<ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
                         "</ofd:DocBody></ofd:OFD>")  # fmt: skip
        listed = "".join(f'<ofd:Page ID="{k + 1}" BaseLoc="Pages/Page_{k}/Content.xml"/>' for k in range(len(pages)))
        archive.writestr("Doc_0/Document.xml", f'<ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData><ofd:PageArea>'
                         "<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>"
                         f"<ofd:Pages>{listed}</ofd:Pages></ofd:Document>")  # fmt: skip
        for k, content in enumerate(pages):
            objects = []
            for n, run in enumerate(_runs(content.fragments) if runs else [[g] for g in content.fragments]):
                first = run[0]
                size = (first.bottom - first.top) / MM
                x, baseline = first.x0 / MM, first.top / MM + size * 0.8
                text = "".join(g.text for g in run).replace("&", "&amp;").replace("<", "&lt;")
                deltas = " ".join(f"{(b.x0 - a.x0) / MM:.3f}" for a, b in itertools.pairwise(run))
                delta = f' DeltaX="{deltas}"' if deltas else ""
                objects.append(f'<ofd:TextObject ID="{n}" Boundary="{x:.3f} {baseline - size:.3f} {size:.3f} {size:.3f}" '
                               f'Font="1" Size="{size:.3f}"><ofd:TextCode X="0" Y="{size:.3f}"{delta}>{text}</ofd:TextCode>'
                               "</ofd:TextObject>")  # fmt: skip
            for edge in content.edges:
                if edge.orientation == "h":
                    path = f"M {edge.start / MM:.3f} {edge.pos / MM:.3f} L {edge.end / MM:.3f} {edge.pos / MM:.3f}"
                else:
                    path = f"M {edge.pos / MM:.3f} {edge.start / MM:.3f} L {edge.pos / MM:.3f} {edge.end / MM:.3f}"
                objects.append(f'<ofd:PathObject ID="e" Boundary="0 0 210 297" LineWidth="0.25">'
                               f"<ofd:AbbreviatedData>{path}</ofd:AbbreviatedData></ofd:PathObject>")  # fmt: skip
            archive.writestr(f"Doc_0/Pages/Page_{k}/Content.xml", f'<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content>'
                             f'<ofd:Layer ID="l">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>')  # fmt: skip
    return out.getvalue()


def _runs(glyphs: list) -> list[list]:
    """Glyphs of one baseline that follow each other closely, as an OFD writer groups them."""
    runs: list[list] = []
    for glyph in glyphs:
        last = runs[-1][-1] if runs else None
        if last is not None and abs(last.top - glyph.top) < 0.1 and 0 <= glyph.x0 - last.x1 < 2:
            runs[-1].append(glyph)
        else:
            runs.append([glyph])
    return runs
