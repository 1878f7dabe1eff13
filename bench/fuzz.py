"""The long fuzz run: many seeded mutations of a real file per reader, each a ``nianbao check``.

Cases are those of ``tests/fuzzing.py`` (the test suite runs a few per category).  Each category
runs in a child process with its address space capped (``--memory-mb``, default 3000): a case
that needs more ends in a MemoryError, counted as a memory blow-up.  The parent waits at most
``--timeout`` seconds (wall) for each case's answer; past it the child is killed, the case is a
hang, and a new child goes on with the next case.  Per category it prints cases, crashes (an
exit other than 0/1, or 2 with anything but one clear line), hangs, memory blow-ups, the worst
CPU time of a case and the child's peak memory.

    python bench/fuzz.py [--cases 200] [--seed 0] [--categories text,pdf] [--timeout 120]
"""

from __future__ import annotations

import argparse
import json
import resource
import selectors
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def child(category: str, first: int, count: int, seed: int, memory_mb: int) -> None:
    """Run cases ``first`` … ``count - 1``; one JSON line per case on stdout."""
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from click.testing import CliRunner

    from fuzzing import cases, path_for, verdict
    from nianbao.cli import main

    with tempfile.TemporaryDirectory() as folder:
        for case in cases(category, count, seed):
            if case.number < first:
                continue
            path = path_for(case, Path(folder))
            start, wall = time.process_time(), time.perf_counter()
            result = CliRunner().invoke(main, ["check", str(path)])
            seconds, wall = time.process_time() - start, time.perf_counter() - wall
            path.unlink()
            why = verdict(result.exit_code, result.stderr)
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                why = f"{type(result.exception).__name__}: {result.exception}"
            memory = "内存不足" in result.stderr or isinstance(result.exception, MemoryError)
            line = {
                "number": case.number,
                "mutation": case.mutation,
                "exit": result.exit_code,
                "why": why,
                "memory": memory,
                "seconds": round(seconds, 3),
                "wall": round(wall, 3),  # LibreOffice's time is in its own process: wall only
                "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
            print(json.dumps(line, ensure_ascii=False), flush=True)


def run_category(category: str, count: int, seed: int, timeout: float, memory_mb: int) -> dict[str, object]:
    results: list[dict[str, object]] = []
    hangs: list[int] = []
    next_case = 0
    while next_case < count:
        command = [sys.executable, __file__, "--child", category, "--first", str(next_case), "--cases", str(count),
                   "--seed", str(seed), "--memory-mb", str(memory_mb)]  # fmt: skip
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert process.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(process.stdout, selectors.EVENT_READ)
        while next_case < count:
            if not selector.select(timeout):
                process.kill()
                hangs.append(next_case)
                next_case += 1
                break
            line = process.stdout.readline()
            if not line:  # the child died (killed by the system, or a crash of the interpreter)
                process.wait()
                results.append({"number": next_case, "why": f"子进程退出（{process.returncode}）", "memory": True})
                next_case += 1
                break
            done = json.loads(line)
            results.append(done)
            next_case = int(done["number"]) + 1
        process.kill()
        process.wait()
    crashes = [r for r in results if r.get("why") and not r.get("memory")]
    memory = [r for r in results if r.get("memory")]
    timed = [r for r in results if "seconds" in r]
    worst = max(timed, key=lambda r: float(r["seconds"]), default={})  # type: ignore[arg-type]
    return {
        "category": category,
        "cases": count,
        "read": sum(1 for r in timed if r.get("exit") in (0, 1)),
        "refused": sum(1 for r in timed if r.get("exit") == 2 and not r.get("why") and not r.get("memory")),
        "crashes": len(crashes),
        "hangs": len(hangs),
        "memory": len(memory),
        "worst_seconds": worst.get("seconds"),
        "worst_case": f"#{worst.get('number')} {worst.get('mutation')}" if worst else None,
        "worst_wall": max((float(r["wall"]) for r in timed), default=None),  # type: ignore[arg-type]
        "peak_rss_mb": max((float(r["rss_mb"]) for r in timed), default=None),  # type: ignore[arg-type]
        "failures": [f"#{r['number']} {r.get('mutation')}: {r['why']}" for r in crashes + memory][:10]
        + [f"#{n}: 超时" for n in hangs][:10],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=200, help="cases per category")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--categories", default="")
    parser.add_argument("--timeout", type=float, default=120, help="seconds (wall) a case may take")
    parser.add_argument("--memory-mb", type=int, default=3000)
    parser.add_argument("--child", default="")
    parser.add_argument("--first", type=int, default=0)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.first, args.cases, args.seed, args.memory_mb)
        return
    from fuzzing import MUTATORS

    categories = [c for c in args.categories.split(",") if c] or sorted(MUTATORS)
    print("| category | cases | read (exit 0/1) | refused in one line (exit 2) | crashes | hangs | memory blow-ups "
          "| worst CPU time of a case | worst wall time | peak memory |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    for category in categories:
        row = run_category(category, args.cases, args.seed, args.timeout, args.memory_mb)
        print(
            f"| {category} | {row['cases']} | {row['read']} | {row['refused']} | {row['crashes']} | {row['hangs']} | {row['memory']} | "
            f"{row['worst_seconds']} s ({row['worst_case']}) | {row['worst_wall']} s | {row['peak_rss_mb']} MB |",
            flush=True,
        )
        for failure in row["failures"]:  # type: ignore[attr-defined]
            print(f"  - {failure}", file=sys.stderr)


if __name__ == "__main__":
    main()
