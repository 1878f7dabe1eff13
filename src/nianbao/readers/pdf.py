"""PDF reports to a :class:`Document`.

Each page becomes a :class:`PageContent`: text fragments with their boxes (characters of the text
layer, or lines recognised by OCR) and the ruling lines drawn on it, all in points from the
page's top-left corner.  One layout step then serves text pages and scans alike:

* **ruled tables** — ruling lines that touch each other form a table region; the positions of
  its lines give a grid, a missing line between two grid cells merges them (row and column
  spans), and every fragment goes to the cell under its centre.  A border left out by the
  producer (the outer top line of a table continued from the previous page is often missing)
  does not lose the cell: the region's own outline closes the grid.
* **borderless tables** — runs of text lines split into columns by wide gaps, rows anchored on
  the lines that carry the values (wrapped label lines are attached to the nearest row).
* **text** — lines outside tables in reading order, joined into paragraphs (indent, short last
  line and numbering start a new one).
* **the document** — page numbers and running headers/footers are dropped; a table that goes on
  at the top of the next page is continued as the same table: the repeated header rows are
  dropped, cells spanning the page break are joined, a row broken by the page break is one row.

Text layer: PDFium (pypdfium2) reads characters and path objects about ten times faster than
pdfminer, whose content-stream parser alone costs ~0.1 s per page; pdfminer (through pdfplumber,
with ``dedupe_chars``) is the second engine for pages whose PDFium text is undecodable
(``U+FFFD``, private-use code points).  A page with no usable text layer is rendered and
recognised by OCR (:mod:`.ocr`), and so is a large picture on a text page that has no text
over it (a table pasted as a screenshot).
"""

from __future__ import annotations

import bisect
import ctypes
import dataclasses
import io
import itertools
import re
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .. import config
from ..document import Block, Cell, Document, DocumentKind, Location, Paragraph, Table
from ..errors import InputError
from ..formats.labels import parse_value

MAX_PAGES_SETTING = "NIANBAO_MAX_PDF_PAGES"

# Geometry tolerances, in points.
SNAP = 3.0  # ruling lines closer than this are one line
JOIN = 3.0  # collinear pieces with a gap up to this are one line
TOUCH = 3.0  # a line ending this close to another one touches it
MIN_EDGE = 2.0  # shorter pieces are glyph parts or dots, not rules
THIN = 2.5  # a filled rectangle thinner than this is drawn as a rule
COVER = 0.6  # share of a grid side a rule must cover to separate two cells
MARGIN_ZONE = 0.12  # share of the page height at top and bottom where headers/footers live

# A page whose text layer has fewer characters than this, but a large image, is a scan.
SCAN_MAX_CHARS = 10
SCAN_MIN_IMAGE_SHARE = 0.3
OUTLINE_MIN_PATHS = 40  # text drawn as outlines: many paths and no text layer
# an image on a text page is OCR'd when at least this wide and high (shares of the page)
PICTURE_MIN_WIDTH = 0.3
PICTURE_MIN_HEIGHT = 0.05
GARBLED_SHARE = 0.02  # share of undecodable characters that makes a text layer unusable


# ============================================================================ public entry


def read_pdf(data: bytes, source: str, *, text_engine: str = "pdfium") -> Document:
    """Read a PDF.  ``text_engine="pdfminer"`` reads every text page with pdfminer instead."""
    document = _open(data, source)
    try:
        count = len(document)
        limit = max_pages()
        if count > limit:
            raise InputError(
                f"PDF 页数过多（{count} 页，上限 {limit} 页，可用环境变量 {MAX_PAGES_SETTING} 调整）",
                source=source,
            )
        if count == 0:
            raise InputError("PDF 文件没有任何页面", source=source)
        pages, notes = _read_pages(document, data, source, count, text_engine)
    finally:
        document.close()
    if not any(page.fragments for page in pages):
        raise InputError("PDF 中没有可识别的文字（既没有文字层，也没有可供 OCR 识别的内容）", source=source)
    ocr_pages = [page.number for page in pages if page.ocr]
    text_pages = [page.number for page in pages if not page.ocr and page.fragments]
    kind: DocumentKind = "ocr" if ocr_pages and not text_pages else "pdf"
    if ocr_pages and text_pages:
        notes.append(f"第{_page_list(ocr_pages)}页没有文字层，已用 OCR 识别")
    return assemble(pages, source, kind, notes)


def max_pages() -> int:
    return int(config.number(MAX_PAGES_SETTING))


def _open(data: bytes, source: str) -> Any:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise InputError("PDF 已加密，需要密码才能打开；请提供未加密的文件", source=source) from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise InputError("PDF 已加密（使用了不支持的加密方式），无法读取", source=source) from None
        raise InputError("PDF 文件已损坏或不完整，无法读取", source=source) from None


def _read_pages(
    document: Any, data: bytes, source: str, count: int, text_engine: str
) -> tuple[list[PageContent], list[str]]:
    pages: list[PageContent] = []
    notes: list[str] = []
    plumber: _Pdfminer | None = None
    if text_engine == "pdfminer":
        plumber = _Pdfminer(data)
    fallback_pages: list[int] = []
    picture_pages: list[int] = []
    try:
        for index in range(count):
            try:
                page = document[index]
            except pdfium.PdfiumError:
                raise InputError(f"PDF 文件已损坏（第{index + 1}页无法读取）", source=source) from None
            try:
                content, scan, images = _pdfium_page(page, index + 1)
                if plumber is not None and not scan:
                    content = plumber.page(index, index + 1)
                elif not scan and _garbled_share(content.fragments) > GARBLED_SHARE:
                    # PDFium could not decode this page's fonts; pdfminer ships more CMaps
                    plumber = plumber or _Pdfminer(data)
                    other = plumber.page(index, index + 1)
                    if _garbled_share(other.fragments) < _garbled_share(content.fragments):
                        content = other
                        fallback_pages.append(index + 1)
                    scan = _garbled_share(content.fragments) > GARBLED_SHARE
                if scan:
                    from .ocr import ocr_pdf_page  # heavy (onnxruntime): imported only for scans

                    content = ocr_pdf_page(page, index + 1, source, notes)
                else:
                    for box in _pictures_of_text(content, images):
                        from .ocr import ocr_pdf_region

                        fragments, edges = ocr_pdf_region(page, index + 1, box, source, notes)
                        content.fragments.extend(fragments)
                        content.edges.extend(edges)
                        if index + 1 not in picture_pages:
                            picture_pages.append(index + 1)
                pages.append(content)
            finally:
                page.close()
    finally:
        if plumber is not None:
            plumber.close()
    if fallback_pages:
        notes.append(f"第{_page_list(fallback_pages)}页的文字编码 PDFium 无法解码，改用 pdfminer 读取")
    if picture_pages:
        notes.append(f"第{_page_list(picture_pages)}页有图片（如表格截图），其中的文字已用 OCR 识别")
    return pages, notes


