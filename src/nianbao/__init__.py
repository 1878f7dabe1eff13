"""nianbao (年报): read, check, keep and write 政府信息公开工作年度报告."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .document import Document
    from .errors import NianbaoError
    from .model import Finding, Report

__version__ = "0.1.0"

# Imported on first use: `import nianbao` (e.g. for the version, settings or errors) must not
# pay for pydantic, the report model and the readers.
_LAZY = {"Document": ".document", "NianbaoError": ".errors", "Finding": ".model", "Report": ".model"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def parse_file(path: str | Path) -> Report:
    """Read a report file of any supported kind into the model."""
    from .extract import extract
    from .readers import read_path

    return extract(read_path(path))


def parse_bytes(data: bytes, name: str) -> Report:
    from .extract import extract
    from .readers import read_bytes

    return extract(read_bytes(data, name))


__all__ = ["Document", "Finding", "NianbaoError", "Report", "__version__", "parse_bytes", "parse_file"]
