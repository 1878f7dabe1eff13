"""What ``nianbao deadline`` and ``nianbao ledger …`` do; cli.py only declares the options.

Each function prints its output and returns the exit code (0 fine, 1 something needs attention,
2 the input could not be used; one clear line on stderr says why).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import click
from rich.console import Console

from ..errors import NianbaoError
from ..rules import run_rules
from .calendar import load_calendar
from .cases import LedgerDataError, Problem
from .deadlines import Channel, Consultation, answer_deadline
from .export import write_report
from .spreadsheet import read_ledger, write_template
from .status import State, ledger_status, status_table, summary
from .tables import CasesCounted, build_report, ledger_warnings

EXIT_OK, EXIT_ATTENTION, EXIT_UNUSABLE = 0, 1, 2
NO_REPLY = "-"


def _error(message: str) -> None:
    click.echo(f"错误：{message}", err=True)


def _problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        prefix = "错误" if problem.severity == "error" else "注意"
        click.echo(f"{prefix}：{problem}", err=True)


def _date(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise NianbaoError(f"{what}“{text}”不是 YYYY-MM-DD 格式的日期") from None


def run_deadline(
    received: dt.date,
    channel: str,
    corrected: dt.date | None,
    extended: bool,
    consulted: Sequence[tuple[str, str]],
    explain: bool,
) -> int:
    try:
        consultations = [
            Consultation(
                _date(sent, "--consulted 的发出日期"),
                None if reply == NO_REPLY else _date(reply, "--consulted 的收到意见日期"),
            )
            for sent, reply in consulted
        ]
        deadline = answer_deadline(
            load_calendar(),
            received,
            channel=Channel(channel),
            corrected=corrected,
            extended=extended,
            consultations=consultations,
        )
    except NianbaoError as exc:
        _error(str(exc))
        return EXIT_UNUSABLE
    if explain:
        for line in deadline.explain():
            click.echo(line)
    click.echo(deadline.due.isoformat())
    return EXIT_OK


def run_template(output: str, agency: str) -> int:
    try:
        write_template(output, agency=agency)
    except NianbaoError as exc:
        _error(str(exc))
        return EXIT_UNUSABLE
    except OSError as exc:
        _error(f"{output}：无法写入（{exc.strerror}）")
        return EXIT_UNUSABLE
    click.echo(f"已生成台账模板：{output}")
    return EXIT_OK


def run_status(file: str, today: dt.date | None, soon: int, include_closed: bool) -> int:
    try:
        result = read_ledger(file)
        calendar = load_calendar()
    except NianbaoError as exc:
        _error(str(exc))
        return EXIT_UNUSABLE
    _problems(result.problems)
    day = today or dt.date.today()
    statuses = ledger_status(result.ledger, calendar, day, soon=soon, include_closed=include_closed)
    console = Console(soft_wrap=True, highlight=False)
    if statuses:
        console.print(status_table(statuses, day))
    click.echo(summary(statuses))
    states = {status.state for status in statuses}
    if result.errors:
        _error(f"{file}：台账有{len(result.errors)}处错误（见上），这些行未计入")
        return EXIT_UNUSABLE
    if State.UNKNOWN in states:
        return EXIT_UNUSABLE
    if states & {State.OVERDUE, State.CORRECTION_LAPSED, State.FEE_LAPSED}:
        return EXIT_ATTENTION
    return EXIT_OK


def run_report(file: str, year: int, output: str, agency: str | None, cases_counted: CasesCounted) -> int:
    try:
        result = read_ledger(file)
    except NianbaoError as exc:
        _error(str(exc))
        return EXIT_UNUSABLE
    if result.errors:
        _problems(result.problems)
        _error(f"{file}：台账有{len(result.errors)}处错误（见上），未生成报告")
        return EXIT_UNUSABLE
    try:
        report = build_report(result.ledger, year, agency=agency, cases_counted=cases_counted)
        # the workbook's own warnings (e.g. a column the ledger does not use) and the year's
        warnings = result.warnings
        _problems(warnings + [p for p in ledger_warnings(result.ledger, year) if p not in warnings])
        findings = run_rules(report)
        fmt = write_report(report, output)
    except LedgerDataError as exc:  # pragma: no cover - read_ledger reported them already
        _problems(exc.problems)
        _error(f"{file}：{exc}")
        return EXIT_UNUSABLE
    except NianbaoError as exc:
        _error(str(exc))
        return EXIT_UNUSABLE
    except OSError as exc:
        _error(f"{output}：无法写入（{exc.strerror}）")
        return EXIT_UNUSABLE
    errors = [f for f in findings if f.severity == "error"]
    rule_warnings = [f for f in findings if f.severity == "warning"]
    table3 = report.table3 or {}
    received = table3["received_new"]["total"].value
    carried_out = table3["carried_over_out"]["total"].value
    click.echo(
        f"已生成{year}年度报告（{fmt}）：{output}。本年新收申请{received}件，结转下年度{carried_out}件；"
        f"核查：错误{len(errors)}项，警告{len(rule_warnings)}项。"
    )
    for finding in errors + rule_warnings:
        click.echo(f"  [{finding.code}] {finding.message}")
    click.echo("正文中标有【待填写】的部分须人工撰写后再发布。")
    return EXIT_ATTENTION if errors else EXIT_OK