def _pictures_of_text(content: PageContent, images: list[Box]) -> list[Box]:
    """Large images on a text page with no text layer over them: a table pasted as a picture.

    Seals and logos are too small to qualify; an image under real text (a letterhead or a
    background) has characters over it.
    """
    out = []
    for x0, top, x1, bottom in images:
        x0, top = max(x0, 0.0), max(top, 0.0)
        x1, bottom = min(x1, content.width), min(bottom, content.height)
        if x1 - x0 < PICTURE_MIN_WIDTH * content.width or bottom - top < PICTURE_MIN_HEIGHT * content.height:
            continue
        over = sum(1 for f in content.fragments if x0 <= f.cx <= x1 and top <= f.cy <= bottom)
        if over < SCAN_MAX_CHARS:
            out.append((x0, top, x1, bottom))
    return out


def _page_list(numbers: list[int]) -> str:
    """1,2,3,5 → 1–3、5"""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return "、".join(f"{run[0]}–{run[-1]}" if len(run) > 2 else "、".join(map(str, run)) for run in runs)


# ============================================================================ page content


@dataclass(slots=True)
class Fragment:
    """A piece of text and its box (x0, top, x1, bottom) in points from the page's top-left."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    score: float | None = None  # OCR confidence; None for a text layer
    space_before: bool = False  # the text layer has a space between this and the previous glyph

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Edge:
    """A ruling line: horizontal (``h``, at y=pos from start to end x) or vertical (``v``)."""

    orientation: str
    pos: float
    start: float
    end: float


@dataclass
class PageContent:
    number: int  # 1-based
    width: float
    height: float
    fragments: list[Fragment]
    edges: list[Edge]
    ocr: bool = False


_GARBLED = re.compile(r"[\ufffd\ue000-\uf8ff\x00-\x08\x0e-\x1f\x7f-\x9f]|\(cid:\d+\)")


def _garbled_share(fragments: list[Fragment]) -> float:
    if not fragments:
        return 0.0
    bad = sum(len(_GARBLED.findall(f.text)) for f in fragments)
    return bad / len(fragments)


# ---------------------------------------------------------------------------- PDFium


def _pdfium_page(page: Any, number: int) -> tuple[PageContent, bool, list[Box]]:
    """Characters and ruling lines of a page, whether it must be OCR'd, and its images."""
    left, bottom, right, top = page.get_cropbox()
    rotation = page.get_rotation() % 360
    to_page = _page_transform(left, bottom, right, top, rotation)
    width, height = (right - left, top - bottom) if rotation in (0, 180) else (top - bottom, right - left)

    textpage = page.get_textpage()
    try:
        chars = _pdfium_chars(textpage, to_page, width, height)
    finally:
        textpage.close()
    walker = _PathWalker(to_page)
    walker.walk(page, False, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    content = PageContent(number, width, height, _dedupe(chars), walker.edges)
    readable = [f for f in content.fragments if not _GARBLED.match(f.text)]
    image_share = walker.image_area / max(width * height, 1.0)
    scan = len(readable) < SCAN_MAX_CHARS and (
        image_share >= SCAN_MIN_IMAGE_SHARE or (not readable and walker.paths >= OUTLINE_MIN_PATHS)
    )
    return content, scan, walker.images


Transform = Callable[[float, float], tuple[float, float]]


def _page_transform(left: float, bottom: float, right: float, top: float, rotation: int) -> Transform:
    """PDF user space → points from the top-left of the page as displayed (after /Rotate)."""
    if rotation == 90:
        return lambda x, y: (y - bottom, x - left)
    if rotation == 180:
        return lambda x, y: (right - x, y - bottom)
    if rotation == 270:
        return lambda x, y: (top - y, right - x)
    return lambda x, y: (x - left, top - y)


def _pdfium_chars(textpage: Any, to_page: Transform, width: float, height: float) -> list[Fragment]:
    handle = textpage.raw
    count = pdfium_c.FPDFText_CountChars(handle)
    codes = _codes(handle, count)
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    t_left, t_right, t_bottom, t_top = (ctypes.c_double() for _ in range(4))
    tight_refs = (ctypes.byref(t_left), ctypes.byref(t_right), ctypes.byref(t_bottom), ctypes.byref(t_top))
    get_loose = pdfium_c.FPDFText_GetLooseCharBox
    get_tight = pdfium_c.FPDFText_GetCharBox
    out: list[Fragment] = []
    space = False
    for i, code in enumerate(codes):
        if code in _SPACES:
            space = True  # a real space, or one PDFium inferred from a gap
            continue
        if code in _SKIPPED or not get_loose(handle, i, rect_ref):
            space = False
            continue
        box = (rect.left, rect.bottom, rect.right, rect.top)
        if get_tight(handle, i, *tight_refs):
            box = _plausible_box(handle, i, box, (t_left.value, t_bottom.value, t_right.value, t_top.value))
        x_a, y_a = to_page(box[0], box[3])
        x_b, y_b = to_page(box[2], box[1])
        x0, x1 = (x_a, x_b) if x_a <= x_b else (x_b, x_a)
        top, bottom = (y_a, y_b) if y_a <= y_b else (y_b, y_a)
        if not (0 <= (x0 + x1) / 2 <= width and 0 <= (top + bottom) / 2 <= height):
            continue  # clipped away: outside the visible page
        text = chr(code) if code < 0xD800 or code > 0xDFFF else "\ufffd"
        out.append(Fragment(text, x0, top, x1, bottom, space_before=space))
        space = False
    return out


def _codes(handle: Any, count: int) -> list[int]:
    """The code point of every character index, in one call when the page is all in the BMP."""
    if count <= 0:
        return []
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(handle, 0, count, buffer)
    if written == count + 1:
        units = list(buffer[:count])
        if not any(0xD800 <= u <= 0xDFFF for u in units):
            return units
    return [pdfium_c.FPDFText_GetUnicode(handle, i) for i in range(count)]


_SKIPPED = frozenset((0, 0x0A, 0x0D, 0xFFFE))
_SPACES = frozenset((0x20, 0x09, 0xA0, 0x2002, 0x2003, 0x2009, 0x3000))


Box = tuple[float, float, float, float]


def _plausible_box(handle: Any, index: int, loose: Box, tight: Box) -> Box:
    """The font-based ("loose") box, unless PDFium got it wrong.

    Loose boxes give every glyph of a line the same height, which groups lines well.  For some
    embedded CJK fonts (seen in a WPS-made PDF) PDFium leaves out the text matrix and reports
    boxes hundreds of points tall; then a square of the font size around the glyph stands in.
    """
    t_left, t_bottom, t_right, t_top = tight
    size = max(t_right - t_left, t_top - t_bottom, 1.0)
    if loose[3] - loose[1] <= 2.5 * size and loose[2] - loose[0] <= 2.5 * size:
        return loose
    matrix = pdfium_c.FS_MATRIX()
    scale = 1.0
    if pdfium_c.FPDFText_GetMatrix(handle, index, ctypes.byref(matrix)):
        scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5 or 1.0
    font_size = pdfium_c.FPDFText_GetFontSize(handle, index) * scale
    if font_size > 0 and loose[3] - loose[1] <= 2 * font_size:
        return loose
    half = max(font_size, size) / 2
    cx, cy = (t_left + t_right) / 2, (t_bottom + t_top) / 2
    return (cx - half, cy - half, cx + half, cy + half)


def _dedupe(chars: list[Fragment], tolerance: float = 1.0) -> list[Fragment]:
    """Drop "fake bold" duplicates: the same glyph drawn again within a point of itself.

    Same rule as pdfplumber's ``dedupe_chars`` (same text, positions within ``tolerance``),
    without its quadratic reordering.
    """
    seen: dict[str, list[Fragment]] = {}
    out: list[Fragment] = []
    for char in chars:
        same = seen.setdefault(char.text, [])
        if any(abs(o.x0 - char.x0) <= tolerance and abs(o.top - char.top) <= tolerance for o in same):
            continue
        same.append(char)
        out.append(char)
    return out


Matrix = tuple[float, float, float, float, float, float]


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """m, then n (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


class _PathWalker:
    """Collects straight ruling segments from path objects (also inside form XObjects)."""

    def __init__(self, to_page: Transform) -> None:
        self.to_page = to_page
        self.edges: list[Edge] = []
        self.image_area = 0.0
        self.images: list[Box] = []  # (x0, top, x1, bottom) on the page
        self.paths = 0

    def walk(self, parent: Any, is_form: bool, ctm: Matrix) -> None:
        if is_form:
            count, get = pdfium_c.FPDFFormObj_CountObjects(parent), pdfium_c.FPDFFormObj_GetObject
        else:
            count, get = pdfium_c.FPDFPage_CountObjects(parent), pdfium_c.FPDFPage_GetObject
        for i in range(count):
            obj = get(parent, i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                self.paths += 1
                self._path(obj, _multiply(_matrix(obj), ctm))
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                self.walk(obj, True, _multiply(_matrix(obj), ctm))
            elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                self._image(obj, ctm)

    def _image(self, obj: Any, ctm: Matrix) -> None:
        # an image is drawn into the unit square of its matrix
        m = _multiply(_matrix(obj), ctm)
        corners = [self._apply(m, x, y) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]
        xs = [p[0] for p in corners]
        ys = [p[1] for p in corners]
        self.image_area += (max(xs) - min(xs)) * (max(ys) - min(ys))
        self.images.append((min(xs), min(ys), max(xs), max(ys)))

    def _apply(self, m: Matrix, x: float, y: float) -> tuple[float, float]:
        return self.to_page(m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])

    def _path(self, obj: Any, m: Matrix) -> None:
        fill_mode = ctypes.c_int()
        stroke = ctypes.c_int()
        if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill_mode), ctypes.byref(stroke)):
            return
        stroked = bool(stroke.value) and _visible_color(obj, pdfium_c.FPDFPageObj_GetStrokeColor)
        filled = fill_mode.value != 0 and _visible_color(obj, pdfium_c.FPDFPageObj_GetFillColor)
        if not stroked and not filled:
            return
        subpaths = self._subpaths(obj, m)
        for points, closed in subpaths:
            if stroked:
                segments = list(itertools.pairwise(points))
                if closed and len(points) > 2:
                    segments.append((points[-1], points[0]))
                for p, q in segments:
                    self._segment(p, q)
            if filled and len(points) >= 3:
                self._thin_fill(points)

    def _subpaths(self, obj: Any, m: Matrix) -> list[tuple[list[tuple[float, float]], bool]]:
        x = ctypes.c_float()
        y = ctypes.c_float()
        subpaths: list[tuple[list[tuple[float, float]], bool]] = []
        points: list[tuple[float, float]] = []
        closed = False
        straight = True
        for s in range(pdfium_c.FPDFPath_CountSegments(obj)):
            segment = pdfium_c.FPDFPath_GetPathSegment(obj, s)
            if not pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
                continue
            point = self._apply(m, x.value, y.value)
            kind = pdfium_c.FPDFPathSegment_GetType(segment)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                if len(points) > 1 and straight:
                    subpaths.append((points, closed))
                points, closed, straight = [point], False, True
                continue
            if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
                straight = False  # curves (rounded boxes, circles) are no rules
            points.append(point)
            if pdfium_c.FPDFPathSegment_GetClose(segment):
                closed = True
        if len(points) > 1 and straight:
            subpaths.append((points, closed))
        return subpaths

    def _segment(self, p: tuple[float, float], q: tuple[float, float]) -> None:
        (x0, y0), (x1, y1) = p, q
        if abs(y1 - y0) <= 0.5 and abs(x1 - x0) >= MIN_EDGE:
            self.edges.append(Edge("h", (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x1 - x0) <= 0.5 and abs(y1 - y0) >= MIN_EDGE:
            self.edges.append(Edge("v", (x0 + x1) / 2, min(y0, y1), max(y0, y1)))

    def _thin_fill(self, points: list[tuple[float, float]]) -> None:
        """A filled rectangle thinner than THIN points is a rule drawn as a bar."""
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        w, h = max(xs) - min(xs), max(ys) - min(ys)
        if h <= THIN and w >= MIN_EDGE and w > h:
            self.edges.append(Edge("h", (max(ys) + min(ys)) / 2, min(xs), max(xs)))
        elif w <= THIN and h >= MIN_EDGE and h > w:
            self.edges.append(Edge("v", (max(xs) + min(xs)) / 2, min(ys), max(ys)))


def _matrix(obj: Any) -> Matrix:
    fs = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(fs)):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (fs.a, fs.b, fs.c, fs.d, fs.e, fs.f)


def _visible_color(obj: Any, getter: Any) -> bool:
    """Not transparent and not (near) white: white rectangles are cell backgrounds."""
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)):
        return True
    return a.value > 0 and min(r.value, g.value, b.value) < 235


# ---------------------------------------------------------------------------- pdfminer


class _Pdfminer:
    """pdfminer (through pdfplumber), the second text engine, opened only when needed."""

    def __init__(self, data: bytes) -> None:
        import pdfplumber

        self.pdf = pdfplumber.open(io.BytesIO(data))

    def close(self) -> None:
        self.pdf.close()

    def page(self, index: int, number: int) -> PageContent:
        page = self.pdf.pages[index]
        deduped = page.dedupe_chars()
        fragments: list[Fragment] = []
        space = False
        for c in deduped.chars:
            if not c["text"].strip():
                space = True
                continue
            box = (float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"]))
            fragments.append(Fragment(c["text"], *box, space_before=space))
            space = False
        edges: list[Edge] = []
        for obj in page.lines + page.rects + page.curves:
            edges.extend(_pdfminer_edges(obj))
        content = PageContent(number, float(page.width), float(page.height), fragments, edges)
        page.close()
        return content


def _pdfminer_edges(obj: dict[str, Any]) -> list[Edge]:
    stroked = bool(obj.get("stroke")) and _visible_pdfminer_color(obj.get("stroking_color"))
    filled = bool(obj.get("fill")) and _visible_pdfminer_color(obj.get("non_stroking_color"))
    x0, x1, top, bottom = float(obj["x0"]), float(obj["x1"]), float(obj["top"]), float(obj["bottom"])
    out: list[Edge] = []
    if obj["object_type"] == "rect":
        if stroked:
            out += [
                Edge("h", top, x0, x1),
                Edge("h", bottom, x0, x1),
                Edge("v", x0, top, bottom),
                Edge("v", x1, top, bottom),
            ]
        elif filled:
            if bottom - top <= THIN and x1 - x0 >= MIN_EDGE:
                out.append(Edge("h", (top + bottom) / 2, x0, x1))
            elif x1 - x0 <= THIN and bottom - top >= MIN_EDGE:
                out.append(Edge("v", (x0 + x1) / 2, top, bottom))
        return out
    if not stroked:
        return out
    points = obj.get("pts") or []
    for (ax, ay), (bx, by) in itertools.pairwise(points):
        if abs(ay - by) <= 0.5 and abs(ax - bx) >= MIN_EDGE:
            out.append(Edge("h", (ay + by) / 2, min(ax, bx), max(ax, bx)))
        elif abs(ax - bx) <= 0.5 and abs(ay - by) >= MIN_EDGE:
            out.append(Edge("v", (ax + bx) / 2, min(ay, by), max(ay, by)))
    return out


def _visible_pdfminer_color(color: Any) -> bool:
    if color is None:
        return True  # the default colour is black
    if isinstance(color, (int, float)):
        color = (color,)
    if not isinstance(color, (tuple, list)) or not all(isinstance(v, (int, float)) for v in color):
        return True  # patterns and the like: assume visible
    if len(color) == 1:
        return float(color[0]) < 0.92
    if len(color) == 3:
        return min(float(v) for v in color) < 0.92
    if len(color) == 4:
        return max(float(v) for v in color) > 0.08
    return True


# ============================================================================ geometry


def merge_edges(edges: list[Edge]) -> list[Edge]:
    """Snap nearly collinear rules together and join the pieces of one rule."""
    out: list[Edge] = []
    for orientation in ("h", "v"):
        group = sorted((e for e in edges if e.orientation == orientation), key=lambda e: e.pos)
        clusters: list[list[Edge]] = []
        for edge in group:
            if clusters and edge.pos - clusters[-1][-1].pos <= SNAP:
                clusters[-1].append(edge)
            else:
                clusters.append([edge])
        for cluster in clusters:
            pos = statistics.fmean(e.pos for e in cluster)
            pieces = sorted(cluster, key=lambda e: e.start)
            start, end = pieces[0].start, pieces[0].end
            for piece in pieces[1:]:
                if piece.start <= end + JOIN:
                    end = max(end, piece.end)
                else:
                    out.append(Edge(orientation, pos, start, end))
                    start, end = piece.start, piece.end
            out.append(Edge(orientation, pos, start, end))
    return out


@dataclass
class GridCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    bbox: tuple[float, float, float, float]


@dataclass
class Grid:
    """A ruled table: grid line positions and the (merged) cells they make."""

    xs: list[float]
    ys: list[float]
    cells: list[GridCell]
    owner: list[list[int]]  # elementary (row, col) → index of its cell

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    def contains(self, x: float, y: float) -> bool:
        return self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]

    def cell_at(self, x: float, y: float) -> int:
        row = min(max(bisect.bisect_right(self.ys, y) - 1, 0), len(self.ys) - 2)
        col = min(max(bisect.bisect_right(self.xs, x) - 1, 0), len(self.xs) - 2)
        return self.owner[row][col]


def find_grids(edges: list[Edge]) -> list[Grid]:
    """Ruled tables: groups of touching rules with at least two rows or columns of cells."""
    merged = [e for e in merge_edges(edges) if e.end - e.start >= MIN_EDGE]
    grids = []
    for component in _components(merged):
        grid = _grid(component)
        if grid is not None:
            grids.append(grid)
    return grids


def _components(edges: list[Edge]) -> list[list[Edge]]:
    parent = list(range(len(edges)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    hs = [i for i, e in enumerate(edges) if e.orientation == "h"]
    vs = [i for i, e in enumerate(edges) if e.orientation == "v"]
    for i in hs:
        h = edges[i]
        for j in vs:
            v = edges[j]
            if h.start - TOUCH <= v.pos <= h.end + TOUCH and v.start - TOUCH <= h.pos <= v.end + TOUCH:
                parent[find(i)] = find(j)
    groups: dict[int, list[Edge]] = {}
    for i, edge in enumerate(edges):
        groups.setdefault(find(i), []).append(edge)
    return [
        g
        for g in groups.values()
        if sum(e.orientation == "h" for e in g) >= 2 and sum(e.orientation == "v" for e in g) >= 2
    ]


def _cluster(values: list[float], tolerance: float) -> list[float]:
    values = sorted(values)
    clusters: list[list[float]] = []
    for value in values:
        if clusters and value - clusters[-1][-1] <= tolerance:
            clusters[-1].append(value)
        else:
            clusters.append([value])
    return [statistics.fmean(c) for c in clusters]


def _grid(edges: list[Edge]) -> Grid | None:
    hs = [e for e in edges if e.orientation == "h"]
    vs = [e for e in edges if e.orientation == "v"]
    x_min = min(min(e.start for e in hs), min(e.pos for e in vs))
    x_max = max(max(e.end for e in hs), max(e.pos for e in vs))
    y_min = min(min(e.start for e in vs), min(e.pos for e in hs))
    y_max = max(max(e.end for e in vs), max(e.pos for e in hs))
    # the region's outline closes the grid even where a border was not drawn
    xs = _cluster([e.pos for e in vs] + [x_min, x_max], SNAP)
    ys = _cluster([e.pos for e in hs] + [y_min, y_max], SNAP)
    xs[0], xs[-1], ys[0], ys[-1] = x_min, x_max, y_min, y_max
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_rows < 1 or n_cols < 1:
        return None

    def covered(rules: list[Edge], pos: float, lo: float, hi: float) -> bool:
        total = 0.0
        for rule in rules:
            if abs(rule.pos - pos) <= SNAP:
                total += max(0.0, min(rule.end, hi) - max(rule.start, lo))
        return total >= COVER * (hi - lo)

    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(1, n_cols):
            if not covered(vs, xs[c], ys[r], ys[r + 1]):
                parent[find(r * n_cols + c)] = find(r * n_cols + c - 1)
    for r in range(1, n_rows):
        for c in range(n_cols):
            if not covered(hs, ys[r], xs[c], xs[c + 1]):
                parent[find(r * n_cols + c)] = find((r - 1) * n_cols + c)

    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            groups.setdefault(find(r * n_cols + c), []).append((r, c))
    spans: list[tuple[int, int, int, int]] = []
    for members in groups.values():
        r0 = min(r for r, _ in members)
        r1 = max(r for r, _ in members)
        c0 = min(c for _, c in members)
        c1 = max(c for _, c in members)
        if len(members) == (r1 - r0 + 1) * (c1 - c0 + 1):
            spans.append((r0, c0, r1 - r0 + 1, c1 - c0 + 1))
        else:  # not a rectangle (a rule is broken): keep the elementary cells apart
            spans.extend((r, c, 1, 1) for r, c in members)
    spans.sort()

    # drop grid lines that start no cell (a rule that only crosses a merged cell's inside)
    row_starts = sorted({s[0] for s in spans} | {n_rows})
    col_starts = sorted({s[1] for s in spans} | {n_cols})
    row_index = {r: i for i, r in enumerate(row_starts)}
    col_index = {c: i for i, c in enumerate(col_starts)}
    new_ys = [ys[r] for r in row_starts]
    new_xs = [xs[c] for c in col_starts]
    owner = [[-1] * (len(new_xs) - 1) for _ in range(len(new_ys) - 1)]
    cells: list[GridCell] = []
    for r0, c0, rs, cs in spans:
        row, col = row_index[r0], col_index[c0]
        rowspan = row_index[r0 + rs] - row if r0 + rs in row_index else len(new_ys) - 1 - row
        colspan = col_index[c0 + cs] - col if c0 + cs in col_index else len(new_xs) - 1 - col
        if rowspan < 1 or colspan < 1 or owner[row][col] != -1:
            continue
        index = len(cells)
        cells.append(
            GridCell(
                row, col, rowspan, colspan, (new_xs[col], new_ys[row], new_xs[col + colspan], new_ys[row + rowspan])
            )
        )
        for rr in range(row, row + rowspan):
            for cc in range(col, col + colspan):
                if owner[rr][cc] == -1:
                    owner[rr][cc] = index
    if any(o == -1 for row_owner in owner for o in row_owner):
        return None
    return Grid(new_xs, new_ys, cells, owner)


# ============================================================================ lines of text


class Line:
    """Fragments on one baseline, left to right (fixed once made)."""

    __slots__ = ("_text", "bottom", "em", "fragments", "page", "top", "x0", "x1")

    def __init__(self, fragments: list[Fragment], page: int) -> None:
        self.fragments = fragments
        self.page = page
        self.x0 = fragments[0].x0
        self.x1 = max(f.x1 for f in fragments)
        self.top = min(f.top for f in fragments)
        self.bottom = max(f.bottom for f in fragments)
        # typical glyph height, the font size near enough (Latin digits and punctuation are lower)
        heights = sorted(f.height for f in fragments if not f.text.isascii() or len(f.text) > 1)
        if not heights:
            heights = sorted(f.height for f in fragments)
        self.em = max(heights[len(heights) // 2], 1.0)
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = join_fragments(self.fragments, self.em)
        return self._text

    def segments(self, gap: float) -> list[list[Fragment]]:
        """The line cut where the space between two fragments is wider than ``gap``."""
        out: list[list[Fragment]] = [[self.fragments[0]]]
        for prev, frag in itertools.pairwise(self.fragments):
            if frag.x0 - prev.x1 > gap:
                out.append([frag])
            else:
                out[-1].append(frag)
        return out


def group_lines(fragments: Iterable[Fragment], page: int) -> list[Line]:
    """Fragments on the same baseline (vertical centres within half a glyph) form a line."""
    ordered = sorted(fragments, key=lambda f: (f.cy, f.x0))
    lines: list[list[Fragment]] = []
    centres: list[float] = []
    for frag in ordered:
        if lines and abs(frag.cy - centres[-1]) <= max(frag.height, 1.0) * 0.5:
            lines[-1].append(frag)
            members = lines[-1]
            centres[-1] = statistics.fmean(f.cy for f in members) if len(members) < 8 else centres[-1]
        else:
            lines.append([frag])
            centres.append(frag.cy)
    return [Line(sorted(members, key=lambda f: f.x0), page) for members in lines]


_ASCII_WORD = re.compile(r"[0-9A-Za-z]")


def join_fragments(fragments: list[Fragment], em: float) -> str:
    parts = [fragments[0].text]
    for prev, frag in itertools.pairwise(fragments):
        gap = frag.x0 - prev.x1
        if gap > 0.3 * em or (frag.space_before and gap > 0.05 * em):
            parts.append(" ")
        parts.append(frag.text)
    return "".join(parts)


# ============================================================================ page layout


@dataclass
class TableCell:
    text: str
    row: int
    col: int
    rowspan: int
    colspan: int
    page: int
    bbox: tuple[float, float, float, float]
    confidence: float | None = None  # OCR: the lowest score of the cell's text


@dataclass
class TableBlock:
    cells: list[TableCell]
    n_rows: int
    xs: list[float]  # column boundaries
    page: int
    bbox: tuple[float, float, float, float]
    ruled: bool = True

    def rows(self) -> list[list[TableCell]]:
        out: list[list[TableCell]] = [[] for _ in range(self.n_rows)]
        for cell in self.cells:
            out[cell.row].append(cell)
        for row in out:
            row.sort(key=lambda c: c.col)
        return out


@dataclass
class PageLayout:
    number: int
    width: float
    height: float
    items: list[Line | TableBlock] = field(default_factory=list)  # reading order


def layout_page(page: PageContent) -> PageLayout:
    grids = [g for g in find_grids(page.edges) if len(g.xs) > 2]
    per_grid: list[dict[int, list[Fragment]]] = [{} for _ in grids]
    free: list[Fragment] = []
    for frag in page.fragments:
        for k, grid in enumerate(grids):
            if grid.contains(frag.cx, frag.cy):
                per_grid[k].setdefault(grid.cell_at(frag.cx, frag.cy), []).append(frag)
                break
        else:
            free.append(frag)
    items: list[Line | TableBlock] = []
    for grid, assigned in zip(grids, per_grid, strict=True):
        if not assigned:
            continue  # an empty ruled box is decoration
        cells = [
            TableCell(
                _cell_text(assigned.get(i, []), page.number),
                c.row,
                c.col,
                c.rowspan,
                c.colspan,
                page.number,
                _round_box(c.bbox),
                lowest_score(assigned.get(i, [])),
            )
            for i, c in enumerate(grid.cells)
        ]
        items.append(TableBlock(cells, len(grid.ys) - 1, grid.xs, page.number, _round_box(grid.bbox)))
    items.extend(group_lines(free, page.number))
    items.sort(key=lambda item: item.bbox[1] if isinstance(item, TableBlock) else item.top)
    return PageLayout(page.number, page.width, page.height, items)


def lowest_score(fragments: Iterable[Fragment]) -> float | None:
    scores = [f.score for f in fragments if f.score is not None]
    return min(scores) if scores else None


def _cell_text(fragments: list[Fragment], page: int) -> str:
    if not fragments:
        return ""
    return "\n".join(line.text for line in group_lines(fragments, page)).strip()


def _round_box(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    return (round(box[0], 2), round(box[1], 2), round(box[2], 2), round(box[3], 2))


# ---------------------------------------------------------------------------- borderless tables

_BORDERLESS_GAP = 1.8  # em: wider gaps separate columns
_BORDERLESS_MIN_ROWS = 3


def find_borderless(items: list[Line | TableBlock], page: int) -> list[Line | TableBlock]:
    """Runs of lines cut into columns by wide gaps become tables (rows anchored on value lines)."""
    out: list[Line | TableBlock] = []
    i = 0
    while i < len(items):
        run = _columnar_run(items, i)
        if sum(1 for line in run if _is_columnar(line)) >= _BORDERLESS_MIN_ROWS:
            table = _borderless_table(run, page)
            if table is not None:
                out.append(table)
                i += len(run)
                continue
        out.append(items[i])
        i += 1
    return out


def _columnar_run(items: list[Line | TableBlock], start: int) -> list[Line]:
    """Columnar lines from ``start`` on, with single lines between them (wrapped labels)."""
    run: list[Line] = []
    j = start
    while j < len(items):
        line = items[j]
        if not isinstance(line, Line):
            break
        following = items[j + 1] if j + 1 < len(items) else None
        if not (_is_columnar(line) or (run and isinstance(following, Line) and _is_columnar(following))):
            break
        run.append(line)
        j += 1
    return run


def _is_columnar(line: Line) -> bool:
    return len(line.segments(_BORDERLESS_GAP * line.em)) >= 2


def _borderless_table(run: list[Line], page: int) -> TableBlock | None:
    em = statistics.median(line.em for line in run)
    cut = [(line, line.segments(_BORDERLESS_GAP * line.em)) for line in run]
    columns = _template_columns([segs for _, segs in cut])
    if columns is None:
        return None
    xs = [columns[0][0]] + [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(columns)] + [columns[-1][1]]

    def column_at(x: float) -> int:
        return min(max(bisect.bisect_right(xs, x) - 1, 0), len(columns) - 1)

    value_lines = [k for k, (_, segs) in enumerate(cut) if len(segs) >= 2]
    rows: dict[int, dict[int, list[Fragment]]] = {k: {} for k in value_lines}
    label_right = columns[0][1] + em
    for k, (line, segs) in enumerate(cut):
        if len(segs) >= 2:
            for seg in segs:
                overlapped = [
                    c for c, (x0, x1) in enumerate(columns) if min(x1, seg[-1].x1) - max(x0, seg[0].x0) > 0.2 * em
                ]
                if len(overlapped) == 1:
                    rows[k].setdefault(overlapped[0], []).extend(seg)
                else:  # glued across a column gap (an OCR box): each piece to the column under it
                    for frag in seg:
                        rows[k].setdefault(column_at(frag.cx), []).append(frag)
            continue
        # a wrapped label line belongs to the nearest value line, if it sits in the label column
        if line.x1 > label_right:
            return None
        nearest = min(value_lines, key=lambda v: (abs(cut[v][0].top - line.top), v > k))
        rows[nearest].setdefault(0, []).extend(segs[0])
    cells: list[TableCell] = []
    for r, k in enumerate(value_lines):
        for col, frags in sorted(rows[k].items()):
            frags.sort(key=lambda f: (f.top, f.x0))
            box = (
                min(f.x0 for f in frags),
                min(f.top for f in frags),
                max(f.x1 for f in frags),
                max(f.bottom for f in frags),
            )
            cells.append(TableCell(_cell_text(frags, page), r, col, 1, 1, page, _round_box(box), lowest_score(frags)))
    top = min(line.top for line in run)
    bottom = max(line.bottom for line in run)
    return TableBlock(cells, len(value_lines), xs, page, _round_box((xs[0], top, xs[-1], bottom)), ruled=False)


def _template_columns(lines: list[list[list[Fragment]]]) -> list[tuple[float, float]] | None:
    """Column extents from the lines cut into the most segments (a full row of the table)."""
    most = max(len(segs) for segs in lines)
    if most < 2:
        return None
    full = [segs for segs in lines if len(segs) == most]
    columns = [(min(segs[c][0].x0 for segs in full), max(f.x1 for segs in full for f in segs[c])) for c in range(most)]
    if any(a[1] >= b[0] for a, b in itertools.pairwise(columns)):
        return None  # the full rows disagree about the columns
    return columns


# ============================================================================ the document


_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－~·•\s]*\d{1,3}[-—–－~·•\s]*"
    r"|[-—–－]\s*[一二三四五六七八九十〇]{1,3}\s*[-—–－]"
    r"|第\s*\d{1,3}\s*页(?:\s*[，,、/／]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*[/／]\s*\d{1,3}"
    r"|(?:page|Page|PAGE)\s*\d{1,3}(?:\s*of\s*\d{1,3})?)$"
)
_CONTINUED = re.compile(r"^[（(]?续(?:表|上表)?[)）]?[:：]?$")
_NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|\d{1,2}\s*[、.．](?!\d))"
)


def assemble(pages: list[PageContent], source: str, kind: DocumentKind, notes: list[str]) -> Document:
    """Page contents → Document (shared by the PDF and the OCR reader)."""
    layouts = [layout_page(page) for page in pages]
    _drop_running_lines(layouts)
    for layout in layouts:
        layout.items = find_borderless(layout.items, layout.number)
    builder = _Builder()
    for layout in layouts:
        builder.page(layout)
    if builder.continued:
        notes.append(f"跨页表格已接续（第{_page_list(builder.continued)}页）")
    return Document(blocks=builder.finish(), source=source, kind=kind, notes=notes)


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _drop_running_lines(layouts: list[PageLayout]) -> None:
    """Page numbers, and headers/footers repeated on several pages, in the top/bottom margins."""
    marginal: dict[str, list[tuple[int, float]]] = {}
    for k, layout in enumerate(layouts):
        for item in layout.items:
            if isinstance(item, Line) and _in_margin(item, layout):
                signature = re.sub(r"\d+", "#", _key(item.text))
                marginal.setdefault(signature, []).append((k, item.top))
    repeated = {
        signature
        for signature, where in marginal.items()
        if len({k for k, _ in where}) >= max(2, (len(layouts) * 2 + 4) // 5) and len(signature) >= 2
    }
    for layout in layouts:
        kept: list[Line | TableBlock] = []
        for item in layout.items:
            if isinstance(item, Line) and _in_margin(item, layout):
                text = _key(item.text)
                if _PAGE_NUMBER.match(text) or re.sub(r"\d+", "#", text) in repeated:
                    continue
            kept.append(item)
        layout.items = kept


def _in_margin(line: Line, layout: PageLayout) -> bool:
    return line.top >= layout.height * (1 - MARGIN_ZONE) or line.bottom <= layout.height * MARGIN_ZONE


class _Builder:
    """Lines → paragraphs; tables continued across pages."""

    def __init__(self) -> None:
        self.blocks: list[Paragraph | TableBlock] = []
        self.open_lines: list[Line] = []  # the paragraph being built
        self.margins: tuple[float, float] = (0.0, 0.0)  # left and right text edge of this page
        self.last_page_margins: tuple[float, float] = (0.0, 0.0)  # ... of the previous page
        self.width = self.last_page_width = 0.0
        self.continued: list[int] = []

    def page(self, layout: PageLayout) -> None:
        lines = [item for item in layout.items if isinstance(item, Line)]
        self.last_page_margins, self.last_page_width = self.margins, self.width
        self.margins = _margins(lines, layout.width) if lines else self.margins
        self.width = layout.width
        first = True
        for item in layout.items:
            if isinstance(item, TableBlock):
                self._flush()
                previous = self.blocks[-1] if self.blocks else None
                if (
                    first
                    and isinstance(previous, TableBlock)
                    and previous.page < item.page
                    and _continue_table(previous, item)
                ):
                    if item.page not in self.continued:
                        self.continued.append(item.page)
                else:
                    self.blocks.append(item)
            else:
                if first and _CONTINUED.match(_key(item.text)):
                    continue  # 续表: the table goes on, the marker is no content
                self._line(item, new_page=first)
            first = False

    def _line(self, line: Line, new_page: bool) -> None:
        if self.open_lines and self._continues(self.open_lines[-1], line, new_page):
            self.open_lines.append(line)
            return
        self._flush()
        self.open_lines = [line]

    def _continues(self, prev: Line, line: Line, new_page: bool) -> bool:
        left = self.margins[0]
        prev_left, prev_right = self.last_page_margins if new_page else self.margins
        prev_width = self.last_page_width if new_page else self.width
        em = prev.em
        if abs(line.em - em) > 0.3 * em:
            return False
        if prev.x1 < prev_right - 1.5 * em or prev.x1 - prev_left < 0.5 * prev_width:
            return False  # the previous line ended short
        if line.x0 > left + 0.8 * em:  # indented: a new paragraph
            return False
        if not new_page and line.top - prev.bottom > 1.5 * em:
            return False
        return not _NUMBERED.match(line.text)

    def _flush(self) -> None:
        if not self.open_lines:
            return
        lines = self.open_lines
        self.open_lines = []
        parts = [lines[0].text]
        for line in lines[1:]:
            text = line.text
            if _ASCII_WORD.match(parts[-1][-1:]) and _ASCII_WORD.match(text[:1]):
                parts.append(" ")
            parts.append(text)
        first = lines[0]
        on_first_page = [line for line in lines if line.page == first.page]
        box = (
            round(min(line.x0 for line in on_first_page), 2),
            round(min(line.top for line in on_first_page), 2),
            round(max(line.x1 for line in on_first_page), 2),
            round(max(line.bottom for line in on_first_page), 2),
        )
        confidence = lowest_score(f for line in lines for f in line.fragments)
        self.blocks.append(
            Paragraph("".join(parts).strip(), Location(page=first.page, bbox=box), confidence=confidence)
        )

    def finish(self) -> list[Block]:
        self._flush()
        out: list[Block] = []
        for block in self.blocks:
            out.append(_to_table(block) if isinstance(block, TableBlock) else block)
        return out


def _margins(lines: list[Line], width: float) -> tuple[float, float]:
    """Left text edge and right text edge of a page's body lines."""
    long = [line for line in lines if line.x1 - line.x0 >= 0.5 * width] or lines
    lefts = sorted(line.x0 for line in long)
    rights = sorted(line.x1 for line in long)
    return lefts[len(lefts) // 10], rights[(len(rights) * 9) // 10]


def _to_table(block: TableBlock) -> Table:
    cells = [
        Cell(
            c.text,
            c.row,
            c.col,
            Location(page=c.page, bbox=c.bbox),
            rowspan=c.rowspan,
            colspan=c.colspan,
            confidence=c.confidence,
        )
        for c in sorted(block.cells, key=lambda c: (c.row, c.col))
    ]
    return Table(cells, Location(page=block.page, bbox=block.bbox), grid_reliable=block.ruled)


# ---------------------------------------------------------------------------- continued tables


def _continue_table(table: TableBlock, part: TableBlock) -> bool:
    """Append ``part`` (the top of a page) to ``table`` (the end of the previous page) when its
    columns line up; False when it is a table of its own."""
    mapping = _column_map(table.xs, part.xs)
    if mapping is None or table.ruled != part.ruled:
        return False
    cells = [
        dataclasses.replace(c, col=mapping[c.col], colspan=mapping[c.col + c.colspan] - mapping[c.col])
        for c in part.cells
    ]
    cells = _drop_repeated_header(table, cells)
    if not cells:
        return True
    cells, shift = _join_across_break(table, cells)
    for cell in cells:
        cell.row += table.n_rows - shift
    table.cells.extend(cells)
    table.n_rows = max(c.row + c.rowspan for c in table.cells)
    return True


def _column_map(xs: list[float], part_xs: list[float]) -> dict[int, int] | None:
    """Each column boundary of the part → the boundary of the table at the same x.

    Pages printed with mirrored margins shift the whole table sideways on every other page, so
    the part may also line up once moved by the shift of its left (or right) border.
    """
    for shift in (0.0, xs[0] - part_xs[0], xs[-1] - part_xs[-1]):
        mapping = _aligned(xs, [x + shift for x in part_xs])
        if mapping is not None:
            return mapping
    return None


def _aligned(xs: list[float], part_xs: list[float]) -> dict[int, int] | None:
    tolerance = 2 * SNAP
    mapping: dict[int, int] = {}
    for k, x in enumerate(part_xs):
        nearest = min(range(len(xs)), key=lambda j: abs(xs[j] - x))
        if abs(xs[nearest] - x) > tolerance:
            return None
        mapping[k] = nearest
    values = [mapping[k] for k in range(len(part_xs))]
    if values != sorted(set(values)) or values[0] != 0 or values[-1] != len(xs) - 1:
        return None
    return mapping


def _row_signature(cells: list[TableCell], row: int) -> tuple[tuple[int, int, str], ...]:
    return tuple(sorted((c.col, c.colspan, _key(c.text)) for c in cells if c.row == row))


def _drop_repeated_header(table: TableBlock, cells: list[TableCell]) -> list[TableCell]:
    """Rows at the top of the part that repeat the table's first rows are a repeated header."""
    repeated = 0
    n_part_rows = max(c.row + c.rowspan for c in cells)
    while repeated < min(table.n_rows - 1, n_part_rows - 1):
        mine = _row_signature(cells, repeated)
        if not mine or not any(text for _, _, text in mine) or mine != _row_signature(table.cells, repeated):
            break
        repeated += 1
    if not repeated:
        return cells
    kept = [c for c in cells if c.row >= repeated]
    for cell in kept:
        cell.row -= repeated
    return kept


def _is_value(text: str) -> bool:
    return bool(text) and parse_value(text).kind == "value"


def _join_across_break(table: TableBlock, cells: list[TableCell]) -> tuple[list[TableCell], int]:
    """Cells cut by the page break go on in the part's first row.

    * a cell spanning rows (a group label) reaching the bottom of the table, and a cell in the
      same columns at the top of the part that is empty or carries the rest of its text (no
      numbering of its own), are one cell;
    * a row broken by the page break (Word lets rows break across pages): the part's first row
      has the rest of the label and the value columns are filled on one side only.
    Returns the remaining cells and 1 when the part's first row became the table's last row.
    """
    bottom = table.n_rows
    ending = {(c.col, c.colspan): c for c in table.cells if c.row + c.rowspan == bottom}
    remaining: list[TableCell] = []
    extended: list[tuple[TableCell, int]] = []
    for cell in cells:
        above = ending.get((cell.col, cell.colspan)) if cell.row == 0 else None
        if (
            above is not None
            and (above.rowspan > 1 or cell.rowspan > 1)
            and not _is_value(above.text)
            and not _is_value(cell.text)
            and not (cell.text and _NUMBERED.match(cell.text))
        ):
            extended.append((above, cell.rowspan))
            above.text = _joined(above.text, cell.text)
            above.confidence = _lower(above.confidence, cell.confidence)
            continue
        remaining.append(cell)
    joined = _join_broken_row(table, remaining)
    shift = 1 if joined else 0
    for above, rows in extended:
        above.rowspan += rows - shift  # the part's first row may have become the table's last
    return [c for c in remaining if id(c) not in joined], shift


def _joined(first: str, rest: str) -> str:
    return f"{first}\n{rest}" if first and rest else first or rest


def _join_broken_row(table: TableBlock, remaining: list[TableCell]) -> set[int]:
    """Join the part's first row into the table's last row when it is the rest of that row;
    returns the ids of the part's cells that were joined (none when it is a row of its own)."""
    last_row = [c for c in table.cells if c.row == table.n_rows - 1 and c.rowspan == 1]
    by_extent = {(c.col, c.colspan): c for c in remaining if c.row == 0}
    if not last_row or not by_extent or any((c.col, c.colspan) not in by_extent for c in last_row):
        return set()
    pairs = [(c, by_extent[(c.col, c.colspan)]) for c in last_row]
    values_above = any(_is_value(a.text) for a, _ in pairs)
    values_below = any(_is_value(b.text) for _, b in pairs)
    if (
        values_above == values_below  # a complete row on each side, or no data row at all
        or any(_is_value(a.text) and b.text for a, b in pairs)
        or any(_is_value(b.text) and a.text for a, b in pairs)
        or not any(a.text and b.text for a, b in pairs)  # no text goes on
        or any(b.text and _NUMBERED.match(b.text) for _, b in pairs)
    ):
        return set()
    for above, below in pairs:
        above.text = _joined(above.text, below.text)
        above.confidence = _lower(above.confidence, below.confidence)
    return {id(below) for _, below in pairs}


def _lower(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else min(a, b)
