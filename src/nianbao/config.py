"""Transitional: the environment reads that readers, extract and rules still make.

Settings are declared and resolved in :mod:`nianbao.settings` (docs/configuration.md); these
functions go with the last of their callers, once those take a ``Settings``.
"""

from __future__ import annotations

import os

from .settings import SETTINGS

_DEFAULTS = {setting.name: setting.default for setting in SETTINGS}


def get(name: str) -> str:
    return os.environ.get(name, _DEFAULTS[name])


def number(name: str) -> float:
    """A positive numeric setting; a value that is not a positive number means the default."""
    try:
        value = float(get(name))
    except ValueError:
        value = 0
    return value if value > 0 else float(_DEFAULTS[name])


def max_input_bytes() -> int:
    return int(number("NIANBAO_MAX_INPUT_MB") * 1024 * 1024)


def ocr_min_confidence() -> float:
    return number("NIANBAO_OCR_MIN_CONFIDENCE")
