"""The environment variable behind a setting, for error messages that say what to change.

The readers never read the environment; they take their limits from the frozen
:class:`~nianbao.settings.Settings` they are given, and name its variable when a limit stops them.
"""

from __future__ import annotations

from ..settings import SETTINGS


def variable(field: str) -> str:
    """The environment variable of the :class:`Settings` field ``field``."""
    return next(setting.name for setting in SETTINGS if setting.field == field)
