"""nianbao (年报): read, check, keep and write 政府信息公开工作年度报告."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import NianbaoError  # no imports of its own

__version__ = "0.1.0"

if TYPE_CHECKING:
    from pathlib import Path

    from .document import Document
    from .model import Finding, Report


def __getattr__(name: str) -> Any:
    """The models on first use: ``nianbao --help`` and ``nianbao.settings`` must not pay for them."""
    if name == "Document":
        from .document import Document

        return Document
    if name in ("Finding", "Report"):
        from . import model

        return getattr(model, name)
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
