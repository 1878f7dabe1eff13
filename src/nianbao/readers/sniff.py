"""Tell a file's kind from its bytes, never from its name.

.doc and Kingsoft .wps are both OLE2 containers with a ``WordDocument`` stream; DOCX is a ZIP
with ``word/document.xml``; HTML is text that starts like markup.
"""

from __future__ import annotations

import io
import re

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"BM", "bmp"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)
_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|table|div|p|span|article|section|title|h[1-6])\b",
    re.IGNORECASE | re.DOTALL,
)

TEXT, HTML, DOCX, OLE, PDF, IMAGE, ZIP, RTF = "text", "html", "docx", "ole", "pdf", "image", "zip", "rtf"


def sniff(head: bytes, data_for_zip: bytes | None = None) -> str:
    """The kind of a file from its first bytes (and, for ZIP, its member list)."""
    if head.startswith(b"%PDF-") or head[:1024].lstrip().startswith(b"%PDF-"):
        return PDF
    if head.startswith(OLE_MAGIC):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        if data_for_zip is not None and _is_docx(data_for_zip):
            return DOCX
        # a damaged Word file still names its parts in the local headers: let the DOCX reader
        # say it is damaged rather than calling it an unknown archive
        if b"word/" in head or (data_for_zip is not None and b"word/document.xml" in data_for_zip[:1_000_000]):
            return DOCX
        return ZIP
    if head.startswith(b"{\\rtf"):
        return RTF
    for magic, _name in _IMAGE_MAGIC:
        if head.startswith(magic):
            return IMAGE
    if _HTML_START.match(_utf16_to_ascii(head[:4096])):
        return HTML
    return TEXT


def _is_docx(data: bytes) -> bool:
    import zipfile  # here: a text report does not need it (with shutil, bz2, lzma: ~10 ms cold)

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _utf16_to_ascii(head: bytes) -> bytes:
    """HTML saved as UTF-16 still starts with '<'; drop the zero bytes to see it."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return head[2:].replace(b"\x00", b"")
    return head
