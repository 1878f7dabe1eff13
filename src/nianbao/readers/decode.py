"""Bytes to text for plain-text reports: UTF-8 (with or without BOM), UTF-16, GB18030/GBK.

Government files are mostly UTF-8 or GBK; GB18030 is a superset of GBK and GB2312.  A file that
decodes under none of them, or decodes to something that is not text, is refused with one
clear message rather than read as mojibake.
"""

from __future__ import annotations

import codecs
import re

from ..errors import EncodingError, InputError

# Three patterns for text that is not plain UTF-8 (GBK, UTF-16, a BOM), compiled on first use by
# re's own cache: most files are UTF-8 and never need them (compiling them is a millisecond cold).
_CONTROL_CHARS = r"\x00-\x08\x0e-\x1f\x7f"
# private-use and supplementary-plane characters: what binary bytes decode to under GB18030
_UNUSUAL_CHARS = r"\ue000-\uf8ff\U00010000-\U0010ffff"
_CONTROL = f"[{_CONTROL_CHARS}]"
_UNUSUAL = f"[{_UNUSUAL_CHARS}]"
# either of them: most text has none, and one scan tells
_SUSPECT = f"[{_CONTROL_CHARS}{_UNUSUAL_CHARS}]"
# the same characters in UTF-8, told from the bytes faster than the pattern scans the text: the
# bytes of the controls, the lead bytes of U+E000–U+EFFF and of the supplementary planes (one
# byte each, found in C by deleting every other byte), and U+F000–U+F8FF's two first bytes
_SUSPECT_UTF8_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F, 0xEE, *range(0xF0, 0xF5)])
_ORDINARY_UTF8_BYTES = bytes(sorted(set(range(256)) - set(_SUSPECT_UTF8_BYTES)))
_SUSPECT_UTF8_PAIR = re.compile(b"\xef[\x80-\xa3]")


_BINARY = "这是二进制文件，不是文本或可识别的文档格式"


def decode_text(data: bytes, source: str) -> tuple[str, str]:
    """Return (text, encoding name) or raise an :class:`InputError`."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", source), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", source), "utf-16"
    if b"\x00" in data:
        utf16 = _guess_utf16(data)
        if utf16:
            try:
                return _strict(data, utf16, source), utf16
            except EncodingError:
                pass  # only guessed from its zero bytes: a file that is not UTF-16 after all is binary
        raise InputError(_BINARY, source=source)
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if (encoding == "utf-8" and _ordinary_utf8(data)) or _plausible(text):
            return text, encoding
    raise EncodingError("无法识别文本编码（已尝试 UTF-8、UTF-16、GB18030/GBK），请另存为 UTF-8 后重试", source=source)


def _strict(data: bytes, encoding: str, source: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise EncodingError(f"文件声明为 {encoding} 编码，但第 {exc.start} 字节处无法解码", source=source) from exc
    text = text.lstrip("\ufeff")
    if not _plausible(text):
        raise InputError(_BINARY, source=source)
    return text


def _guess_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII characters (digits, line breaks) leave zero bytes on one side."""
    sample = data[:4096]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = max(1, len(sample) // 2)
    # some CJK code points have a zero byte too (一 is U+4E00), so compare the two sides
    if odd > half * 0.05 and odd > 4 * even:
        return "utf-16-le"
    if even > half * 0.05 and even > 4 * odd:
        return "utf-16-be"
    return None


def _ordinary_utf8(data: bytes) -> bool:
    """Valid UTF-8 without a character :func:`_plausible` looks closer at (then it is text)."""
    return not data.translate(None, _ORDINARY_UTF8_BYTES) and _SUSPECT_UTF8_PAIR.search(data) is None


def _plausible(text: str) -> bool:
    """Decoded text should be mostly printable; a binary file decoded by luck is not."""
    if not text:
        return True
    sample = text[:20000]
    if not re.search(_SUSPECT, sample):
        return True
    controls = len(re.findall(_CONTROL, sample))
    if controls > max(2, len(sample) // 200):
        return False
    # GB18030 decodes many byte soups; real Chinese text uses common CJK characters.
    unusual = len(re.findall(_UNUSUAL, sample))
    return unusual <= len(sample) // 100
