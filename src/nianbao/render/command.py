"""``nianbao render``: a ``nianbao.report/1`` JSON to DOCX, PDF, HTML, Markdown, XLSX or JSON.

Exit codes (public): 0 written; 1 the report has error findings and ``--force`` was not given
(nothing written, the findings are listed); 2 the input or the output could not be used (one
line says why).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from .. import config
from ..errors import NianbaoError, ReportDataError
from ..model import Finding, Report
from . import FORMAT_NAMES, SUFFIXES, BlockedByFindings, format_for, render_report

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2
_NUMERALS = "一二三四五六"


def run_render(file: str, fmt: str | None, output: str | None, force: bool) -> int:
    try:
        report = load_report(file)
        fmt, target = _target(file, fmt, output)
        rendered = render_report(report, fmt, target, force=force)
    except BlockedByFindings as blocked:
        _error(f"{file}：{blocked}")
        _list(blocked.findings, ("error",))
        return EXIT_FINDINGS
    except NianbaoError as exc:
        _error(str(exc) if exc.source else f"{file}：{exc}")
        return EXIT_UNUSABLE
    except OSError as exc:
        _error(f"{output or file}：无法写出文件（{exc.strerror or exc}）")
        return EXIT_UNUSABLE
    except Exception as exc:  # a bug: one clear line, not a traceback
        if config.debug():
            raise
        _error(f"{file}：生成时发生内部错误（{type(exc).__name__}: {exc}），请将该文件反馈给开发者")
        return EXIT_UNUSABLE
    click.echo(f"已生成 {target}（{FORMAT_NAMES[fmt]}）")
    errors = [finding for finding in rendered.findings if finding.severity == "error"]
    if errors:
        click.echo(f"注意：已按 --force 生成，以下{len(errors)}处错误仍然存在：", err=True)
    _list(rendered.findings, ("error", "warning"))
    if rendered.placeholder_sections and fmt != "json":
        parts = "、".join(_NUMERALS[number - 1] for number in rendered.placeholder_sections)
        click.echo(f"提示：第{parts}部分没有内容，已写入“【待填写】”占位文字，发布前请补充。", err=True)
    return EXIT_OK


def load_report(file: str) -> Report:
    """The report in a ``nianbao.report/1`` JSON file (``-`` reads standard input)."""
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ReportDataError("文件不存在", source=file) from None
    except IsADirectoryError:
        raise ReportDataError("这是一个目录，不是文件", source=file) from None
    except UnicodeDecodeError:
        raise ReportDataError("不是 UTF-8 编码的 JSON 文件", source=file) from None
    except OSError as exc:
        raise ReportDataError(f"无法读取文件（{exc.strerror}）", source=file) from None
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportDataError(f"不是有效的 JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）", source=file) from None
    if isinstance(data, list):
        if len(data) != 1:
            raise ReportDataError(f"文件中有{len(data)}份报告，一次只能生成一份", source=file)
        data = data[0]
    if isinstance(data, dict) and "error" in data and "schema" not in data:
        raise ReportDataError(f"这是读取失败的记录，不是报告数据：{data['error']}", source=file)
    try:
        return Report.from_contract(data)
    except ReportDataError as exc:
        raise ReportDataError(exc.message, source=file) from None


def _target(file: str, fmt: str | None, output: str | None) -> tuple[str, Path]:
    if fmt is None:
        fmt = format_for(output) if output else None
        if fmt is None:
            raise ReportDataError("请用 --to 指定输出格式（docx、pdf、html、md、xlsx、json）")
    if output is None:
        if file == "-":
            raise ReportDataError("从标准输入读取时请用 -o 指定输出文件")
        output = str(Path(file).with_suffix(SUFFIXES[fmt]))
    target = Path(output)
    if file != "-" and target.resolve() == Path(file).resolve():
        raise ReportDataError("输出文件与输入文件相同，请用 -o 指定另一个文件名")
    return fmt, target


def _error(message: str) -> None:
    click.echo(f"错误：{message}", err=True)


def _list(findings: list[Finding], severities: tuple[str, ...]) -> None:
    labels = {"error": "错误", "warning": "警告"}
    for finding in findings:
        if finding.severity in severities:
            click.echo(f"  [{finding.code}] {labels[finding.severity]}：{finding.message}", err=True)
