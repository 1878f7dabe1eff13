"""How nianbao's own processes run: settings of the whole process, made by their entry points.

The library never changes the process it runs in; a program that calls ``parse_bytes`` keeps its
own settings.  nianbao's own processes — the command line (every command, the worker and the web
server included) and the import's parsing processes — call :func:`tune_for_reading` once when
they start.
"""

from __future__ import annotations

import gc

# Reading one report makes some two thousand objects that live until the report is done (cells,
# their locations, tokens, the extracted values).  With Python's default first threshold of 700
# the collector runs two young collections per report, each finding nothing to free, and moves
# the report's objects to older generations, where they cost the full collections that follow.
# 10,000 lets a report come and go between young collections; the older generations are
# collected as rarely as a young one in 50 and an older one in 100 (cyclic garbage is rare here:
# the reports are trees).  Measured in docs/benchmarks.md (issue 8).
READING_THRESHOLDS = (10_000, 50, 100)


def tune_for_reading() -> None:
    """Collect cyclic garbage less often, as fits a process that reads many reports.

    Only raises thresholds: higher ones set before are kept, and a collector switched off
    (a first threshold of 0) stays off."""
    current = gc.get_threshold()
    if current[0] == 0:
        return
    gc.set_threshold(*(max(now, wanted) for now, wanted in zip(current, READING_THRESHOLDS, strict=True)))
