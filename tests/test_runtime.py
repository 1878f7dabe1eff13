"""``nianbao.runtime``: nianbao's own processes tune the collector; the library leaves its caller's alone."""

from __future__ import annotations

import gc
import multiprocessing
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

import pytest

from helpers import SEEDS
from nianbao import parse_bytes
from nianbao.runtime import READING_THRESHOLDS, tune_for_reading


@pytest.fixture
def thresholds() -> Iterator[None]:
    saved = gc.get_threshold()
    yield
    gc.set_threshold(*saved)


def test_reading_a_report_leaves_the_callers_collector_alone(thresholds: None) -> None:
    gc.set_threshold(700, 10, 10)
    parse_bytes(SEEDS[0].read_bytes(), SEEDS[0].name)
    assert gc.get_threshold() == (700, 10, 10)


def test_tuning_only_raises_and_keeps_a_collector_switched_off(thresholds: None) -> None:
    gc.set_threshold(700, 10, 10)
    tune_for_reading()
    assert gc.get_threshold() == READING_THRESHOLDS
    gc.set_threshold(50_000, 10, 500)
    tune_for_reading()
    assert gc.get_threshold() == (50_000, 50, 500)
    gc.set_threshold(0)
    tune_for_reading()
    assert gc.get_threshold()[0] == 0


@pytest.mark.parametrize("program", ["console", "module"])
def test_the_command_line_runs_tuned(program: str) -> None:
    # the program itself, as a user starts it; --version runs the group and exits 0
    entry = "from nianbao.cli import run" if program == "console" else "import runpy"
    call = "run()" if program == "console" else "runpy.run_module('nianbao', run_name='__main__')"
    code = (
        f"import gc, sys\n{entry}\nsys.argv = ['nianbao', '--version']\n"
        f"try:\n    {call}\nexcept SystemExit as exc:\n    assert exc.code in (0, None)\n"
        "print(gc.get_threshold())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == str(READING_THRESHOLDS)


def test_the_imports_parsing_processes_run_tuned() -> None:
    from nianbao.web.store.services.parsing import start_parsing_process

    context = multiprocessing.get_context("spawn")  # as the importer starts them
    with ProcessPoolExecutor(1, mp_context=context, initializer=start_parsing_process) as pool:
        assert pool.submit(gc.get_threshold).result(timeout=60) == READING_THRESHOLDS
