"""Cell accuracy over the real-report corpus, per file type.

For every report in tests/fixtures/corpus and every cell of tables 2–4 in its truth file, the
parsed value is counted as correct (equal), wrong (a different number) or unreadable (null, or
the file could not be read, where the truth has a value). Truth `null` cells count as correct
when nianbao also reads them blank.

    python bench/accuracy.py [--markdown] [--details] [--previous]

``--previous`` reads each report as the store does once the same agency's report of the year
before is there (pipeline.recheck): where the corpus has that report, table-2 glued runs it
leaves exactly one reading for are read; the figures then say how many cells that changed.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from nianbao import parse_file
from nianbao.errors import NianbaoError
from nianbao.model import Report
from nianbao.pipeline import recheck

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
TABLES = ("table2", "table3", "table4")


def kind_of(path: Path, report_kind: str | None) -> str:
    return report_kind or path.suffix.lstrip(".")


def score(path: Path, held: dict[tuple[str, int], Report] | None = None) -> tuple[str, int, int, int, list[str], float]:
    """Counts for one file; with ``held`` (reports read so far, by agency and year) the report is
    rechecked against the previous year's, and is added to ``held``."""
    truth = json.loads(path.with_name(path.name.rsplit(".", 1)[0] + ".truth.json").read_text(encoding="utf-8"))
    started = time.perf_counter()
    try:
        report = parse_file(path)
    except NianbaoError as exc:
        cells = sum(len(cols) for table in TABLES for cols in (truth.get(table) or {}).values())
        return path.suffix.lstrip("."), 0, 0, cells, [f"cannot read: {exc}"], time.perf_counter() - started
    if held is not None and report.agency and report.year:
        previous = held.get((report.agency, report.year - 1))
        if previous is not None:
            recheck(report, previous=previous)
        held[(report.agency, report.year)] = report
    elapsed = time.perf_counter() - started
    contract = report.to_contract(provenance=False)
    correct = wrong = unreadable = 0
    details = []
    for table in TABLES:
        for row, cols in (truth.get(table) or {}).items():
            for col, expected in cols.items():
                got = ((contract.get(table) or {}).get(row) or {}).get(col, "missing")
                if got == expected:
                    correct += 1
                elif got is None or got == "missing":
                    unreadable += 1
                    details.append(f"unreadable {table}.{row}.{col} (truth {expected})")
                else:
                    wrong += 1
                    details.append(f"WRONG {table}.{row}.{col}: read {got}, truth {expected}")
    for key in ("year", "format_version"):
        if contract.get(key) != truth.get(key):
            details.append(f"{key}: read {contract.get(key)}, truth {truth.get(key)}")
    return kind_of(path, str(report.source.get("kind"))), correct, wrong, unreadable, details, elapsed


def _truth_year(path: Path) -> tuple[int, str]:
    truth = json.loads(path.with_name(path.name.rsplit(".", 1)[0] + ".truth.json").read_text(encoding="utf-8"))
    return int(truth.get("year") or 0), path.name


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--markdown", action="store_true", help="print the table for docs/benchmarks.md")
    parser.add_argument("--details", action="store_true", help="list every cell that is not correct")
    parser.add_argument("--previous", action="store_true", help="recheck each report against its previous year's")
    args = parser.parse_args()
    files = sorted(p for p in CORPUS.iterdir() if not p.name.endswith(".truth.json") and p.name != "README.md")
    held: dict[tuple[str, int], Report] | None = None
    if args.previous:
        held = {}
        files.sort(key=_truth_year)  # a year's report is read before the next year's
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    rows = []
    for path in files:
        kind, correct, wrong, unreadable, details, elapsed = score(path, held)
        totals = per_kind[kind]
        totals[0] += 1
        totals[1] += correct
        totals[2] += wrong
        totals[3] += unreadable
        rows.append((path.name, kind, correct, wrong, unreadable, elapsed))
        if not args.markdown:
            print(f"{path.name}: {kind} correct {correct} wrong {wrong} unreadable {unreadable} ({elapsed:.2f} s)")
            if args.details:
                for line in details:
                    print(f"    {line}")
    all_cells = sum(t[1] + t[2] + t[3] for t in per_kind.values())
    all_correct = sum(t[1] for t in per_kind.values())
    all_wrong = sum(t[2] for t in per_kind.values())
    if args.markdown:
        print("| file type | reports | cells | correct | wrong | unreadable | correct % |")
        print("|---|---|---|---|---|---|---|")
        for kind, (reports, correct, wrong, unreadable) in sorted(per_kind.items()):
            cells = correct + wrong + unreadable
            print(
                f"| {kind} | {reports} | {cells} | {correct} | {wrong} | {unreadable} | {100 * correct / cells:.1f} |"
            )
        print(
            f"| **all** | {len(files)} | {all_cells} | {all_correct} | {all_wrong} | {all_cells - all_correct - all_wrong} "
            f"| {100 * all_correct / all_cells:.1f} |"
        )
        print()
        print("| report | type | correct | wrong | unreadable |")
        print("|---|---|---|---|---|")
        for name, kind, correct, wrong, unreadable, _elapsed in rows:
            print(f"| {name} | {kind} | {correct} | {wrong} | {unreadable} |")
        return
    print(
        f"all: {len(files)} reports, {all_cells} cells, correct {all_correct}, wrong {all_wrong}, "
        f"unreadable {all_cells - all_correct - all_wrong}, correct {100 * all_correct / all_cells:.1f} %"
    )


if __name__ == "__main__":
    main()
