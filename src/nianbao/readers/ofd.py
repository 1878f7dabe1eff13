"""OFD documents (GB/T 33190, the national fixed-layout format) to a :class:`Document`: the text layer.

An OFD is a ZIP package: ``OFD.xml`` names each document's ``Document.xml``, which lists its
pages; a page's ``Content.xml`` holds layers of text objects (``TextObject`` with ``TextCode``
runs: the text, where its first glyph stands, ``DeltaX`` the advances of the others) and path
objects (``PathObject`` with ``AbbreviatedData``: ``M``/``L`` moves and lines).  Like a PDF page,
each page becomes a :class:`~.layout.content.PageContent` (glyph boxes, the stroked horizontal
and vertical segments as rules) and :func:`~.layout.assembly.assemble` lays the pages out: the
same ruled and borderless tables, paragraphs and continued tables.

Units are millimetres, converted to points.  An object's ``CTM`` (scale and shift) is applied;
page templates, annotations and signatures carry no report text and are not read.  A page whose
text is glyph indices without a Unicode mapping reads as nothing: then the reader says the file
has no readable text layer and asks for a PDF.  The package is checked first
(:func:`~.package.check_package`) and every part is parsed by :func:`~.package.parse_xml`.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from typing import Any

import lxml.etree

from ..document import Document
from ..errors import InputError
from .layout.assembly import assemble
from .layout.content import Edge, Fragment, PageContent
from .limits import MAX_PAGE_GLYPHS, MAX_PAGE_RULES
from .package import check_package, parse_xml

LABEL = "OFD 文件"
MM = 72 / 25.4  # points per millimetre
FLAT = 0.2  # millimetres: a segment whose ends differ this little across is straight
ASCENT, DESCENT = 0.8, 0.2  # shares of the font size above and below the baseline
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_NO_TEXT = "OFD 文件中没有可读取的文字层（文字可能以字形编号保存或是扫描图像），请用 OFD 阅读器另存为 PDF 后再读取"


def read_ofd(data: bytes, source: str) -> Document:
    check_package(data, source, LABEL)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            pages, crowded = _pages(archive, source)
    except (KeyError, lxml.etree.XMLSyntaxError, zipfile.BadZipFile, ValueError, IndexError):
        raise InputError(f"{LABEL}已损坏或不完整，无法读取", source=source) from None
    if not any(page.fragments for page in pages):
        raise InputError(_NO_TEXT, source=source)
    document = assemble(pages, source, "ofd", ["OFD 文件（GB/T 33190）按其文字层读取"])
    if crowded:
        document.bounds.append(
            f"OFD 第{'、'.join(map(str, crowded))}页的文字或表格线过多（每页上限 {MAX_PAGE_GLYPHS:,} 个字符、"
            f"{MAX_PAGE_RULES:,} 条线），不像是报告的页面，未读取"
        )
    return document


def _pages(archive: zipfile.ZipFile, source: str) -> tuple[list[PageContent], list[int]]:
    root = parse_xml(archive.read("OFD.xml"))
    doc_root = _text(_first(root, "DocRoot"))
    if not doc_root:
        raise InputError(f"{LABEL}中没有文档（OFD.xml 未指明 DocRoot），无法读取", source=source)
    document_name = _member(doc_root, "")
    document = parse_xml(archive.read(document_name))
    base = posixpath.dirname(document_name)
    default_box = _box(_text(_first(document, "PhysicalBox")))
    pages: list[PageContent] = []
    crowded: list[int] = []
    for number, page in enumerate(_all(_first(document, "Pages"), "Page"), start=1):
        content = parse_xml(archive.read(_member(page.get("BaseLoc", ""), base)))
        box = _box(_text(_first(content, "PhysicalBox"))) or default_box or (0.0, 0.0, 210.0, 297.0)
        fragments, edges = _objects(content)
        width, height = box[2] * MM, box[3] * MM
        if len(fragments) > MAX_PAGE_GLYPHS or len(edges) > MAX_PAGE_RULES:
            crowded.append(number)
            fragments, edges = [], []
        pages.append(PageContent(number, width, height, fragments, edges))
    return pages, crowded


def _objects(page: Any) -> tuple[list[Fragment], list[Edge]]:
    fragments: list[Fragment] = []
    edges: list[Edge] = []
    for element in page.iter():
        name = _local(element)
        if name == "TextObject":
            fragments.extend(_text_object(element))
        elif name == "PathObject":
            edges.extend(_path_object(element))
    return fragments, edges


def _text_object(obj: Any) -> list[Fragment]:
    x0, y0, _w, _h = _box(obj.get("Boundary", "")) or (0.0, 0.0, 0.0, 0.0)
    size = _float(obj.get("Size"), 3.5)
    scale_x, scale_y, shift_x, shift_y = _ctm(obj.get("CTM"))
    out: list[Fragment] = []
    for code in _all(obj, "TextCode"):
        text = code.text or ""
        x = _float(code.get("X"), 0.0)
        y = _float(code.get("Y"), 0.0)
        advances = _deltas(code.get("DeltaX"), len(text) - 1)
        space = False  # a run's first glyph: the layout measures the gap before it
        for k, char in enumerate(text):
            if not char.strip():
                space = True
            else:
                gx = x0 + shift_x + x * scale_x
                gy = y0 + shift_y + y * scale_y
                glyph_size = size * abs(scale_y)
                advance = advances[k] * scale_x if k < len(advances) else glyph_size
                top, bottom = (gy - glyph_size * ASCENT) * MM, (gy + glyph_size * DESCENT) * MM
                out.append(
                    Fragment(char, gx * MM, top, (gx + max(advance, glyph_size * 0.5)) * MM, bottom, space_before=space)
                )
                space = False
            x += advances[k] if k < len(advances) else size
    return out


def _path_object(obj: Any) -> list[Edge]:
    if obj.get("Stroke", "true").lower() == "false":
        return []
    x0, y0, _w, _h = _box(obj.get("Boundary", "")) or (0.0, 0.0, 0.0, 0.0)
    scale_x, scale_y, shift_x, shift_y = _ctm(obj.get("CTM"))
    tokens = _text(_first(obj, "AbbreviatedData")).split()
    edges: list[Edge] = []
    position: tuple[float, float] | None = None
    start: tuple[float, float] | None = None
    k = 0
    while k < len(tokens):
        op = tokens[k]
        if op in ("M", "L") and k + 2 < len(tokens):
            point = (
                x0 + shift_x + _float(tokens[k + 1], 0.0) * scale_x,
                y0 + shift_y + _float(tokens[k + 2], 0.0) * scale_y,
            )
            if op == "L" and position is not None:
                edges.extend(_segment(position, point))
            else:
                start = point
            position = point
            k += 3
        elif op == "C" and position is not None and start is not None:
            edges.extend(_segment(position, start))
            position = start
            k += 1
        else:  # curves (B, Q, A) and anything unknown: no rule
            k += 1
    return edges


def _segment(p: tuple[float, float], q: tuple[float, float]) -> list[Edge]:
    (px, py), (qx, qy) = p, q
    if abs(py - qy) <= FLAT and abs(px - qx) > FLAT:
        return [Edge("h", (py + qy) / 2 * MM, min(px, qx) * MM, max(px, qx) * MM)]
    if abs(px - qx) <= FLAT and abs(py - qy) > FLAT:
        return [Edge("v", (px + qx) / 2 * MM, min(py, qy) * MM, max(py, qy) * MM)]
    return []


# ---------------------------------------------------------------------------- small parsers


def _deltas(value: str | None, count: int) -> list[float]:
    """``DeltaX``: advances, where ``g N d`` stands for N advances of d."""
    if not value:
        return []
    tokens = value.split()
    out: list[float] = []
    k = 0
    while k < len(tokens) and len(out) < max(count, 0):
        if tokens[k] == "g" and k + 2 < len(tokens):
            repeat = int(_float(tokens[k + 1], 0.0))
            out.extend([_float(tokens[k + 2], 0.0)] * min(max(repeat, 0), max(count, 0) - len(out)))
            k += 3
        else:
            out.append(_float(tokens[k], 0.0))
            k += 1
    return out


def _ctm(value: str | None) -> tuple[float, float, float, float]:
    """Scale and shift of an object's ``CTM`` ``a b c d e f`` (rotation and skew are not used)."""
    numbers = [float(n) for n in _NUMBER.findall(value or "")]
    if len(numbers) != 6:
        return 1.0, 1.0, 0.0, 0.0
    a, _b, _c, d, e, f = numbers
    return a or 1.0, d or 1.0, e, f


def _box(value: str) -> tuple[float, float, float, float] | None:
    numbers = [float(n) for n in _NUMBER.findall(value or "")]
    return (numbers[0], numbers[1], numbers[2], numbers[3]) if len(numbers) == 4 else None


def _float(value: str | None, default: float) -> float:
    match = _NUMBER.fullmatch((value or "").strip())
    return float(match.group()) if match else default


def _member(location: str, base: str) -> str:
    """A part's name in the package from a location in the document (absolute or relative)."""
    location = location.strip()
    path = location.lstrip("/") if location.startswith("/") else posixpath.join(base, location)
    return posixpath.normpath(path)


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _first(parent: Any, name: str) -> Any:
    return next((element for element in parent.iter() if _local(element) == name), None)


def _all(parent: Any, name: str) -> list[Any]:
    return [] if parent is None else [element for element in parent.iter() if _local(element) == name]


def _text(element: Any) -> str:
    return "" if element is None or element.text is None else element.text.strip()
