"""A collection end to end: a generated region's sample imported as an office would, then scored.

Generates (or reuses) ``nianbao sample -n N`` with its 名录, loads the list into a fresh store,
runs ``nianbao import --jobs J`` over every year (the cross-year checks included) and prints the
throughput, the import's peak memory (the largest of its processes), the database size per
1,000 reports, and the recall and false alarms of the checks against the manifest.  SQLite under
``--home`` unless DATABASE_URL names a PostgreSQL database, which is dropped and created first.
Record the results in docs/benchmarks.md.

    python bench/collect.py [--reports 10000] [--jobs 2] [--kinds txt,html] [--fixtures] [--home DIR]

``--fixtures`` first imports the seeds and the real reports of tests/fixtures (every kind, scans
included) into the same store and prints how each ended.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from storebench import database_megabytes, engine, fresh_store, run

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"


def sample(home: Path, reports: int, error_rate: float, kinds: str, env: dict[str, str]) -> Path:
    """The sample at ``home/sample``, generated unless one with these parameters is there."""
    directory = home / f"sample-{reports}-{kinds.replace(',', '-')}-{error_rate}"
    if not (directory / "manifest.json").exists():
        started = time.perf_counter()
        run(env, "sample", "-n", str(reports), "--seed", "1", "--error-rate", str(error_rate), "--kinds", kinds,
            "-o", str(directory), "--overwrite")  # fmt: skip
        print(f"generate {reports} reports ({kinds}): {time.perf_counter() - started:.0f} s")
    return directory


def score_store(env: dict[str, str], directory: Path) -> dict[str, Any]:
    """Score in this process, reading the store the import wrote."""
    os.environ["NIANBAO_HOME"] = env["NIANBAO_HOME"]
    from nianbao.sample.scoring import score
    from nianbao.web import setup

    setup()
    from nianbao.web.store.services.review import findings_by_source, missing

    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    by_sha = findings_by_source()
    by_file = {entry["path"]: by_sha[entry["sha256"]] for entry in manifest["files"] if entry["sha256"] in by_sha}
    return score(manifest, by_file, {(entry["agency"], entry["year"]) for entry in missing()}).as_dict()


def import_fixtures(env: dict[str, str], jobs: int) -> None:
    """The seeds and the corpus: real reports of every kind, without a manifest to score against."""
    files = [
        path
        for folder in (FIXTURES / "seeds", FIXTURES / "corpus")
        for path in sorted(folder.iterdir())
        if path.is_file() and ".truth" not in path.name and path.name != "README.md"
    ]
    started = time.perf_counter()
    result = json.loads(run(env, "import", *map(str, files), "--jobs", str(jobs), "--json").stdout)
    elapsed = time.perf_counter() - started
    print(
        f"seeds and corpus: {result['files']} files in {elapsed:.0f} s: imported {result['imported']} "
        f"(with errors {result['with_findings']}), duplicate {result['duplicate']}, failed {result['failed']}, "
        f"waiting for an agency {result['waiting_for_agency']}"
    )
    for item in result["items"]:
        if item["status"] not in ("imported", "imported_with_findings"):
            print(f"  {item['status']}: {Path(item['name']).name}: {item['reason']}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--kinds", default="txt,html")
    parser.add_argument("--error-rate", type=float, default=0.05)
    parser.add_argument("--fixtures", action="store_true", help="import the seeds and the corpus first")
    parser.add_argument("--home", type=Path, default=Path(tempfile.gettempdir()) / "nianbao-bench-collect")
    args = parser.parse_args()
    home = args.home.absolute()
    home.mkdir(parents=True, exist_ok=True)
    print(f"machine: {platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}")
    directory = sample(home, args.reports, args.error_rate, args.kinds, dict(os.environ))
    env = fresh_store(home)
    print(f"engine: {engine()}")
    if args.fixtures:
        import_fixtures(env, args.jobs)
    run(env, "agencies", "load", str(directory / "名录.csv"))
    years = sorted(str(path) for path in directory.glob("20??"))
    started = time.perf_counter()
    done = run(env, "import", *years, "--jobs", str(args.jobs), "--json")
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    result = json.loads(done.stdout)
    reports = len(json.loads(run(env, "reports", "--json").stdout))
    print(
        f"import --jobs {args.jobs}: {result['files']} files in {elapsed:.0f} s = {result['files'] / elapsed:.1f} "
        f"files/s end to end, cross-year checks included (imported {result['imported']}, "
        f"with errors {result['with_findings']}, failed {result['failed']}, waiting {result['waiting_for_agency']})"
    )
    print(f"peak memory of the largest import process: {peak:.0f} MiB")
    size = database_megabytes(env)
    print(f"database: {size:.0f} MB for {reports} reports = {size / reports * 1000:.0f} MB per 1,000 reports")
    scored = score_store(env, directory)
    seeded, found = scored["seeded"], scored["found"]
    print(f"recall: {scored['recall']:.2%} ({sum(found.values())} of {sum(seeded.values())} seeded errors)")
    print(f"precision (files given an error or warning that have a seeded error): {scored['precision']:.2%}")
    for kind in sorted(seeded):
        print(f"  {kind}: {found.get(kind, 0)} of {seeded[kind]}")
    alarms = scored["false_alarms"]
    print(
        f"clean files: {scored['clean_files']}, without an error or warning: {scored['clean_without_alarm']} "
        f"({len(alarms)} false alarms: {sorted({rule for _path, rule in alarms}) or 'none'}); "
        f"info findings on clean files: {scored['clean_infos'] or 'none'}"
    )
    if scored["misses"]:
        print("misses (first 5):", json.dumps(scored["misses"][:5], ensure_ascii=False))
    if scored["unread_files"]:
        print(f"files not stored: {len(scored['unread_files'])}, e.g. {scored['unread_files'][:3]}")


if __name__ == "__main__":
    main()
