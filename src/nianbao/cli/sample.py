"""``nianbao sample``: write sample reports with seeded errors (a thin layer over nianbao.sample).

Exit codes: 0 written; 2 a parameter or the output directory cannot be used (one line, from the
group's guard).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from .exits import EXIT_OK

if TYPE_CHECKING:
    from ..sample import SampleParams, Written

ERROR_NAMES = {
    "arithmetic": "表格不平",
    "carry_over": "上年结转不符",
    "copied_text": "照抄上年",
    "late": "逾期发布",
    "missing": "缺报",
}
KIND_ORDER = ("txt", "md", "html", "docx", "pdf")


@click.command()
@click.option("-n", "--reports", "reports", required=True, metavar="N", help="报告份数（文件数），1–50000。")
@click.option("-o", "--output", required=True, metavar="DIR", help="输出目录；须不存在或为空。")
@click.option("--seed", default="0", metavar="S", show_default=True, help="随机种子：同一种子生成完全相同的样本。")
@click.option(
    "--error-rate",
    default="0.05",
    metavar="P",
    show_default=True,
    help="每份报告植入一处错误的概率（表格不平、上年结转不符、照抄上年、逾期发布），缺报也约占此比例；0–0.5。",
)
@click.option(
    "--kinds",
    default="txt,html",
    metavar="KINDS",
    show_default=True,
    help="文件类型，逗号分隔：txt、md、html、docx、pdf。每份约需：txt 2毫秒，md、html 5毫秒，docx 30毫秒，pdf 0.5秒（PDF 慢，万份请少用）。",
)
@click.option(
    "--years",
    default="2021-2025",
    metavar="FIRST-LAST",
    show_default=True,
    help="报告年度范围（2021年格式，2021年起）。",
)
@click.option(
    "--force",
    "--overwrite",
    "overwrite",
    is_flag=True,
    help="替换该目录中以前生成的样本（目录中不能有样本以外的文件）。",
)
def sample(reports: str, output: str, seed: str, error_rate: str, kinds: str, years: str, overwrite: bool) -> None:
    """生成示例省的样本年报（多年度、多层级机关），并在 manifest.json 中列明植入的每一处错误。"""
    from ..sample import params_from_text

    params = params_from_text(reports, seed, error_rate, kinds, years)
    click.echo(_summary(_write(params, output, overwrite)))
    sys.exit(EXIT_OK)


def _write(params: SampleParams, output: str, overwrite: bool) -> Written:
    from ..sample import write_sample

    if not sys.stderr.isatty():
        return write_sample(params, output, overwrite=overwrite)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("生成样本"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("sample", total=params.reports)
        return write_sample(params, output, overwrite=overwrite, progress=lambda done: bar.update(task, completed=done))


def _summary(written: Written) -> str:
    from ..sample import ERROR_KINDS, MANIFEST

    kinds = "、".join(f"{kind} {written.by_kind[kind]}" for kind in KIND_ORDER if written.by_kind.get(kind))
    errors = "、".join(f"{ERROR_NAMES[kind]}{written.errors[kind]}" for kind in ERROR_KINDS if written.errors.get(kind))
    return (
        f"已生成 {written.files} 份报告（{kinds}），植入错误：{errors or '无'}；清单见 {written.directory / MANIFEST}"
    )
