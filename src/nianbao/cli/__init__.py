"""The ``nianbao`` command: one click group over the core library.

The group resolves the settings once from the environment (:func:`nianbao.settings.resolve`)
and hands the frozen :class:`~nianbao.settings.Settings` to every command; an invalid setting
stops with one line.  Exit codes are public (:mod:`.exits`): 0 = nothing needs attention,
1 = something does (error findings, an overdue application), 2 = an input could not be used.
Every failure is one line ``错误：…`` on stderr (:mod:`.guard`).

The command modules import only click at the top; each command imports the core it needs when
it runs, so ``nianbao --help`` loads no reader and ``nianbao parse x.txt`` only the text one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import click

from .. import __version__
from ..errors import SettingsError
from ..settings import Settings, resolve
from .doctor import doctor
from .guard import guard_command
from .ledger import deadline, ledger
from .render import render
from .reports import check, parse, rules
from .sample import sample
from .stats import stats, summary
from .store import agencies, db, export, findings, import_, reports, worker

# renamed settings: a value under the old name must not be ignored in silence
_RENAMED = {"NIANBAO_DATA_DIR": "NIANBAO_HOME"}


def settings_from(environ: Mapping[str, str]) -> Settings:
    for old, new in _RENAMED.items():
        if old in environ and new not in environ:
            raise SettingsError(f"设置 {old} 已改名为 {new}，请改用 {new}={environ[old]!r}")
    return resolve(environ)


class Nianbao(click.Group):
    """The group whose invocation is guarded: any failure of any command is one line, exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        def debug() -> bool:
            return isinstance(ctx.obj, Settings) and ctx.obj.debug

        return guard_command(lambda: super(Nianbao, self).invoke(ctx), debug=debug)


@click.group(cls=Nianbao, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nianbao")
@click.pass_context
def main(ctx: click.Context) -> None:
    """nianbao（年报）：读取、核查、生成政府信息公开工作年度报告。"""
    if not isinstance(ctx.obj, Settings):  # a caller may hand its own (``main(obj=settings)``)
        ctx.obj = settings_from(os.environ)


FILE_COMMANDS = (parse, check, rules, render, deadline, ledger, doctor, sample)  # one report at a time
STORE_COMMANDS = (
    import_,
    worker,
    agencies,
    reports,
    findings,
    stats,
    summary,
    export,
    db,
)  # collecting many agencies' reports
COMMANDS = (*FILE_COMMANDS, *STORE_COMMANDS)
for command in COMMANDS:
    main.add_command(command)

__all__ = ["main", "settings_from"]
