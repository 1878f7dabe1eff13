"""The one error guard: any failure becomes one line ``错误：…`` on stderr, never a traceback.

:func:`failure` decides the line for every command.  Commands that go through several files use
:func:`attempt` per file (the other files are still reported); everything else is caught once,
for the whole command, by :func:`guard_command` (``nianbao``'s group calls it).  Only with
``NIANBAO_DEBUG=1`` does an unexpected exception show its traceback.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, TypeVar

import click

from ..errors import NianbaoError, os_reason
from .exits import EXIT_UNUSABLE

T = TypeVar("T")


def failure(exc: Exception, where: str | None, *, debug: bool) -> str:
    """The line that says why ``where`` (a file, or the command) could not be done.

    An unexpected exception is a bug: re-raised when ``debug``, else named on the line.
    """
    prefix = f"{where}：" if where else ""
    if isinstance(exc, NianbaoError):
        return str(exc) if exc.source else f"{prefix}{exc}"
    if isinstance(exc, MemoryError):
        return f"{prefix}内存不足，无法处理" + ("该文件" if where else "")
    if debug:
        raise exc
    detail = f"{type(exc).__name__}: {exc}"
    if where:
        return f"{where}：处理时发生内部错误（{detail}），请将该文件反馈给开发者"
    return f"处理时发生内部错误（{detail}），请反馈给开发者"


@dataclass(frozen=True)
class Failed:
    """Why one piece of work failed, as the one line said for it."""

    message: str


def attempt(where: str, work: Callable[[], T], *, debug: bool) -> T | Failed:
    """``work()``, or why it failed: a bug in one file must not cost the user the other files."""
    try:
        return work()
    except Exception as exc:  # MemoryError included; KeyboardInterrupt and SystemExit are not
        return Failed(failure(exc, where, debug=debug))


def say_error(message: str) -> None:
    from ..files import valid_utf8  # a file name that is not UTF-8 is shown with U+FFFD

    click.echo(valid_utf8(f"错误：{message}"), err=True)


def stop(message: str) -> NoReturn:
    """Say why on one line and exit with :data:`EXIT_UNUSABLE`."""
    say_error(message)
    sys.exit(EXIT_UNUSABLE)


def guard_command(run: Callable[[], T], *, debug: Callable[[], bool]) -> T:
    """Run a whole command; click's own exits and usage errors pass through untouched."""
    try:
        with quiet_libraries():
            return run()
    except (click.ClickException, click.exceptions.Exit, click.Abort):
        raise
    except Exception as exc:
        stop(failure(exc, None, debug=debug()))


@contextlib.contextmanager
def quiet_libraries() -> Iterator[None]:
    """Libraries' warnings and log records (Pillow, pdfminer, …) never reach stderr: a broken
    input is said in nianbao's one line.  ``python -W …`` still shows warnings to a developer."""
    root = logging.getLogger()
    handler = logging.NullHandler()  # a handler on the root: logging's last resort stays silent
    root.addHandler(handler)
    try:
        if sys.warnoptions:
            yield
        else:
            with warnings.catch_warnings(action="ignore"):
                yield
    finally:
        root.removeHandler(handler)


@contextlib.contextmanager
def writing(path: str | Path, *, force: bool = False, inputs: Iterable[str | Path] = ()) -> Iterator[None]:
    """Write ``path`` in the block: first whether it may be written at all
    (:func:`nianbao.files.check_output`: never over an input, over an existing file only with
    ``--force``), then an :class:`OSError` while writing as a :class:`NianbaoError` naming it."""
    from ..files import check_output

    check_output(path, replace=force, inputs=[given for given in inputs if str(given) != "-"])
    try:
        yield
    except OSError as exc:
        raise NianbaoError(f"无法写入文件（{os_reason(exc)}）", source=str(path)) from None
