"""Cold start: wall time of a fresh ``nianbao parse`` process, and how much of it is imports.

Runs the command N times (each a new interpreter, nothing cached in memory but the OS's file
cache), prints the min and median wall time, then runs it once more under ``-X importtime``
and prints the time spent importing modules (the sum of the top-level imports) and the
slowest top-level imports.  Prints one figure per line.

The runs write and use the bytecode cache (``__pycache__``) even when PYTHONDONTWRITEBYTECODE
is set, as an installed package does: compiling nianbao's sixty modules from source on every
start would otherwise be a fifth of the figure.

    python bench/coldstart.py [--runs 20] [FILE]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILE = ROOT / "tests" / "fixtures" / "seeds" / "000_5760a6a96cb60824.txt"


def command(path: Path) -> list[str]:
    """The installed console script next to this interpreter, as a user runs it."""
    return [str(Path(sys.executable).parent / "nianbao"), "parse", str(path)]


def environment(**extra: str) -> dict[str, str]:
    """This process's environment with the bytecode cache allowed."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"} | extra


def wall_times(path: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            command(path), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment()
        )
        times.append(time.perf_counter() - start)
    return times


def import_times(path: Path) -> tuple[float, list[tuple[float, str]]]:
    """Total seconds of the top-level imports, and the top-level imports, slowest first."""
    environ = environment(PYTHONPROFILEIMPORTTIME="1")  # the same as python -X importtime
    done = subprocess.run(command(path), capture_output=True, text=True, check=True, env=environ)
    top: list[tuple[float, str]] = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative, name = line[len("import time:") :].split("|", 2)
        if not name.startswith(" ") or name.startswith("  "):
            continue  # a nested import: already inside its parent's cumulative time
        top.append((int(cumulative) / 1e6, name.strip()))
    return sum(seconds for seconds, _ in top), sorted(top, reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    wall_times(args.file, 2)  # warm the OS file cache and write the bytecode cache
    times = wall_times(args.file, args.runs)
    imports, top = import_times(args.file)
    print(f"file: {args.file.name}")
    print(f"runs: {args.runs}")
    print(f"wall min: {min(times):.3f} s")
    print(f"wall median: {statistics.median(times):.3f} s")
    print(f"imports (one run, PYTHONPROFILEIMPORTTIME): {imports:.3f} s")
    print("slowest top-level imports: " + ", ".join(f"{name} {seconds * 1000:.0f} ms" for seconds, name in top[:5]))


if __name__ == "__main__":
    main()
