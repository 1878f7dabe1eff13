"""PDF reports to a :class:`Document`: the PDF text layer.

Each page becomes a :class:`~.layout.content.PageContent` (characters of the text layer with
their boxes, and the ruling lines drawn on it, in points from the page's top-left corner), and
:func:`~.layout.assembly.assemble` lays the pages out: ruled and borderless tables, paragraphs,
running headers, tables continued across pages.  The same layout serves scans (:mod:`.ocr`).

Text layer: PDFium (pypdfium2) reads characters and path objects about ten times faster than
pdfminer, whose content-stream parser alone costs ~0.1 s per page; pdfminer (through pdfplumber,
with ``dedupe_chars``) is the second engine for pages whose PDFium text is undecodable
(``U+FFFD``, private-use code points).  A page with no usable text layer is rendered and
recognised by OCR (:mod:`.ocr`, imported only then), and so is a large picture on a text page
that has no text over it (a table pasted as a screenshot).
"""

from __future__ import annotations

import ctypes
import io
import itertools
import math
import re
import zlib
from collections.abc import Callable
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..document import Document, DocumentKind
from ..errors import InputError
from ..pdfium import PDFIUM
from ..settings import DEFAULT_SETTINGS, Settings
from .layout.assembly import assemble, page_list
from .layout.content import Box, Edge, Fragment, PageContent
from .layout.geometry import TOLERANCES
from .limits import (
    MAX_IMAGE_PIXELS,
    MAX_OCR_PAGES,
    MAX_PAGE_GLYPHS,
    MAX_PAGE_RULES,
    MAX_PDF_STREAM,
    variable,
)

# A page whose text layer has fewer characters than this, but a large image, is a scan.
SCAN_MAX_CHARS = 10
SCAN_MIN_IMAGE_SHARE = 0.3
OUTLINE_MIN_PATHS = 40  # text drawn as outlines: many paths and no text layer
# an image on a text page is OCR'd when at least this wide and high (shares of the page)
PICTURE_MIN_WIDTH = 0.3
PICTURE_MIN_HEIGHT = 0.05
GARBLED_SHARE = 0.02  # share of undecodable characters that makes a text layer unusable
DUPLICATE_GLYPH = 1.0  # points: the same glyph drawn again this close is "fake bold"
FLAT = 0.5  # points: a segment whose ends differ this little across is straight


# ============================================================================ public entry


def read_pdf(
    data: bytes, source: str, settings: Settings = DEFAULT_SETTINGS, *, text_engine: str = "pdfium"
) -> Document:
    """Read a PDF.  ``text_engine="pdfminer"`` reads every text page with pdfminer instead."""
    with PDFIUM:
        return _read_pdf(data, source, settings, text_engine)


def _read_pdf(data: bytes, source: str, settings: Settings, text_engine: str) -> Document:
    document = _open(data, source)
    try:
        count = len(document)
        limit = settings.max_pdf_pages
        if count > limit:
            raise InputError(
                f"PDF 页数过多（{count} 页，上限 {limit} 页，可用环境变量 {variable('max_pdf_pages')} 调整）",
                source=source,
            )
        if count == 0:
            raise InputError("PDF 文件没有任何页面", source=source)
        pages, notes, bounds = _read_pages(document, data, source, count, text_engine)
    finally:
        document.close()
    if not any(page.fragments for page in pages):
        raise InputError("PDF 中没有可识别的文字（既没有文字层，也没有可供 OCR 识别的内容）", source=source)
    ocr_pages = [page.number for page in pages if page.ocr]
    text_pages = [page.number for page in pages if not page.ocr and page.fragments]
    kind: DocumentKind = "ocr" if ocr_pages and not text_pages else "pdf"
    if ocr_pages and text_pages:
        notes.append(f"第{page_list(ocr_pages)}页没有文字层，已用 OCR 识别")
    read = assemble(pages, source, kind, notes)
    read.bounds.extend(bounds)
    return read


def _open(data: bytes, source: str) -> Any:
    _check_streams(data, source)
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise InputError("PDF 已加密，需要密码才能打开；请提供未加密的文件", source=source) from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise InputError("PDF 已加密（使用了不支持的加密方式），无法读取", source=source) from None
        raise InputError("PDF 文件已损坏或不完整，无法读取", source=source) from None


_STREAM_START = re.compile(rb">>\s*stream\r?\n")
_FLATE = b"/FlateDecode"
_DEFLATE_MAX_RATIO = 1032  # no deflate stream inflates to more than this many times its size
_DICT_LOOKBACK = 4096  # bytes before ``stream`` searched for the stream's dictionary


