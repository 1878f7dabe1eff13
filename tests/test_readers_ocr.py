"""The OCR reader: scans made from code (PNG and image-only PDF, slightly rotated), the real
scanned report of the corpus, deskewing, confidence, and images that cannot be used."""

from __future__ import annotations

import io
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from helpers import FIXTURES, truth_of
from nianbao.document import Document, Table
from nianbao.errors import InputError
from nianbao.extract import extract
from nianbao.readers import ocr, read_bytes
from nianbao.readers import pdf as pdf_reader
from nianbao.readers.layout.content import Edge, Fragment, PageContent
from nianbao.readers.layout.lattice import find_lattices

SCAN = FIXTURES / "corpus" / "033_hongzequ_2023_scan.pdf"

ROWS = [
    ["项目", "自然人", "商业企业", "科研机构", "总计"],
    ["本年新收", "12", "305", "7", "324"],
    ["上年结转", "0", "48", "1", "49"],
    ["予以公开", "6", "91", "0", "97"],
    ["不予公开", "1", "2", "3", "6"],
]
ANGLE = 1.2  # degrees the "scanner" turned the page
CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def grid(table: Table) -> list[list[str]]:
    return [["".join(cell.text.split()) for cell in row] for row in table.rows()]


def _new_docx() -> Any:
    from docx import Document as Docx
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Docx()
    style = doc.styles["Normal"]
    style.font.name = "Noto Serif CJK SC"
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    doc.add_paragraph("三、收到和处理政府信息公开申请情况")
    return doc


def _table_picture() -> Image.Image:
    """The table drawn as a picture (as agencies paste a screenshot of a table into Word)."""
    font = ImageFont.truetype(CJK_FONT, 30)
    widths, height = [220, 170, 170, 170, 150], 60
    image = Image.new("L", (sum(widths) + 2, height * len(ROWS) + 2), 255)
    draw = ImageDraw.Draw(image)
    for r, values in enumerate(ROWS):
        x = 0
        for c, value in enumerate(values):
            draw.rectangle((x, r * height, x + widths[c], (r + 1) * height), outline=0, width=2)
            draw.text((x + 14, r * height + 12), value, fill=0, font=font)
            x += widths[c]
    return image


@pytest.fixture(scope="module")
def word_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Report pages made in Word: a ruled table, a borderless one, and one pasted as a picture."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is needed to make the pages")
    from docx.shared import Cm

    folder = tmp_path_factory.mktemp("word")
    for name in ("ruled", "borderless", "picture"):
        doc = _new_docx()
        if name == "picture":
            if not Path(CJK_FONT).exists():
                pytest.skip("the Noto CJK fonts are needed to draw the picture")
            _table_picture().save(folder / "table.png", dpi=(200, 200))
            doc.add_picture(str(folder / "table.png"), width=Cm(15))
        else:
            table = doc.add_table(rows=len(ROWS), cols=len(ROWS[0]))
            if name == "ruled":
                table.style = "Table Grid"
            for r, values in enumerate(ROWS):
                for c, value in enumerate(values):
                    table.cell(r, c).text = value
        doc.add_paragraph("本年度共收到申请三百二十四件，均已按期答复。")
        doc.save(folder / f"{name}.docx")
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{folder}/profile",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *(str(folder / f"{name}.docx") for name in ("ruled", "borderless", "picture")),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return {name: (folder / f"{name}.pdf").read_bytes() for name in ("ruled", "borderless", "picture")}


