"""Settings: declared once, resolved once, passed down frozen.

Each setting is read from an environment variable with a documented default, but only by the
outer layers (``nianbao.cli``, later the web app and the worker): they call :func:`resolve` with
their environment once and hand the frozen :class:`Settings` to the core.  The core never reads
the environment, so a worker on another machine gives the same answer for the same settings.
An invalid value stops with one clear line (:class:`~nianbao.errors.SettingsError`) instead of
silently becoming the default.

``SETTINGS`` is the one list of them; docs/configuration.md is checked against it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import SettingsError

APP_NAME = "nianbao"


def default_home(environ: Mapping[str, str] | None = None) -> Path:
    """The user's data directory for nianbao: ``$XDG_DATA_HOME/nianbao`` or ``~/.local/share/nianbao``."""
    xdg = (environ or {}).get("XDG_DATA_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return (base / APP_NAME).absolute()


@dataclass(frozen=True)
class Settings:
    """Everything configurable, resolved once; the core reads only this."""

    max_input_mb: float = 32.0
    ocr_min_confidence: float = 0.8
    soffice_timeout: float = 60.0
    max_pdf_pages: int = 100
    debug: bool = False
    home: Path = field(default_factory=default_home)

    def __post_init__(self) -> None:
        # Settings built in code are validated like those read from the environment.
        for setting in SETTINGS:
            setting.check(getattr(self, setting.field))
        if not self.home.is_absolute():
            object.__setattr__(self, "home", self.home.absolute())

    @property
    def max_input_bytes(self) -> int:
        return int(self.max_input_mb * 1024 * 1024)

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def _positive_number(text: str) -> float:
    value = float(text)
    if not value > 0 or value != value or value == float("inf"):
        raise ValueError
    return value


def _positive_integer(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise ValueError
    return value


def _fraction(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise ValueError
    return value


def _flag(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("", "0", "false", "no", "off"):
        return False
    if lowered in ("1", "true", "yes", "on"):
        return True
    raise ValueError


def _directory(text: str) -> Path:
    if not text.strip():
        raise ValueError
    return Path(text).expanduser().absolute()


@dataclass(frozen=True)
class Setting:
    """One setting: its environment variable, its field of :class:`Settings`, and how it is read."""

    name: str  # the environment variable
    field: str  # the attribute of Settings
    default: str  # as written in the docs
    parse: Callable[[str], Any]
    expected: str  # what a valid value looks like, for the error message (Chinese)
    help: str  # Chinese, for the user guide

    def read(self, text: str) -> Any:
        try:
            return self.parse(text)
        except (ValueError, OverflowError):
            raise SettingsError(f"设置 {self.name}={text!r} 无效：应为{self.expected}") from None

    def check(self, value: Any) -> None:
        """A value given in code must be one the environment could have given."""
        if isinstance(value, Path):
            return
        self.read(str(int(value)) if isinstance(value, bool) else str(value))


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "NIANBAO_MAX_INPUT_MB",
        "max_input_mb",
        "32",
        _positive_number,
        "正数（MB）",
        "单个输入文件的大小上限（MB），超过即拒绝读取，且在读取文件内容之前检查。",
    ),
    Setting(
        "NIANBAO_OCR_MIN_CONFIDENCE",
        "ocr_min_confidence",
        "0.8",
        _fraction,
        "0 到 1 之间的数",
        "扫描件 OCR 识别置信度低于此值（0–1）的数值不作为数值读取，核查时以 OCR-CONF 提示人工对照原件核对。",
    ),
    Setting(
        "NIANBAO_SOFFICE_TIMEOUT",
        "soffice_timeout",
        "60",
        _positive_number,
        "正数（秒）",
        "LibreOffice 转换 .doc/.wps 文件的时限（秒），超时即终止整个转换进程组（含其子进程）。",
    ),
    Setting(
        "NIANBAO_MAX_PDF_PAGES",
        "max_pdf_pages",
        "100",
        _positive_integer,
        "正整数",
        "PDF 页数上限，超过即拒绝读取；在解析各页之前检查，300 页的文件也能立即给出答复。",
    ),
    Setting(
        "NIANBAO_DEBUG",
        "debug",
        "",
        _flag,
        "1 或 0（也可写 true/false）",
        "设为 1 时，内部错误显示完整的 Python 回溯（仅供开发者排查）；默认只输出一行说明。",
    ),
    Setting(
        "NIANBAO_HOME",
        "home",
        "~/.local/share/nianbao",
        _directory,
        "一个目录路径",
        "数据目录，启动时解析为绝对路径：台账的节假日覆盖表 calendar-overrides.csv 等放在这里"
        "（未设置时为 $XDG_DATA_HOME/nianbao，即通常的 ~/.local/share/nianbao）。",
    ),
)


def resolve(environ: Mapping[str, str]) -> Settings:
    """The settings an environment asks for; unset variables take their defaults.

    Called once by the program's entry point with its environment; raises
    :class:`SettingsError` naming the first invalid variable.
    """
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        text = environ.get(setting.name)
        if text is None or (setting.field == "home" and not text.strip()):
            continue
        values[setting.field] = setting.read(text)
    values.setdefault("home", default_home(environ))
    return Settings(**values)


DEFAULT_SETTINGS = Settings()
