"""Writing a report built from the ledger: ``nianbao.report/1`` JSON here, other formats by the
renderer (``nianbao.render.render_report``) when that module is installed.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
from pathlib import Path

from ..errors import NianbaoError
from ..files import format_for_filename, write_atomic
from ..model import Report

RENDER_MODULE = "nianbao.render"
RENDER_FUNCTION = "render_report"


class RenderUnavailableError(NianbaoError):
    """The output format needs the renderer, which this installation does not have yet."""


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
    if importlib.util.find_spec(RENDER_MODULE) is None:
        raise RenderUnavailableError(
            f"输出 {fmt} 格式需要报告排版模块（{RENDER_MODULE}），当前版本尚未提供；请先输出 .json",
            source=str(path),
        )
    try:
        module = importlib.import_module(RENDER_MODULE)
    except ImportError as exc:
        raise RenderUnavailableError(
            f"报告排版模块 {RENDER_MODULE} 无法载入（{exc}），无法输出 {fmt} 格式；请先输出 .json", source=str(path)
        ) from None
    render = getattr(module, RENDER_FUNCTION, None)
    if render is None:
        raise RenderUnavailableError(
            f"报告排版模块 {RENDER_MODULE} 没有 {RENDER_FUNCTION}()，无法输出 {fmt} 格式；请先输出 .json",
            source=str(path),
        )
    render(report, fmt, Path(path))
    return fmt


def _check_directory(path: Path) -> None:
    if not path.parent.is_dir():
        raise NianbaoError("目录不存在", source=str(path.parent))
