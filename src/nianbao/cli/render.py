"""``nianbao render``: a ``nianbao.report/1`` JSON to DOCX, PDF, HTML, Markdown, XLSX or JSON.

Exit codes (public): 0 written; 1 the report has error findings and ``--allow-errors`` was not
given (nothing written, the findings are listed); 2 the input or the output could not be used (one
line says why, from the group's guard; an existing output is replaced only with ``--force``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import ReportDataError, os_reason
from ..settings import Settings
from .exits import EXIT_FINDINGS, EXIT_OK
from .guard import Failed, attempt, say_error, stop, writing
from .options import FORCE_HELP, pass_settings

if TYPE_CHECKING:
    from ..model import Finding, Report

_NUMERALS = "一二三四五六"
_FORMAT_CHOICES = ["docx", "pdf", "html", "md", "xlsx", "json"]


@click.command()
@click.argument("report_json", metavar="REPORT.json")
@click.option("--to", "fmt", type=click.Choice(_FORMAT_CHOICES), default=None, help="输出格式（默认按 -o 的扩展名）。")
@click.option(
    "-o",
    "--output",
    default=None,
    help="输出文件（默认与输入同名、换扩展名）；已存在时不覆盖，除非加 --force。",
)
@click.option("--allow-errors", is_flag=True, help="报告有错误时仍然生成（并列出仍存在的错误）。")
@click.option("--force", is_flag=True, help=FORCE_HELP)
@pass_settings
def render(
    settings: Settings, report_json: str, fmt: str | None, output: str | None, allow_errors: bool, force: bool
) -> None:
    """按国家统一格式生成报告（Word、PDF、网页、Markdown、Excel），输入为 nianbao.report/1 JSON（- 为标准输入）。"""
    done = attempt(report_json, lambda: _render(report_json, fmt, output, allow_errors, force), debug=settings.debug)
    if isinstance(done, Failed):
        stop(done.message)


def _render(file: str, fmt: str | None, output: str | None, allow_errors: bool, force: bool) -> None:
    from ..render import FORMAT_NAMES, BlockedByFindings, render_report

    report = load_report(file)
    fmt, target = _target(file, fmt, output)
    try:
        with writing(target, force=force, inputs=[file]):
            rendered = render_report(report, fmt, target, allow_errors=allow_errors)
    except BlockedByFindings as blocked:
        say_error(f"{file}：{blocked}（确需生成请加 --allow-errors）")
        _list(blocked.findings, ("error",))
        sys.exit(EXIT_FINDINGS)
    click.echo(f"已生成 {target}（{FORMAT_NAMES[fmt]}）")
    errors = [finding for finding in rendered.findings if finding.severity == "error"]
    if errors:
        click.echo(f"注意：已按 --allow-errors 生成，以下{len(errors)}处错误仍然存在：", err=True)
    _list(rendered.findings, ("error", "warning"))
    if rendered.placeholder_sections and fmt != "json":
        parts = "、".join(_NUMERALS[number - 1] for number in rendered.placeholder_sections)
        click.echo(f"提示：第{parts}部分没有内容，已写入“【待填写】”占位文字，发布前请补充。", err=True)
    sys.exit(EXIT_OK)


def load_report(file: str) -> Report:
    """The report in a ``nianbao.report/1`` JSON file (``-`` reads standard input)."""
    from ..model import Report
    from ..readers import load_path

    try:
        # load_path: only a regular file, and only up to the input limit (no FIFO, no /dev/zero)
        text = sys.stdin.read() if file == "-" else load_path(file).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReportDataError("不是 UTF-8 编码的 JSON 文件", source=file) from None
    except OSError as exc:
        raise ReportDataError(f"无法读取文件（{os_reason(exc)}）", source=file) from None
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
    from ..files import format_for_filename
    from ..render import SUFFIXES

    if fmt is None:
        fmt = format_for_filename(output) if output else None
        if fmt is None:
            raise ReportDataError("请用 --to 指定输出格式（docx、pdf、html、md、xlsx、json）")
    if output is None:
        if file == "-":
            raise ReportDataError("从标准输入读取时请用 -o 指定输出文件")
        output = str(Path(file).with_suffix(SUFFIXES[fmt]))
    return fmt, Path(output)


def _list(findings: list[Finding], severities: tuple[str, ...]) -> None:
    from ..model import SEVERITY_NAMES

    for finding in findings:
        if finding.severity in severities:
            click.echo(f"  [{finding.code}] {SEVERITY_NAMES[finding.severity]}：{finding.message}", err=True)
