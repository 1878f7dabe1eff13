"""Writing a report built from the ledger: ``nianbao.report/1`` JSON here, other formats by the
renderer (:func:`nianbao.render.render_report`, imported when one is asked for: it brings the
Word and PDF libraries).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..errors import NianbaoError
from ..files import format_for_filename, write_atomic
from ..model import Report


def output_format(path: str | os.PathLike[str]) -> str:
    """The format named by the file's extension (``report.docx`` → ``docx``)."""
    fmt = format_for_filename(path)
    if fmt is None:
        raise NianbaoError("输出文件的扩展名不能确定格式（如 report.json、report.docx）", source=str(path))
    return fmt


def write_report(report: Report, path: str | os.PathLike[str]) -> str:
    """Write ``report`` to ``path`` in the format of its extension; returns the format."""
    fmt = output_format(path)
    if fmt == "json":
        text = json.dumps(report.to_contract(), ensure_ascii=False, indent=1) + "\n"
        _check_directory(Path(path))
        write_atomic(path, text.encode("utf-8"))
        return fmt
    from ..render import render_report

    render_report(report, fmt, Path(path))
    return fmt


def _check_directory(path: Path) -> None:
    if not path.parent.is_dir():
        raise NianbaoError("目录不存在", source=str(path.parent))
