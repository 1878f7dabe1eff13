"""Tell the format versions apart by the labels only one of them prints (FORMAT.md §2.4)."""

from __future__ import annotations

from dataclasses import dataclass

from . import FORMATS, PRE2019
from .labels import label_key


@dataclass(frozen=True)
class Detection:
    """Which format version a document's labels point to, and the labels that say so."""

    version: str | None  # gov2021 / trial2019 / pre2019 / None when nothing tells
    hits: dict[str, tuple[str, ...]]  # version → the signature labels found

    @property
    def ambiguous(self) -> bool:
        return sum(1 for found in self.hits.values() if found) > 1


def detect_version(label_keys: set[str], *, has_tables: bool, cites_old_law: bool) -> Detection:
    """Pick the version whose signatures occur most among the document's cell and line keys."""
    hits: dict[str, tuple[str, ...]] = {}
    for key, spec in FORMATS.items():
        hits[key] = tuple(sig for sig in spec.signatures if label_key(sig) in label_keys)
    best = max(hits, key=lambda version: len(hits[version]))
    if hits[best]:
        return Detection(best, hits)
    if not has_tables and cites_old_law:
        return Detection(PRE2019, hits)
    return Detection(None, hits)
