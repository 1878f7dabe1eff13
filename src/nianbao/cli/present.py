"""Terminal views (rich), for people rather than programs: a report, its findings, where the
ledger stands, the doctor's checks.  The data comes from the core; ``--json`` prints the same."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..formats import FORMATS, FormatSpec, get_format
from ..formats.labels import format_number
from ..model import CellValue, Finding, Report, TableData, severity_counts

if TYPE_CHECKING:  # the ledger and the doctor are imported by their commands only
    from ..doctor import Check
    from ..ledger.status import LedgerStatus

SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
_SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def console() -> Console:
    return Console(soft_wrap=True, highlight=False, markup=False, emoji=False)  # what we print is plain text


def describe_report(report: Report) -> str:
    version = FORMATS[report.format_version].name if report.format_version in FORMATS else "无统一格式统计表"
    parts = [
        report.agency or "（未识别机关名称）",
        f"{report.year}年度" if report.year else "（未识别年度）",
        version,
    ]
    if report.published:
        parts.append(f"发布 {report.published.isoformat()}")
    return " · ".join(parts)


def _cell_text(cell: CellValue | None) -> Text:
    if cell is None or cell.status == "missing":
        return Text("缺", style="dim red")
    if cell.status == "unreadable":
        return Text("?", style="bold red")
    if cell.status == "blank":
        return Text(cell.raw or "空", style="dim")
    return Text(format_number(cell.value))


def show_report(console: Console, report: Report) -> None:
    console.print(Text(describe_report(report), style="bold"))
    console.print(Text(f"文件：{report.source.get('file', '')}", style="dim"))
    spec = get_format(report.format_version)
    if report.table2:
        table = Table(title="表二 主动公开政府信息情况", title_justify="left")
        table.add_column("信息内容")
        table.add_column("数值")
        for block, row in spec.table2.rows:
            cols = report.table2.get(row.key, {})
            values = Text(" · ").join(
                Text.assemble(f"{col.name} ", _cell_text(cols.get(col.key))) for col in block.columns
            )
            table.add_row(row.label, values)
        console.print(table)
    if report.table3:
        console.print(_table3(report.table3, spec))
    if report.table4:
        table = Table(title="表四 政府信息公开行政复议、行政诉讼情况", title_justify="left")
        table.add_column("")
        for col in spec.table4.columns:
            table.add_column(col.label, justify="right")
        for group in spec.table4.groups:
            cols = report.table4.get(group.key, {})
            table.add_row(group.name, *(_cell_text(cols.get(col.key)) for col in spec.table4.columns))
        console.print(table)
    if not (report.table2 or report.table3 or report.table4):
        console.print("（本报告没有统一格式的统计表）")


# column headings short enough for an 80-column terminal
_SHORT_COLUMNS = {
    "commercial": "企业",
    "research": "科研",
    "social_welfare": "公益",
    "legal_service": "法律",
    "other_org": "其他",
}


def _table3(data: TableData, spec: FormatSpec) -> Table:
    table = Table(title="表三 收到和处理政府信息公开申请情况", title_justify="left")
    table.add_column("", no_wrap=True, max_width=22, overflow="ellipsis")
    for col in spec.table3.columns:
        table.add_column(_SHORT_COLUMNS.get(col.key, col.label), justify="right", no_wrap=True, min_width=4)
    names = {row.key: row.name for row in spec.table3.all_rows}
    for row_key, cols in data.items():
        table.add_row(names.get(row_key, row_key), *(_cell_text(cols.get(col.key)) for col in spec.table3.columns))
    return table


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
