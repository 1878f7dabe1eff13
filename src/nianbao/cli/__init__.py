"""The ``nianbao`` command: one click group over the core library.

The group resolves the settings once from the environment (:func:`nianbao.settings.resolve`)
and hands the frozen :class:`~nianbao.settings.Settings` to every command; an invalid setting
stops with one line.  Exit codes are public (:mod:`.exits`): 0 = nothing needs attention,
1 = something does (error findings, an overdue application), 2 = an input could not be used.
Every failure is one line ``错误：…`` on stderr (:mod:`.guard`).

The group knows its commands by name and imports a command's module only when that command is
looked up (invoked, or listed by ``--help``), so ``nianbao parse x.txt`` does not load the store,
ledger, render or stats commands.  The command modules import only click at the top; each
command imports the core it needs when it runs, so ``nianbao --help`` loads no reader and
``nianbao parse x.txt`` only the text one.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from typing import Any

import click

from .. import __version__
from ..errors import SettingsError
from ..settings import Settings, resolve
from .guard import guard_command
from .messages import install as _chinese_messages

_chinese_messages()  # click's own usage messages in Chinese, like everything else the CLI says

# renamed settings: a value under the old name must not be ignored in silence
_RENAMED = {"NIANBAO_DATA_DIR": "NIANBAO_HOME"}


def settings_from(environ: Mapping[str, str]) -> Settings:
    for old, new in _RENAMED.items():
        if old in environ and new not in environ:
            raise SettingsError(f"设置 {old} 已改名为 {new}，请改用 {new}={environ[old]!r}")
    return resolve(environ)


# command name -> (module in nianbao.cli, attribute); the modules are imported on first use
FILE_COMMANDS = {  # one report at a time
    "parse": ("reports", "parse"),
    "check": ("reports", "check"),
    "rules": ("reports", "rules"),
    "render": ("render", "render"),
    "deadline": ("ledger", "deadline"),
    "ledger": ("ledger", "ledger"),
    "doctor": ("doctor", "doctor"),
    "sample": ("sample", "sample"),
}
STORE_COMMANDS = {  # collecting many agencies' reports
    "import": ("store", "import_"),
    "worker": ("store", "worker"),
    "agencies": ("store", "agencies"),
    "reports": ("store", "reports"),
    "findings": ("store", "findings"),
    "stats": ("stats", "stats"),
    "summary": ("stats", "summary"),
    "export": ("store", "export"),
    "db": ("store", "db"),
}
WEB_COMMANDS = {  # the web application
    "serve": ("web", "serve"),
    "createuser": ("web", "createuser"),
    "demo": ("web", "demo"),
}
COMMANDS = FILE_COMMANDS | STORE_COMMANDS | WEB_COMMANDS


class Nianbao(click.Group):
    """The group whose invocation is guarded: any failure of any command is one line, exit 2.

    Its commands are loaded lazily from :data:`COMMANDS`; a command added with ``add_command``
    (tests do) takes precedence."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, attribute = COMMANDS[cmd_name]
            command = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
            assert isinstance(command, click.Command) and command.name == cmd_name
            self.add_command(command)
        return self.commands.get(cmd_name)

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


def run() -> None:
    """The ``nianbao`` program (console script and ``python -m nianbao``): the process tuned for
    reading many reports (:mod:`nianbao.runtime`), then the group."""
    from ..runtime import tune_for_reading

    tune_for_reading()
    main()


__all__ = ["main", "run", "settings_from"]
