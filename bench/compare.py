"""Text parsing throughput of two source trees, alternately, in fresh processes.

On a shared VM the speed moves by more than most changes within minutes; running the two
versions in turn, many short times, and comparing medians shows the change.  Each round starts
one process per tree that parses the five seeds for ``--seconds`` with Python's default
collector, then as nianbao's own processes run (``runtime.tune_for_reading``).

    python bench/compare.py BASE_SRC [HEAD_SRC] [--rounds 10] [--seconds 1.5]

``BASE_SRC`` is the ``src`` folder of another checkout (``git worktree add /tmp/base REV``);
``HEAD_SRC`` defaults to this checkout's.  Prints one line per tree: the median and range of
each rate.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# run in the child: one core, the seeds parsed once, then the two rates
_CHILD = """
import json, os, sys, time
from pathlib import Path
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
from nianbao import parse_bytes
from nianbao.runtime import tune_for_reading
seconds = float(sys.argv[1])
inputs = [(path.name, path.read_bytes()) for path in sorted(Path(sys.argv[2]).glob("*.txt"))]
for name, data in inputs:
    parse_bytes(data, name)
def rate():
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for name, data in inputs:
            parse_bytes(data, name)
            done += 1
    return done / (time.perf_counter() - start)
defaults = rate()
tune_for_reading()
print(json.dumps([defaults, rate()]))
"""


def rates(src: Path, seconds: float) -> tuple[float, float]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"} | {"PYTHONPATH": str(src)}
    seeds = ROOT / "tests" / "fixtures" / "seeds"
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(seconds), str(seeds)], env=env, capture_output=True, text=True, check=True
    )
    defaults, tuned = json.loads(out.stdout)
    return defaults, tuned


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base", type=Path)
    parser.add_argument("head", type=Path, nargs="?", default=ROOT / "src")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=1.5)
    args = parser.parse_args()
    trees = {"base": args.base.resolve(), "head": args.head.resolve()}
    measured: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    for _ in range(args.rounds):
        for name, src in trees.items():
            measured[name].append(rates(src, args.seconds))
    for name, values in measured.items():
        shown = []
        for label, column in (("library defaults", 0), ("nianbao's processes", 1)):
            figures = sorted(value[column] for value in values)
            shown.append(f"{label} {statistics.median(figures):.0f} ({figures[0]:.0f}–{figures[-1]:.0f})")
        print(f"{name} ({trees[name]}): " + "; ".join(shown) + " reports/s")


if __name__ == "__main__":
    main()
