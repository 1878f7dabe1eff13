"""Sample data at scale: realistic reports of a fictional region with seeded errors.

::

    from nianbao.sample import SampleParams, write_sample
    write_sample(SampleParams(reports=10_000, seed=1), "sample/")

writes the reports (txt, md, html, docx, pdf, made by the renderers), ``manifest.json`` (the
region tree, the agencies, every file with its true tables and its seeded errors, the missing
reports) and ``名录.csv`` (the agency list).  See docs/sample.md.
"""

from __future__ import annotations

from .generate import ERROR_KINDS, EXPECTED_RULES, KINDS, Missing, Plan, PlannedReport, SampleParams, SeededError, plan
from .writer import (
    AGENCY_LIST,
    MANIFEST,
    SCHEMA,
    SampleError,
    Written,
    agency_list_csv,
    check_params,
    file_name,
    params_from_text,
    parse_kinds,
    parse_years,
    render_file,
    write_sample,
)

__all__ = [
    "AGENCY_LIST",
    "ERROR_KINDS",
    "EXPECTED_RULES",
    "KINDS",
    "MANIFEST",
    "SCHEMA",
    "Missing",
    "Plan",
    "PlannedReport",
    "SampleError",
    "SampleParams",
    "SeededError",
    "Written",
    "agency_list_csv",
    "check_params",
    "file_name",
    "params_from_text",
    "parse_kinds",
    "parse_years",
    "plan",
    "render_file",
    "write_sample",
]