@pytest.fixture(scope="module")
def scanned_pages(word_pdfs: dict[str, bytes]) -> dict[str, Image.Image]:
    """The pages rendered at 200 dpi, turned and blurred: scans."""
    pages = {}
    for name in ("ruled", "borderless"):
        pdf = pdfium.PdfDocument(word_pdfs[name])
        image = pdf[0].render(scale=200 / 72, grayscale=True).to_pil()
        pdf.close()
        image = image.crop((0, 0, image.width, image.height * 2 // 5))  # the part with the table
        image = image.rotate(-ANGLE, resample=Image.Resampling.BICUBIC, fillcolor=255)
        pages[name] = image.filter(ImageFilter.GaussianBlur(0.8))
    return pages


@pytest.fixture(scope="module")
def scanned_page(scanned_pages: dict[str, Image.Image]) -> Image.Image:
    return scanned_pages["ruled"]


@pytest.fixture(scope="module")
def scan_as_png(scanned_page: Image.Image) -> Document:
    out = io.BytesIO()
    scanned_page.save(out, format="PNG", dpi=(200, 200))
    return read_bytes(out.getvalue(), "scan.png")


@pytest.fixture(scope="module")
def scan_as_pdf(scanned_page: Image.Image) -> Document:
    out = io.BytesIO()
    scanned_page.save(out, format="PDF", resolution=200.0)
    return read_bytes(out.getvalue(), "scan.pdf")


@pytest.mark.parametrize("kind", ["scan_as_png", "scan_as_pdf"])
def test_scanned_table_numbers_in_their_rows_and_columns(kind: str, request: pytest.FixtureRequest) -> None:
    document: Document = request.getfixturevalue(kind)
    assert document.kind == "ocr"
    (table,) = document.tables()
    assert table.grid_reliable
    assert grid(table) == ROWS
    assert [p.text for p in document.paragraphs()] == [
        "三、收到和处理政府信息公开申请情况",
        "本年度共收到申请三百二十四件，均已按期答复。",
    ]
    cell = table.rows()[1][2]  # 305
    assert cell.location.page == 1 and cell.location.bbox is not None
    assert cell.confidence is not None and cell.confidence > 0.8


def test_scanned_borderless_table_rows_anchored_on_their_lines(scanned_pages: dict[str, Image.Image]) -> None:
    out = io.BytesIO()
    scanned_pages["borderless"].save(out, format="PNG", dpi=(200, 200))
    document = read_bytes(out.getvalue(), "borderless.png")
    (table,) = document.tables()
    assert not table.grid_reliable
    assert grid(table) == ROWS  # the detector's box over a whole row is cut at its wide spaces


def test_table_pasted_as_a_picture_on_a_text_page(word_pdfs: dict[str, bytes]) -> None:
    document = read_bytes(word_pdfs["picture"], "picture.pdf")
    assert document.kind == "pdf"
    assert [p.text for p in document.paragraphs()] == [
        "三、收到和处理政府信息公开申请情况",
        "本年度共收到申请三百二十四件，均已按期答复。",
    ]
    (table,) = document.tables()
    assert grid(table) == ROWS
    assert any("图片" in note and "OCR" in note for note in document.notes)


def test_text_layer_neither_engine_can_decode_is_ocrd(
    word_pdfs: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    pdfium_chars, pdfminer_page = pdf_reader._pdfium_chars, pdf_reader._Pdfminer.page

    def pdfium_garbled(*args: Any) -> list[Fragment]:
        chars = pdfium_chars(*args)
        for char in chars:
            char.text = "\ufffd"
        return chars

    def pdfminer_garbled(self: Any, index: int, number: int) -> PageContent:
        content = pdfminer_page(self, index, number)
        for char in content.fragments:
            char.text = "(cid:7)"
        return content

    monkeypatch.setattr(pdf_reader, "_pdfium_chars", pdfium_garbled)
    monkeypatch.setattr(pdf_reader._Pdfminer, "page", pdfminer_garbled)
    document = read_bytes(word_pdfs["ruled"], "ruled.pdf")
    assert document.kind == "ocr"
    (table,) = document.tables()
    assert grid(table) == ROWS


def test_locations_are_points_of_the_page(scan_as_png: Document, scan_as_pdf: Document) -> None:
    # the PNG says 200 dpi and the PDF page is the same image: the same places in points
    for png_cell, pdf_cell in zip(scan_as_png.tables()[0].cells, scan_as_pdf.tables()[0].cells, strict=True):
        assert png_cell.location.bbox is not None and pdf_cell.location.bbox is not None
        assert all(abs(a - b) < 2 for a, b in zip(png_cell.location.bbox, pdf_cell.location.bbox, strict=True))
    x0, top, x1, bottom = scan_as_png.tables()[0].location.bbox or (0, 0, 0, 0)
    assert 60 < x0 < x1 < 560 and 80 < top < bottom < 330  # in points of an A4 page


def test_deskew_measures_the_angle_of_the_rules(scanned_page: Image.Image) -> None:
    binary = ocr._binarize(np.asarray(scanned_page.convert("L")))
    assert abs(ocr._skew_angle(binary, 200) - ANGLE) < 0.1


def test_deskew_of_a_page_without_table_uses_the_text_rows() -> None:
    image = Image.new("L", (1400, 1000), 255)
    draw = ImageDraw.Draw(image)
    for row in range(12):
        for word in range(14):  # blocks of "text" on regular rows
            x, y = 100 + word * 85, 100 + row * 60
            draw.rectangle((x, y, x + 60, y + 22), fill=0)
    turned = image.rotate(-0.8, resample=Image.Resampling.BICUBIC, fillcolor=255)
    binary = ocr._binarize(np.asarray(turned))
    assert abs(ocr._skew_angle(binary, 200) - 0.8) < 0.15


# ---------------------------------------------------------------------------- the real scan


@pytest.fixture(scope="module")
def scanned_report() -> tuple[Document, dict]:
    # what parse_bytes does (read, then extract), keeping the document: the scan is OCR'd once
    document = read_bytes(SCAN.read_bytes(), SCAN.name)
    return document, extract(document).to_contract()


def test_corpus_scan_reads_every_cell(scanned_report: tuple[Document, dict]) -> None:
    _document, contract = scanned_report
    truth = truth_of(SCAN)
    assert (contract["year"], contract["format_version"]) == (truth["year"], truth["format_version"])
    for table in ("table2", "table3", "table4"):
        assert contract[table] == truth[table], table


def test_corpus_scan_document_shape(scanned_report: tuple[Document, dict]) -> None:
    document, _contract = scanned_report
    assert document.kind == "ocr"
    assert len(document.tables()) == 3  # tables 2–4, continued across pages
    texts = [p.text for p in document.paragraphs()]
    assert "一、总体情况" in texts and "六、其他需要报告的事项" in texts
    assert not any(text.replace(" ", "") in ("-3-", "-4-") for text in texts)  # page numbers
    assert all(cell.confidence is not None for table in document.tables() for cell in table.cells if cell.text)
    assert not any("置信度" in note for note in document.notes)  # scores are for extraction to judge
    assert not any("旋转" in note for note in document.notes)  # an upright page is read as it is


# ---------------------------------------------------------------------------- turned scans

# each page of the real scan turned clockwise by (the reader must turn it back by 360 - this)
TURNS = (90, 180, 270, 180, 0)


def _scan_pages() -> list[Image.Image]:
    pdf = pdfium.PdfDocument(SCAN.read_bytes())
    try:
        return [page.render(scale=200 / 72, grayscale=True).to_pil() for page in pdf]
    finally:
        pdf.close()


def _turned_box(box: tuple[float, ...], turn: int, width: float, height: float) -> tuple[float, ...]:
    """A box of a width × height page, on that page turned clockwise by ``turn`` degrees."""
    x0, top, x1, bottom = box
    for _ in range(turn // 90):  # a quarter clockwise: x' = height - y, y' = x
        x0, top, x1, bottom = height - bottom, x0, height - top, x1
        width, height = height, width
    return (x0, top, x1, bottom)


@pytest.fixture(scope="module")
def turned_report() -> tuple[Document, dict]:
    pages = [image.rotate(-turn, expand=True) for image, turn in zip(_scan_pages(), TURNS, strict=True)]
    out = io.BytesIO()
    pages[0].save(out, format="PDF", resolution=200.0, save_all=True, append_images=pages[1:], quality=95)
    document = read_bytes(out.getvalue(), "turned.pdf")
    return document, extract(document).to_contract()


def test_a_scan_turned_on_its_side_or_upside_down_reads_every_cell(
    turned_report: tuple[Document, dict], scanned_report: tuple[Document, dict]
) -> None:
    document, contract = turned_report
    truth = truth_of(SCAN)
    for table in ("table2", "table3", "table4"):
        assert contract[table] == truth[table], table
    assert contract["cells"].keys() == scanned_report[1]["cells"].keys()
    turns = [note for note in document.notes if "旋转" in note]
    assert turns == [  # page 5 is upright: not turned
        "第3页的扫描横置，已顺时针旋转90°后识别",
        "第2、4页的扫描倒置，已旋转180°后识别",
        "第1页的扫描横置，已逆时针旋转90°后识别",
    ]


def test_boxes_of_a_turned_page_are_on_the_page_as_given(
    turned_report: tuple[Document, dict], scanned_report: tuple[Document, dict]
) -> None:
    # each cell, read upright and turned, is at the same place of the page image shown
    upright, turned = scanned_report[0].tables(), turned_report[0].tables()
    assert [len(t.cells) for t in turned] == [len(t.cells) for t in upright]
    pairs = [
        (was, cell)
        for upright_table, turned_table in zip(upright, turned, strict=True)
        for was, cell in zip(upright_table.cells, turned_table.cells, strict=True)
    ]
    # the PDF's JPEG noise may make a label read a little differently (a stacked 三、 keeps or
    # loses its 、); the numbers are the truth's (above)
    on_turned_pages = [(was, cell) for was, cell in pairs if TURNS[(was.location.page or 1) - 1]]
    assert len(on_turned_pages) > 250
    assert sum(was.text != cell.text for was, cell in on_turned_pages) <= 3
    for was, cell in pairs:
        assert cell.location.page == was.location.page
        assert was.location.page is not None and was.location.bbox and cell.location.bbox
        expected = _turned_box(was.location.bbox, TURNS[was.location.page - 1], 595.0, 842.0)
        assert all(abs(a - b) < 3 for a, b in zip(cell.location.bbox, expected, strict=True)), (cell, expected)


def test_an_image_upside_down_is_turned_and_read() -> None:
    image = _scan_pages()[4].rotate(180)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(200, 200))
    document = read_bytes(out.getvalue(), "upside-down.png")
    assert document.notes == ["第1页的扫描倒置，已旋转180°后识别"]
    texts = "".join(p.text for p in document.paragraphs())
    assert "政务公开" in texts or "政府信息" in texts


def test_turned_page_boxes_are_moved_back_to_the_page_as_given() -> None:
    # a mark at a known place of a 30 × 20 page, found again after each turn
    given = np.zeros((20, 30), dtype=np.uint8)
    given[3:5, 7:12] = 1  # rows 3–4, columns 7–11: the box (7, 3, 12, 5)
    for turn in (0, 90, 180, 270):
        read = np.rot90(given, -turn // 90)
        rows, cols = np.nonzero(read)
        box = (float(cols.min()), float(rows.min()), float(cols.max() + 1), float(rows.max() + 1))
        page = PageContent(1, float(read.shape[1]), float(read.shape[0]), [], [], ocr=True, turned=turn)
        assert page.as_displayed(box) == (7.0, 3.0, 12.0, 5.0), turn


# ---------------------------------------------------------------------------- confidence


def test_every_number_is_passed_on_with_its_score_only_junk_is_dropped() -> None:
    # the score travels in Cell.confidence; extraction, not the reader, leaves unsure numbers unread
    assert ocr.kept_text("10", 0.62) == "10"
    assert ocr.kept_text("10", 0.1) == "10"  # a number is never dropped, however unsure
    assert ocr.kept_text("政府信息", 0.3) == "政府信息"  # longer text is kept
    assert ocr.kept_text("心", 0.2) == ""  # a stroke of a neighbour, dropped
    assert ocr.kept_text(" 心 ", ocr.JUNK_BELOW_SCORE) == "心"  # at the junk score it is text


# ---------------------------------------------------------------------------- unusable images


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


def test_image_without_text_is_refused() -> None:
    start = time.perf_counter()
    with pytest.raises(InputError) as caught:
        read_bytes(_png(Image.new("L", (1200, 1600), 255)), "blank.png")
    assert caught.value.message == "图片中没有可识别的文字" and caught.value.source == "blank.png"
    assert time.perf_counter() - start < 10


def test_broken_image_is_refused() -> None:
    data = _png(Image.new("L", (300, 300), 255))[:60]
    with pytest.raises(InputError) as caught:
        ocr.read_image(data, "broken.png")
    assert "图片文件已损坏" in caught.value.message


@pytest.mark.parametrize("size", [(1, 20000), (20000, 1), (20, 800), (100, 5000)])
def test_a_sliver_is_no_page(size: tuple[int, int]) -> None:
    with pytest.raises(InputError, match=r"图片尺寸异常（\d+×\d+ 像素）"):
        read_bytes(_png(Image.new("L", size, 255)), "sliver.png")


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose frame header claims another size (a decompression bomb's header)."""
    data = bytearray(_jpeg(Image.new("L", (16, 16), 255)))
    frame = data.index(b"\xff\xc0")
    data[frame + 5 : frame + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return bytes(data)


@pytest.mark.parametrize(("width", "height"), [(10000, 10000), (60000, 60000)])
def test_a_decompression_bomb_is_refused_from_its_header_without_a_warning(
    width: int, height: int, capfd: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(InputError, match="图片过大"):
        read_bytes(jpeg_claiming(width, height), "bomb.jpg")
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize("seed", range(4))
def test_tiff_garbage_is_damage_without_a_warning(seed: int, capfd: pytest.CaptureFixture[str]) -> None:
    noise = np.random.default_rng(seed).integers(0, 256, 5000, dtype=np.uint8).tobytes()
    with pytest.raises(InputError, match="图片"):
        read_bytes(b"II*\x00" + noise, "noise.tif")
    assert capfd.readouterr().err == ""


def test_missing_models_give_one_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(ocr, "_engine", None)
    monkeypatch.setattr(ocr, "model_dir", lambda: tmp_path)
    with pytest.raises(InputError) as caught:
        ocr.engine("x.png")
    assert caught.value.message.startswith("OCR 模型缺失")
    assert "PP-OCRv6_det_small.onnx" in caught.value.message


def test_a_glyph_under_two_detector_boxes_is_read_once() -> None:
    # a table row of two cells with a "0" each; the detector gave one box over both zeros and
    # another that starts inside the first zero: its part in the first cell is a double
    ink = np.zeros((60, 200), dtype=np.uint8)
    ink[20:40, 40:52] = 255  # the first cell's 0 (its ink, as a block)
    ink[20:40, 140:152] = 255  # the second cell's 0
    edges = [Edge("h", y, 0, 200) for y in (0, 60)] + [Edge("v", x, 0, 60) for x in (0, 100, 200)]
    (lattice,) = find_lattices(edges)
    boxes = [(36, 16, 156, 44), (46, 16, 170, 44)]  # the second starts inside the first zero
    pieces = ocr._place(boxes, [lattice], ink, 1.0)
    first_cell = [p for p in pieces if p.x1 <= 100]
    assert len(first_cell) == 1 and (first_cell[0].x0, first_cell[0].x1) == (36, 56)
    assert len([p for p in pieces if p.x0 >= 100]) == 1
