"""PDF: the HTML page printed by WeasyPrint, checked for missing glyphs before it is written.

WeasyPrint draws a character no installed font covers as an empty box (``.notdef``) and, with
no CJK font at all, every Chinese character — with a warning in its log and no error.  A PDF
with holes must never be published, so two checks run on every PDF:

1. WeasyPrint's own warnings for ``.notdef`` glyphs are collected while it renders;
2. the text layer of the finished PDF (read with pypdfium2) must contain every CJK character of
   the report.

Either failing raises :class:`~nianbao.errors.RenderError` naming the characters and how to fix
it (``fonts-noto-cjk``; ``nianbao doctor`` checks the fonts).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import RenderError
from .html import render_html
from .view import ReportView

_NOTDEF = ".notdef glyph"
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
FONT_HINT = "请安装中文字体（Debian/Ubuntu：apt-get install fonts-noto-cjk），可用 nianbao doctor 检查"


class _MissingGlyphs(logging.Handler):
    """Collects the characters WeasyPrint reports as drawn with .notdef, in this thread only."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.characters: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread or not isinstance(record.msg, str) or _NOTDEF not in record.msg:
            return
        if record.args and isinstance(record.args, tuple) and isinstance(record.args[0], str):
            self.characters.append(record.args[0])


@contextmanager
def _watch_glyphs() -> Iterator[_MissingGlyphs]:
    handler = _MissingGlyphs()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def render_pdf(view: ReportView) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]  # imported on first use: loads Pango and fonts

    html = render_html(view)
    with _watch_glyphs() as watch:
        pdf: bytes = HTML(string=html).write_pdf()
    if watch.characters:
        raise RenderError(_missing_message(watch.characters))
    check_text_layer(pdf, view)
    return pdf


def check_text_layer(pdf: bytes, view: ReportView) -> None:
    """Every CJK character of the report must be in the PDF's text layer."""
    import pypdfium2

    from ..pdfium import PDFIUM

    with PDFIUM:
        document = pypdfium2.PdfDocument(pdf)
        try:
            printed = set()
            for page in document:
                printed.update(page.get_textpage().get_text_range())
        finally:
            document.close()
    missing = sorted(set(_CJK.findall(report_text(view))) - printed)
    if missing:
        raise RenderError(_missing_message(missing))


def report_text(view: ReportView) -> str:
    """All text the report prints: paragraphs and every table cell."""
    parts = [text for _style, text in view.text_blocks()]
    for grid in view.tables.values():
        parts += [cell.text for row in grid.rows for cell in row.cells]
    return "\n".join(parts)


def _missing_message(characters: list[str]) -> str:
    unique = list(dict.fromkeys(characters))
    shown = "、".join(f"“{char}”(U+{ord(char):04X})" for char in unique[:12])
    more = f"等{len(unique)}个字符" if len(unique) > 12 else ""
    return f"生成的 PDF 会缺少字形：{shown}{more}无法用已安装的字体显示，未写出 PDF；{FONT_HINT}"
