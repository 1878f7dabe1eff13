"""The bounded fuzz harness: seeded mutations of a real file per reader, each checked as a user
meets it (``nianbao check``: exit 0/1 and a quiet stderr, or exit 2 and one clear line), within
a time bound.  Deterministic and a few seconds in all; ``bench/fuzz.py`` runs many more cases."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from fuzzing import MUTATORS, SLOW, cases, path_for, verdict
from nianbao.cli import main

CASES_PER_CATEGORY = 6
SECONDS_PER_CASE = 20  # a bound far above any case (the slowest take about a second)


@contextmanager
def time_bound(seconds: int) -> Iterator[None]:
    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("category", sorted(set(MUTATORS) - SLOW))
def test_every_mutated_file_gets_an_answer_or_one_clear_line(category: str, tmp_path: Path) -> None:
    failures = []
    for case in cases(category, CASES_PER_CATEGORY):
        path = path_for(case, tmp_path)
        start = time.perf_counter()
        with time_bound(SECONDS_PER_CASE):
            result = CliRunner().invoke(main, ["check", str(path)])
        why = verdict(result.exit_code, result.stderr)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            why = f"{type(result.exception).__name__}: {result.exception}"
        if why:
            failures.append(
                f"{case.category} #{case.number} ({case.mutation}, {time.perf_counter() - start:.1f} s): {why}"
            )
    assert failures == []


def test_the_cases_are_deterministic_and_mutated() -> None:
    first = [case.data for case in cases("docx", 3)]
    assert first == [case.data for case in cases("docx", 3)]
    assert [case.data for case in cases("docx", 3, seed=1)] != first
    assert all(data != cases("docx", 1).__next__().data or n == 0 for n, data in enumerate(first))
