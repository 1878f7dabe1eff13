"""The DOCX opens in LibreOffice, keeps its merged cells, and converts to an A4 PDF with the tables."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import lxml.etree
import pytest

from helpers import SEEDS, truth_of
from nianbao import parse_bytes
from nianbao.model import Report
from nianbao.render import render_bytes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def convert(source: Path, to: str, workdir: Path) -> Path:
    """soffice --headless --convert-to, with a profile of its own (one soffice per profile)."""
    out = workdir / to.split(":")[0]
    out.mkdir(exist_ok=True)
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation=file://{workdir / 'profile'}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    (result,) = out.iterdir()
    return result


def tables(docx: bytes) -> list[list[list[tuple[int, str, str]]]]:
    """Per table and row, each cell's (columns spanned, vertical merge, text).

    Spans are counted in the columns the table actually uses: LibreOffice drops grid columns no
    cell boundary needs (table 2's six value slots become the boundaries its blocks use).
    """
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        root = lxml.etree.fromstring(package.read("word/document.xml"))
    out = []
    for table in root.iter(f"{W}tbl"):
        rows = []
        for tr in table.iter(f"{W}tr"):
            row = []
            for tc in tr.iter(f"{W}tc"):
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                merge = tc.find(f"{W}tcPr/{W}vMerge")
                state = "" if merge is None else (merge.get(f"{W}val") or "continue")
                text = "".join(t.text or "" for t in tc.iter(f"{W}t"))
                row.append((int(span.get(f"{W}val")) if span is not None else 1, state, text))
            rows.append(row)
        out.append(_used_columns(rows))
    return out


def _used_columns(rows: list[list[tuple[int, str, str]]]) -> list[list[tuple[int, str, str]]]:
    edges = set()
    for row in rows:
        position = 0
        for width, _state, _text in row:
            position += width
            edges.add(position)
    ordered = sorted(edges)
    out = []
    for row in rows:
        position, cells = 0, []
        for width, state, text in row:
            start, position = position, position + width
            cells.append((sum(1 for edge in ordered if start < edge <= position), state, text))
        out.append(cells)
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], bytes, Path]:
    contract = truth_of(SEEDS[3])
    contract["published"] = "2024-01-17"
    workdir = tmp_path_factory.mktemp("libreoffice")
    docx = render_bytes(Report.from_contract(contract), "docx")
    (workdir / "report.docx").write_bytes(docx)
    return contract, docx, workdir


def test_libreoffice_converts_the_docx_to_an_a4_pdf_with_the_tables(
    rendered: tuple[dict[str, Any], bytes, Path],
) -> None:
    import pypdfium2

    contract, _docx, workdir = rendered
    pdf = convert(workdir / "report.docx", "pdf", workdir).read_bytes()
    document = pypdfium2.PdfDocument(pdf)
    try:
        sizes = {tuple(round(v) for v in page.get_size()) for page in document}
        assert sizes == {(595, 842)}
    finally:
        document.close()
    back = parse_bytes(pdf, "libreoffice.pdf").to_contract()
    assert (back["agency"], back["year"]) == (contract["agency"], contract["year"])
    for table in ("table2", "table3", "table4"):
        assert back[table] == contract[table], table


def test_libreoffice_keeps_the_merged_cells(rendered: tuple[dict[str, Any], bytes, Path]) -> None:
    _contract, docx, workdir = rendered
    saved = convert(workdir / "report.docx", "docx:MS Word 2007 XML", workdir).read_bytes()
    ours, theirs = tables(docx), tables(saved)
    assert len(theirs) == 3
    assert theirs == ours
    table3, table4 = theirs[1], theirs[2]
    assert table3[0][0][:2] == (3, "restart") and table3[0][0][2].startswith("（本列数据的勾稽关系")
    assert table3[5][0] == (1, "restart", "三、本年度办理结果")
    assert [cell[:2] for cell in table4[1][:5]] == [(1, "restart")] * 5
