"""Validation rules (FORMAT.md §4.2), one module per family, collected in one registry."""

from __future__ import annotations

from . import arithmetic, cells, crossyear, narrative, structure, timeliness  # noqa: F401  (they register)
from .registry import FAMILIES, RULES, Context, Rule, run_rules

__all__ = ["FAMILIES", "RULES", "Context", "Rule", "run_rules"]
