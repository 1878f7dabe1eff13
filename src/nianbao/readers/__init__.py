"""Readers: a file's bytes to a :class:`~nianbao.document.Document`.

:func:`read_path` and :func:`read_bytes` check size and emptiness, sniff the kind from the
content, and hand the bytes to the reader for that kind.  Every failure is an
:class:`~nianbao.errors.InputError` with one clear message.

The limits (input size, PDF pages, LibreOffice's time) come from the frozen
:class:`~nianbao.settings.Settings` passed in; a reader never looks at the environment.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..document import Document
from ..errors import InputError, UnsupportedFormatError, os_reason
from ..settings import DEFAULT_SETTINGS, Settings
from . import sniff as sniffing
from .decode import decode_text
from .limits import variable
from .text import read_text

_KIND_NAMES = {
    sniffing.PDF: "PDF 文件",
    sniffing.DOCX: "Word（DOCX）文件",
    sniffing.OLE: "Word 97–2003（.doc）或 WPS 文件",
    sniffing.IMAGE: "图片文件",
    sniffing.ZIP: "ZIP 压缩包",
    sniffing.ODF: "OpenDocument 电子表格或演示文稿（只支持 .odt 文字文档）",
    sniffing.PPTX: "PowerPoint（.pptx）演示文稿",
    sniffing.RTF: "RTF 文件",
    sniffing.HTML: "网页（HTML）文件",
}

_NOT_A_FILE = "这不是普通文件（而是设备、管道或套接字），无法读取"


def read_path(path: str | os.PathLike[str], settings: Settings = DEFAULT_SETTINGS) -> Document:
    return read_bytes(load_path(path, settings), str(Path(path)), settings)


def load_path(path: str | os.PathLike[str], settings: Settings = DEFAULT_SETTINGS) -> bytes:
    """A file's bytes, refused before reading when it is missing, not a regular file or too large.

    Only regular files are read: a FIFO would block until someone writes to it and a device
    such as ``/dev/zero`` never ends.  The read itself stops one byte past the limit, so a file
    that grows while it is read cannot exhaust memory either.
    """
    path = Path(path)
    name = str(path)
    try:
        info = path.stat()
    except OSError as exc:
        raise InputError(_unreadable(exc), source=name) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError("这是一个目录，不是文件", source=name)
    if not stat.S_ISREG(info.st_mode):
        raise InputError(_NOT_A_FILE, source=name)
    _check_size(info.st_size, name, settings)
    try:
        # O_NONBLOCK: should the path have been swapped for a FIFO since stat(), open() must not wait
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(descriptor, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise InputError(_NOT_A_FILE, source=name)
            data = stream.read(settings.max_input_bytes + 1)
    except OSError as exc:
        raise InputError(_unreadable(exc), source=name) from None
    _check_size(len(data), name, settings)
    return data


def _unreadable(exc: OSError) -> str:
    return "文件不存在" if isinstance(exc, FileNotFoundError) else f"无法读取文件（{os_reason(exc)}）"


def read_bytes(data: bytes, source: str, settings: Settings = DEFAULT_SETTINGS) -> Document:
    _check_size(len(data), source, settings)
    if not data.strip():
        raise InputError("文件是空的", source=source)
    kind = sniffing.sniff(data[:8192], data)
    # each reader is imported on first use (PDF and OCR bring heavy libraries)
    if kind == sniffing.TEXT:
        text, encoding = decode_text(data, source)
        return read_text(text, source, encoding)
    if kind == sniffing.HTML:
        from .html import read_html

        return read_html(data, source)
    if kind == sniffing.DOCX:
        from .docx import read_docx

        return read_docx(data, source)
    if kind == sniffing.XLSX:
        from .xlsx import read_xlsx

        return read_xlsx(data, source)
    if kind == sniffing.ODT:
        from .legacy import read_odt

        return read_odt(data, source, settings)
    if kind == sniffing.OFD:
        from .ofd import read_ofd

        return read_ofd(data, source)
    if kind == sniffing.OLE:
        from .legacy import read_legacy

        return read_legacy(data, source, settings)
    if kind == sniffing.PDF:
        from .pdf import read_pdf

        return read_pdf(data, source, settings)
    if kind == sniffing.IMAGE:
        from .ocr import read_image

        return read_image(data, source)
    raise UnsupportedFormatError(f"不支持读取{_KIND_NAMES.get(kind, kind)}", source=source)


def _check_size(size: int, source: str, settings: Settings) -> None:
    limit = settings.max_input_bytes
    if size > limit:
        raise InputError(
            f"文件过大（{size / 1024 / 1024:.1f} MB，上限 {limit / 1024 / 1024:.0f} MB，"
            f"可用环境变量 {variable('max_input_mb')} 调整）",
            source=source,
        )
