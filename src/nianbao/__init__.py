"""nianbao (年报): read, check, keep and write 政府信息公开工作年度报告."""

from __future__ import annotations

from pathlib import Path

from .document import Document
from .errors import NianbaoError
from .extract import extract
from .model import Finding, Report
from .readers import read_bytes, read_path

__version__ = "0.1.0"


def parse_file(path: str | Path) -> Report:
    """Read a report file of any supported kind into the model."""
    return extract(read_path(path))


def parse_bytes(data: bytes, name: str) -> Report:
    return extract(read_bytes(data, name))


__all__ = ["Document", "Finding", "NianbaoError", "Report", "__version__", "parse_bytes", "parse_file"]
