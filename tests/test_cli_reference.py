"""docs/cli.md is the ``--help`` of every command, generated; it must match the program."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click

from nianbao.cli import main
from nianbao.cli.reference import reference

DOCS = Path(__file__).parents[1] / "docs" / "cli.md"


def command_paths(command: click.Command, path: str) -> list[str]:
    paths = [path]
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            paths += command_paths(sub, f"{path} {name}")
    return paths


def test_cli_reference_is_current() -> None:
    assert DOCS.read_text(encoding="utf-8") == reference(), "docs/cli.md is stale: run `make docs`"


def test_every_command_and_option_is_in_the_reference() -> None:
    text = reference()
    paths = command_paths(main, "nianbao")
    assert {"nianbao ledger status", "nianbao render", "nianbao deadline"} <= set(paths)
    for path in paths:
        assert f"## `{path}`" in text and f"用法: {path} " in text
    status = text.split("## `nianbao ledger status`")[1].split("## ")[0]
    assert "--json" in status and "--today YYYY-MM-DD" in status


def test_the_generator_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "nianbao.cli.reference"], capture_output=True, encoding="utf-8", timeout=60
    )
    assert done.returncode == 0 and done.stdout == reference()
