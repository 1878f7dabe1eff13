"""Validation rules (FORMAT.md §4.2), one module per family, collected in one registry."""

from __future__ import annotations

from . import arithmetic, cells, collection, crossyear, duplicate, narrative, structure, timeliness  # noqa: F401  (they register)
from .collection import CollectionFinding, missing_reports
from .registry import (
    COLLECTION_RULES,
    FAMILIES,
    RULES,
    AgencyInfo,
    CollectionRule,
    Context,
    Evaluation,
    Rule,
    Verdict,
    evaluate,
    run_rules,
)

__all__ = [
    "COLLECTION_RULES",
    "FAMILIES",
    "RULES",
    "AgencyInfo",
    "CollectionFinding",
    "CollectionRule",
    "Context",
    "Evaluation",
    "Rule",
    "Verdict",
    "evaluate",
    "missing_reports",
    "run_rules",
]
