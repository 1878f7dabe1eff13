"""Statistics and summary speed over 10,000 member reports built in memory (no files, no store).

Prints one figure per line.  Record the results with the machine in docs/benchmarks.md.
Targets (issue 9): ``stats`` over 10,000 reports under 2 s; ``summary`` under 5 s.

    python bench/stats.py [--reports 10000] [--seed 1]

The reports come from ``nianbao.sample.plan`` (two years, so year-over-year views have a year
before); they are not rendered.  ``from_reports`` turns them into member reports and runs the
sum rules on each (what the store does once at import); ``from_rows`` is the store's path, one
flat row per cell, with the findings given (as the store keeps them).  ``stats`` is
:func:`compute_stats` per grouping; ``summary`` is :func:`summarize` over one year and over all
the reports as if they were one year's (the second year's agencies renamed).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import time
from collections.abc import Callable, Iterator
from typing import Any

from nianbao.sample import SampleParams, plan
from nianbao.stats import CellRow, Member, MemberReport, compute_stats, from_reports, from_rows, summarize
from nianbao.stats.output import stats_json, stats_xlsx, summary_xlsx


def timed(label: str, func: Callable[[], Any], unit: str = "s") -> Any:
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    print(f"{label}: {elapsed:.3f} {unit}", flush=True)
    return result


def cell_rows(reports: list[MemberReport]) -> Iterator[CellRow]:
    for entry in reports:
        m = entry.member
        for cell_id, value in entry.values.items():
            table, row, col = cell_id.split(".")
            yield CellRow(
                entry.key,
                m.name,
                m.region_code,
                m.region_name,
                m.level_label,
                entry.year,
                table,
                row,
                col,
                value,
                "value",
                format_version=entry.format_version,
                published=entry.published,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"machine: {platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}")
    _layout, planned = plan(
        SampleParams(args.reports, seed=args.seed, error_rate=0.05, first_year=2024, last_year=2025)
    )
    items = timed("plan (generate reports, not timed against a target)", lambda: list(planned))
    pairs = [
        (Member(i.agency.name, i.agency.region.code, i.agency.region.name, i.agency.level, i.agency.type), i.report)
        for i in items
    ]
    reports: list[MemberReport] = timed(
        f"from_reports with sum rules, {len(pairs)} reports", lambda: from_reports(pairs)
    )
    findings = {entry.key: entry.errors or () for entry in reports}
    print(f"cells: {sum(len(e.values) + len(e.unknown) for e in reports)}")
    timed(
        f"from_rows (store path, findings given), {len(reports)} reports",
        lambda: from_rows(cell_rows(reports), findings),
    )
    for by in ("region", "agency", "level", "year"):
        stats = timed(f"stats --by {by}, {len(reports)} reports", lambda by=by: compute_stats(reports, by=by))
    timed("stats --json (encode)", lambda: stats_json(stats))
    timed("stats --xlsx --by region (write)", lambda: stats_xlsx(compute_stats(reports, by="region")))
    year = max(e.year for e in reports)
    one_year = [e for e in reports if e.year == year]
    timed(f"summary {year}, {len(one_year)} reports", lambda: summarize(reports, year))
    as_one_year = [
        e
        if e.year == year
        else dataclasses.replace(e, year=year, member=dataclasses.replace(e.member, name=e.member.name + "（乙）"))
        for e in reports
    ]
    summary = timed(f"summary of {len(as_one_year)} reports in one year", lambda: summarize(as_one_year, year))
    print(f"summary members: {len(summary.members)}, problems: {len(summary.problems)}")
    small = summarize(one_year[:1000], year)
    timed("summary --xlsx with sources, 1000 members (write)", lambda: summary_xlsx(small))
    unchecked = [dataclasses.replace(e, errors=None) for e in one_year[:1000]]
    timed("summary of 1000 reports whose sum rules were not run (run inside)", lambda: summarize(unchecked, year))


if __name__ == "__main__":
    main()
