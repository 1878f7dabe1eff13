"""The PDF reader: ruled and borderless tables, tables across pages, page furniture, the
second text engine, unusable PDFs, and the real PDFs of the corpus."""

from __future__ import annotations

import ctypes
import io
import shutil
import subprocess
import time
import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from helpers import FIXTURES, truth_of
from nianbao import parse_bytes
from nianbao.document import Document, Paragraph, Table
from nianbao.errors import InputError
from nianbao.extract import extract
from nianbao.readers import pdf as pdf_reader
from nianbao.readers import read_bytes
from nianbao.readers.layout.content import Fragment, PageContent
from nianbao.readers.pdf import read_pdf
from nianbao.rules import run_rules
from nianbao.settings import DEFAULT_SETTINGS

CORPUS = FIXTURES / "corpus"
TEXT_PDFS = [CORPUS / "009_hongzequ_2023.pdf", CORPUS / "011_huaian_2024.pdf"]


# ---------------------------------------------------------------------------- helpers


def grid(table: Table) -> list[list[str]]:
    """Texts per row, merged cells once, inner whitespace removed."""
    return [["".join(cell.text.split()) for cell in row] for row in table.rows()]


def spans(table: Table) -> list[list[tuple[int, int, int]]]:
    return [[(cell.col, cell.rowspan, cell.colspan) for cell in row] for row in table.rows()]


def all_text(document: Document) -> str:
    parts = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            parts.append(block.text)
        else:
            parts.extend(cell.text for cell in block.cells)
    return "\n".join(parts)


def draw_pdf(pages: list[dict]) -> bytes:
    """A PDF drawn with PDFium: Helvetica text, stroked lines, filled rectangles (points from the
    top-left).  Each page: {"texts": [(text, x, top, size)], "lines": [(x0, y0, x1, y1)],
    "rects": [(x0, top, x1, bottom, (r, g, b))], "size": (w, h)}."""
    pdf = pdfium.PdfDocument.new()
    for spec in pages:
        width, height = spec.get("size", (595, 842))
        page = pdf.new_page(width, height)
        for x0, top, x1, bottom, rgb in spec.get("rects", []):
            obj = pdfium_c.FPDFPageObj_CreateNewRect(x0, height - bottom, x1 - x0, bottom - top)
            pdfium_c.FPDFPageObj_SetFillColor(obj, *rgb, 255)
            pdfium_c.FPDFPath_SetDrawMode(obj, pdfium_c.FPDF_FILLMODE_ALTERNATE, 0)
            pdfium_c.FPDFPage_InsertObject(page, obj)
        for x0, y0, x1, y1 in spec.get("lines", []):
            obj = pdfium_c.FPDFPageObj_CreateNewPath(x0, height - y0)
            pdfium_c.FPDFPath_LineTo(obj, x1, height - y1)
            pdfium_c.FPDFPageObj_SetStrokeColor(obj, 0, 0, 0, 255)
            pdfium_c.FPDFPageObj_SetStrokeWidth(obj, ctypes.c_float(0.8))
            pdfium_c.FPDFPath_SetDrawMode(obj, 0, 1)
            pdfium_c.FPDFPage_InsertObject(page, obj)
        for text, x, top, size in spec.get("texts", []):
            obj = pdfium_c.FPDFPageObj_NewTextObj(pdf, b"Helvetica", ctypes.c_float(size))
            buffer = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
            pdfium_c.FPDFText_SetText(obj, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
            pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, height - top - size * 0.75)
            pdfium_c.FPDFPage_InsertObject(page, obj)
        page.gen_content()
        page.close()
    out = io.BytesIO()
    pdf.save(out)
    pdf.close()
    return out.getvalue()


def ruled(xs: list[float], ys: list[float], skip: tuple = ()) -> list[tuple[float, float, float, float]]:
    """The rules of a plain grid (minus the ``skip`` lines)."""
    lines = [(xs[0], y, xs[-1], y) for y in ys] + [(x, ys[0], x, ys[-1]) for x in xs]
    return [line for line in lines if line not in skip]


# ---------------------------------------------------------------------------- drawn PDFs (no LibreOffice)


