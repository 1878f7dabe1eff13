"""Options and output shared by several commands."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..settings import Settings

F = TypeVar("F", bound=Callable[..., Any])

pass_settings = click.make_pass_decorator(Settings)
"""Hands the command the settings the group resolved once (first positional argument)."""

DATE = click.DateTime(formats=["%Y-%m-%d"])


def json_option(help: str) -> Callable[[F], F]:
    """``--json``: the command prints its result as JSON (``as_json``) instead of a view."""
    return click.option("--json", "as_json", is_flag=True, help=help)


def emit_json(payload: Any) -> None:
    from ..files import valid_utf8

    click.echo(valid_utf8(json.dumps(payload, ensure_ascii=False, indent=1)))
