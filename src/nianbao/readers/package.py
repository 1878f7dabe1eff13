"""ZIP packages (DOCX, XLSX, ODT, OFD): checked before anything is inflated, their XML parsed safely.

:func:`check_package` refuses, from the ZIP directory and the first bytes of each XML member, what
would make a reader inflate gigabytes (ZIP bombs), fail inside :mod:`zipfile` (encrypted members,
compression methods Python cannot inflate) or open a file the document names: a ``DOCTYPE`` in a
member's prolog.  Office packages never carry one (OPC and ODF forbid DTDs), and libxml2 loads an
external subset or parameter entity from a local path even with DTD loading off, so a document
could make nianbao open (and hang on) a FIFO it names.  :func:`parse_xml` is the one XML parser
for package members: no DTD, no entities, no network, and a resolver that refuses every load.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
import zlib
from typing import Any

import lxml.etree

from ..errors import InputError
from .limits import MAX_MEMBERS, MAX_RATIO, MAX_UNCOMPRESSED, MAX_XML_MEMBER, RATIO_FLOOR

# the methods zipfile inflates; anything else (Deflate64, AES, zstd …) raises inside zipfile
_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA})
_ENCRYPTED = 0x1  # general purpose bit 0
_PROLOG_BYTES = 65_536  # a DOCTYPE stands before the root element, in the first bytes of a part
_XML_SUFFIXES = (".xml", ".rels")
_ELEMENT_START = re.compile(r"<[^?!]")
_DOCTYPE = re.compile(r"<!\s*doctype", re.IGNORECASE)


class _Refused(Exception):
    """Raised by the resolver: a member's XML asked to load something."""


class _RefuseAll(lxml.etree.Resolver):  # type: ignore[misc]
    def resolve(self, system_url: str, public_id: str, context: Any) -> Any:
        raise _Refused(system_url)


def check_package(data: bytes, source: str, label: str) -> list[zipfile.ZipInfo]:
    """The members of the ZIP package ``data``, or an :class:`InputError` naming ``label``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_directory(members, source, label)
            for member in members:
                if member.filename.endswith(_XML_SUFFIXES) and _declares_doctype(archive, member):
                    raise InputError(
                        f"{label}的部件 {member.filename} 含有文档类型声明（DOCTYPE），正常的文件不含此类声明，"
                        "为安全起见拒绝读取",
                        source=source,
                    )
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
        RuntimeError,
    ):
        raise InputError(f"{label}已损坏，无法打开（ZIP 结构不完整）", source=source) from None
    return members


def _check_directory(members: list[zipfile.ZipInfo], source: str, label: str) -> None:
    if len(members) > MAX_MEMBERS:
        raise InputError(f"文件可能是压缩炸弹（包含 {len(members)} 个部件），拒绝读取", source=source)
    if any(member.flag_bits & _ENCRYPTED for member in members):
        raise InputError(f"{label}已加密（压缩包设有密码），无法读取；请提供未加密的文件", source=source)
    unknown = sorted({member.compress_type for member in members} - _METHODS)
    if unknown:
        raise InputError(
            f"{label}使用了不支持的压缩方式（ZIP 方法 {unknown[0]}），无法读取；请用 Word、WPS 或 Excel 重新保存",
            source=source,
        )
    total = sum(member.file_size for member in members)
    compressed = sum(member.compress_size for member in members)
    worst = max(
        (member.file_size / max(member.compress_size, 1) for member in members if member.file_size > RATIO_FLOOR),
        default=0.0,
    )
    if total > MAX_UNCOMPRESSED or worst > MAX_RATIO:
        raise InputError(
            f"文件可能是压缩炸弹（{compressed / 1024 / 1024:.1f} MB 解压后为 {total / 1024 / 1024:.0f} MB，"
            f"压缩比 {worst:.0f}:1），拒绝读取",
            source=source,
        )
    largest_xml = max((m.file_size for m in members if m.filename.endswith(_XML_SUFFIXES)), default=0)
    if largest_xml > MAX_XML_MEMBER:
        raise InputError(
            f"{label}的正文部分过大（解压后 {largest_xml / 1024 / 1024:.1f} MB，上限 "
            f"{MAX_XML_MEMBER // 1024 // 1024} MB），拒绝读取",
            source=source,
        )


def _declares_doctype(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    with archive.open(member) as stream:
        head = stream.read(_PROLOG_BYTES)
    text = _head_text(head)
    start = _ELEMENT_START.search(text)
    prolog = text if start is None else text[: start.start()]
    return _DOCTYPE.search(prolog) is not None


def _head_text(head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif head[:2] == b"<\x00":
        encoding = "utf-16-le"
    elif head[:2] == b"\x00<":
        encoding = "utf-16-be"
    else:
        encoding = "utf-8"
    # the head may end inside a character; markup is ASCII, the rest does not matter
    return head.decode(encoding, "replace")


def parse_xml(data: bytes) -> Any:
    """A member's XML tree; :class:`lxml.etree.XMLSyntaxError` when it is damaged or asks to load
    anything (a DTD, an entity): the caller says the file is damaged."""
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, collect_ids=False)
    parser.resolvers.add(_RefuseAll())
    try:
        return lxml.etree.fromstring(data, parser)
    except _Refused as exc:
        raise lxml.etree.XMLSyntaxError(f"external reference refused: {exc}", 0, 0, 0) from None