def test_ruled_table_with_missing_top_border_keeps_its_first_row() -> None:
    # like a table continued from the previous page: the top rule of the first cell is not drawn
    xs, ys = [100.0, 250.0, 400.0], [100.0, 130.0, 160.0]
    lines = [*ruled(xs, ys, skip=((100.0, 100.0, 400.0, 100.0),)), (250.0, 100.0, 400.0, 100.0)]
    texts = [("Item", 110, 110, 10), ("Count", 260, 110, 10), ("Rules", 110, 140, 10), ("17", 260, 140, 10)]
    (table,) = read_pdf(draw_pdf([{"lines": lines, "texts": texts}]), "x.pdf").tables()
    assert grid(table) == [["Item", "Count"], ["Rules", "17"]]
    assert table.grid_reliable
    assert table.rows()[1][1].location.page == 1


def test_rules_drawn_as_thin_filled_bars() -> None:
    # Word draws cell borders as filled rectangles a fraction of a point thick
    black = (0, 0, 0)
    bars = [(100, y - 0.3, 400, y + 0.3, black) for y in (100, 130, 160)]
    bars += [(x - 0.3, 100, x + 0.3, 160, black) for x in (100, 250, 400)]
    texts = [("Item", 110, 110, 10), ("Count", 260, 110, 10), ("Rules", 110, 140, 10), ("17", 260, 140, 10)]
    (table,) = read_pdf(draw_pdf([{"rects": bars, "texts": texts}]), "x.pdf").tables()
    assert grid(table) == [["Item", "Count"], ["Rules", "17"]]


def test_undecodable_text_layer_is_read_by_pdfminer(monkeypatch: pytest.MonkeyPatch) -> None:
    # fonts PDFium cannot map to Unicode come out as U+FFFD: the page is read by pdfminer instead
    original = pdf_reader._pdfium_chars

    def undecodable(*args: object) -> list[Fragment]:
        chars = original(*args)  # type: ignore[arg-type]
        for char in chars:
            char.text = "\ufffd"
        return chars

    monkeypatch.setattr(pdf_reader, "_pdfium_chars", undecodable)
    document = read_pdf(TEXT_PDFS[0].read_bytes(), "x.pdf")
    assert any("pdfminer" in note for note in document.notes)
    assert "4119" in all_text(document) and "\ufffd" not in all_text(document)


def test_white_background_rectangles_are_not_rules() -> None:
    # WPS paints a white rectangle behind every line of text; they must not make a table
    rects = [(70, 100 + 20 * k, 520, 120 + 20 * k, (255, 255, 255)) for k in range(5)]
    texts = [(f"Line {k} of the text", 80, 104 + 20 * k, 10) for k in range(5)]
    document = read_pdf(draw_pdf([{"rects": rects, "texts": texts}]), "x.pdf")
    assert document.tables() == []
    assert "Line 3 of the text" in all_text(document)


def test_fake_bold_duplicates_and_page_numbers_are_dropped() -> None:
    texts = [("Bold 123", 100, 100, 12), ("Bold 123", 100.4, 100.3, 12), ("- 1 -", 290, 800, 10)]
    document = read_pdf(draw_pdf([{"texts": texts}]), "x.pdf")
    assert [p.text for p in document.paragraphs()] == ["Bold 123"]


def test_running_headers_and_footers_are_dropped_but_body_text_stays() -> None:
    pages = [
        {"texts": [("Agency header", 250, 40, 9), (f"Body of page {n}", 80, 300, 11), (f"Page {n}", 280, 800, 9)]}
        for n in (1, 2, 3)
    ]
    document = read_pdf(draw_pdf(pages), "x.pdf")
    assert [p.text for p in document.paragraphs()] == [f"Body of page {n}" for n in (1, 2, 3)]


