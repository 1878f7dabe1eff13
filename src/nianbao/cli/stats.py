"""``nianbao stats`` and ``nianbao summary``: statistics and the region's summary over the store.

Like ``render``, an output file is written atomically; an existing file is replaced only with
``--force`` (decided before the statistics are computed).
A summary whose members have problems (tables that do not add up, unknown cells) is still
written — its problems and their effect on each total are listed first on the terminal and in
the file — because a region's summary must be made from what was reported, and hiding the
problems would be worse than showing them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from ..errors import NianbaoError
from .guard import writing
from .options import FORCE_HELP, json_option
from .store import _open_store

if TYPE_CHECKING:
    from ..stats import Stats, Total
    from ..stats.aggregate import GroupBy

_BY_CHOICES = ["agency", "region", "level", "year"]


def _region(text: str | None) -> str | None:
    if text is None:
        return None
    from ..web.store.services.statistics import store_region

    return store_region(text)


def _write(path: Path, data: bytes, force: bool) -> None:
    from ..files import write_atomic

    with writing(path, force=force):
        write_atomic(path, data)


@click.command()
@click.option("--region", help="行政区划代码或名称（含下级区划），默认全部")
@click.option("--year", type=int, help="统计年度，默认为库中最近的年度")
@click.option("--by", type=click.Choice(_BY_CHOICES), default="region", show_default=True, help="分组方式")
@click.option("--level", "levels", multiple=True, help="只统计该层级（省、市、县、乡或县级部门等，可多次给出）")
@click.option(
    "--xlsx", "xlsx", type=click.Path(dir_okay=False, path_type=Path), help="另存为 Excel 工作簿（每种视图一张表）"
)
@click.option("--force", is_flag=True, help=FORCE_HELP)
@json_option("以 JSON 输出全部统计结果")
def stats(
    region: str | None,
    year: int | None,
    by: str,
    levels: tuple[str, ...],
    xlsx: Path | None,
    force: bool,
    as_json: bool,
) -> None:
    """统计年报库中的报告：合计、比率（附分子、分母、样本数）、同比、异常、排名、按期发布、未报送。"""
    if xlsx is not None:
        from ..files import check_output

        check_output(xlsx, replace=force)
    _open_store()
    from ..stats.output import stats_json, stats_xlsx
    from ..web.store.services.statistics import store_stats

    computed = store_stats(year=year, region=_region(region), levels=levels or None, by=cast("GroupBy", by))
    if xlsx is not None:
        _write(xlsx, stats_xlsx(computed), force)
    if as_json:
        click.echo(stats_json(computed).decode("utf-8"), nl=False)
        return
    _print_stats(computed)
    if xlsx is not None:
        click.echo(f"已生成 {xlsx}（Excel）")


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _print_stats(computed: Stats) -> None:
    from ..formats.labels import format_number

    scope = computed.region_name or computed.region or "全部"
    click.echo(f"{scope} {computed.year}年：{computed.reports}份报告")
    header = ("分组", "报告数", "本年新收申请", "办理结果总计", "公开率（分子/分母，样本）", "复议纠错率", "诉讼败诉率")
    click.echo("\t".join(header))
    for group in [*computed.groups, computed.overall]:
        totals, rates = group.totals, group.rates
        disclosure = rates["disclosure_rate"]
        cells = [
            "合计" if group is computed.overall else group.label,
            str(group.reports),
            _total(totals["received_new"]),
            _total(totals["results_total"]),
            f"{_percent(disclosure.value)}（{format_number(disclosure.numerator)}/"
            f"{format_number(disclosure.denominator)}，{disclosure.n}家）",
            _percent(rates["review_correction_rate"].value),
            _percent(rates["litigation_loss_rate"].value),
        ]
        click.echo("\t".join(cells))
    if computed.anomalies:
        click.echo(f"异常 {len(computed.anomalies)} 项：")
        for anomaly in computed.anomalies[:20]:
            click.echo(f"  {anomaly.agency}：{anomaly.message}")
        if len(computed.anomalies) > 20:
            click.echo(f"  ……其余 {len(computed.anomalies) - 20} 项见 --xlsx 或 --json")
    click.echo(f"逾期发布 {len(computed.late)} 份，未报送 {len(computed.missing)} 家")
    for member in computed.missing[:20]:
        click.echo(f"  未报送：{member.name}（{member.region_code}）")
    if len(computed.missing) > 20:
        click.echo(f"  ……其余 {len(computed.missing) - 20} 家见 --xlsx 或 --json")


def _total(total: Total) -> str:
    from ..formats.labels import format_number

    shown = format_number(total.value)
    return f"≥{shown}（{total.unknown}家未知）" if total.unknown else shown


@click.command()
@click.option("--region", required=True, help="行政区划代码或名称（含下级区划）")
@click.option("--year", required=True, type=int, help="汇总年度")
@click.option("--level", "levels", multiple=True, help="只汇总该层级（省、市、县、乡或县级部门等，可多次给出）")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="输出文件：.docx、.pdf、.html、.md（按国家统一格式）、.xlsx（含来源表）、.json（含每格来源）",
)
@click.option("--partial", is_flag=True, help="不完整的合计也印出（作为下限并注明），默认留空并注明原因")
@click.option(
    "--explain",
    "explain",
    multiple=True,
    metavar="CELL",
    help="列出该单元格合计的来源，如 table3.results_total.total（可多次给出）",
)
@click.option("--force", is_flag=True, help=FORCE_HELP)
def summary(
    region: str,
    year: int,
    levels: tuple[str, ...],
    output: Path | None,
    partial: bool,
    explain: tuple[str, ...],
    force: bool,
) -> None:
    """汇总所选区划各单位的年度报告（表二至表四逐格相加），生成本地区的年度报告汇总。"""
    if output is None and not explain:
        raise click.UsageError("请用 -o 指定输出文件，或用 --explain 查看单元格来源")
    fmt = _summary_format(output) if output is not None else None
    if output is not None:
        from ..files import check_output

        check_output(output, replace=force)
    _open_store()
    from ..stats.output import summary_bytes
    from ..web.store.services.statistics import store_summary

    made = store_summary(year, region=_region(region), levels=levels or None, partial=partial)
    for line in made.notes():  # problems first, never hidden
        click.echo(line)
    for cell in explain:
        if cell not in made.totals:
            raise NianbaoError(f"没有单元格 {cell}（格式如 table3.results_total.total）")
        for line in made.explain(cell):
            click.echo(line)
    if output is not None and fmt is not None:
        _write(output, summary_bytes(made, fmt), force)
        click.echo(f"已生成 {output}")


def _summary_format(output: Path) -> str:
    from ..files import format_for_filename
    from ..stats.output import SUMMARY_FORMATS

    fmt = format_for_filename(output)
    if fmt not in SUMMARY_FORMATS:
        raise NianbaoError(f"无法识别输出格式：{output.name}（应为 .docx、.pdf、.html、.md、.xlsx 或 .json）")
    return fmt
