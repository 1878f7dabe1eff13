"""Rendering speed per output format, one process on one core.

Prints one figure per line (milliseconds per report).  Record the results with the machine in
docs/benchmarks.md.  Targets: DOCX ≤ 100 ms and PDF ≤ 1 s per report.

    python bench/render.py [--rounds 5] [REPORT.json ...]

``render`` is the format alone (the view built once per report, as ``render_bytes`` does);
``render + check`` is what ``nianbao render`` does per report (the rules on the printed report,
then the format).  The first report of each format in a fresh process is reported apart (``cold``:
template loading, Jinja compilation, font loading for the PDF).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

from nianbao.model import Report
from nianbao.render import build_view, check, render_bytes
from nianbao.render.docx import render_docx
from nianbao.render.html import render_html_bytes
from nianbao.render.markdown import render_markdown_bytes
from nianbao.render.pdf import render_pdf
from nianbao.render.xlsx import render_xlsx

ROOT = Path(__file__).resolve().parents[1]
WRITERS = {
    "docx": render_docx,
    "pdf": render_pdf,
    "html": render_html_bytes,
    "md": render_markdown_bytes,
    "xlsx": render_xlsx,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--rounds", type=int, default=5, help="passes over the reports per format")
    args = parser.parse_args()
    files = args.files or sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.truth.json"))
    reports = [Report.from_contract(json.loads(path.read_text(encoding="utf-8"))) for path in files]
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    print(f"machine: {platform.machine()} {os.cpu_count()} CPU, Python {platform.python_version()}")
    print(f"reports: {len(reports)} ({', '.join(path.name.split('.')[0] for path in files)})")
    for fmt, writer in WRITERS.items():
        start = time.perf_counter()
        size = len(writer(build_view(reports[0])))
        cold = (time.perf_counter() - start) * 1000
        times = []
        for _ in range(args.rounds):
            for report in reports:
                view = build_view(report)
                start = time.perf_counter()
                writer(view)
                times.append((time.perf_counter() - start) * 1000)
        print(f"{fmt} cold (first report in the process): {cold:.0f} ms")
        print(f"{fmt} render: median {statistics.median(times):.1f} ms, max {max(times):.1f} ms per report")
        print(f"{fmt} size: {size / 1024:.0f} KB")
    for fmt in ("docx", "pdf"):
        times = []
        for report in reports:
            start = time.perf_counter()
            render_bytes(report, fmt)
            times.append((time.perf_counter() - start) * 1000)
        print(f"{fmt} render + check: median {statistics.median(times):.1f} ms per report")
    times = []
    for report in reports:
        start = time.perf_counter()
        check(report)
        times.append((time.perf_counter() - start) * 1000)
    print(f"check (rules on the printed report): median {statistics.median(times):.1f} ms per report")


if __name__ == "__main__":
    main()