def test_rows_in_reading_order_and_locations_in_points() -> None:
    xs, ys = [100.0, 300.0, 400.0], [200.0, 230.0, 260.0]
    texts = [("Before", 100, 150, 11), ("A", 110, 210, 10), ("1", 310, 210, 10), ("B", 110, 240, 10)]
    texts += [("2", 310, 240, 10), ("After", 100, 320, 11)]
    document = read_pdf(draw_pdf([{"lines": ruled(xs, ys), "texts": texts}]), "x.pdf")
    kinds = [("T" if isinstance(b, Table) else b.text) for b in document.blocks]
    assert kinds == ["Before", "T", "After"]
    (table,) = document.tables()
    x0, top, x1, bottom = table.rows()[0][1].location.bbox or (0, 0, 0, 0)
    assert (round(x0), round(top), round(x1), round(bottom)) == (300, 200, 400, 230)


def test_table_continued_on_next_page_without_repeated_header() -> None:
    xs = [100.0, 300.0, 400.0]
    first = [("Name", 110, 105, 10), ("Value", 310, 105, 10)] + [
        (f"row {k}", 110, 105 + 30 * k, 10) for k in range(1, 4)
    ]
    first += [(str(k * 11), 310, 105 + 30 * k, 10) for k in range(1, 4)]
    second = [("Name", 110, 105, 10), ("Value", 310, 105, 10)] + [
        (f"row {k}", 110, 105 + 30 * (k - 3), 10) for k in range(4, 6)
    ]
    second += [(str(k * 11), 310, 105 + 30 * (k - 3), 10) for k in range(4, 6)]
    pages = [
        {"lines": ruled(xs, [100.0 + 30 * k for k in range(5)]), "texts": [*first, ("- 1 -", 290, 800, 9)]},
        {"lines": ruled(xs, [100.0 + 30 * k for k in range(4)]), "texts": [*second, ("- 2 -", 290, 800, 9)]},
    ]
    document = read_pdf(draw_pdf(pages), "x.pdf")
    (table,) = document.tables()
    assert grid(table) == [["Name", "Value"]] + [[f"row{k}", str(k * 11)] for k in range(1, 6)]
    assert table.rows()[-1][0].location.page == 2
    assert any("跨页表格" in note for note in document.notes)


def test_table_continued_on_a_page_with_mirrored_margins() -> None:
    xs = [100.0, 300.0, 400.0]
    first = [("Name", 110, 105, 10), ("Value", 310, 105, 10), ("row 1", 110, 135, 10), ("11", 310, 135, 10)]
    second = [("row 2", 130, 105, 10), ("22", 330, 105, 10)]  # the even page is 20 points to the right
    pages = [
        {"lines": ruled(xs, [100.0, 130.0, 160.0]), "texts": first},
        {"lines": ruled([x + 20 for x in xs], [100.0, 130.0]), "texts": second},
    ]
    (table,) = read_pdf(draw_pdf(pages), "x.pdf").tables()
    assert grid(table) == [["Name", "Value"], ["row1", "11"], ["row2", "22"]]


def test_second_text_engine_reads_the_same_document() -> None:
    data = TEXT_PDFS[0].read_bytes()
    fast = read_pdf(data, "x.pdf")
    pdfminer = read_pdf(data, "x.pdf", text_engine="pdfminer")
    assert [grid(t) for t in fast.tables()] == [grid(t) for t in pdfminer.tables()]
    # PDFium also marks the spaces it infers from gaps ("2023 年"); the words are the same
    assert ["".join(p.text.split()) for p in fast.paragraphs()] == [
        "".join(p.text.split()) for p in pdfminer.paragraphs()
    ]


# ---------------------------------------------------------------------------- unusable PDFs


def _bounded(call: object) -> InputError:
    start = time.perf_counter()
    with pytest.raises(InputError) as caught:
        call()  # type: ignore[operator]
    assert time.perf_counter() - start < 10
    return caught.value


