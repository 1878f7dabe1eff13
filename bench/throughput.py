"""Parsing throughput and peak memory on the bundled text reports, one process on one core.

Prints one figure per line.  Record the results with the machine in docs/benchmarks.md.  The
rates are measured twice: with Python's default collector (a program calling the library), then
as nianbao's own processes run (``nianbao.runtime.tune_for_reading``: the command line, the
import's parsing processes, the worker).

    python bench/throughput.py [--seconds 5] [FILES...]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from nianbao import parse_bytes
from nianbao.rules import run_rules
from nianbao.runtime import tune_for_reading

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    files = args.files or sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))
    inputs = [(path.name, path.read_bytes()) for path in files]
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    # cold: the first parse of each file in this process (caches empty)
    start = time.perf_counter()
    for name, data in inputs:
        parse_bytes(data, name)
    cold_ms = (time.perf_counter() - start) / len(inputs) * 1000

    def rate(work: Callable[[str, bytes], object]) -> float:
        done = 0
        start = time.perf_counter()
        while time.perf_counter() - start < args.seconds:
            for name, data in inputs:
                work(name, data)
                done += 1
        return done / (time.perf_counter() - start)

    def parse(name: str, data: bytes) -> object:
        return parse_bytes(data, name)

    def check(name: str, data: bytes) -> object:
        return run_rules(parse_bytes(data, name))

    parse_rate, check_rate = rate(parse), rate(check)
    tune_for_reading()
    tuned_parse_rate, tuned_check_rate = rate(parse), rate(check)

    tracemalloc.start()
    for name, data in inputs:
        parse_bytes(data, name)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(f"machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()}".strip())
    print(f"files: {len(inputs)} ({sum(len(d) for _, d in inputs) / len(inputs) / 1024:.1f} KB on average)")
    print(f"first parse (cold): {cold_ms:.1f} ms per report")
    print(f"parse (read + extract): {parse_rate:.0f} reports/s (nianbao's processes: {tuned_parse_rate:.0f})")
    print(f"parse + check: {check_rate:.0f} reports/s (nianbao's processes: {tuned_check_rate:.0f})")
    print(f"peak traced allocation while parsing one report: {traced_peak / 1024 / 1024:.1f} MB")
    print(f"peak RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MB")


if __name__ == "__main__":
    main()
