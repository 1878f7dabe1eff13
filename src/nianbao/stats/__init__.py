"""Statistics and the region's summary report over many agencies' reports (plain Python).

::

    from nianbao.stats import Member, from_reports, from_rows, compute_stats, summarize
    reports = from_rows(store_rows)                    # or from_reports([(member, report), …])
    stats = compute_stats(reports, year=2025, region="910100", by="region")
    summary = summarize(reports, 2025, region="910100")
    render_bytes(summary.report, "docx")               # the summary in the official layout

See docs/statistics.md for every definition.
"""

from __future__ import annotations

from .aggregate import (
    GROUP_BY,
    Anomaly,
    Change,
    Group,
    Late,
    Ranked,
    RateValue,
    Stats,
    Timeliness,
    Total,
    compute_stats,
    exact_sum,
    measure_value,
)
from .definitions import (
    HEADLINE,
    MEASURES,
    RATES,
    STATS_CELLS,
    THRESHOLDS,
    Measure,
    Rate,
    Thresholds,
    definitions_markdown,
)
from .rows import (
    CellRow,
    Issue,
    Member,
    MemberReport,
    from_reports,
    from_rows,
    region_prefix,
    resolve_region,
    select,
    within,
)
from .summary import CellTotal, Problem, SourceValue, Summary, cell_label, summarize, summary_cells

__all__ = [
    "GROUP_BY",
    "HEADLINE",
    "MEASURES",
    "RATES",
    "STATS_CELLS",
    "THRESHOLDS",
    "Anomaly",
    "CellRow",
    "CellTotal",
    "Change",
    "Group",
    "Issue",
    "Late",
    "Measure",
    "Member",
    "MemberReport",
    "Problem",
    "Ranked",
    "Rate",
    "RateValue",
    "SourceValue",
    "Stats",
    "Summary",
    "Thresholds",
    "Timeliness",
    "Total",
    "cell_label",
    "compute_stats",
    "definitions_markdown",
    "exact_sum",
    "from_reports",
    "from_rows",
    "measure_value",
    "region_prefix",
    "resolve_region",
    "select",
    "summarize",
    "summary_cells",
    "within",
]
