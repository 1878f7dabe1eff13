"""Settings, each read from an environment variable with a documented default.

Declared in one list so docs/configuration.md can be checked against it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str  # environment variable
    default: str
    help: str  # Chinese, for the user guide


SETTINGS = (
    Setting("NIANBAO_MAX_INPUT_MB", "32", "单个输入文件的大小上限（MB），超过即拒绝读取。"),
    Setting("NIANBAO_OCR_MIN_CONFIDENCE", "0.8", "扫描件 OCR 识别置信度低于此值（0–1）的数值，核查时提示人工核对。"),
    Setting("NIANBAO_SOFFICE_TIMEOUT", "60", "LibreOffice 转换 .doc/.wps 文件的时限（秒），超时即终止整个转换进程组。"),
    Setting("NIANBAO_MAX_PDF_PAGES", "100", "PDF 页数上限，超过即拒绝读取（在解析各页之前检查）。"),
    Setting("NIANBAO_DEBUG", "", "设为 1 时，内部错误显示完整的 Python 回溯（仅供开发者排查）。"),
    Setting(
        "NIANBAO_DATA_DIR",
        "./data",
        "数据目录：台账用的节假日覆盖表 calendar-overrides.csv 放在这里（相对路径从当前目录算起）。",
    ),
)
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


def debug() -> bool:
    return get("NIANBAO_DEBUG") not in ("", "0")


def ocr_min_confidence() -> float:
    return number("NIANBAO_OCR_MIN_CONFIDENCE")


def data_dir() -> Path:
    """The data directory (``NIANBAO_DATA_DIR``): the calendar override table lives there."""
    return Path(get("NIANBAO_DATA_DIR")).expanduser()
