"""The store's commands: ``import``, ``worker``, ``agencies``, ``reports``, ``findings``, ``export``, ``db``.

Django is imported inside each command, so ``nianbao --help`` and the file commands stay fast.
"""

from __future__ import annotations

import getpass
import os
import sys
import time
from pathlib import Path
from typing import Any

import click

from ..errors import NianbaoError
from ..settings import Settings
from .guard import writing
from .options import FORCE_HELP, emit_json, json_option, pass_settings

_STATUS_TEXT = {
    "imported": "已导入",
    "imported_with_findings": "已导入（有错误）",
    "duplicate": "重复",
    "failed": "失败",
    "waiting_for_agency": "待确认机关",
    "queued": "等待处理",
    "processing": "处理中",
}


def _who() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _open_store(*, migrate: bool | None = None) -> None:
    """Configure Django and the database; a store problem is a NianbaoError the group's guard
    turns into one line and exit 2."""
    from ..web import setup

    setup(migrate=migrate)


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64), help="并行解析的进程数")
@click.option("--queue", "queued", is_flag=True, help="只登记并排队，由 nianbao worker 处理（可多台机器同时处理）")
@json_option("以 JSON 输出结果")
@pass_settings
def import_(settings: Settings, paths: tuple[Path, ...], jobs: int, queued: bool, as_json: bool) -> None:
    """将报告文件、文件夹或 ZIP 压缩包导入年报库（重复运行可从中断处继续）。"""
    _open_store()
    from ..web.store.services.importer import import_paths, summary

    if queued:
        from ..web.store.services.queue import queue_paths

        result = summary(queue_paths(list(paths), settings, who=_who()))
        if as_json:
            emit_json(result)
        else:
            waiting = sum(1 for entry in result["items"] if entry["status"] in ("queued", "processing"))
            click.echo(
                f"批次 {result['job']}：共 {result['files']} 个文件，{waiting} 个已排队，"
                f"失败 {result['failed']}；请运行 nianbao worker 处理"
            )
        return
    with _Progress(enabled=sys.stderr.isatty()) as progress:
        job = import_paths(list(paths), settings, jobs=jobs, who=_who(), on_item=progress.item, on_check=progress.check)
    result = summary(job)
    if as_json:
        emit_json(result)
    else:
        _print_summary(result, progress.elapsed, progress.checked)


