"""Settings, each read from an environment variable with a documented default.

Declared in one list so docs/configuration.md can be checked against it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str  # environment variable
    default: str
    help: str  # Chinese, for the user guide


SETTINGS = (
    Setting("NIANBAO_MAX_INPUT_MB", "32", "单个输入文件的大小上限（MB），超过即拒绝读取。"),
    Setting("NIANBAO_DEBUG", "", "设为 1 时，内部错误显示完整的 Python 回溯（仅供开发者排查）。"),
)
_DEFAULTS = {setting.name: setting.default for setting in SETTINGS}


def get(name: str) -> str:
    return os.environ.get(name, _DEFAULTS[name])


def max_input_bytes() -> int:
    raw = get("NIANBAO_MAX_INPUT_MB")
    try:
        megabytes = float(raw)
    except ValueError:
        megabytes = float(_DEFAULTS["NIANBAO_MAX_INPUT_MB"])
    return int(megabytes * 1024 * 1024)


def debug() -> bool:
    return get("NIANBAO_DEBUG") not in ("", "0")
