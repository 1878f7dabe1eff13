"""Terminal views (rich), for people rather than programs: a report's findings, where the
ledger stands, the doctor's checks.  The data comes from the core; ``--json`` prints the same.
The report view of ``nianbao parse`` is plain text (:mod:`.plain`), so ``parse`` loads no rich."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..model import CHECK_STATUS_NAMES, SEVERITY_NAMES, CheckResult, Finding, Report
from ..places import Places, shown
from .plain import describe_report

if TYPE_CHECKING:  # the ledger and the doctor are imported by their commands only
    from ..doctor import Check
    from ..ledger.status import LedgerStatus

_SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def console() -> Console:
    return Console(soft_wrap=True, highlight=False, markup=False, emoji=False)  # what we print is plain text


def show_check(console: Console, report: Report, checked: CheckResult, *, every_check: bool = False) -> None:
    """One report's check: what it is, its counts, then its findings or (``every_check``) the
    whole checklist with each failed item's findings under it."""
    console.print(Text(describe_report(report), style="bold"))
    console.print(Text(f"文件：{checked.file}", style="dim"))
    if checked.previous:
        console.print(Text(f"对照的上年报告：{checked.previous}", style="dim"))
    console.print(_key_figures(report))
    summary = Text("结果：")
    summary.append(f"错误 {checked.errors}", style=_SEVERITY_STYLES["error"] if checked.errors else "green")
    summary.append(f" · 警告 {checked.warnings} · 提示 {checked.infos}")
    console.print(summary)
    counts = checked.checks
    console.print(
        Text(
            f"核查项 {len(checked.checklist)}："
            + " · ".join(f"{CHECK_STATUS_NAMES[status]} {counts[status]}" for status in CHECK_STATUS_NAMES)
        )
    )
    places = Places(report)
    if every_check:
        _show_checklist(console, checked, places)
    else:
        for finding in checked.findings:
            console.print(_finding_line(finding, places, "  "))
        if counts["not_checkable"]:
            console.print(
                Text(f"  （无法核查的{counts['not_checkable']}项及其原因：nianbao check --all）", style="dim")
            )
    console.print()


_STATUS_STYLES = {"passed": "green", "failed": "bold red", "not_checkable": "yellow", "not_applicable": "dim"}


def _show_checklist(console: Console, checked: CheckResult, places: Places) -> None:
    from ..rules import FAMILIES, RULES

    family = None
    for item in checked.checklist:
        rule = RULES.get(item.code)
        if rule is not None and rule.family != family:
            family = rule.family
            console.print(Text(f"  {FAMILIES[family]}", style="bold"))
        name = CHECK_STATUS_NAMES[item.status]
        line = Text("    ")
        style = _SEVERITY_STYLES[item.severity] if item.severity else _STATUS_STYLES[item.status]
        line.append(name + "　" * (4 - len(name)), style=style)  # the names are 2–4 wide characters
        line.append(f" {item.code} ", style="bold")
        line.append(item.subject)
        if item.reason:
            line.append(f"：{item.reason}", style="dim")
        console.print(line)
        for at in item.findings:
            console.print(_finding_line(checked.findings[at], places, "        "))


def _finding_line(finding: Finding, places: Places, indent: str) -> Text:
    line = Text(indent)
    line.append(f"[{SEVERITY_NAMES[finding.severity]}]", style=_SEVERITY_STYLES[finding.severity])
    line.append(f" {finding.code} ", style="bold")
    line.append(finding.message)
    where = shown(places.of_finding(finding))
    if where:
        line.append(f"（{where}）", style="dim")
    return line


def _key_figures(report: Report) -> Text:
    def value(cell_id: str) -> str:
        cell = report.cell(cell_id)
        if cell is None or cell.number is None:
            return "?"
        return f"{cell.number:g}"

    if not report.table3:
        return Text("（无统计表）", style="dim")
    parts = [
        f"本年新收申请 {value('table3.received_new.total')} 件",
        f"上年结转 {value('table3.carried_over_in.total')} 件",
        f"办结 {value('table3.results_total.total')} 件",
        f"结转下年 {value('table3.carried_over_out.total')} 件",
    ]
    if report.table4:
        parts.append(f"行政复议 {value('table4.review.total')} 件")
        litigation = [
            report.cell(f"table4.{group}.total") for group in ("litigation_direct", "litigation_after_review")
        ]
        if all(cell is not None and cell.number is not None for cell in litigation):
            total = sum(float(cell.number) for cell in litigation if cell is not None and cell.number is not None)
            parts.append(f"行政诉讼 {total:g} 件")
        else:
            parts.append("行政诉讼 ? 件")
    return Text("；".join(parts))


# by State value (a StrEnum, so State.OVERDUE finds "overdue")
_STATE_STYLES = {
    "overdue": "bold red",
    "unknown": "bold red",
    "correction_lapsed": "red",
    "fee_lapsed": "red",
    "due_soon": "yellow",
    "closed_late": "yellow",
}


def status_table(status: LedgerStatus) -> Table:
    table = Table(title=f"依申请公开办理情况（{status.today.isoformat()}）", title_justify="left")
    for heading in ("申请编号", "收到日期", "状态", "答复期限", "剩余工作日"):
        table.add_column(heading, no_wrap=True)
    table.add_column("说明", overflow="fold", min_width=20)
    for row in status.applications:
        # Text, not markup: numbers and notes are the clerk's own words and may contain brackets
        table.add_row(
            Text(row.number),
            Text(row.application.received.isoformat()),
            Text(row.state.label, style=_STATE_STYLES.get(row.state, "")),
            Text(row.due.isoformat() if row.due else ""),
            Text("" if row.workdays_left is None else str(row.workdays_left)),
            Text("；".join(row.notes)),
        )
    return table


def doctor_table(checks: Sequence[Check]) -> Table:
    table = Table(title="nianbao 运行环境检查", title_justify="left")
    for heading in ("项目", "状态", "情况", "如何补齐"):
        table.add_column(heading)
    for check in checks:
        if check.ok:
            status = Text("正常", style="green")
        else:
            status = Text("缺失", style="red") if check.required else Text("可选", style="yellow")
        table.add_row(Text(check.name), status, Text(check.found), Text("" if check.ok else check.fix))
    return table
