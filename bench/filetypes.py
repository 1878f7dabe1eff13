"""Throughput and peak memory per file type, each measured in its own process on one core.

For every kind (text, html, docx, doc, pdf, ocr) it takes the corpus reports of that kind,
parses them repeatedly for a few seconds (OCR: once per page, timed per page), and reports
reports per second and the peak RSS of that process.  Prints one figure per line.

    python bench/filetypes.py [--seconds 5] [--kinds text,html,...]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
KINDS = {
    "text": ["*.txt", "*.md"],
    "html": ["*.html"],
    "docx": ["*.docx"],
    "doc": ["*.doc"],
    "pdf": ["009_*.pdf", "011_*.pdf"],
    "ocr": ["033_*_scan.pdf"],
}


def measure(kind: str, seconds: float) -> dict[str, float]:
    """Runs inside the child process."""
    from nianbao import parse_bytes

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    files = sorted({path for pattern in KINDS[kind] for path in CORPUS.glob(pattern) if path.name != "README.md"})
    inputs = [(path.name, path.read_bytes()) for path in files]
    start = time.perf_counter()
    parse_bytes(inputs[0][1], inputs[0][0])  # warm-up: imports, OCR engine
    warm_up = time.perf_counter() - start
    count = 0
    start = time.perf_counter()
    while True:
        for name, data in inputs:
            parse_bytes(data, name)
            count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds or kind in ("ocr", "doc"):
            break
    pages = _pages(inputs[0][1]) if kind == "ocr" else 1
    return {
        "files": len(inputs),
        "reports_per_second": count / elapsed,
        "seconds_per_report": elapsed / count,
        "seconds_per_page": elapsed / count / pages,
        "first_call_seconds": warm_up,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _pages(data: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.seconds)))
        return
    for kind in args.kinds.split(","):
        done = subprocess.run(
            [sys.executable, __file__, "--child", kind, "--seconds", str(args.seconds)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(f"{kind}: failed: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}")
            continue
        figures = json.loads(done.stdout)
        line = (
            f"{kind}: {figures['reports_per_second']:.1f} reports/s ({figures['seconds_per_report'] * 1000:.0f} ms each, "
            f"{int(figures['files'])} files), first call {figures['first_call_seconds']:.2f} s, "
            f"peak RSS {figures['peak_rss_mb']:.0f} MB"
        )
        if kind == "ocr":
            line += f", {figures['seconds_per_page']:.2f} s per page"
        print(line)


if __name__ == "__main__":
    main()