@click.command()
@click.option("--burst", is_flag=True, help="队列中的文件全部处理完后退出（默认一直运行，等待新的文件）")
@click.option(
    "--lease",
    default=600,  # services.queue.DEFAULT_LEASE, not imported here: that module loads Django
    show_default=True,
    type=click.IntRange(5, 86400),
    help="每个文件的租期（秒）：进程中途终止后，租期过后由其他工作进程重新处理；须长于处理一个文件的时间",
)
@pass_settings
def worker(settings: Settings, burst: bool, lease: int) -> None:
    """处理 nianbao import --queue 排队的文件；多台机器可各运行若干个，共用一个 PostgreSQL。

    收到 SIGTERM 或 Ctrl-C 时，处理完当前文件后退出。"""
    _open_store()
    import signal

    from ..web.store.services.queue import Worker, WorkerContext

    def show(item: Any) -> None:
        reason = f"：{item.reason}" if item.reason else ""
        click.echo(f"{_STATUS_TEXT.get(item.status, item.status)} {item.name}{reason}", err=True)

    running = Worker(WorkerContext(settings=settings, lease=lease, who=f"worker:{_who()}", on_item=show), burst=burst)

    def stop(signum: int, frame: object) -> None:
        click.echo("收到停止信号，处理完当前文件后退出", err=True)
        running.stop()

    previous = {signum: signal.signal(signum, stop) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        running.run()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class _Progress:
    """A rich bar with rate and ETA on a terminal; one plain line per file otherwise (on stderr)."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.monotonic()
        self._bar: Any = None
        self._task: Any = None
        self._check_task: Any = None
        self.checked = 0

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TextColumn("剩余"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)

    def item(self, item: Any, done: int, total: int) -> None:
        if self._bar is not None:
            if self._task is None:
                self._task = self._bar.add_task("导入", total=total, rate="")
            rate = done / self.elapsed if self.elapsed > 0 else 0.0
            self._bar.update(self._task, completed=done, rate=f"{rate:.1f} 份/秒")
            return
        reason = f"：{item.reason}" if item.reason else ""
        click.echo(f"[{done}/{total}] {_STATUS_TEXT.get(item.status, item.status)} {item.name}{reason}", err=True)

    def check(self, done: int, total: int) -> None:
        """A report checked again against its neighbouring year (after the files are stored)."""
        self.checked = done
        if self._bar is not None:
            if self._check_task is None:
                self._check_task = self._bar.add_task("跨年度核查", total=total, rate="")
            self._bar.update(self._check_task, completed=done, total=total)


def _print_summary(result: dict[str, Any], elapsed: float, checked: int = 0) -> None:
    for entry in result["items"]:
        if entry["status"] in ("failed", "waiting_for_agency"):
            click.echo(f"{_STATUS_TEXT[entry['status']]}：{entry['name']}：{entry['reason']}")
    rate = result["files"] / elapsed if elapsed > 0 else 0.0
    click.echo(
        f"共 {result['files']} 个文件：导入 {result['imported']}（其中有错误 {result['with_findings']}），"
        f"重复 {result['duplicate']}，失败 {result['failed']}，待确认机关 {result['waiting_for_agency']}"
        + (f"；与相邻年度报告对照核查 {checked} 份" if checked else "")
        + f"；用时 {elapsed:.1f} 秒（{rate:.1f} 个/秒）"
    )


@click.command()
@click.option("--year", type=int, help="只列出该年度")
@click.option("--region", help="行政区划代码前缀或区划名称")
@json_option("以 JSON 输出")
def reports(year: int | None, region: str | None, as_json: bool) -> None:
    """列出年报库中的报告。"""
    _open_store()
    from ..web.store.services.reports import list_reports

    listed = list_reports(year=year, region=region)
    if as_json:
        emit_json(listed)
        return
    for entry in listed:
        findings = entry["findings"]
        agency = entry["agency"] or f"{entry['printed_agency'] or '（未署名）'}〔待确认机关〕"
        click.echo(
            f"{entry['id']:>6}  {entry['year'] or '？'}  {agency}  {entry['region'] or ''}  "
            f"来源 {entry['sources']}  错误 {findings['error']} 警告 {findings['warning']}"
        )
    click.echo(f"共 {len(listed)} 份报告")


@click.command()
@click.option("--year", type=int, help="只列出该年度")
@click.option("--region", help="行政区划代码（前缀）或名录中的区划名称")
@click.option("--rule", "codes", multiple=True, help="只列出该规则（可重复，如 --rule X-CARRY --rule MISSING）")
@click.option(
    "--severity",
    "severities",
    multiple=True,
    type=click.Choice(["error", "warning", "info"]),
    help="只列出该级别（可重复）",
)
@json_option("以 JSON 输出")
def findings(
    year: int | None, region: str | None, codes: tuple[str, ...], severities: tuple[str, ...], as_json: bool
) -> None:
    """列出年报库中的核查发现（含跨年度核查），以及名录中缺少报告的机关（MISSING）。"""
    _open_store()
    from ..model import SEVERITY_NAMES
    from ..web.store.services.review import review_findings
    from ..web.store.services.statistics import store_region

    listed = review_findings(
        year=year, region=store_region(region) if region else None, codes=codes, severities=severities
    )
    if as_json:
        emit_json(listed)
        return
    for entry in listed:
        report = f"报告 {entry['report']}" if entry["report"] is not None else "未报送"
        click.echo(
            f"{SEVERITY_NAMES.get(entry['severity'], entry['severity'])}  {entry['code']}  {entry['year'] or '？'}  "
            f"{entry['agency'] or '（未署名）'}  {report}：{entry['message']}"
        )
    counts = {severity: sum(1 for entry in listed if entry["severity"] == severity) for severity in SEVERITY_NAMES}
    click.echo(
        f"共 {len(listed)} 条：" + "，".join(f"{text} {counts[severity]}" for severity, text in SEVERITY_NAMES.items())
    )


@click.command()
@click.option("--year", type=int, help="只导出该年度（默认全部年度）")
@click.option("--region", help="行政区划代码前缀或区划名称")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="输出文件，扩展名决定格式：.csv、.jsonl、.xlsx",
)
@click.option("--force", is_flag=True, help=FORCE_HELP)
@json_option("以 JSON 输出结果")
def export(year: int | None, region: str | None, output: Path, force: bool, as_json: bool) -> None:
    """将年报库中每份报告的每个单元格导出为研究用数据集（一行一个单元格；说明见 docs/dataset.md）。"""
    from ..stats.dataset import dataset_format, write_dataset

    fmt = dataset_format(output)
    if fmt is None:
        raise NianbaoError("输出文件的扩展名须为 .csv、.jsonl 或 .xlsx", source=str(output))
    from ..files import check_output

    check_output(output, replace=force)  # before the store is opened and read
    _open_store()
    from ..web.store.services.export import dataset_rows

    started = time.monotonic()
    with writing(output, force=force):
        count = write_dataset(dataset_rows(year=year, region=region), output, fmt)
    if as_json:
        emit_json({"output": str(output), "format": fmt, "rows": count})
    else:
        click.echo(f"已导出 {count} 行（每行一个单元格）到 {output}；用时 {time.monotonic() - started:.1f} 秒")


@click.group()
def agencies() -> None:
    """机关名录：导入、模板、为报告指定机关。"""


@agencies.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def agencies_load(file: Path) -> None:
    """导入机关名录（CSV 或 XLSX；列：名称、行政区划代码、行政区划名称、层级、上级机关、别名）。"""

    _open_store()
    from ..web.store.services.agencies import load_list, read_rows

    counts = load_list(read_rows(file), who=_who())
    click.echo(f"名录已导入：新增 {counts['created']} 个机关，更新 {counts['updated']} 个")


@agencies.command("template")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="输出的 XLSX 文件")
@click.option("--force", is_flag=True, help=FORCE_HELP)
def agencies_template(output: Path, force: bool) -> None:
    """生成机关名录模板（XLSX）。"""
    from ..files import check_output

    check_output(output, replace=force)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nianbao.web.settings")
    import django

    django.setup()  # the template needs the model's level choices, not the database
    from ..web.store.services.agencies import write_template

    with writing(output, force=force):
        write_template(output)
    click.echo(f"已生成名录模板：{output}")


@agencies.command("match")
@click.argument("report", type=int)
@click.argument("agency")
def agencies_match(report: int, agency: str) -> None:
    """为待确认机关的报告指定机关（AGENCY 为名录中的编号或全称）。"""

    _open_store()
    from ..web.store.services.reports import assign_agency

    stored = assign_agency(report, agency, who=_who())
    click.echo(f"报告 {report} 已归入「{stored.agency}」{stored.year or ''}年度报告（编号 {stored.pk}）")


@click.group()
def db() -> None:
    """数据库维护。"""


@db.command("migrate")
def db_migrate() -> None:
    """建立或升级数据库结构（PostgreSQL 须由管理员运行一次；SQLite 首次使用时自动进行）。"""
    _open_store(migrate=True)
    click.echo("数据库结构已是最新")