def _check_streams(data: bytes, source: str) -> None:
    """Refuse a PDF with a stream that inflates past :data:`MAX_PDF_STREAM` before PDFium sees it.

    PDFium inflates a page's content stream whole: a 500 KB file whose content stream inflates
    to gigabytes would take that much memory.  Only a stream whose compressed size could reach
    the bound is inflated (deflate never exceeds 1032:1, so a real file costs next to nothing),
    in chunks that are counted and dropped; a stream compressed twice is inflated through both.
    """
    for match in _STREAM_START.finditer(data):
        head = data[max(0, match.start() - _DICT_LOOKBACK) : match.start()]
        head = head[head.rfind(b" obj") + 1 :] if b" obj" in head else head
        layers = head.count(_FLATE)
        if not layers:
            continue
        if b"/Image" in head:
            # PDFium decodes an image to its declared size, never past it: that size is the bound
            width, height = (re.search(rb"/%s\s+(\d{1,9})\b" % key, head) for key in (b"Width", b"Height"))
            if width and height and int(width.group(1)) * int(height.group(1)) > MAX_IMAGE_PIXELS:
                raise InputError(
                    f"PDF 中的图片过大（{int(width.group(1))}×{int(height.group(1))} 像素，上限 "
                    f"{MAX_IMAGE_PIXELS // 1_000_000} 百万像素），拒绝读取",
                    source=source,
                )
            continue
        end = data.find(b"endstream", match.end())
        body = data[match.end() : end if end >= 0 else len(data)]
        if len(body) * _DEFLATE_MAX_RATIO**layers <= MAX_PDF_STREAM:
            continue
        if _inflated_size(body, layers, MAX_PDF_STREAM) > MAX_PDF_STREAM:
            raise InputError(
                f"PDF 中有数据流解压后超过 {MAX_PDF_STREAM // 1024 // 1024} MB（可能是压缩炸弹），拒绝读取",
                source=source,
            )


def _inflated_size(body: bytes, layers: int, limit: int) -> int:
    """The bytes ``body`` inflates to through ``layers`` deflate layers, counted until past ``limit``
    (at most 1 MB per layer held at a time)."""
    inflaters = [zlib.decompressobj() for _ in range(layers)]
    total = 0

    def feed(level: int, chunk: bytes) -> bool:
        nonlocal total
        inflater = inflaters[level]
        while chunk:
            try:
                out = inflater.decompress(chunk, 1 << 20)
            except zlib.error:
                return False  # damaged data: PDFium stops there too
            chunk = inflater.unconsumed_tail
            if level + 1 == layers:
                total += len(out)
            elif out and not feed(level + 1, out):
                return False
            if total > limit:
                return False
        return True

    for at in range(0, len(body), 65_536):
        if not feed(0, body[at : at + 65_536]):
            break
    return total


def _read_pages(
    document: Any, data: bytes, source: str, count: int, text_engine: str
) -> tuple[list[PageContent], list[str], list[str]]:
    """The pages' contents, the reader's notes, and the bounds on its work that were hit."""
    pages: list[PageContent] = []
    notes: list[str] = []
    crowded: list[int] = []  # pages past MAX_PAGE_GLYPHS or MAX_PAGE_RULES
    unrecognised: list[int] = []  # pages left to OCR past MAX_OCR_PAGES
    recognised = 0
    plumber: _Pdfminer | None = None
    if text_engine == "pdfminer":
        plumber = _Pdfminer(data)
    fallback_pages: list[int] = []
    failed_pages: list[int] = []  # pages the second engine could not parse
    picture_pages: list[int] = []
    try:
        for index in range(count):
            try:
                page = document[index]
            except pdfium.PdfiumError:
                raise InputError(f"PDF 文件已损坏（第{index + 1}页无法读取）", source=source) from None
            try:
                content, scan, images = _pdfium_page(page, index + 1)
                if len(content.fragments) > MAX_PAGE_GLYPHS or len(content.edges) > MAX_PAGE_RULES:
                    crowded.append(index + 1)
                    pages.append(PageContent(index + 1, content.width, content.height, [], []))
                    continue
                if plumber is not None and text_engine == "pdfminer" and not scan:
                    content = plumber.page(index, index + 1) or content
                elif not scan and _garbled_share(content.fragments) > GARBLED_SHARE:
                    # PDFium could not decode this page's fonts; pdfminer ships more CMaps
                    plumber = plumber or _Pdfminer(data)
                    other = plumber.page(index, index + 1)
                    if other is None:
                        failed_pages.append(index + 1)
                    elif _garbled_share(other.fragments) < _garbled_share(content.fragments):
                        content = other
                        fallback_pages.append(index + 1)
                    scan = _garbled_share(content.fragments) > GARBLED_SHARE
                if scan and recognised >= MAX_OCR_PAGES:
                    unrecognised.append(index + 1)
                    content = PageContent(index + 1, content.width, content.height, [], [])
                elif scan:
                    from .ocr import ocr_pdf_page  # heavy (onnxruntime): imported only for scans

                    content = ocr_pdf_page(page, index + 1, source)
                    recognised += 1
                else:
                    for box in _pictures_of_text(content, images):
                        if recognised >= MAX_OCR_PAGES:
                            unrecognised += [index + 1] if index + 1 not in unrecognised else []
                            break
                        from .ocr import ocr_pdf_region

                        recognised += 1

                        fragments, edges = ocr_pdf_region(page, index + 1, box, source)
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
    if failed_pages:
        notes.append(
            f"第{page_list(failed_pages)}页的文字编码 PDFium 无法解码，pdfminer 也无法解析该页（文件可能已损坏）"
        )
    if fallback_pages:
        notes.append(f"第{page_list(fallback_pages)}页的文字编码 PDFium 无法解码，改用 pdfminer 读取")
    if picture_pages:
        notes.append(f"第{page_list(picture_pages)}页有图片（如表格截图），其中的文字已用 OCR 识别")
    bounds = []
    if crowded:
        bounds.append(
            f"第{page_list(crowded)}页的文字或表格线过多（每页上限 {MAX_PAGE_GLYPHS:,} 个字符、{MAX_PAGE_RULES:,} 条线），"
            "不像是报告的页面，未读取"
        )
    if unrecognised:
        bounds.append(f"OCR 识别已达每个文件 {MAX_OCR_PAGES} 页（或图片）的上限，第{page_list(unrecognised)}页未识别")
    return pages, notes, bounds


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


