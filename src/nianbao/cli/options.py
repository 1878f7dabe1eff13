"""Options and output shared by several commands."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..settings import Settings

F = TypeVar("F", bound=Callable[..., Any])

pass_settings = click.make_pass_decorator(Settings)
"""Hands the command the settings the group resolved once (first positional argument)."""


class TypedDate(click.ParamType[dt.date, Any]):
    """A date as people type it — 2025-10-03, 2025/10/03, 2025.10.3, 2025年10月3日 — read by the
    same function as the workbook's dates (:func:`nianbao.ledger.calendar.typed_date`)."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        from ..ledger.calendar import typed_date  # on use: --help loads no ledger

        day = typed_date(str(value))
        if day is None:
            self.fail(f"“{value}”不是有效日期（可写 2025-10-03、2025/10/03、2025.10.3 或 2025年10月3日）", param, ctx)
        return day


DATE = TypedDate()

FORCE_HELP = "输出文件已存在时替换它（不加则不覆盖；输出文件不能是输入文件）。"
"""The help of ``--force`` on every command that writes a file (nianbao.files.check_output decides)."""


def json_option(help: str) -> Callable[[F], F]:
    """``--json``: the command prints its result as JSON (``as_json``) instead of a view."""
    return click.option("--json", "as_json", is_flag=True, help=help)


def emit_json(payload: Any) -> None:
    from ..files import valid_utf8

    click.echo(valid_utf8(json.dumps(payload, ensure_ascii=False, indent=1)))
