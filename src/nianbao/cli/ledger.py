"""``nianbao deadline`` and ``nianbao ledger template|status|report``.

Exit codes: 0 fine; 1 something needs attention (an overdue application, a report with error
findings); 2 the input could not be used (one line on stderr says why, from the group's guard).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from ..errors import NianbaoError
from ..settings import Settings
from .exits import EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE
from .guard import stop, writing
from .options import DATE, FORCE_HELP, emit_json, json_option, pass_settings

if TYPE_CHECKING:
    from ..ledger.cases import Problem
    from ..ledger.tables import CasesCounted
    from ..model import Finding, TableData

NO_REPLY = "-"
META = "META"  # the rule whose findings are said before the report is written


def _problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        prefix = "错误" if problem.severity == "error" else "注意"
        click.echo(f"{prefix}：{problem}", err=True)


def _date(text: str, what: str) -> dt.date:
    from ..ledger.calendar import typed_date

    day = typed_date(text)
    if day is None:
        raise NianbaoError(f"{what}“{text}”不是有效日期（可写 2025-10-03、2025/10/03 或 2025年10月3日）")
    return day


@click.command()
@click.option(
    "--received",
    type=DATE,
    metavar="YYYY-MM-DD",
    required=True,
    help="收到申请之日（条例第三十一条），如 2025-10-03、2025/10/03 或 2025年10月3日。",
)
@click.option(
    "--channel",
    type=click.Choice(["in-person", "post", "online", "fax"]),
    default="in-person",
    show_default=True,
    help="提交方式：当面、邮寄、网络、传真。",
)
@click.option(
    "--corrected",
    type=DATE,
    metavar="YYYY-MM-DD",
    default=None,
    help="收到补正申请之日；答复期限自该日起计算（第三十条）。",
)
@click.option("--extended", is_flag=True, help="经批准延长答复期限（再加20个工作日，第三十三条）。")
@click.option(
    "--consulted",
    nargs=2,
    multiple=True,
    metavar="FROM TO",
    help="征求第三方或其他机关意见：发出日期和收到意见日期（尚未回复写 -），可重复。",
)
@click.option("--explain", is_flag=True, help="逐步列出计算过程和依据。")
@pass_settings
def deadline(
    settings: Settings,
    received: dt.date,
    channel: str,
    corrected: dt.date | None,
    extended: bool,
    consulted: tuple[tuple[str, str], ...],
    explain: bool,
) -> None:
    """计算依申请公开的答复期限；最后一行输出到期日 YYYY-MM-DD。"""
    from ..ledger.calendar import load_calendar
    from ..ledger.deadlines import Channel, Consultation, answer_deadline

    consultations = [
        Consultation(
            _date(sent, "--consulted 的发出日期"),
            None if reply == NO_REPLY else _date(reply, "--consulted 的收到意见日期"),
        )
        for sent, reply in consulted
    ]
    due = answer_deadline(
        load_calendar(settings.home),
        received,
        channel=Channel(channel),
        corrected=corrected,
        extended=extended,
        consultations=consultations,
    )
    if explain:
        for line in due.explain():
            click.echo(line)
    click.echo(due.due.isoformat())
    sys.exit(EXIT_OK)


@click.group()
def ledger() -> None:
    """政府信息公开台账（Excel）：模板、办理情况、生成年度报告。"""


@ledger.command()
@click.option("-o", "--output", required=True, help="台账文件，如 ledger.xlsx。")
@click.option("--agency", default="", help="机关全称（也可以之后在“说明”工作表填写）。")
@click.option("--force", is_flag=True, help=FORCE_HELP)
def template(output: str, agency: str, force: bool) -> None:
    """生成空白台账模板（中文列名、下拉列表）。"""
    from ..ledger.spreadsheet import write_template

    with writing(output, force=force):
        write_template(output, agency=agency)
    click.echo(f"已生成台账模板：{output}")
    sys.exit(EXIT_OK)


@ledger.command()
@click.argument("file")
@click.option("--today", type=DATE, metavar="YYYY-MM-DD", default=None, help="按这一天计算（默认今天）。")
@click.option("--soon", type=int, default=5, show_default=True, help="剩余几个工作日以内算“即将到期”。")
@click.option("--all", "include_closed", is_flag=True, help="也列出已办结的申请（含逾期答复的）。")
@json_option("以 JSON 输出办理情况（各申请的状态、答复期限、剩余工作日、说明，以及台账中有问题的行）。")
@pass_settings
def status(
    settings: Settings, file: str, today: dt.date | None, soon: int, include_closed: bool, as_json: bool
) -> None:
    """列出即将到期、已逾期、等待补正、等待征求意见或缴费的申请。"""
    from ..ledger.calendar import load_calendar
    from ..ledger.spreadsheet import read_ledger
    from ..ledger.status import ATTENTION, LedgerStatus, State, ledger_status

    result = read_ledger(file)
    calendar = load_calendar(settings.home)
    _problems(result.problems)
    day = today or dt.date.today()
    statuses = ledger_status(result.ledger, calendar, day, soon=soon, include_closed=include_closed)
    report = LedgerStatus(day, tuple(statuses), tuple(result.problems))
    if as_json:
        emit_json({"file": file, **report.dump()})
    else:
        from .present import console, status_table

        if statuses:
            console().print(status_table(report))
        click.echo(report.summary())
    if report.errors:
        stop(f"{file}：台账有{len(report.errors)}处错误（见上），这些行未计入")
    if State.UNKNOWN in report.states:
        sys.exit(EXIT_UNUSABLE)
    sys.exit(EXIT_FINDINGS if report.states & ATTENTION else EXIT_OK)


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
@click.option("--force", is_flag=True, help=FORCE_HELP)
def report(file: str, year: int, output: str, agency: str | None, cases_counted: str, force: bool) -> None:
    """由台账生成年度报告（表二至表四由台账计算，勾稽关系必然成立）。"""
    from ..files import check_output
    from ..ledger.cases import LedgerDataError
    from ..ledger.export import write_report
    from ..ledger.spreadsheet import read_ledger
    from ..ledger.tables import build_report, ledger_warnings
    from ..rules import run_rules

    check_output(output, replace=force, inputs=[file])  # before the work: never the ledger itself
    result = read_ledger(file)
    if result.errors:
        _problems(result.problems)
        stop(f"{file}：台账有{len(result.errors)}处错误（见上），未生成报告")
    counted: CasesCounted = "filed" if cases_counted == "filed" else "active"
    try:
        built = build_report(result.ledger, year, agency=agency, cases_counted=counted)
    except LedgerDataError as exc:  # pragma: no cover - read_ledger reported them already
        _problems(exc.problems)
        stop(f"{file}：{exc}")
    # the workbook's own warnings (e.g. a column the ledger does not use) and the year's
    warnings = result.warnings
    _problems(warnings + [p for p in ledger_warnings(result.ledger, year) if p not in warnings])
    findings = run_rules(built)
    # what the report still lacks (no agency, no date, 【待填写】 parts) is said before it is written
    for finding in findings:
        if finding.code == META:
            click.echo(f"注意：{finding.message}", err=True)
    with writing(output, force=force, inputs=[file]):
        fmt = write_report(built, output)
    _summary(year, fmt, output, built.table3 or {}, findings)
    sys.exit(EXIT_FINDINGS if any(f.severity == "error" for f in findings) else EXIT_OK)


def _summary(year: int, fmt: str, output: str, table3: TableData, findings: Sequence[Finding]) -> None:
    errors = [f for f in findings if f.severity == "error"]
    rule_warnings = [f for f in findings if f.severity == "warning"]
    received = table3["received_new"]["total"].value
    carried_out = table3["carried_over_out"]["total"].value
    click.echo(
        f"已生成{year}年度报告（{fmt}）：{output}。本年新收申请{received}件，结转下年度{carried_out}件；"
        f"核查：错误{len(errors)}项，警告{len(rule_warnings)}项。"
    )
    for finding in errors + rule_warnings:
        if finding.code != META:  # said before writing
            click.echo(f"  [{finding.code}] {finding.message}")
