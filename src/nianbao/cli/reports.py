"""``nianbao parse``, ``check`` and ``rules``: published reports, read and checked.

``check`` sends each file through :func:`nianbao.pipeline.process`, the call the worker and the
web app make too; ``parse`` prints what it reads, so it only reads (:func:`~nianbao.pipeline.load_report`,
the same first step) and loads no rule.  The core is imported inside the commands, so ``nianbao
--help`` loads none of it.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import click

from ..settings import Settings
from .exits import EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE
from .guard import Failed, attempt, say_error, stop
from .options import emit_json, json_option, pass_settings

if TYPE_CHECKING:
    from ..model import Report
    from ..pipeline import Result

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    file: str
    result: T | None = None
    error: str | None = None  # why the file could not be used (already said on stderr)


def _read(file: str, settings: Settings) -> Report:
    from ..pipeline import load_report
    from ..readers import load_path

    return load_report(load_path(file), str(Path(file)), settings)


def _process(file: str, settings: Settings, previous: Report | None) -> Result:
    from ..pipeline import process
    from ..readers import load_path

    return process(load_path(file), str(Path(file)), settings, previous=previous)


def _each(files: tuple[str, ...], work: Callable[[str], T], settings: Settings) -> Iterator[Outcome[T]]:
    for file in files:
        done = attempt(file, partial(work, file), debug=settings.debug)
        if isinstance(done, Failed):
            say_error(done.message)
            yield Outcome(file, error=done.message)
        else:
            yield Outcome(file, result=done)


def _unusable(outcome: Outcome[Any]) -> dict[str, Any]:
    """The JSON entry of a file that could not be used (stderr has said why)."""
    return {"file": outcome.file, "error": outcome.error}


def _emit_all(objects: list[dict[str, Any]]) -> None:
    emit_json(objects[0] if len(objects) == 1 else objects)


@click.command()
@click.argument("files", nargs=-1, required=True)
@json_option("输出 nianbao.report/1 JSON（多个文件时为数组）。")
@pass_settings
def parse(settings: Settings, files: tuple[str, ...], as_json: bool) -> None:
    """读取报告，输出表二至表四（或 JSON）。"""
    objects: list[dict[str, Any]] = []
    failed = False
    for outcome in _each(files, partial(_read, settings=settings), settings):
        if outcome.result is None:
            failed = True
            objects.append(_unusable(outcome))
        elif as_json:
            objects.append(outcome.result.to_contract())
        else:
            from .plain import report_lines

            # the terminal's width (COLUMNS, else 80 when not a terminal), as rich measured it
            width = shutil.get_terminal_size().columns
            click.echo("\n".join(report_lines(outcome.result, width)) + "\n")
    if as_json:
        _emit_all(objects)
    sys.exit(EXIT_UNUSABLE if failed else EXIT_OK)


@click.command()
@click.argument("files", nargs=-1, required=True)
@json_option("以 JSON 输出核查结果（多个文件时为数组）。")
@click.option(
    "--previous",
    "previous_file",
    type=str,
    metavar="FILE",
    default=None,
    help="同一机关上一年度的报告，用于跨年度对照（上年结转等）。",
)
@pass_settings
def check(settings: Settings, files: tuple[str, ...], as_json: bool, previous_file: str | None) -> None:
    """核查报告：表格勾稽关系、结构、年度、正文与表格一致性等。"""
    from ..model import CheckResult, severity_counts

    previous: Report | None = None
    if previous_file is not None:
        done = attempt(previous_file, partial(_process, previous_file, settings, None), debug=settings.debug)
        if isinstance(done, Failed):
            stop(f"上年报告无法使用：{done.message}")
        previous = done.report
    objects: list[dict[str, Any]] = []
    exit_code = EXIT_OK
    for outcome in _each(files, partial(_process, settings=settings, previous=previous), settings):
        if outcome.result is None:
            exit_code = EXIT_UNUSABLE
            objects.append(_unusable(outcome))
            continue
        report, findings = outcome.result.report, outcome.result.findings
        if severity_counts(findings)["error"] and exit_code == EXIT_OK:
            exit_code = EXIT_FINDINGS
        if as_json:
            objects.append(CheckResult.of(outcome.file, report, findings).model_dump(mode="json"))
        else:
            from .present import console, show_findings

            show_findings(console(), report, findings)
    if as_json:
        _emit_all(objects)
    sys.exit(exit_code)


@click.command()
@click.option("--markdown", is_flag=True, help="输出 docs/rules.md 的内容。")
def rules(markdown: bool) -> None:
    """列出全部核查规则。"""
    from ..rules.docs import rules_markdown, rules_text

    click.echo(rules_markdown() if markdown else rules_text(), nl=not markdown)
