"""Filters the pages print numbers with (the same rules as the printed report)."""

from __future__ import annotations

from typing import Any

from django import template

from ....formats.labels import format_number

register = template.Library()


@register.filter
def number(value: Any) -> str:
    """A figure as the report prints it; — when unknown."""
    return "—" if value is None or value == "" else format_number(value)


@register.filter
def percent(value: Any) -> str:
    """A rate as a percentage with one decimal; — when it has no denominator."""
    return "—" if value is None else f"{float(value) * 100:.1f}%"


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` for keys a template cannot spell (cell ids hold dots)."""
    return mapping.get(key) if hasattr(mapping, "get") else None
