"""Tell a file's kind from its bytes, never from its name.

.doc and Kingsoft .wps are both OLE2 containers with a ``WordDocument`` stream; the ZIP
packages are told apart by their members: DOCX has ``word/document.xml``, XLSX
``xl/workbook.xml``, OpenDocument a ``mimetype`` member naming its kind (ODT: text), OFD (GB/T
33190) ``OFD.xml``; HTML is text that starts like markup.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import zipfile

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
XLSX, ODT, ODF, OFD, PPTX = "xlsx", "odt", "odf", "ofd", "pptx"  # ODF: another OpenDocument (a sheet …)
# a ZIP package's kind by a member only it has (checked in this order)
_PACKAGE_MEMBERS = (
    ("word/document.xml", DOCX),
    ("xl/workbook.xml", XLSX),
    ("OFD.xml", OFD),
    ("ppt/presentation.xml", PPTX),
)
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# what the member names in a damaged package's local headers still show of its kind
_DAMAGED_PREFIXES = ((b"xl/", XLSX), (b"OFD.xml", OFD), (b"ppt/", PPTX))
_LOCAL_HEADER = re.compile(rb"PK\x03\x04.{22}(..)..", re.DOTALL)


def sniff(head: bytes, data_for_zip: bytes | None = None) -> str:
    """The kind of a file from its first bytes (and, for ZIP, its member list)."""
    if head.startswith(b"%PDF-") or head[:1024].lstrip().startswith(b"%PDF-"):
        return PDF
    if head.startswith(OLE_MAGIC):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        kind = _package_kind(data_for_zip) if data_for_zip is not None else None
        if kind is not None:
            return kind
        # a damaged package still names its parts in the local headers: let its reader say it
        # is damaged rather than calling it an unknown archive
        start = data_for_zip[:1_000_000] if data_for_zip is not None else head
        if b"word/" in head or b"word/document.xml" in start:
            return DOCX
        names = _local_names(start)
        for prefix, kind in _DAMAGED_PREFIXES:
            if any(name.startswith(prefix) for name in names):
                return kind
        # ODF stores its mimetype first and uncompressed, so the bytes show it
        return ODT if _ODT_MIMETYPE in start[:200] else ZIP
    if head.startswith(b"{\\rtf"):
        return RTF
    for magic, _name in _IMAGE_MAGIC:
        if head.startswith(magic):
            return IMAGE
    if _HTML_START.match(_utf16_to_ascii(head[:4096])):
        return HTML
    return TEXT


def _package_kind(data: bytes) -> str | None:
    """The kind of a ZIP package by its members, or None (a damaged archive, another ZIP)."""
    import zipfile  # here: a text report does not need it (with shutil, bz2, lzma: ~10 ms cold)

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return package_kind(archive)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError, KeyError):
        return None


def package_kind(archive: zipfile.ZipFile) -> str | None:
    """The kind of an open ZIP by its members (DOCX, XLSX, ODT, OFD …), or None: an archive of
    files, which an import unpacks."""
    names = set(archive.namelist())
    for member, kind in _PACKAGE_MEMBERS:
        if member in names:
            return kind
    if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
        mimetype = archive.read("mimetype").strip()
        if mimetype.startswith(b"application/vnd.oasis.opendocument."):
            return ODT if mimetype == _ODT_MIMETYPE else ODF
    return None


def _local_names(data: bytes) -> list[bytes]:
    """The member names of the local file headers in ``data`` (a ZIP's start, maybe cut short)."""
    names = []
    for match in _LOCAL_HEADER.finditer(data):
        length = int.from_bytes(match.group(1), "little")
        names.append(data[match.end() : match.end() + length])
    return names


def _utf16_to_ascii(head: bytes) -> bytes:
    """HTML saved as UTF-16 still starts with '<'; drop the zero bytes to see it."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return head[2:].replace(b"\x00", b"")
    return head
