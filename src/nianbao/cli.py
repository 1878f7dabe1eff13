"""The ``nianbao`` command: one click group over the core library.

Exit codes are public: 0 = no error-severity finding, 1 = at least one, 2 = an input could not
be used (one clear line on stderr says why).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import click
from rich.console import Console

from . import __version__, config, parse_file
from .errors import NianbaoError
from .model import Finding, Report
from .present import count, show_findings, show_report
from .rules import run_rules

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2

T = TypeVar("T")


@dataclass
class Outcome:
    file: str
    report: Report | None = None
    error: str | None = None


def _guard(file: str, work: Callable[[], T]) -> T | str:
    """Run ``work``; any failure becomes one clear line instead of a traceback."""
    try:
        return work()
    except NianbaoError as exc:
        return str(exc) if exc.source else f"{file}：{exc}"
    except MemoryError:
        return f"{file}：内存不足，无法处理该文件"
    except Exception as exc:  # a bug must not cost the user the other files
        if config.debug():
            raise
        return f"{file}：处理时发生内部错误（{type(exc).__name__}: {exc}），请将该文件反馈给开发者"


def _parse_all(files: tuple[str, ...]) -> Iterator[Outcome]:
    for file in files:
        result = _guard(file, lambda file=file: parse_file(file))  # type: ignore[misc]
        if isinstance(result, Report):
            yield Outcome(file, report=result)
        else:
            yield Outcome(file, error=result)


def _emit_json(objects: list[dict[str, Any]]) -> None:
    payload: Any = objects[0] if len(objects) == 1 else objects
    click.echo(json.dumps(payload, ensure_ascii=False, indent=1))


def _report_error(message: str) -> None:
    click.echo(f"错误：{message}", err=True)


def _unusable(file: str, message: str) -> dict[str, Any]:
    """Say on stderr why a file cannot be used; its entry in the JSON output."""
    _report_error(message)
    return {"file": file, "error": message}


def _console() -> Console:
    return Console(soft_wrap=True, highlight=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nianbao")
def main() -> None:
    """nianbao（年报）：读取、核查、生成政府信息公开工作年度报告。"""


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="输出 nianbao.report/1 JSON（多个文件时为数组）。")
def parse(files: tuple[str, ...], as_json: bool) -> None:
    """读取报告，输出表二至表四（或 JSON）。"""
    objects: list[dict[str, Any]] = []
    failed = False
    console = _console()
    for outcome in _parse_all(files):
        if outcome.report is None:
            failed = True
            objects.append(_unusable(outcome.file, outcome.error or ""))
            continue
        if as_json:
            objects.append(outcome.report.to_contract())
        else:
            show_report(console, outcome.report)
            console.print()
    if as_json:
        _emit_json(objects)
    sys.exit(EXIT_UNUSABLE if failed else EXIT_OK)


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出核查结果（多个文件时为数组）。")
@click.option(
    "--previous",
    "previous_file",
    type=str,
    default=None,
    help="同一机关上一年度的报告，用于跨年度对照（上年结转等）。",
)
def check(files: tuple[str, ...], as_json: bool, previous_file: str | None) -> None:
    """核查报告：表格勾稽关系、结构、年度、正文与表格一致性等。"""
    previous: Report | None = None
    if previous_file is not None:
        result = _guard(previous_file, lambda: parse_file(previous_file))
        if not isinstance(result, Report):
            _report_error(f"上年报告无法使用：{result}")
            sys.exit(EXIT_UNUSABLE)
        previous = result
    objects: list[dict[str, Any]] = []
    exit_code = EXIT_OK
    console = _console()
    for outcome in _parse_all(files):
        if outcome.report is None:
            exit_code = EXIT_UNUSABLE
            objects.append(_unusable(outcome.file, outcome.error or ""))
            continue
        report = outcome.report
        findings_or_error = _guard(outcome.file, lambda report=report: run_rules(report, previous))  # type: ignore[misc]
        if isinstance(findings_or_error, str):
            exit_code = EXIT_UNUSABLE
            objects.append(_unusable(outcome.file, findings_or_error))
            continue
        findings: list[Finding] = findings_or_error
        counts = count(findings)
        if counts["error"] and exit_code == EXIT_OK:
            exit_code = EXIT_FINDINGS
        if as_json:
            objects.append(_findings_json(outcome.file, report, findings, counts))
        else:
            show_findings(console, report, findings)
    if as_json:
        _emit_json(objects)
    sys.exit(exit_code)


def _findings_json(file: str, report: Report, findings: list[Finding], counts: dict[str, int]) -> dict[str, Any]:
    return {
        "file": file,
        "agency": report.agency,
        "year": report.year,
        "format_version": report.format_version,
        "errors": counts["error"],
        "warnings": counts["warning"],
        "infos": counts["info"],
        "findings": [finding.dump() for finding in findings],
    }


@main.command()
def doctor() -> None:
    """检查运行环境：Python 包、中文字体、LibreOffice、OCR 模型。"""
    from rich.table import Table

    from .doctor import run_checks

    checks = run_checks()
    table = Table(title="nianbao 运行环境检查", title_justify="left")
    for heading in ("项目", "状态", "情况", "如何补齐"):
        table.add_column(heading)
    for check in checks:
        status = (
            "[green]正常[/green]" if check.ok else ("[red]缺失[/red]" if check.required else "[yellow]可选[/yellow]")
        )
        table.add_row(check.name, status, check.found, "" if check.ok else check.fix)
    _console().print(table)
    missing = [check for check in checks if check.required and not check.ok]
    if missing:
        click.echo(f"有 {len(missing)} 项必需条件未满足。", err=True)
    sys.exit(EXIT_FINDINGS if missing else EXIT_OK)


@main.command()
@click.option("--markdown", is_flag=True, help="输出 docs/rules.md 的内容。")
def rules(markdown: bool) -> None:
    """列出全部核查规则。"""
    from .rules.docs import rules_markdown, rules_text

    click.echo(rules_markdown() if markdown else rules_text(), nl=not markdown)


_DATE = click.DateTime(formats=["%Y-%m-%d"])


@main.command()
@click.option("--received", type=_DATE, required=True, help="收到申请之日（条例第三十一条），YYYY-MM-DD。")
@click.option(
    "--channel",
    type=click.Choice(["in-person", "post", "online", "fax"]),
    default="in-person",
    show_default=True,
    help="提交方式：当面、邮寄、网络、传真。",
)
@click.option("--corrected", type=_DATE, default=None, help="收到补正申请之日；答复期限自该日起计算（第三十条）。")
@click.option("--extended", is_flag=True, help="经批准延长答复期限（再加20个工作日，第三十三条）。")
@click.option(
    "--consulted",
    nargs=2,
    multiple=True,
    metavar="FROM TO",
    help="征求第三方或其他机关意见：发出日期和收到意见日期（尚未回复写 -），可重复。",
)
@click.option("--explain", is_flag=True, help="逐步列出计算过程和依据。")
def deadline(
    received: Any, channel: str, corrected: Any, extended: bool, consulted: tuple[tuple[str, str], ...], explain: bool
) -> None:
    """计算依申请公开的答复期限；最后一行输出到期日 YYYY-MM-DD。"""
    from .ledger.commands import run_deadline

    sys.exit(
        run_deadline(received.date(), channel, corrected.date() if corrected else None, extended, consulted, explain)
    )


@main.group()
def ledger() -> None:
    """政府信息公开台账（Excel）：模板、办理情况、生成年度报告。"""


@ledger.command()
@click.option("-o", "--output", required=True, help="台账文件，如 ledger.xlsx。")
@click.option("--agency", default="", help="机关全称（也可以之后在“说明”工作表填写）。")
def template(output: str, agency: str) -> None:
    """生成空白台账模板（中文列名、下拉列表）。"""
    from .ledger.commands import run_template

    sys.exit(run_template(output, agency))


@ledger.command()
@click.argument("file")
@click.option("--today", type=_DATE, default=None, help="按这一天计算（默认今天）。")
@click.option("--soon", type=int, default=5, show_default=True, help="剩余几个工作日以内算“即将到期”。")
@click.option("--all", "include_closed", is_flag=True, help="也列出已办结的申请（含逾期答复的）。")
def status(file: str, today: Any, soon: int, include_closed: bool) -> None:
    """列出即将到期、已逾期、等待补正、等待征求意见或缴费的申请。"""
    from .ledger.commands import run_status

    sys.exit(run_status(file, today.date() if today else None, soon, include_closed))


@ledger.command()
@click.argument("file")
@click.option("--year", type=int, required=True, help="报告年度。")
@click.option("-o", "--output", required=True, help="输出文件；扩展名决定格式（.json，或排版模块支持的格式）。")
@click.option("--agency", default=None, help="机关全称（默认取台账“说明”工作表）。")
@click.option(
    "--cases-counted",
    type=click.Choice(["active", "filed"]),
    default="active",
    show_default=True,
    help="表四统计口径：active＝本年在办的全部案件（含上年未审结的），filed＝仅本年收到的案件。",
)
def report(file: str, year: int, output: str, agency: str | None, cases_counted: str) -> None:
    """由台账生成年度报告（表二至表四由台账计算，勾稽关系必然成立）。"""
    from .ledger.commands import run_report

    sys.exit(run_report(file, year, output, agency, "filed" if cases_counted == "filed" else "active"))


@main.command()
@click.argument("report_json", metavar="REPORT.json")
@click.option(
    "--to",
    "fmt",
    type=click.Choice(["docx", "pdf", "html", "md", "xlsx", "json"]),
    default=None,
    help="输出格式（默认按 -o 的扩展名）。",
)
@click.option("-o", "--output", default=None, help="输出文件（默认与输入同名、换扩展名）。")
@click.option("--force", is_flag=True, help="报告有错误时仍然生成（并列出仍存在的错误）。")
def render(report_json: str, fmt: str | None, output: str | None, force: bool) -> None:
    """按国家统一格式生成报告（Word、PDF、网页、Markdown、Excel），输入为 nianbao.report/1 JSON（- 为标准输入）。"""
    from .render.command import run_render

    sys.exit(run_render(report_json, fmt, output, force))


# The store's commands (issue 9); their module imports Django only when one of them runs.
from .cli_store import agencies, db, import_, reports  # noqa: E402

for _store_command in (import_, agencies, reports, db):
    main.add_command(_store_command)
