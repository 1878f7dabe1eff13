"""Label and value normalisation: the one place that decides when two printed labels are the same.

Published reports print the standard labels with every kind of noise: full- or half-width
punctuation, spaces and line breaks inside a cell, headers stacked one character per line,
``1.``/``1．``/``1、`` numbering, ``、``/``，`` in the same label, curly or straight quotes,
and artifacts left by converters such as ``[bookmark: _GoBack]``.  Everything that compares
labels goes through :func:`label_key`.
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal, TypeVar

# Converter artifacts that carry no content.
_ARTIFACTS = re.compile(r"\[bookmark:[^\]]*\]|\[anchor:[^\]]*\]|[\u200b\u200c\u200d\u2060\ufeff]")
_WHITESPACE = re.compile(r"\s+")
# "1、" "1，" "1．" (after NFKC "1." already) → "1."
_ARABIC_ITEM = re.compile(r"(?<![\d.])(\d{1,2})[、,.](?!\d)")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "「": '"', "」": '"'})


def strip_artifacts(text: str) -> str:
    """Remove converter artifacts (bookmarks, zero-width characters) but keep layout."""
    return _ARTIFACTS.sub("", text)


@lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """The comparison key of a printed label.

    NFKC folds full-width brackets, digits, colons and commas to ASCII; all whitespace
    (including line breaks of stacked headers) is dropped; item numbering and the
    enumeration comma are unified; quotes are made straight.
    """
    text = unicodedata.normalize("NFKC", strip_artifacts(text))
    text = _WHITESPACE.sub("", text)
    text = text.translate(_QUOTES)
    text = _ARABIC_ITEM.sub(r"\1.", text)
    return text.replace("、", ",")


# ---------------------------------------------------------------------------------------------
# Misprints: a known label printed with a character inserted, dropped or changed

T = TypeVar("T")

# Below this many characters one character makes another word (总计, 其他, 规章): exact only.
_MISPRINT_MIN_CHARS = 4
# From this many characters two misprinted characters still leave the label unmistakable.
_MISPRINT_TWO_CHARS = 12


def misprint_allowance(key: str) -> int:
    """How many characters a printed label may differ from the known label ``key`` (each one
    inserted, dropped or changed) and still be taken for it."""
    if len(key) < _MISPRINT_MIN_CHARS:
        return 0
    return 1 if len(key) < _MISPRINT_TWO_CHARS else 2


def edit_distance(printed: str, known: str, limit: int) -> int:
    """How many characters (inserted, dropped or changed) the two keys differ by; any
    distance over ``limit`` is given as ``limit + 1``."""
    if abs(len(printed) - len(known)) > limit:
        return limit + 1
    if printed == known:
        return 0
    # what the two share at either end costs nothing
    start = 0
    while start < len(printed) and start < len(known) and printed[start] == known[start]:
        start += 1
    end = 0
    while end < len(printed) - start and end < len(known) - start and printed[-1 - end] == known[-1 - end]:
        end += 1
    a, b = printed[start : len(printed) - end], known[start : len(known) - end]
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, start=1):
        current = [i]
        for j, other in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return min(previous[-1], limit + 1)


def within_edits(printed: str, known: str, limit: int) -> bool:
    """The two keys differ by at most ``limit`` inserted, dropped or changed characters."""
    return edit_distance(printed, known, limit) <= limit


def misprint_of(printed: str, known: Mapping[str, T]) -> T | None:
    """What the printed key is a misprint of: the one owner (a section, a label) of the known
    keys it is within :func:`misprint_allowance` of.  None when it is itself a known key, when
    nothing fits, or when keys of two owners fit — a misprint is only read where it cannot be
    taken for anything else."""
    if printed in known or len(printed) < _MISPRINT_MIN_CHARS - 1:
        return None
    owners = {owner for key, owner in known.items() if within_edits(printed, key, misprint_allowance(key))}
    return owners.pop() if len(owners) == 1 else None


# room after the longest window for what label_key drops (spaces, artifacts)
_WINDOW_SLACK = 8


def misprint_at(text: str, start: int, known: Mapping[str, T]) -> tuple[T, int] | None:
    """A misprint of a known label printed at ``start`` of a longer text, such as a page
    flattened to one line: the owner of the closest known key it fits and the offset where the
    misprinted label ends.  None where nothing fits, where the text there prints a known key
    itself, or where keys of two owners fit (the caller still asks :func:`misprint_of` whether
    the label found can be taken for anything else)."""
    if not known:
        return None
    head = label_key(text[start : start + max(map(len, known)) + 2 + _WINDOW_SLACK])
    best: tuple[int, int, int] | None = None  # (distance, length difference, -length): the longest of the closest
    owners = set()
    for key, owner in known.items():
        limit = misprint_allowance(key)
        # within `limit` edits one of the key's first limit + 1 characters is printed early on
        if not limit or not set(key[: limit + 1]) & set(head[: 2 * limit + 1]):
            continue
        for length in range(len(key) - limit, min(len(key) + limit, len(head)) + 1):
            window = head[:length]
            if window in known:
                return None
            distance = edit_distance(window, key, limit)
            if distance <= limit:
                owners.add(owner)
                fit = (distance, abs(length - len(key)), -length)
                best = fit if best is None or fit < best else best
    if best is None or len(owners) != 1:
        return None
    matched = head[: -best[2]]
    for end in range(start + len(matched), min(len(text), start + len(matched) + _WINDOW_SLACK) + 1):
        if label_key(text[start:end]) == matched:
            return owners.pop(), end
    return None


def clean_text(text: str) -> str:
    """Display form of a cell or paragraph: artifacts removed, inner line breaks joined."""
    if "\n" not in text and "[" not in text and text.isprintable():
        return text.strip()
    text = strip_artifacts(text)
    lines = [line.strip() for line in text.splitlines()]
    return (
        "".join(line for line in lines if line) if _looks_stacked(lines) else " ".join(line for line in lines if line)
    )


def _looks_stacked(lines: list[str]) -> bool:
    """True for cells printed a few characters per line (结/果/维/持, 商业/企业)."""
    parts = [line for line in lines if line]
    return len(parts) > 1 and all(len(part) <= 4 for part in parts)


# ---------------------------------------------------------------------------------------------
# Values

# What agencies print in a numeric cell that means "nothing here".
BLANK_MARKS = frozenset({"", "/", "-", "—", "——", "–", "－", "无", "\\", "／", "─"})
_UNITS = ("万元", "元", "件", "条", "个", "项", "次", "笔", "家")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
# A number must fit a float (the rules add cells as floats): at most the largest float's 309
# digits before the point, and no larger than it.  Past that, int() raises (Python's 4,300-digit
# limit) or float() overflows, so such a run is text and its cell unreadable, never a number; no
# report prints one, nor can a glued run that long be cut into a row.
MAX_NUMBER_DIGITS = 309


PrintedKind = Literal["value", "blank", "text"]


@dataclass(frozen=True)
class ParsedValue:
    """A cell's printed text read as a number.

    ``kind`` is ``value`` (``number`` set), ``blank`` (nothing or a dash printed) or
    ``text`` (something that is not a number: the cell is unreadable).
    """

    kind: PrintedKind
    number: int | float | None = None


@lru_cache(maxsize=8192)
def parse_value(raw: str) -> ParsedValue:
    text = unicodedata.normalize("NFKC", strip_artifacts(raw))
    text = _WHITESPACE.sub("", text)
    if text in BLANK_MARKS:
        return ParsedValue("blank")
    for unit in _UNITS:
        if text.endswith(unit) and len(text) > len(unit):
            text = text[: -len(unit)]
            break
    if "," in text and re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", text):
        text = text.replace(",", "")
    if not _NUMBER.fullmatch(text) or len(text.split(".")[0].lstrip("+-")) > MAX_NUMBER_DIGITS:
        return ParsedValue("text")
    if "." in text:
        try:
            number = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
            return ParsedValue("text")
        value = float(number)
        return ParsedValue("text") if math.isinf(value) else ParsedValue("value", value)
    whole = int(text)
    return ParsedValue("text") if abs(whole) > sys.float_info.max else ParsedValue("value", whole)


def format_number(value: int | float | Decimal | None) -> str:
    """How a number is printed, the inverse of :func:`parse_value`: a whole number without a
    decimal point (``3.0`` → ``3``), any other number in plain decimals, never with an exponent
    (``1e-05`` → ``0.00001``) and without separators; ``None`` (no value) as ``""``.

    A float prints its shortest round-trip form, so a value read from ``12.5`` prints ``12.5``;
    sums meant for messages are best added as :class:`~decimal.Decimal` so that 0.1 + 0.2
    prints ``0.3``.
    """
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # exact, also where repr() would switch to an exponent
    number = Decimal(repr(value)) if isinstance(value, float) else value
    if not number.is_finite():
        raise ValueError(f"not a printable number: {value!r}")
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def is_value_like(raw: str) -> bool:
    """A token that can stand in a numeric cell: a number or a blank mark."""
    return parse_value(raw).kind != "text"


# ---------------------------------------------------------------------------------------------
# Chinese numerals used in headings and dates

CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "О": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}


def cn_number(text: str) -> int | None:
    """Value of a small Chinese numeral (一 … 九十九) or of Arabic digits; None otherwise."""
    text = unicodedata.normalize("NFKC", text)
    if text.isdigit():
        return int(text) if len(text) <= MAX_NUMBER_DIGITS else None
    if not text or any(ch not in CN_DIGITS for ch in text):
        return None
    if "十" not in text:
        if len(text) == 1:
            return CN_DIGITS[text]
        # digit by digit, as in 二〇二四
        value = 0
        for ch in text:
            value = value * 10 + CN_DIGITS[ch]
        return value
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)
