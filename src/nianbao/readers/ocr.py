"""Scans to a :class:`Document`: PNG/JPEG images, PDF pages without a text layer, and pictures
(tables pasted as screenshots) on PDF text pages.

A page image is read in five steps, and then laid out by the same code as a PDF text page
(:func:`.layout.assembly.assemble`), so tables, paragraphs, page numbers and tables continued
across pages are handled once:

1. **deskew** — the angle of the long ruling lines (or, without a table, of the text rows by a
   projection profile) is measured and the page rotated back;
2. **ruling lines** — OpenCV morphology (opening with long thin kernels) finds the horizontal
   and vertical rules; they become :class:`.layout.content.Edge` objects in points, and the
   lattice code (:mod:`.layout.lattice`) turns them into cells with row and column spans;
3. **text boxes** — rapidocr's detector on the page at half resolution (text boxes are large
   enough there, and detection costs a quarter); when the lines it finds run down the page, or
   a sample of them reads much better turned half round, the page is a scan turned on its side
   or upside down: it is turned and read again from step 1 (``PageContent.turned``; the layout
   moves the boxes back to the page as given and notes the turn);
4. **boxes to cells** — a box is cut at the rules of the cell it sits in, so two cells never
   share a box (that is how numbers of neighbouring cells get glued); ruling-line pixels are
   whitened before recognition (a rule beside a digit is read as ``1``); a cell with ink but
   no box is recognised from its ink;
5. **recognition** in batches of similar width (a digit is not padded to a 320-pixel line);
   a line outside the tables is cut into words at the spaces the recogniser emits, at the
   places it emitted them, so the columns of a borderless table can be found again.

Every recognised piece keeps its score (``Cell.confidence``, ``Paragraph.confidence``: the
lowest score of its text).  The reader does not judge the score against a threshold: extraction
decides, from the settings it is given, which numbers are too unsure to read.  Only one or two
characters of text at a very low score are dropped here (dirt, or a stroke of a neighbouring
glyph).  Locations are points of the deskewed page (at a few degrees of skew, within a few
points of the scan).

rapidocr runs with the models its wheel ships (PP-OCRv6 det/rec small, mobile cls), from
explicit paths, so it never tries to download anything.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from ..document import Document
from ..errors import InputError
from ..formats.labels import parse_value
from .layout.assembly import assemble
from .layout.content import Box, Edge, Fragment, PageContent
from .layout.geometry import TOLERANCES
from .layout.lattice import Lattice, edge_inside, find_lattices
from .limits import MAX_IMAGE_PIXELS, MAX_PAGE_ASPECT, MIN_PAGE_SIDE

DPI = 200  # PDF pages are rendered at this resolution
DETECT_LONG_SIDE = 1240  # the detector sees the page with this long side (≈ 100 dpi for A4)
MAX_PIXELS = 16_000_000  # a page is rendered with at most this many pixels (A2 at 200 dpi)
# one or two characters of text recognised with a lower score than this are dirt, not text
JUNK_MAX_CHARS = 2
JUNK_BELOW_SCORE = 0.5

MODEL_FILES = {
    "Det": "PP-OCRv6_det_small.onnx",
    "Rec": "PP-OCRv6_rec_small.onnx",
    "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}

_engine: Any = None


def model_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        return Path("rapidocr-not-installed")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def missing_models() -> list[str]:
    """Model files the OCR needs that are not installed (for ``doctor`` too)."""
    directory = model_dir()
    return [
        name
        for name in MODEL_FILES.values()
        if not (directory / name).is_file() or (directory / name).stat().st_size == 0
    ]


def engine(source: str | None = None) -> Any:
    """The rapidocr engine, created once per process."""
    global _engine
    if _engine is not None:
        return _engine
    missing = missing_models()
    if missing:
        raise InputError(f"OCR 模型缺失（{'、'.join(missing)}），请重新安装 rapidocr==3.10.0", source=source)
    try:
        from rapidocr import RapidOCR

        directory = model_dir()
        params: dict[str, Any] = {"Global.log_level": "error"}
        # explicit paths to the wheel's own default models: rapidocr then never downloads
        for task, name in MODEL_FILES.items():
            params[f"{task}.model_path"] = str(directory / name)
        ocr: Any = RapidOCR(params=params)
        ocr._load_det_model()
        ocr._load_rec_model()
    except Exception as exc:  # a damaged model file or runtime: one clear message
        raise InputError(
            f"OCR 模型无法加载（{type(exc).__name__}），请重新安装 rapidocr==3.10.0", source=source
        ) from None
    _engine = ocr
    return _engine


# ============================================================================ entry points


def read_image(data: bytes, source: str) -> Document:
    gray, dpi = _decode_image(data, source)
    page = ocr_image(gray, dpi, 1, source)
    if not page.fragments:
        raise InputError("图片中没有可识别的文字", source=source)
    return assemble([page], source, "ocr", [])


def ocr_pdf_page(page: Any, number: int, source: str) -> PageContent:
    """Render a PDF page (pypdfium2) at 200 dpi (less for a page larger than A2) and recognise it."""
    width, height = page.get_size()
    scale = min(DPI / 72, (MAX_PIXELS / max(width * height, 1.0)) ** 0.5)
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        image = np.array(bitmap.to_numpy(), copy=True)
    finally:
        bitmap.close()
    if image.ndim == 3:
        image = image[:, :, 0] if image.shape[2] == 1 else cv2.cvtColor(image[:, :, :3], cv2.COLOR_BGR2GRAY)
    return ocr_image(image, scale * 72, number, source)


def ocr_pdf_region(page: Any, number: int, box: Box, source: str) -> tuple[list[Fragment], list[Edge]]:
    """Recognise one region of a PDF page (a picture on a text page), in points of the page."""
    x0, top, x1, bottom = box
    width, height = page.get_size()  # as displayed (after /Rotate)
    scale = min(DPI / 72, (MAX_PIXELS / max((x1 - x0) * (bottom - top), 1.0)) ** 0.5)
    # pypdfium2 crops by the amount cut from each border (left, bottom, right, top)
    bitmap = page.render(scale=scale, grayscale=True, crop=(x0, height - bottom, width - x1, top))
    try:
        image = np.array(bitmap.to_numpy(), copy=True)
    finally:
        bitmap.close()
    if image.ndim == 3:
        image = image[:, :, 0]
    content = ocr_image(image, scale * 72, number, source, turnable=False)  # a picture is placed as it is
    fragments = [
        Fragment(f.text, f.x0 + x0, f.top + top, f.x1 + x0, f.bottom + top, score=f.score) for f in content.fragments
    ]
    edges = [edge.shifted(x0, top) for edge in content.edges]
    return fragments, edges


def _decode_image(data: bytes, source: str) -> tuple[np.ndarray, float]:
    from PIL import Image, UnidentifiedImageError

    try:
        # Pillow warns on stderr of large images and corrupt EXIF; the limits are checked here
        with warnings.catch_warnings(action="ignore"), Image.open(io.BytesIO(data)) as image:
            _check_image_size(*image.size, source)
            image.load()
            dpi_info = image.info.get("dpi")
            if image.mode in ("RGBA", "LA", "P"):
                background = Image.new("RGBA", image.size, (255, 255, 255, 255))
                background.alpha_composite(image.convert("RGBA"))
                image_l = background.convert("L")
            else:
                image_l = image.convert("L")
            gray = np.asarray(image_l, dtype=np.uint8).copy()
    except Image.DecompressionBombError:  # Pillow's own limit, met before ours when far past it
        raise InputError(
            f"图片过大（上限 {MAX_IMAGE_PIXELS // 1_000_000} 百万像素），拒绝读取", source=source
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        # SyntaxError, EOFError: what some Pillow plugins raise on a truncated or garbled header
        raise InputError("图片文件已损坏或格式不受支持，无法读取", source=source) from None
    height, width = gray.shape
    return gray, image_dpi(dpi_info, width, height)


def image_dpi(dpi_info: object, width: int, height: int) -> float:
    """The resolution a scan is read at (its boxes are in points at it): the one the file
    declares, else that of an A4 page (the short side is 210 mm)."""
    dpi = 0.0
    if isinstance(dpi_info, tuple) and dpi_info and isinstance(dpi_info[0], (int, float)):
        dpi = float(dpi_info[0])
    if not 50 <= dpi <= 1200:
        dpi = max(min(width, height) / (210 / 25.4), 50.0)
    return dpi


def _check_image_size(width: int, height: int, source: str) -> None:
    """Refuse, from the header alone, an image too large to decode or too thin to be a page."""
    if width * height > MAX_IMAGE_PIXELS:
        raise InputError(
            f"图片过大（{width}×{height} 像素，上限 {MAX_IMAGE_PIXELS // 1_000_000} 百万像素），拒绝读取", source=source
        )
    if min(width, height) < MIN_PAGE_SIDE or max(width, height) > MAX_PAGE_ASPECT * min(width, height):
        raise InputError(f"图片尺寸异常（{width}×{height} 像素），不像是文档的一页", source=source)


# ============================================================================ one page


@dataclass
class _Piece:
    """A region of the deskewed image to recognise (pixels), with the cell it belongs to."""

    x0: int
    y0: int
    x1: int
    y1: int
    vertical: bool = False  # a column of stacked characters: rotated before recognition
    in_table: bool = False
    ink: tuple[int, int, int, int] | None = None  # the text itself (detector boxes have a margin)


def ocr_image(gray: np.ndarray, dpi: float, number: int, source: str, *, turnable: bool = True) -> PageContent:
    """Recognise one page image.  ``turnable``: the page may be a scan turned a quarter or upside
    down (a whole page, not a picture placed on a page), and is then turned to be read."""
    height, width = gray.shape
    if min(height, width) < MIN_PAGE_SIDE or max(height, width) > MAX_PAGE_ASPECT * min(height, width):
        # a sliver (a PDF page or picture of next to no size) holds no text to recognise
        return PageContent(number, width * 72.0 / dpi, height * 72.0 / dpi, [], [], ocr=True)
    ocr = engine(source)
    if dpi > 260:  # fine scans cost time and gain nothing: work at 200 dpi
        scale = DPI / dpi
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        dpi = DPI
    to_pt = 72.0 / dpi
    height, width = gray.shape
    given = gray
    binary = _binarize(gray)
    angle = _skew_angle(binary, dpi)
    if abs(angle) >= 0.05:
        gray = _rotate(gray, angle)
        binary = _binarize(gray)
    rules, edges = _table_rules(binary, dpi, to_pt)
    lattices = [g for g in find_lattices(edges) if len(g.xs) > 2]

    clean = gray.copy()
    clean[rules > 0] = 255  # a rule next to a digit would be read as "1"
    ink = cv2.bitwise_and(binary, cv2.bitwise_not(rules))

    boxes = _detect(ocr, clean)
    turn = _turn_to_read(ocr, clean, boxes) if turnable else 0
    if turn:
        content = ocr_image(np.ascontiguousarray(np.rot90(given, -turn // 90)), dpi, number, source, turnable=False)
        content.turned = turn
        return content
    pieces = _place(boxes, lattices, ink, to_pt)
    crops = [_crop(clean, piece) for piece in pieces]
    results = _recognize(ocr, crops)

    fragments: list[Fragment] = []
    for piece, reading in zip(pieces, results, strict=True):
        words = [] if piece.in_table or piece.vertical else _words(reading, piece)
        left, top, right, bottom = piece.ink or (piece.x0, piece.y0, piece.x1, piece.y1)
        parts = words or [(reading.text, reading.score, left, right)]
        for raw_text, score, x0, x1 in parts:
            text = kept_text(raw_text, score)
            if text:
                box = (x0 * to_pt, top * to_pt, x1 * to_pt, bottom * to_pt)
                fragments.append(Fragment(text, *box, score=round(float(score), 3)))
    return PageContent(number, width * to_pt, height * to_pt, fragments, edges, ocr=True)


def kept_text(text: str, score: float) -> str:
    """What to pass on of a recognised piece: its text tidied, or nothing when it is one or two
    characters of text at a very low score (dirt, or a stroke of a neighbouring glyph).

    Numbers are always passed on with their score; whether a score is too low to read a number
    is for extraction to decide (``NIANBAO_OCR_MIN_CONFIDENCE``).
    """
    text = _tidy(text)
    if score < JUNK_BELOW_SCORE and len(text) <= JUNK_MAX_CHARS and parse_value(text).kind == "text":
        return ""
    return text


_SPACES = re.compile(r"\s+")


def _tidy(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


# ============================================================================ image geometry


def _binarize(gray: np.ndarray) -> np.ndarray:
    """Ink = 255.  Otsu, but never lighter than mid-grey (an almost empty page has no contrast)."""
    threshold, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    _, binary = cv2.threshold(gray, min(threshold, 200), 255, cv2.THRESH_BINARY_INV)
    return binary


def _skew_angle(binary: np.ndarray, dpi: float) -> float:
    """Page skew in degrees (positive: rows go down to the right)."""
    angle = _angle_from_rules(binary, dpi)
    return angle if angle is not None else _angle_from_profile(binary)


def _angle_from_rules(binary: np.ndarray, dpi: float) -> float | None:
    width = binary.shape[1]
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(int(dpi * 0.6), 40), 1))
    lines = cv2.morphologyEx(binary, cv2.MORPH_OPEN, kernel)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    angles: list[tuple[float, float]] = []
    for k in range(1, count):
        x, y, w, h, _ = stats[k]
        if w < width / 6 or h > w / 8:
            continue
        sub = labels[y : y + h, x : x + w] == k
        cols = np.nonzero(sub.any(axis=0))[0]
        left = cols[cols < cols[0] + w // 10]
        right = cols[cols > cols[-1] - w // 10]
        if len(left) == 0 or len(right) == 0:
            continue
        rows = np.arange(h)[:, None]
        y_left = float((sub[:, left] * rows).sum() / max(sub[:, left].sum(), 1))
        y_right = float((sub[:, right] * rows).sum() / max(sub[:, right].sum(), 1))
        dx = float(right.mean() - left.mean())
        if dx > 0:
            angles.append((math.degrees(math.atan2(y_right - y_left, dx)), float(w)))
    if len(angles) < 2:
        return None
    angles.sort()
    total = sum(weight for _, weight in angles)
    running = 0.0
    for value, weight in angles:  # weighted median
        running += weight
        if running >= total / 2:
            return value if abs(value) <= 5 else None
    return None


def _angle_from_profile(binary: np.ndarray) -> float:
    """The angle at which the rows of ink are sharpest (projection profile)."""
    width = binary.shape[1]
    scale = min(1.0, 800 / max(width, 1))
    small = cv2.resize(binary, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    if not small.any():
        return 0.0

    def sharpness(angle: float) -> float:
        rotated = _rotate(small, angle, border=0)
        profile = rotated.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(profile)).sum())

    best = max(np.arange(-3.0, 3.01, 0.25), key=sharpness)
    fine = max(np.arange(best - 0.25, best + 0.26, 0.05), key=sharpness)
    return float(fine)


def _rotate(image: np.ndarray, angle: float, border: int = 255) -> np.ndarray:
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=border)


def _table_rules(binary: np.ndarray, dpi: float, to_pt: float) -> tuple[np.ndarray, list[Edge]]:
    """Ruling lines of tables: the mask of their pixels (dilated) and their edges in points.

    Long thin runs of ink are found by opening with long kernels; strokes of large glyphs pass
    that test too (a title's 一 or 丨), so a run is kept only when it is part of a lattice: it
    touches at least two runs of the other direction, and the lattice it belongs to has
    rules across (nearly) its whole width and height.
    """
    mm = dpi / 25.4
    h_mask = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (int(6 * mm), 1)))
    v_mask = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, int(4.5 * mm))))
    runs: list[tuple[Edge, int, int]] = []  # edge, mask (0 = h, 1 = v), component label
    labels_of = []
    for which, mask in enumerate((h_mask, v_mask)):
        count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        labels_of.append(labels)
        for k in range(1, count):
            x, y, w, h, _ = (int(v) for v in stats[k])
            if which == 0 and h <= max(w // 20, 12):
                runs.append((Edge("h", (y + h / 2) * to_pt, x * to_pt, (x + w) * to_pt), 0, k))
            elif which == 1 and w <= max(h // 20, 12):
                runs.append((Edge("v", (x + w / 2) * to_pt, y * to_pt, (y + h) * to_pt), 1, k))
    kept = runs
    for _ in range(3):  # dropping a run can leave another with one neighbour only
        hs = [edge for edge, which, _ in kept if which == 0]
        vs = [edge for edge, which, _ in kept if which == 1]
        survivors = [run for run in kept if sum(_touch(run[0], other) for other in (vs if run[1] == 0 else hs)) >= 2]
        if len(survivors) == len(kept):
            break
        kept = survivors
    edges = [edge for edge, _, _ in kept]
    tables = [g for g in find_lattices(edges) if _is_table(g, edges)]
    keep_labels: list[set[int]] = [set(), set()]
    final: list[Edge] = []
    for edge, which, label in kept:
        if any(edge_inside(edge, table.bbox) for table in tables):
            keep_labels[which].add(label)
            final.append(edge)
    rules = np.zeros_like(binary)
    for which in (0, 1):
        if keep_labels[which]:
            rules[np.isin(labels_of[which], list(keep_labels[which]))] = 255
    rules = cv2.dilate(rules, np.ones((5, 5), np.uint8))
    return rules, final


def _touch(a: Edge, b: Edge) -> bool:
    return TOLERANCES.touches(a, b) if a.orientation == "h" else TOLERANCES.touches(b, a)


def _is_table(lattice: Lattice, edges: list[Edge]) -> bool:
    """A table, not a tangle of glyph strokes: rules across its width and down its height."""
    x0, y0, x1, y1 = lattice.bbox
    if x1 - x0 < 40 or y1 - y0 < 14:  # points: smaller than any table of the report
        return False
    inside = [e for e in edges if edge_inside(e, lattice.bbox)]
    across = sum(1 for e in inside if e.orientation == "h" and e.end - e.start >= 0.8 * (x1 - x0))
    down = sum(1 for e in inside if e.orientation == "v" and e.end - e.start >= 0.5 * (y1 - y0))
    return across >= 2 and down >= 2


# ============================================================================ text boxes


def _detect(ocr: Any, gray: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Text boxes (x0, y0, x1, y1) in pixels of ``gray``."""
    height, width = gray.shape
    scale = min(1.0, DETECT_LONG_SIDE / max(height, width))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    result = ocr(cv2.cvtColor(small, cv2.COLOR_GRAY2BGR), use_det=True, use_cls=False, use_rec=False)
    boxes = getattr(result, "boxes", None)
    if boxes is None or len(boxes) == 0:
        return []
    out = []
    for quad in np.asarray(boxes, dtype=np.float64):
        x0, y0 = quad.min(axis=0) / scale
        x1, y1 = quad.max(axis=0) / scale
        out.append((max(int(x0), 0), max(int(y0), 0), min(math.ceil(x1), width), min(math.ceil(y1), height)))
    return out


# ============================================================================ page orientation

LINE_ASPECT = 2.5  # a detector box this many times longer than thick is a line of text
SIDEWAYS_SHARE = 2.0  # lines running down this many times the length of those across: a page on its side
TURN_SAMPLE = 6  # lines recognised to tell which way up the page is
SAMPLE_ASPECT = 6  # of each, a piece of about six characters from its middle
UPRIGHT_SCORE = 0.9  # lines read as they are with this mean score: the page is the right way up
TURN_MARGIN = 0.2  # one way must read with a mean score better than the other by this much
MIN_TURN_LINES = 3  # fewer lines than this cannot show that a page is turned


def _turn_to_read(ocr: Any, gray: np.ndarray, boxes: list[tuple[int, int, int, int]]) -> int:
    """Degrees (clockwise: 0, 90, 180, 270) to turn the page by to read it.

    The detector finds lines of text whichever way up they are: when most of their length runs
    down the page, the page lies on its side.  Which way up is then told by the recogniser: a
    sample of lines is read as it is and turned half round (or, on a page on its side, a quarter
    either way), and the text is the way that reads with much the better score.  A page whose
    lines read well as they are is never turned; without enough lines to tell, neither (a
    column of characters stacked in a table's label reads badly both ways).
    """
    across = [b for b in boxes if b[2] - b[0] >= LINE_ASPECT * (b[3] - b[1])]
    down = [b for b in boxes if b[3] - b[1] >= LINE_ASPECT * (b[2] - b[0])]
    length_across = sum(b[2] - b[0] for b in across)
    length_down = sum(b[3] - b[1] for b in down)
    if len(down) >= MIN_TURN_LINES and length_down >= SIDEWAYS_SHARE * length_across:
        crops = _sample(gray, down, sideways=True)
        clockwise, counter = (_mean_score(ocr, crops, turn) for turn in (90, 270))
        if abs(clockwise - counter) < TURN_MARGIN:
            return 0
        return 90 if clockwise > counter else 270
    if len(across) < MIN_TURN_LINES:
        return 0
    crops = _sample(gray, across, sideways=False)
    upright = _mean_score(ocr, crops, 0)
    if upright >= UPRIGHT_SCORE:
        return 0
    return 180 if _mean_score(ocr, crops, 180) >= upright + TURN_MARGIN else 0


def _sample(gray: np.ndarray, lines: list[tuple[int, int, int, int]], sideways: bool) -> list[np.ndarray]:
    """The middle pieces of the longest lines (a long line costs time and tells no more)."""
    axis = 1 if sideways else 0
    longest = sorted(lines, key=lambda b: (-(b[axis + 2] - b[axis]), b))[:TURN_SAMPLE]
    crops = []
    for x0, y0, x1, y1 in longest:
        if sideways:
            half = min(y1 - y0, SAMPLE_ASPECT * (x1 - x0)) // 2
            middle = (y0 + y1) // 2
            crops.append(gray[middle - half : middle + half, x0:x1])
        else:
            half = min(x1 - x0, SAMPLE_ASPECT * (y1 - y0)) // 2
            middle = (x0 + x1) // 2
            crops.append(gray[y0:y1, middle - half : middle + half])
    return crops


def _mean_score(ocr: Any, crops: list[np.ndarray], turn: int) -> float:
    """The recogniser's mean score of the crops turned clockwise by ``turn`` degrees."""
    turned = [cv2.cvtColor(np.ascontiguousarray(np.rot90(crop, -turn // 90)), cv2.COLOR_GRAY2BGR) for crop in crops]
    return float(np.mean([reading.score for reading in _recognize(ocr, turned)]))


def _place(
    boxes: list[tuple[int, int, int, int]], lattices: list[Lattice], ink: np.ndarray, to_pt: float
) -> list[_Piece]:
    """Boxes outside tables as they are; inside a table, cut at the rules of each cell."""
    to_px = 1 / to_pt
    cells: list[tuple[int, int, int, int]] = []  # interiors of all table cells, pixels
    regions: list[tuple[int, int, int, int]] = []
    for lattice in lattices:
        gx0, gy0, gx1, gy1 = lattice.bbox
        regions.append((int(gx0 * to_px), int(gy0 * to_px), int(gx1 * to_px), int(gy1 * to_px)))
        for cell in lattice.cells:
            x0, y0, x1, y1 = cell.bbox
            cells.append((int(x0 * to_px) + 3, int(y0 * to_px) + 3, int(x1 * to_px) - 3, int(y1 * to_px) - 3))
    pieces: list[_Piece] = []
    covered = [False] * len(cells)
    inked: list[list[tuple[int, tuple[int, int, int, int]]]] = [[] for _ in cells]  # each cell's pieces and ink
    for x0, y0, x1, y1 in boxes:
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        if not any(rx0 <= cx <= rx1 and ry0 <= cy <= ry1 for rx0, ry0, rx1, ry1 in regions):
            tight = _ink_box(ink, x0, y0, x1, y1)
            pieces.append(_Piece(x0, y0, x1, y1, vertical=(y1 - y0) >= 1.5 * (x1 - x0), ink=tight))
            continue
        parts: list[tuple[int, tuple[int, int, int, int], int, bool]] = []
        for k, (cx0, cy0, cx1, cy1) in enumerate(cells):
            # the part of the box inside this cell, if it holds the box's vertical centre
            if not (cy0 <= cy <= cy1) or x1 <= cx0 or x0 >= cx1:
                continue
            px0, px1 = max(x0, cx0), min(x1, cx1)
            py0, py1 = max(y0, cy0), min(y1, cy1)
            tight = _ink_box(ink, px0, py0, px1, py1)
            if tight is None:
                continue
            mass = int(np.count_nonzero(ink[tight[1] : tight[3], tight[0] : tight[2]]))
            # ink running into the rule where the box was cut: a glyph that overflows its cell
            spill = (x0 < cx0 and tight[0] <= cx0 + 2) or (x1 > cx1 and tight[2] >= cx1 - 2)
            parts.append((k, tight, mass, spill))
        largest = max((mass for _, _, mass, _ in parts), default=0)
        for k, (tx0, ty0, tx1, ty1), mass, spill in parts:
            if spill and mass < 0.3 * largest and (tx1 - tx0) < 0.5 * (ty1 - ty0):
                continue  # a sliver of a neighbour's glyph, not text of this cell
            cx0, cy0, cx1, cy1 = cells[k]
            covered[k] = True
            inked[k].append((len(pieces), (tx0, ty0, tx1, ty1)))
            piece = _Piece(max(tx0 - 4, cx0), max(ty0 - 4, cy0), min(tx1 + 4, cx1), min(ty1 + 4, cy1), in_table=True)
            piece.vertical = (piece.y1 - piece.y0) >= 1.5 * (piece.x1 - piece.x0) and (ty1 - ty0) > 2.2 * (tx1 - tx0)
            pieces.append(piece)
    # two detector boxes over one glyph (one of them cut inside it) would read it twice, "0" as "00"
    doubled = {i for boxes_of_cell in inked for i, ink_box in boxes_of_cell if _doubled(i, ink_box, boxes_of_cell)}
    pieces = [piece for i, piece in enumerate(pieces) if i not in doubled]
    # cells with ink the detector missed (a lone digit is easy to miss)
    for k, (cx0, cy0, cx1, cy1) in enumerate(cells):
        if covered[k] or cx1 - cx0 < 4 or cy1 - cy0 < 4:
            continue
        tight = _ink_box(ink, cx0, cy0, cx1, cy1, min_ink=25)
        if tight is None:
            continue
        tx0, ty0, tx1, ty1 = tight
        pieces.append(_Piece(max(tx0 - 4, cx0), max(ty0 - 4, cy0), min(tx1 + 4, cx1), min(ty1 + 4, cy1), in_table=True))
    return pieces


def _doubled(index: int, box: tuple[int, int, int, int], others: list[tuple[int, tuple[int, int, int, int]]]) -> bool:
    """The ink of piece ``index`` lies (four fifths of it) within the larger ink of another piece
    of its cell (of two alike, the later one is the double)."""
    area = _area(box)
    for other_index, other in others:
        if other_index == index or (_area(other), -other_index) < (area, -index):
            continue
        width = min(box[2], other[2]) - max(box[0], other[0])
        height = min(box[3], other[3]) - max(box[1], other[1])
        if width > 0 and height > 0 and width * height >= 0.8 * area:
            return True
    return False


def _area(box: tuple[int, int, int, int]) -> int:
    return (box[2] - box[0]) * (box[3] - box[1])


def _ink_box(ink: np.ndarray, x0: int, y0: int, x1: int, y1: int, min_ink: int = 8) -> tuple[int, int, int, int] | None:
    """The box around the ink inside a region, ignoring specks."""
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    region = ink[y0:y1, x0:x1]
    if int(np.count_nonzero(region)) < min_ink:
        return None
    count, _, stats, _ = cv2.connectedComponentsWithStats(region, connectivity=8)
    keep = [k for k in range(1, count) if stats[k][4] >= 6]
    if not keep or sum(int(stats[k][4]) for k in keep) < min_ink:
        return None
    left = min(int(stats[k][0]) for k in keep)
    top = min(int(stats[k][1]) for k in keep)
    right = max(int(stats[k][0] + stats[k][2]) for k in keep)
    bottom = max(int(stats[k][1] + stats[k][3]) for k in keep)
    return x0 + left, y0 + top, x0 + right, y0 + bottom


def _crop(gray: np.ndarray, piece: _Piece) -> np.ndarray:
    crop = gray[piece.y0 : piece.y1, piece.x0 : piece.x1]
    if piece.vertical:
        crop = np.rot90(crop)  # stacked characters read top to bottom, as a line
    return cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_GRAY2BGR)


# ============================================================================ recognition

_REC_HEIGHT = 48
_MIN_RATIO = 3.0  # narrower crops are padded to 144 px: the model is unsure of a lone digit without room
_BATCH = 16
_BATCH_COLUMNS = 4096  # padded width per batch: bounds the memory of one inference
_SIMILAR = 1.3  # a batch's widest crop is at most this much wider than its narrowest


@dataclass
class _Reading:
    text: str
    score: float  # mean probability of the emitted characters (as rapidocr computes it)
    chars: list[tuple[str, float, float]]  # character, probability, centre as a share of the crop width


def _recognize(ocr: Any, crops: list[np.ndarray]) -> list[_Reading]:
    """Recognise crops in batches of similar width.

    rapidocr pads every crop to at least 320 pixels and a batch to its widest member; a table is
    mostly short numbers, so here short crops are padded to 144 pixels only, and a batch holds
    crops of similar width (the recogniser's cost grows with the padded width).
    """
    recognizer = ocr.text_rec
    alphabet: list[str] = recognizer.postprocess_op.character
    results = [_Reading("", 0.0, [])] * len(crops)
    valid = [k for k, crop in enumerate(crops) if crop.shape[0] >= 4 and crop.shape[1] >= 4]
    ratios = {k: max(crops[k].shape[1] / crops[k].shape[0], _MIN_RATIO) for k in valid}
    order = sorted(valid, key=ratios.__getitem__)
    start = 0
    while start < len(order):
        end = start + 1
        while (
            end < len(order)
            and end - start < _BATCH
            and ratios[order[end]] <= _SIMILAR * ratios[order[start]]
            and (end - start + 1) * ratios[order[end]] * _REC_HEIGHT <= _BATCH_COLUMNS
        ):
            end += 1
        batch = order[start:end]
        start = end
        width = int(math.ceil(_REC_HEIGHT * ratios[batch[-1]] / 8) * 8)
        predictions = recognizer.session(np.stack([_normalize(crops[k], width) for k in batch]))
        for k, prediction in zip(batch, predictions, strict=True):
            used = min(width, math.ceil(_REC_HEIGHT * crops[k].shape[1] / crops[k].shape[0]))
            results[k] = _decode(prediction, alphabet, width / prediction.shape[0], used)
    return results


def _decode(prediction: np.ndarray, alphabet: list[str], stride: float, used: int) -> _Reading:
    """Greedy CTC decoding (as rapidocr's), keeping where each character was emitted."""
    indices = prediction.argmax(axis=1)
    probabilities = prediction.max(axis=1)
    chars: list[tuple[str, float, float]] = []
    previous = 0
    for step, (index, probability) in enumerate(zip(indices.tolist(), probabilities.tolist(), strict=True)):
        if index != 0 and index != previous:
            chars.append((alphabet[index], float(probability), min((step + 0.5) * stride / used, 1.0)))
        previous = index
    if not chars:
        return _Reading("", 0.0, [])
    score = round(float(np.mean([p for _, p, _ in chars])), 5)
    return _Reading("".join(c for c, _, _ in chars), score, chars)


def _words(reading: _Reading, piece: _Piece) -> list[tuple[str, float, int, int]]:
    """A line read outside tables, cut at its spaces: (text, score, x0, x1) per word.

    The detector joins a row of a borderless table into one box ("规章  3  0  12"); its words
    and their places let the layout find the columns again.
    """
    words: list[list[tuple[str, float, float]]] = [[]]
    for char in reading.chars:
        if char[0] == " ":
            if words[-1]:
                words.append([])
        else:
            words[-1].append(char)
    words = [word for word in words if word]
    if len(words) < 2:
        return []
    width = piece.x1 - piece.x0
    glyph = (piece.ink[3] - piece.ink[1]) if piece.ink else (piece.y1 - piece.y0) * 0.7
    half = glyph * 0.5 / max(width, 1)  # half a glyph, as a share of the width
    out = []
    for word in words:
        x0 = piece.x0 + max(word[0][2] - half, 0.0) * width
        x1 = piece.x0 + min(word[-1][2] + half, 1.0) * width
        score = round(float(np.mean([p for _, p, _ in word])), 5)
        out.append(("".join(c for c, _, _ in word), score, int(x0), math.ceil(x1)))
    return out


def _normalize(crop: np.ndarray, width: int) -> np.ndarray:
    height, w = crop.shape[:2]
    resized_w = min(width, math.ceil(_REC_HEIGHT * w / height))
    resized = cv2.resize(crop, (max(resized_w, 1), _REC_HEIGHT)).astype(np.float32)
    resized = resized.transpose((2, 0, 1)) / 255.0
    resized = (resized - 0.5) / 0.5
    out = np.zeros((3, _REC_HEIGHT, width), dtype=np.float32)
    out[:, :, : resized.shape[2]] = resized
    return out