def test_damaged_pdf_is_refused() -> None:
    data = TEXT_PDFS[0].read_bytes()
    error = _bounded(lambda: read_bytes(data[: len(data) // 2], "half.pdf"))
    assert "损坏" in error.message and error.source == "half.pdf"


def _blank_pdf(pages: int) -> bytes:
    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(595, 842).close()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_too_many_pages_are_refused_quickly() -> None:
    data = _blank_pdf(300)
    start = time.perf_counter()
    error = _bounded(lambda: read_bytes(data, "long.pdf"))
    assert time.perf_counter() - start < 2
    assert "300 页" in error.message and "NIANBAO_MAX_PDF_PAGES" in error.message
    two_pages = DEFAULT_SETTINGS.replace(max_pdf_pages=2)
    assert "上限 2 页" in _bounded(lambda: read_bytes(_blank_pdf(3), "x.pdf", two_pages)).message


def test_pdf_without_any_text_is_refused() -> None:
    error = _bounded(lambda: read_bytes(_blank_pdf(3), "blank.pdf"))
    assert "没有可识别的文字" in error.message


def test_pdf_needing_a_password_is_refused() -> None:
    # a minimal PDF whose standard security handler wants a password nobody gave
    locked = raw_pdf(
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>",
        trailer=b"/Encrypt 4 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] ",
    )
    error = _bounded(lambda: read_bytes(locked, "locked.pdf"))
    assert error.message.startswith("PDF 已加密")


def raw_pdf(page: bytes, *others: bytes, trailer: bytes = b"") -> bytes:
    """A PDF written object by object: the catalog, one page (``page``, object 3), then ``others``."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page, *others]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref))
    return out.getvalue()


def stream(body: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(body), entries, body)


def deflated(size: int, layers: int = 1) -> bytes:
    """``size`` bytes of spaces after a line of text, deflated ``layers`` times (in chunks: no ``size`` in memory)."""
    inflater = zlib.compressobj(9)
    parts = [inflater.compress(b"BT /F1 12 Tf 100 700 Td (Report 2023) Tj ET\n")]
    chunk = b" " * (1 << 20)
    parts += [inflater.compress(chunk) for _ in range(size >> 20)]
    data = b"".join(parts) + inflater.flush()
    for _ in range(layers - 1):
        data = zlib.compress(data, 9)
    return data


PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


@pytest.mark.parametrize("layers", [1, 2])
def test_a_content_stream_inflating_past_the_bound_is_refused_before_pdfium(
    layers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_reader, "MAX_PDF_STREAM", 16 * 1024 * 1024)  # the same check, at a test's size
    filters = b"/Filter [" + b"/FlateDecode " * layers + b"]"
    bomb = raw_pdf(PAGE, stream(deflated(40 << 20, layers), filters), FONT)
    assert len(bomb) < 100_000
    error = _bounded(lambda: read_bytes(bomb, "bomb.pdf"))
    assert "解压后超过 16 MB" in error.message
    fine = raw_pdf(PAGE, stream(deflated(8 << 20, layers), filters), FONT)
    assert "Report 2023" in all_text(read_bytes(fine, "fine.pdf"))


def test_an_image_declared_past_the_pixel_bound_is_refused() -> None:
    image = stream(zlib.compress(b"\0" * 64), b"/Type /XObject /Subtype /Image /Width 30000 /Height 30000 "
                   b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode")  # fmt: skip
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /Im 5 0 R >> >> >>"
    error = _bounded(lambda: read_bytes(raw_pdf(page, stream(b"q 595 0 0 842 0 0 cm /Im Do Q"), image), "big.pdf"))
    assert "图片过大（30000×30000 像素" in error.message


@pytest.mark.parametrize(
    ("box", "matrix"),
    [(b"[0 0 0 0]", b"1 0 0 1 0 0"), (b"[0 0 1 1]", b"1 0 0 1 0 0"), (b"[0 0 2 3000]", b"2 0 0 3000 0 0")],
)
def test_a_page_of_next_to_no_size_is_no_page_to_recognise(box: bytes, matrix: bytes) -> None:
    # a scan on a sliver of a page once kept OCR busy for minutes
    image = stream(
        bytes([0, 255] * 32),
        b"/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8",
    )
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Contents 4 0 R /Resources << /XObject << /Im 5 0 R >> >> >>" % box
    )
    error = _bounded(lambda: read_bytes(raw_pdf(page, stream(b"q %s cm /Im Do Q" % matrix), image), "sliver.pdf"))
    assert "没有可识别的文字" in error.message


def test_a_second_engine_that_raises_costs_only_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    # on damage PDFium repairs, pdfminer may raise anything (IndexError on a corpus PDF with 20
    # bytes changed): the page is then read without it, and a note says so

    def undecodable_once(*args: object) -> list[Fragment]:
        chars = original(*args)  # type: ignore[arg-type]
        for char in chars[:: max(1, len(chars) // 40)]:
            char.text = "\ufffd"  # past the garbled share: the second engine is asked
        return chars

    def raising(self: object, index: int, number: int) -> PageContent:
        raise IndexError("list index out of range")

    original = pdf_reader._pdfium_chars
    monkeypatch.setattr(pdf_reader, "_pdfium_chars", undecodable_once)
    monkeypatch.setattr(pdf_reader._Pdfminer, "_page", raising)
    document = read_pdf(TEXT_PDFS[0].read_bytes(), "damaged.pdf")
    assert any("pdfminer 也无法解析" in note for note in document.notes)


def test_a_crowded_page_is_not_read_and_the_bound_is_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    # a dense ruled grid of 150 × 150 numbered cells is no report page: past the bound, skipped
    # (here the bound is set just below the corpus PDF's densest page)
    data = TEXT_PDFS[0].read_bytes()
    glyphs = [len(pdf_reader._pdfium_page(page, 1)[0].fragments) for page in pdfium.PdfDocument(data)]
    monkeypatch.setattr(pdf_reader, "MAX_PAGE_GLYPHS", sorted(glyphs)[-1] - 1)  # the densest page is past it
    crowded = glyphs.index(max(glyphs)) + 1
    document = read_pdf(data, "x.pdf")
    assert document.bounds == [
        f"第{crowded}页的文字或表格线过多（每页上限 {max(glyphs) - 1:,} 个字符、5,000 条线），不像是报告的页面，未读取"
    ]
    report = extract(document)
    findings = [f for f in run_rules(report) if f.code == "STRUCT" and f.message == document.bounds[0]]
    assert [f.severity for f in findings] == ["warning"]


def test_ocr_stops_at_its_bound_per_file(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def recognised(page: object, number: int, source: str) -> PageContent:
        calls.append(number)
        return PageContent(number, 595, 842, [Fragment("文字", 100, 100, 120, 112)], [], ocr=True)

    import nianbao.readers.ocr as ocr_module

    monkeypatch.setattr(ocr_module, "ocr_pdf_page", recognised)
    monkeypatch.setattr(pdf_reader, "MAX_OCR_PAGES", 2)
    document = read_pdf(_scan_pages(4), "scan.pdf")
    assert calls == [1, 2]
    assert document.bounds == ["OCR 识别已达每个文件 2 页（或图片）的上限，第3、4页未识别"]


def _scan_pages(count: int) -> bytes:
    """``count`` pages, each one image covering the page and no text layer (a scan)."""
    pdf = pdfium.PdfDocument.new()
    bitmap = pdfium.PdfBitmap.new_native(64, 64, pdfium_c.FPDFBitmap_Gray)
    for _ in range(count):
        page = pdf.new_page(595, 842)
        clone = pdfium.PdfImage.new(pdf)
        clone.set_bitmap(bitmap)
        clone.set_matrix(pdfium.PdfMatrix().scale(595, 842))
        page.insert_obj(clone)
        page.gen_content()
        page.close()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------- Word documents through LibreOffice


def _docx_documents(folder: Path) -> dict[str, Path]:
    from docx import Document as Docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    def new() -> object:
        doc = Docx()
        style = doc.styles["Normal"]
        style.font.name = "Noto Serif CJK SC"
        style.font.size = Pt(11)
        style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
        return doc

    paths = {}
    doc = new()
    doc.add_paragraph("一、合并单元格")
    table = doc.add_table(rows=4, cols=4)
    table.style = "Table Grid"
    table.cell(0, 0).merge(table.cell(1, 0)).text = "项目"
    table.cell(0, 1).merge(table.cell(0, 3)).text = "申请人情况"
    for col, text in enumerate(["自然人", "法人", "总计"], start=1):
        table.cell(1, col).text = text
    table.cell(2, 0).merge(table.cell(3, 0)).text = "本年新收"
    for row, values in ((2, ["11", "22", "33"]), (3, ["44", "55", "99"])):
        for col, value in enumerate(values, start=1):
            table.cell(row, col).text = value
    doc.add_paragraph("表后的一段文字。")
    paths["merged"] = folder / "merged.docx"
    doc.save(paths["merged"])

    doc = new()
    section = doc.sections[0]
    section.header.paragraphs[0].text = "某某区人民政府办公室"
    footer = section.footer.paragraphs[0]
    footer.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)
    footer.add_run(" —")
    doc.add_paragraph("二、跨页的长表格")
    table = doc.add_table(rows=61, cols=4)
    table.style = "Table Grid"
    for col, text_ in enumerate(["序号", "事项", "件数", "备注"]):
        table.cell(0, col).text = text_
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(header)
    for row in range(1, 61):
        for col, value in enumerate([str(row), f"第{row}项事项", str(row * 7), "无"]):
            table.cell(row, col).text = value
    doc.add_paragraph("表格之后的结束语。")
    paths["long"] = folder / "long.docx"
    doc.save(paths["long"])

    doc = new()
    doc.add_paragraph("四、跨页的合并单元格与断行")
    table = doc.add_table(rows=44, cols=3)
    table.style = "Table Grid"
    for col, text_ in enumerate(["分组", "事项", "件数"]):
        table.cell(0, col).text = text_
    for row in range(1, 44):
        table.cell(row, 1).text = f"{row}.事项"
        table.cell(row, 2).text = str(100 + row)
    for row in range(1, 20):
        table.cell(row, 0).text = "（一）"
    table.cell(20, 0).merge(table.cell(40, 0)).text = "（二）跨页分组"
    table.cell(33, 1).text = "33.这一行的文字很长，" + "需要换行继续写下去，" * 12 + "直到结束"
    paths["split"] = folder / "split.docx"
    doc.save(paths["split"])

    doc = new()
    doc.add_paragraph("三、无边框表格")
    table = doc.add_table(rows=5, cols=4)
    rows = [
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "3", "0", "12"],
        ["行政规范性文件", "8", "26", "66"],
        ["行政许可", "447228", "", ""],
        ["行政处罚", "3985758", "", ""],
    ]
    for row, values in enumerate(rows):
        for col, value in enumerate(values):
            table.cell(row, col).text = value
    doc.add_paragraph("表格之后的结束语。")
    paths["borderless"] = folder / "borderless.docx"
    doc.save(paths["borderless"])
    return paths


def _soffice(folder: Path, sources: list[Path], target: str = "pdf") -> None:
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{folder}/profile",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(folder / "out"),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )


@pytest.fixture(scope="module")
def word_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is needed to make PDFs from Word documents")
    folder = tmp_path_factory.mktemp("word")
    paths = _docx_documents(folder)
    _soffice(folder, list(paths.values()))
    return {name: (folder / "out" / f"{name}.pdf").read_bytes() for name in paths}


def test_merged_cells_appear_once_with_their_spans(word_pdfs: dict[str, bytes]) -> None:
    document = read_pdf(word_pdfs["merged"], "merged.pdf")
    (table,) = document.tables()
    assert grid(table) == [
        ["项目", "申请人情况"],
        ["自然人", "法人", "总计"],
        ["本年新收", "11", "22", "33"],
        ["44", "55", "99"],
    ]
    assert spans(table) == [
        [(0, 2, 1), (1, 1, 3)],
        [(1, 1, 1), (2, 1, 1), (3, 1, 1)],
        [(0, 2, 1), (1, 1, 1), (2, 1, 1), (3, 1, 1)],
        [(1, 1, 1), (2, 1, 1), (3, 1, 1)],
    ]
    assert [p.text for p in document.paragraphs()] == ["一、合并单元格", "表后的一段文字。"]


def test_long_table_continues_across_pages(word_pdfs: dict[str, bytes]) -> None:
    document = read_pdf(word_pdfs["long"], "long.pdf")
    (table,) = document.tables()
    rows = grid(table)
    assert rows[0] == ["序号", "事项", "件数", "备注"]
    assert rows[1:] == [[str(k), f"第{k}项事项", str(k * 7), "无"] for k in range(1, 61)]  # header once
    assert {cell.location.page for cell in table.cells} == {1, 2}
    text = all_text(document)
    assert "某某区人民政府办公室" not in text  # running header
    assert "—" not in text  # page-number footer
    assert [p.text for p in document.paragraphs()] == ["二、跨页的长表格", "表格之后的结束语。"]


def test_group_cell_and_broken_row_across_pages(word_pdfs: dict[str, bytes]) -> None:
    (table,) = read_pdf(word_pdfs["split"], "split.pdf").tables()
    rows = table.rows()
    labels = ["".join(row[-2].text.split()) for row in rows[1:]]
    values = [row[-1].text for row in rows[1:]]
    assert values == [str(100 + k) for k in range(1, 44)]  # one row per item, none split in two
    assert labels[32] == "33.这一行的文字很长，" + "需要换行继续写下去，" * 12 + "直到结束"
    (group,) = [cell for cell in table.cells if cell.text == "（二）跨页分组"]
    assert (group.row, group.rowspan) == (20, 21)  # rows 20–40, across the page break
    assert {cell.location.page for cell in table.cells} == {1, 2}


def test_borderless_table_from_word_positions(word_pdfs: dict[str, bytes]) -> None:
    document = read_pdf(word_pdfs["borderless"], "borderless.pdf")
    (table,) = document.tables()
    assert not table.grid_reliable
    assert grid(table) == [
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "3", "0", "12"],
        ["行政规范性文件", "8", "26", "66"],
        ["行政许可", "447228"],
        ["行政处罚", "3985758"],
    ]


def test_pdf_encrypted_by_libreoffice_is_refused(tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is needed to make an encrypted PDF")
    from docx import Document as Docx

    docx = Docx()
    docx.add_paragraph("需要密码的报告")
    docx.save(tmp_path / "locked.docx")
    options = (
        '{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"secret"}}'
    )
    _soffice(tmp_path, [tmp_path / "locked.docx"], f"pdf:writer_pdf_Export:{options}")
    data = (tmp_path / "out" / "locked.pdf").read_bytes()
    error = _bounded(lambda: read_bytes(data, "locked.pdf"))
    assert error.message.startswith("PDF 已加密") and error.source == "locked.pdf"


# ---------------------------------------------------------------------------- real reports


@pytest.mark.parametrize("path", TEXT_PDFS, ids=lambda p: p.stem[:3])
def test_corpus_pdf_reads_every_cell(path: Path) -> None:
    contract = parse_bytes(path.read_bytes(), path.name).to_contract()
    truth = truth_of(path)
    assert (contract["year"], contract["format_version"]) == (truth["year"], truth["format_version"])
    for table in ("table2", "table3", "table4"):
        assert contract[table] == truth[table], table


@pytest.mark.parametrize("path", TEXT_PDFS, ids=lambda p: p.stem[:3])
def test_corpus_pdf_document_shape(path: Path) -> None:
    document = read_bytes(path.read_bytes(), path.name)
    assert document.kind == "pdf"
    assert len(document.tables()) == 3  # tables 2–4, each continued across its pages as one
    text = all_text(document)
    assert "- 3 -" not in text and "-3-" not in text


def test_fake_bold_is_found_without_comparing_every_pair_of_glyphs() -> None:
    # a dense grid of one digit once took seconds (each glyph compared with every equal one)
    grid = [
        Fragment("1", 10 + 3.0 * c, 10 + 3.0 * r, 12 + 3.0 * c, 12 + 3.0 * r) for r in range(150) for c in range(150)
    ]
    doubled = [Fragment(f.text, f.x0 + 0.4, f.top + 0.4, f.x1, f.bottom) for f in grid[:50]]
    start = time.process_time()
    kept = pdf_reader._dedupe(grid + doubled)
    assert time.process_time() - start < 2
    assert kept == grid
