"""OFD (GB/T 33190): the text layer read as a PDF's is, the package checked, damage one sentence.

The OFD files are written here from the text layer of a corpus PDF (each glyph a ``TextCode``
at its place, each rule a ``PathObject``), so the same report must come back.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from helpers import CORPUS, OFD_NS, ofd_from_pdf, truth_of
from nianbao import parse_bytes
from nianbao.errors import InputError
from nianbao.readers import read_bytes
from nianbao.readers.ofd import _deltas

PDF = CORPUS / "011_huaian_2024.pdf"


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
                content = f'<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content/></ofd:Page>'.encode()
            target.writestr(info.filename, content)
    with pytest.raises(InputError, match="没有可读取的文字层"):
        read_bytes(out.getvalue(), "images.ofd")
