"""Writing a report built from the ledger: ``nianbao.report/1`` JSON here, other formats by the
renderer (:func:`nianbao.render.render_report`, imported when one is asked for: it brings the
Word and PDF libraries).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from ..errors import NianbaoError
from ..model import Report


def output_format(path: str | os.PathLike[str]) -> str:
    """The format named by the file's extension (``report.docx`` → ``docx``)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if not suffix:
        raise NianbaoError("输出文件没有扩展名，无法确定格式（如 report.json、report.docx）", source=str(path))
    return suffix


def write_report(report: Report, path: str | os.PathLike[str]) -> str:
    """Write ``report`` to ``path`` in the format of its extension; returns the format."""
    fmt = output_format(path)
    if fmt == "json":
        text = json.dumps(report.to_contract(), ensure_ascii=False, indent=1) + "\n"
        _write_atomically(Path(path), text)
        return fmt
    from ..render import render_report

    render_report(report, fmt, Path(path))
    return fmt


def _write_atomically(path: Path, text: str) -> None:
    directory = path.parent
    if not directory.is_dir():
        raise NianbaoError("目录不存在", source=str(directory))
    handle, temp = tempfile.mkstemp(prefix=".nianbao-", suffix=path.suffix, dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
