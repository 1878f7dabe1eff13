"""Recall and precision of the checks on a sample: the manifest's seeded errors against what was found.

A seeded error counts as found when every one of its rules that is registered fired at error or
warning severity on its file, one of them on a cell the error names (when it names cells); a missing
report when MISSING names its agency and year.  A clean file (no seeded error) should give no
error and no warning: each one it gives is a false alarm.  The caller gathers the findings (from
the store, or from ``pipeline.process``), so this module knows nothing of where they are kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..rules import COLLECTION_RULES, RULES

# (rule code, severity, cell ids) of one finding
FoundFinding = tuple[str, str, tuple[str, ...]]
_ALARMS = ("error", "warning")


@dataclass
class Score:
    seeded: Counter[str] = field(default_factory=Counter)  # error kind → seeded
    found: Counter[str] = field(default_factory=Counter)  # error kind → found
    misses: list[dict[str, Any]] = field(default_factory=list)  # the seeded errors not found
    clean_files: int = 0
    false_alarms: list[tuple[str, str]] = field(default_factory=list)  # (file path, rule) on clean files
    clean_infos: Counter[str] = field(default_factory=Counter)  # rule → info findings on clean files
    unread_files: list[str] = field(default_factory=list)  # files with no findings to look at (not stored)
    flagged_with_error: int = 0  # files with a seeded error that got an error or a warning

    @property
    def precision(self) -> float:
        """Of the files given an error or a warning, the share that has a seeded error."""
        flagged = self.flagged_with_error + len({path for path, _rule in self.false_alarms})
        return self.flagged_with_error / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        seeded = sum(self.seeded.values())
        return sum(self.found.values()) / seeded if seeded else 1.0

    @property
    def clean_without_alarm(self) -> int:
        return self.clean_files - len({path for path, _rule in self.false_alarms})

    def as_dict(self) -> dict[str, Any]:
        return {
            "recall": self.recall,
            "precision": self.precision,
            "seeded": dict(sorted(self.seeded.items())),
            "found": dict(sorted(self.found.items())),
            "misses": self.misses,
            "clean_files": self.clean_files,
            "clean_without_alarm": self.clean_without_alarm,
            "false_alarms": [list(alarm) for alarm in self.false_alarms],
            "clean_infos": dict(sorted(self.clean_infos.items())),
            "unread_files": self.unread_files,
        }


def score(
    manifest: Mapping[str, Any],
    findings_by_file: Mapping[str, Iterable[FoundFinding]],
    missing_found: Iterable[tuple[str, int]] = (),
) -> Score:
    """``findings_by_file``: manifest file path → its findings; ``missing_found``: the
    (agency name, year) MISSING named."""
    result = Score()
    for entry in manifest["files"]:
        path = entry["path"]
        if path not in findings_by_file:
            result.unread_files.append(path)
            continue
        found = list(findings_by_file[path])
        errors = entry.get("errors") or []
        if not errors:
            result.clean_files += 1
            for code, severity, _cells in found:
                if severity in _ALARMS:
                    result.false_alarms.append((path, code))
                else:
                    result.clean_infos[code] += 1
        if errors and any(severity in _ALARMS for _code, severity, _cells in found):
            result.flagged_with_error += 1
        for error in errors:
            result.seeded[error["kind"]] += 1
            if _found(error, found):
                result.found[error["kind"]] += 1
            else:
                result.misses.append({"file": path, **error, "findings": sorted({code for code, _s, _c in found})})
    named = set(missing_found)
    for entry in manifest.get("missing") or []:
        result.seeded["missing"] += 1
        if (entry["agency"], entry["year"]) in named:
            result.found["missing"] += 1
        else:
            result.misses.append({"agency": entry["agency"], "year": entry["year"], "kind": "missing"})
    return result


def _found(error: Mapping[str, Any], found: list[FoundFinding]) -> bool:
    rules = [code for code in error["rules"] if code in RULES or code in COLLECTION_RULES]
    if not rules:
        return False  # a seeded error no registered rule looks for is not found
    wanted_cells = set(error.get("cells") or ())
    named: set[str] = set()
    for code in rules:
        hits = [cells for hit, severity, cells in found if hit == code and severity in _ALARMS]
        if not hits:
            return False
        named.update(cell for cells in hits for cell in cells)
    return not wanted_cells or bool(wanted_cells & named)
