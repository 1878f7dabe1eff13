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
    from ..batch import BatchSummary, Duplicate, PreviousReports, SkippedFile, Unusable
    from ..model import CheckResult, Report
    from ..pipeline import Result
    from ..sources import Entry

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What became of one file given to a command: its result, or why it could not be used."""

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
@click.argument("paths", nargs=-1, required=True)
@json_option("以 JSON 输出核查结果：一个文件时为一个对象；文件夹或多个文件时为 {results, summary}。")
@click.option(
    "--all",
    "every_check",
    is_flag=True,
    help="列出核查清单：每个勾稽关系、每条规则的每一项及其结果（通过、未通过、无法核查及原因、不适用）。",
)
@click.option(
    "--previous",
    "previous_paths",
    multiple=True,
    metavar="PATH",
    help="上一年度的报告（文件或文件夹，可多次给出），用于跨年度对照（上年结转等）；"
    "每份报告只与机关名称相同、年度早一年的报告对照。",
)
@pass_settings
def check(
    settings: Settings, paths: tuple[str, ...], as_json: bool, every_check: bool, previous_paths: tuple[str, ...]
) -> None:
    """核查报告（文件、文件夹或 ZIP 压缩包）：表格勾稽关系、结构、年度、正文与表格一致性等。

    文件夹逐层读取其中每个文件（各种格式按内容识别）；多个文件时最后输出汇总：文件数、有错误或警告的报告数、
    无法使用的文件、重复的报告（同一份报告存在于两个文件中）、跳过的文件及原因。"""
    from ..batch import Duplicates, PreviousReports, SkippedFile, Unusable, summary
    from ..sources import Entry, is_folder, walk

    unusable = False
    previous = PreviousReports()
    for found in walk([Path(path) for path in previous_paths], settings):
        if isinstance(found, Entry):
            loaded = attempt(found.name, partial(_load, found, settings), debug=settings.debug)
            if isinstance(loaded, Failed):
                say_error(f"上年报告无法使用：{loaded.message}")
                unusable = True
            else:
                previous.add(found.name, loaded[1])
    found_all = list(walk([Path(path) for path in paths], settings))
    entries = [entry for entry in found_all if isinstance(entry, Entry)]
    skipped = [SkippedFile(file=item.name, reason=item.reason) for item in found_all if not isinstance(item, Entry)]
    if not entries:
        stop("没有找到要核查的文件" + (f"（跳过{len(skipped)}个：{_skipped_reasons(skipped)}）" if skipped else ""))
    batch = len(paths) > 1 or len(entries) > 1 or any(is_folder(Path(path)) for path in paths)
    duplicates = Duplicates()
    results: list[CheckResult | Unusable] = []
    noticed: list[Duplicate] = []
    errors = False
    for entry in entries:
        done = attempt(entry.name, partial(_check, entry, settings, previous), debug=settings.debug)
        if isinstance(done, Failed):
            say_error(done.message)
            results.append(Unusable(file=entry.name, error=done.message))
            unusable = True
            continue
        data, result, previous_file = done
        checked = result.checked(entry.name, previous_file)
        results.append(checked)
        errors = errors or bool(checked.errors)
        duplicate = duplicates.add(entry.name, data, result.report)
        if duplicate is not None:
            noticed.append(duplicate)
        if not as_json:
            from .present import console, show_check

            show_check(console(), result.report, checked, every_check=every_check)
            if previous and previous_file is None:
                click.echo(_no_previous(result.report) + "\n")
            if duplicate is not None:
                click.echo(f"重复：{duplicate.reason}\n")
    closing = summary(results, noticed, skipped)
    if as_json:
        from ..contract import record_json

        if batch:
            emit_json({"results": [record_json(r) for r in results], "summary": record_json(closing)})
        else:
            emit_json(record_json(results[0]))
    elif batch:
        click.echo("\n".join(_summary_lines(closing)))
    sys.exit(EXIT_UNUSABLE if unusable else EXIT_FINDINGS if errors else EXIT_OK)


def _load(entry: Entry, settings: Settings) -> tuple[bytes, Report]:
    from ..pipeline import load_report

    data = entry.read(settings)
    return data, load_report(data, entry.name, settings)


def _check(entry: Entry, settings: Settings, previous: PreviousReports) -> tuple[bytes, Result, str | None]:
    """Read and check one entry, against the same agency's previous report when one was given."""
    from ..pipeline import recheck

    data, report = _load(entry, settings)
    earlier = previous.for_report(report)
    return data, recheck(report, previous=earlier[1] if earlier else None), earlier[0] if earlier else None


def _no_previous(report: Report) -> str:
    if not report.agency or report.year is None:
        return "未作跨年度对照：未能识别本报告的机关名称或年度，无法确定哪一份是同一机关的上年报告"
    return f"未作跨年度对照：--previous 中没有“{report.agency}”{report.year - 1}年度的报告"


def _skipped_reasons(skipped: list[SkippedFile]) -> str:
    counts: dict[str, int] = {}
    for item in skipped:
        counts[item.reason] = counts.get(item.reason, 0) + 1
    return "、".join(f"{reason}{count}个" for reason, count in counts.items())


def _summary_lines(closing: BatchSummary) -> list[str]:
    lines = [
        f"汇总：共{closing.files}个文件，核查{closing.reports}份报告，其中有错误{closing.with_errors}份、"
        f"有警告{closing.with_warnings}份；无法使用{closing.unusable}个；重复{len(closing.duplicates)}个；"
        f"跳过{len(closing.skipped)}个",
    ]
    lines += [f"  重复：{duplicate.file} {duplicate.reason}" for duplicate in closing.duplicates]
    if closing.skipped:
        lines.append(f"  跳过：{_skipped_reasons(closing.skipped)}")
        lines += [f"    {item.file}" for item in closing.skipped[:10]]
        if len(closing.skipped) > 10:
            lines.append(f"    ……等{len(closing.skipped)}个")
    return lines


@click.command()
@click.option("--markdown", is_flag=True, help="输出 docs/rules.md 的内容。")
def rules(markdown: bool) -> None:
    """列出全部核查规则。"""
    from ..rules.docs import rules_markdown, rules_text

    click.echo(rules_markdown() if markdown else rules_text(), nl=not markdown)
