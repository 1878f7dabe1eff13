"""The national formats as data, one module per version, and the registry over them."""

from __future__ import annotations

from .gov2021 import GOV2021
from .spec import TABLE_TITLES, FormatSpec, Label, SectionSpec, Table2Block, Table2Spec, Table3Spec, Table4Spec
from .trial2019 import TRIAL2019

FORMATS: dict[str, FormatSpec] = {spec.key: spec for spec in (GOV2021, TRIAL2019)}
PRE2019 = "pre2019"


def get_format(key: str | None) -> FormatSpec:
    """The spec for a version key; reports without tables (pre2019) are read with 2021 labels."""
    return FORMATS.get(key or "", GOV2021)


def format_for_year(year: int) -> str:
    """The version a report on ``year`` is expected to follow (FORMAT.md §2.4)."""
    if year <= 2018:
        return PRE2019
    return TRIAL2019.key if year <= 2020 else GOV2021.key


__all__ = [
    "FORMATS",
    "GOV2021",
    "PRE2019",
    "TABLE_TITLES",
    "TRIAL2019",
    "FormatSpec",
    "Label",
    "SectionSpec",
    "Table2Block",
    "Table2Spec",
    "Table3Spec",
    "Table4Spec",
    "format_for_year",
    "get_format",
]
