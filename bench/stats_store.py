"""``nianbao stats`` and ``nianbao summary`` over N stored reports, timed as the user runs them.

A txt sample of N reports (``nianbao sample``) with its 名录 is imported once into a store
(``--home``, kept between runs: generating and importing 10,000 reports takes minutes, the
timings seconds); then each command runs as a subprocess and its wall time — start-up, query,
computing and writing included — is the best of ``--repeat`` runs.  Prints one figure per line.
SQLite unless DATABASE_URL names a PostgreSQL database.  Record the results in docs/benchmarks.md.

    python bench/stats_store.py [--reports 10000] [--home /tmp/nianbao-bench-stats] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import tempfile
import time
from pathlib import Path

from storebench import engine, fresh_store, run, store_env


def stored_reports(env: dict[str, str]) -> int:
    try:
        return len(json.loads(run(env, "reports", "--json").stdout))
    except subprocess.CalledProcessError:
        return 0


def prepare(home: Path, reports: int, env: dict[str, str]) -> None:
    """Generate and import the sample unless the store already holds it."""
    if stored_reports(env) >= reports:
        return
    env.update(fresh_store(home))
    sample = home / "sample"
    started = time.perf_counter()
    run(env, "sample", "-n", str(reports), "--seed", "7", "--kinds", "txt", "-o", str(sample), "--overwrite")
    print(f"generate {reports} txt reports: {time.perf_counter() - started:.1f} s")
    run(env, "agencies", "load", str(sample / "名录.csv"))
    started = time.perf_counter()
    run(env, "import", *sorted(str(p) for p in sample.glob("20??")), "--jobs", "2", "--json")
    elapsed = time.perf_counter() - started
    print(f"import {reports} reports (2 jobs): {elapsed:.0f} s ({reports / elapsed:.1f} reports/s)")


def best(env: dict[str, str], repeat: int, *args: str) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run(env, *args)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--home", type=Path, default=Path(tempfile.gettempdir()) / "nianbao-bench-stats")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    home = args.home.absolute()
    home.mkdir(parents=True, exist_ok=True)
    env = store_env(home)
    print(f"machine: {platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}")
    print(f"engine: {engine()}")
    prepare(home, args.reports, env)
    stored = stored_reports(env)
    years = sorted({entry["year"] for entry in json.loads(run(env, "reports", "--json").stdout)})
    year = years[-1]
    print(f"stored: {stored} reports, years {years[0]}–{year}")
    print(f"nianbao --version (start-up): {best(env, args.repeat, '--version'):.2f} s")
    for by in ("region", "agency", "level", "year"):
        print(f"nianbao stats --by {by} ({stored} reports): {best(env, args.repeat, 'stats', '--by', by):.2f} s")
    print(f"nianbao stats --json: {best(env, args.repeat, 'stats', '--json'):.2f} s")
    took = best(env, args.repeat, "stats", "--year", str(year), "--by", "level")
    print(f"nianbao stats --year {year} --by level: {took:.2f} s")
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        xlsx = best(env, 1, "stats", "--xlsx", str(out / "stats.xlsx"))
        print(f"nianbao stats --xlsx: {xlsx:.2f} s")
        run(env, "summary", "--region", "910000", "--year", str(year), "-o", str(out / "p.json"))
        province = json.loads((out / "p.json").read_text(encoding="utf-8"))["members"]
        for name, region in (("province", "910000"), ("city", "910100")):
            for suffix in ("json", "xlsx", "docx"):
                target = str(out / f"{name}.{suffix}")
                took = best(env, args.repeat, "summary", "--region", region, "--year", str(year), "-o", target)
                label = f"{province} reports" if name == "province" else "one city"
                print(f"nianbao summary --region {region} --year {year} -o .{suffix} ({label}): {took:.2f} s")


if __name__ == "__main__":
    main()
