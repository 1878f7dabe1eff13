"""Import throughput end to end: ``nianbao import`` into a fresh SQLite store (or DATABASE_URL),
and ``nianbao import --queue`` then N ``nianbao worker --burst`` processes sharing the queue.

The seeds and the corpus's text, Markdown and HTML reports, copied to N distinct files (each copy
gets a different number of trailing newlines, so no copy is a duplicate by hash; copies of one
report become further sources of it, as a re-sent report would).  Prints one figure per line.
Record the results with the machine in docs/benchmarks.md.

    python bench/import_throughput.py [--files 200] [--jobs 1 2] [--workers 2]

With DATABASE_URL each run needs an empty database of its own, so on PostgreSQL give a database
that can be dropped and created (the script does both, as the user of the URL).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
NIANBAO = Path(sys.executable).with_name("nianbao")


def sources() -> list[Path]:
    corpus = [
        path
        for path in sorted((FIXTURES / "corpus").iterdir())
        if path.suffix in (".txt", ".md", ".html") and path.name != "README.md"
    ]
    return sorted((FIXTURES / "seeds").glob("*.txt")) + corpus


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--workers", type=int, nargs="*", default=[2], help="worker processes sharing the queue")
    args = parser.parse_args()
    originals = sources()
    print(f"machine: {platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}")
    print(f"engine: {'PostgreSQL' if os.environ.get('DATABASE_URL', '').startswith('postgres') else 'SQLite'}")
    print(f"input: {args.files} files made from {len(originals)} text/Markdown/HTML reports")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "batch"
        folder.mkdir()
        for number in range(args.files):
            source = originals[number % len(originals)]
            (folder / f"{number:05d}_{source.name}").write_bytes(source.read_bytes() + b"\n" * (number + 1))
        for jobs in args.jobs:
            home = Path(scratch) / f"home-{jobs}"
            env = fresh_store(home)
            started = time.perf_counter()
            done = subprocess.run(
                [str(NIANBAO), "import", str(folder), "--jobs", str(jobs), "--json"],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            elapsed = time.perf_counter() - started
            result = json.loads(done.stdout)
            print(
                f"--jobs {jobs}: {result['files'] / elapsed:.1f} files/s end to end "
                f"({result['files']} files in {elapsed:.1f} s; imported {result['imported']}, failed {result['failed']})"
            )
            database = home / "db.sqlite3"
            if database.exists():
                print(f"--jobs {jobs}: database {database.stat().st_size / 1024 / 1024:.1f} MB")
        for workers in args.workers:
            env = fresh_store(Path(scratch) / f"home-workers-{workers}")
            started = time.perf_counter()
            subprocess.run([str(NIANBAO), "import", "--queue", str(folder)], env=env, check=True, capture_output=True)
            queued = time.perf_counter() - started
            running = [
                subprocess.Popen([str(NIANBAO), "worker", "--burst"], env=env, stderr=subprocess.DEVNULL)
                for _ in range(workers)
            ]
            if any(process.wait() != 0 for process in running):
                raise SystemExit("a worker failed")
            elapsed = time.perf_counter() - started
            done = subprocess.run(
                [str(NIANBAO), "reports", "--json"], env=env, check=True, capture_output=True, text=True
            )
            print(
                f"--queue + {workers} workers: {args.files / elapsed:.1f} files/s end to end "
                f"({args.files} files in {elapsed:.1f} s, of which queueing {queued:.1f} s; "
                f"{len(json.loads(done.stdout))} reports)"
            )


def fresh_store(home: Path) -> dict[str, str]:
    """An environment whose store is empty and migrated, so the timing is the import alone."""
    env = {**os.environ, "NIANBAO_HOME": str(home)}
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        server, name = url.rsplit("/", 1)
        admin = f"{server}/postgres"
        subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True, capture_output=True)
        subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True, capture_output=True)
    subprocess.run([str(NIANBAO), "db", "migrate"], env=env, check=True, capture_output=True)
    return env


if __name__ == "__main__":
    main()
