"""The original file beside the parsed tables: what the report page shows of a source, marked so
that a cell's location (line; table, row and column; page and box) finds its place in it.

Text is shown as its lines; web pages and Word files as the paragraphs and tables the reader
found in them; PDFs and scans as page images (rendered once, kept under the data directory),
on which the page's script draws the cell's box.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from ...errors import NianbaoError
from ...files import write_atomic
from ...pdfium import PDFIUM
from ...readers import read_bytes
from ...readers.decode import decode_text
from ...readers.sniff import IMAGE, PDF, TEXT, sniff
from ...settings import Settings
from ..store.models import SourceFile

MAX_LINES = 20_000  # a longer text is cut (its report's cells lie far before this)
PAGE_SCALE = 1.5  # page images at 108 dpi: legible beside the tables, light to send


@dataclass
class SourcePane:
    kind: str  # lines, document, pages
    lines: list[str] = field(default_factory=list)
    blocks: list[dict[str, Any]] = field(default_factory=list)
    pages: list[dict[str, Any]] = field(default_factory=list)  # number, width and height in points
    note: str = ""


def original_bytes(source: SourceFile, settings: Settings) -> bytes:
    path = settings.home / source.stored_path
    try:
        return path.read_bytes()
    except OSError:
        raise NianbaoError("原文件不在数据目录中") from None


def source_pane(source: SourceFile, settings: Settings) -> SourcePane:
    data = original_bytes(source, settings)
    kind = sniff(data[:8192], data)
    if kind == TEXT:
        text, _encoding = decode_text(data, source.original_name)
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        note = f"只显示前{MAX_LINES}行" if len(lines) > MAX_LINES else ""
        return SourcePane("lines", lines=lines[:MAX_LINES], note=note)
    if kind == PDF:
        return SourcePane("pages", pages=_pdf_pages(data))
    if kind == IMAGE:
        from PIL import Image

        from ...readers.ocr import image_dpi

        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            to_points = 72.0 / image_dpi(image.info.get("dpi"), width, height)  # the OCR's boxes are in points
        return SourcePane("pages", pages=[{"number": 1, "width": width * to_points, "height": height * to_points}])
    document = read_bytes(data, source.original_name, settings)
    return SourcePane("document", blocks=[_block(block) for block in document.blocks])


def _block(block: Any) -> dict[str, Any]:
    from ...document import Paragraph

    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "text": block.text, "key": _key(block.location)}
    return {
        "kind": "table",
        "rows": [
            [
                {"text": cell.text, "key": _key(cell.location), "rowspan": cell.rowspan, "colspan": cell.colspan}
                for cell in row
            ]
            for row in block.rows()
        ],
    }


def _key(location: Any) -> str:
    """The element id a location is found by (report.js builds the same from a cell's location)."""
    if location.table is not None and location.row is not None:
        return f"src-t{location.table}-r{location.row}-c{location.col or 0}"
    if location.paragraph is not None:
        return f"src-p{location.paragraph}"
    if location.line is not None:
        return f"src-line-{location.line}"
    return ""


def _pdf_pages(data: bytes) -> list[dict[str, Any]]:
    import pypdfium2

    with PDFIUM:
        document = pypdfium2.PdfDocument(data)
        try:
            pages = []
            for index in range(len(document)):
                width, height = document[index].get_size()
                pages.append({"number": index + 1, "width": width, "height": height})
            return pages
        finally:
            document.close()


def page_image(source: SourceFile, number: int, settings: Settings) -> bytes:
    """One page as a PNG image: a scan converted (a browser shows no TIFF), a PDF page rendered;
    either is kept under the data directory for next time."""
    cached = settings.home / "cache" / "pages" / f"{source.sha256}-{number}.png"
    if cached.is_file():
        return cached.read_bytes()
    data = original_bytes(source, settings)
    kind = sniff(data[:8192], data)
    if kind not in (PDF, IMAGE):
        raise NianbaoError("该原文件没有页面图像")
    png = _render_pdf(data, number) if kind == PDF else _image_png(data, number)
    cached.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(cached, png)
    return png


def _render_pdf(data: bytes, number: int) -> bytes:
    import pypdfium2

    with PDFIUM:
        document = pypdfium2.PdfDocument(data)
        try:
            if not 1 <= number <= len(document):
                raise NianbaoError("没有这一页")
            return _png(document[number - 1].render(scale=PAGE_SCALE).to_pil())
        finally:
            document.close()


def _image_png(data: bytes, number: int) -> bytes:
    from PIL import Image

    if number != 1:
        raise NianbaoError("没有这一页")
    with Image.open(io.BytesIO(data)) as image:
        return _png(image.convert("RGB"))


def _png(image: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