# ============================================================================ text layer


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


def _dedupe(chars: list[Fragment], tolerance: float = DUPLICATE_GLYPH) -> list[Fragment]:
    """Drop "fake bold" duplicates: the same glyph drawn again within a point of itself.

    Same rule as pdfplumber's ``dedupe_chars`` (same text, positions within ``tolerance``),
    without its quadratic reordering.
    """
    # glyphs bucketed by text and a grid of ``tolerance`` squares: a duplicate lies in one of the
    # nine squares around a glyph, so a page of thousands of equal digits is not compared pairwise
    seen: dict[tuple[str, int, int], list[Fragment]] = {}
    out: list[Fragment] = []
    for char in chars:
        gx, gy = math.floor(char.x0 / tolerance), math.floor(char.top / tolerance)
        near = (seen.get((char.text, gx + dx, gy + dy), ()) for dx in (-1, 0, 1) for dy in (-1, 0, 1))
        if any(
            abs(o.x0 - char.x0) <= tolerance and abs(o.top - char.top) <= tolerance for bucket in near for o in bucket
        ):
            continue
        seen.setdefault((char.text, gx, gy), []).append(char)
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
        edge = _straight_segment(p, q)
        if edge is not None:
            self.edges.append(edge)

    def _thin_fill(self, points: list[tuple[float, float]]) -> None:
        """A filled rectangle thinner than ``thin_rule`` points is a rule drawn as a bar."""
        thin, shortest = TOLERANCES.thin_rule, TOLERANCES.min_edge
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        w, h = max(xs) - min(xs), max(ys) - min(ys)
        if h <= thin and w >= shortest and w > h:
            self.edges.append(Edge("h", (max(ys) + min(ys)) / 2, min(xs), max(xs)))
        elif w <= thin and h >= shortest and h > w:
            self.edges.append(Edge("v", (max(xs) + min(xs)) / 2, min(ys), max(ys)))


def _straight_segment(p: tuple[float, float], q: tuple[float, float]) -> Edge | None:
    """A horizontal or vertical piece of a stroked path long enough to be a rule, else None."""
    (x0, y0), (x1, y1) = p, q
    if abs(y1 - y0) <= FLAT and abs(x1 - x0) >= TOLERANCES.min_edge:
        return Edge("h", (y0 + y1) / 2, min(x0, x1), max(x0, x1))
    if abs(x1 - x0) <= FLAT and abs(y1 - y0) >= TOLERANCES.min_edge:
        return Edge("v", (x0 + x1) / 2, min(y0, y1), max(y0, y1))
    return None


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
    """pdfminer (through pdfplumber), the second text engine, opened only when needed.

    It parses the file itself, and on a file PDFium repaired it may raise anything (IndexError,
    struct.error, its own syntax errors …): then it is no second engine for that page
    (:meth:`page` is None) and the page keeps PDFium's text or goes to OCR.
    """

    def __init__(self, data: bytes) -> None:
        import pdfplumber

        try:
            self.pdf: Any = pdfplumber.open(io.BytesIO(data))
        except Exception:  # any failure of the second engine only loses it
            self.pdf = None

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()

    def page(self, index: int, number: int) -> PageContent | None:
        if self.pdf is None:
            return None
        try:
            return self._page(index, number)
        except Exception:  # as above: a damaged page the second engine cannot read
            return None

    def _page(self, index: int, number: int) -> PageContent:
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
            thin, shortest = TOLERANCES.thin_rule, TOLERANCES.min_edge
            if bottom - top <= thin and x1 - x0 >= shortest:
                out.append(Edge("h", (top + bottom) / 2, x0, x1))
            elif x1 - x0 <= thin and bottom - top >= shortest:
                out.append(Edge("v", (x0 + x1) / 2, top, bottom))
        return out
    if not stroked:
        return out
    points = obj.get("pts") or []
    for p, q in itertools.pairwise(points):
        edge = _straight_segment(p, q)
        if edge is not None:
            out.append(edge)
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
