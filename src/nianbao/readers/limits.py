"""The environment variable behind a setting, for error messages that say what to change.

The readers never read the environment; they take their limits from the frozen
:class:`~nianbao.settings.Settings` they are given, and name its variable when a limit stops them.
"""

from __future__ import annotations

from ..settings import SETTINGS


def variable(field: str) -> str:
    """The environment variable of the :class:`Settings` field ``field``."""
    return next(setting.name for setting in SETTINGS if setting.field == field)


# ---------------------------------------------------------------------------- fixed limits
# Bounds on what one input may make a reader do, each declared once.  They are not settings:
# no real report comes near them, and they keep a hostile or broken file from costing more
# time or memory than a large real one.

# ZIP packages (DOCX, XLSX, ODT, OFD), checked from the directory before anything is inflated
MAX_UNCOMPRESSED = 128 * 1024 * 1024  # all members together (python-docx loads every part)
MAX_XML_MEMBER = 12 * 1024 * 1024  # one XML part: its tree and cells take ~15 times this in memory
MAX_MEMBERS = 10_000
MAX_RATIO = 200  # deflate reaches ~1000:1 on zeros; Office XML stays far below 100:1
RATIO_FLOOR = 1024 * 1024  # small members may compress as well as they like

# images and rendered pages (OCR)
MAX_IMAGE_PIXELS = 80_000_000  # an A3 scan at 600 dpi is 70 million; checked from the header
MIN_PAGE_SIDE = 32  # pixels: a thinner image or page holds no line of text
MAX_PAGE_ASPECT = 40  # a long screenshot is 1:10; 1×20000 is no page

# PDF: a stream inflating past this is refused before PDFium inflates it whole (a 600 dpi A4
# colour scan stored with deflate is about 105 MB)
MAX_PDF_STREAM = 256 * 1024 * 1024

# work per page and per file; past a bound a page is not read, and a warning says so
MAX_PAGE_GLYPHS = 20_000  # a page of 5-point text has ~17,000; a report page has under 3,000
MAX_PAGE_RULES = 5_000  # ruling segments on a page (a report's table 3 has about 300)
MAX_OCR_PAGES = 30  # pages (or pictures of tables) recognised by OCR in one file, a few seconds each

# XLSX: cells under merged ranges in a sheet, counted in the XML before openpyxl loads it (it
# makes every covered cell: a million took it 8 s); a report's tables have a few hundred
MAX_MERGED_CELLS = 100_000
