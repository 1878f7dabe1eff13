"""``nianbao doctor``: is everything nianbao needs on this machine?"""

from __future__ import annotations

import sys

import click

from ..settings import Settings
from .exits import EXIT_FINDINGS, EXIT_OK
from .options import pass_settings


@click.command()
@pass_settings
def doctor(settings: Settings) -> None:
    """检查运行环境：Python 包、中文字体、LibreOffice、OCR 模型。"""
    from ..doctor import run_checks
    from .present import console, doctor_table

    checks = run_checks(settings=settings)
    console().print(doctor_table(checks))
    missing = [check for check in checks if check.required and not check.ok]
    if missing:
        click.echo(f"有 {len(missing)} 项必需条件未满足。", err=True)
    sys.exit(EXIT_FINDINGS if missing else EXIT_OK)
