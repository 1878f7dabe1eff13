"""OFD (GB/T 33190): the text layer read as a PDF's is, the package checked, damage one sentence.

The OFD files are written here from the text layer of a corpus PDF (each glyph a ``TextCode``
at its place, each rule a ``PathObject``), so the same report must come back.
"""

from __future__ import annotations

import io
import itertools
import zipfile

import pypdfium2 as pdfium
import pytest

from helpers import CORPUS, truth_of
from nianbao import parse_bytes
from nianbao.errors import InputError
from nianbao.readers import pdf as pdf_reader
from nianbao.readers import read_bytes
from nianbao.readers.ofd import MM, _deltas

NS = "http://www.ofdspec.org/2016"
PDF = CORPUS / "011_huaian_2024.pdf"


def ofd_from_pdf(data: bytes, *, runs: bool = False) -> bytes:
    """An OFD with the PDF's glyphs and rules; ``runs``: each line of glyphs one TextCode with DeltaX."""
    pages = []
    for number, page in enumerate(pdfium.PdfDocument(data), start=1):
        content, _scan, _images = pdf_reader._pdfium_page(page, number)
        pages.append(content)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", f'<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD"><ofd:DocBody>'
                         "<ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
                         "</ofd:DocBody></ofd:OFD>")  # fmt: skip
        listed = "".join(f'<ofd:Page ID="{k + 1}" BaseLoc="Pages/Page_{k}/Content.xml"/>' for k in range(len(pages)))
        archive.writestr("Doc_0/Document.xml", f'<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData><ofd:PageArea>'
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
            archive.writestr(f"Doc_0/Pages/Page_{k}/Content.xml", f'<ofd:Page xmlns:ofd="{NS}"><ofd:Content>'
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


@pytest.fixture(scope="module")
def ofd() -> bytes:
    return ofd_from_pdf(PDF.read_bytes())


@pytest.mark.parametrize("runs", [False, True])
def test_an_ofd_reads_as_the_report(runs: bool, ofd: bytes) -> None:
    data = ofd_from_pdf(PDF.read_bytes(), runs=True) if runs else ofd  # glyph by glyph, or runs with DeltaX
    document = read_bytes(data, "report.ofd")
    assert document.kind == "ofd" and document.tables()
    report = parse_bytes(data, "report.ofd").to_contract(provenance=False)
    truth = truth_of(PDF)
    assert report["year"] == truth["year"] and report["format_version"] == truth["format_version"]
    for name in ("table2", "table3", "table4"):
        assert report[name] == truth[name], name


def test_delta_x_with_repeats() -> None:
    assert _deltas("g 3 3.5 2 1", 5) == [3.5, 3.5, 3.5, 2.0, 1.0]
    assert _deltas("g 1000000 1", 2) == [1.0, 1.0]  # never more advances than glyphs


def test_damage_and_a_missing_text_layer_are_one_sentence(ofd: bytes) -> None:
    with pytest.raises(InputError, match="OFD"):
        read_bytes(ofd[: len(ofd) // 2], "cut.ofd")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(ofd)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.endswith("Content.xml"):
                content = f'<ofd:Page xmlns:ofd="{NS}"><ofd:Content/></ofd:Page>'.encode()
            target.writestr(info.filename, content)
    with pytest.raises(InputError, match="没有可读取的文字层"):
        read_bytes(out.getvalue(), "images.ofd")
