"""Terminal views (rich), for people rather than programs: a report's findings, where the
ledger stands, the doctor's checks.  The data comes from the core; ``--json`` prints the same.
The report view of ``nianbao parse`` is plain text (:mod:`.plain`), so ``parse`` loads no rich."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..model import Finding, Report, severity_counts
from .plain import describe_report

if TYPE_CHECKING:  # the ledger and the doctor are imported by their commands only
    from ..doctor import Check
    from ..ledger.status import LedgerStatus

SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
_SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def console() -> Console:
    return Console(soft_wrap=True, highlight=False, markup=False, emoji=False)  # what we print is plain text


def show_findings(console: Console, report: Report, findings: Sequence[Finding]) -> None:
    console.print(Text(describe_report(report), style="bold"))
    console.print(Text(f"文件：{report.source.get('file', '')}", style="dim"))
    console.print(_key_figures(report))
    counts = severity_counts(findings)
    summary = Text("结果：")
    summary.append(f"错误 {counts['error']}", style=_SEVERITY_STYLES["error"] if counts["error"] else "green")
    summary.append(f" · 警告 {counts['warning']} · 提示 {counts['info']}")
    console.print(summary)
    for finding in findings:
        line = Text("  ")
        line.append(f"[{SEVERITY_NAMES[finding.severity]}]", style=_SEVERITY_STYLES[finding.severity])
        line.append(f" {finding.code} ", style="bold")
        line.append(finding.message)
        where = "、".join(dict.fromkeys(loc.describe() for loc in finding.locations[:3] if loc.describe()))
        if where:
            line.append(f"（{where}）", style="dim")
        console.print(line)
    console.print()


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
