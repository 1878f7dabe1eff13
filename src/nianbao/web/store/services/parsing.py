"""The CPU work of an import, the part that runs in the pool's processes.

Reading a file, checking it, and checking a stored report again against its neighbouring year
all end in a :class:`Checked`: the contract, its cells and its findings as plain data, ready to
write.  Building those here rather than in the writing process keeps the one process that
writes (and the pickling between them) light.

This module must not import Django: a spawned process unpickles :func:`parse` by importing it,
before (and without) any Django setup.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .... import pipeline
from ....errors import NianbaoError
from ....model import Finding, Report
from ....rules import AgencyInfo
from ....settings import Settings

# (table, row, col, value, status, raw, location as JSON text): one row of the long cell table
CellData = tuple[str, str, str, int | float | None, str, str | None, str | None]


_HEAD = ("agency", "title", "year", "published", "format_version")


@dataclass(frozen=True)
class Checked:
    """A report as the store writes it: its ``nianbao.report/1`` contract, cells and findings."""

    contract: str  # as JSON text: encoded here, in the pool, and sent as one string
    head: dict[str, Any]  # the contract's keys the writer reads (agency, title, year …)
    cells: tuple[CellData, ...]
    findings: tuple[dict[str, Any], ...]

    @classmethod
    def of(cls, report: Report, findings: Iterable[Finding]) -> Checked:
        cells = []
        for cell_id, cell in report.iter_cells():
            table, row, col = cell_id.split(".")
            location = json.dumps(cell.location.as_dict(), ensure_ascii=False) if cell.location else None
            cells.append((table, row, col, cell.value, cell.status, cell.raw, location))
        contract = report.to_contract()
        head = {key: contract.get(key) for key in _HEAD} | {"kind": contract.get("source", {}).get("kind")}
        text = json.dumps(contract, ensure_ascii=False)
        return cls(text, head, tuple(cells), tuple(finding.dump() for finding in findings))

    @property
    def published(self) -> dt.date | None:
        text = self.head.get("published")
        return dt.date.fromisoformat(text) if text else None

    def numbers(self) -> Iterable[Reading]:
        """Every cell as :func:`reading` gives it."""
        for table, row, col, value, status, _raw, _location in self.cells:
            yield reading(table, row, col, status, value)


Number = Any  # int, float or the store's Decimal
Reading = tuple[str, str, Number]


def reading(table: str, row: str, col: str, status: str, value: Number) -> Reading:
    """(cell id, status, number for arithmetic): a blank counts as 0, as ``CellValue.number``."""
    return f"{table}.{row}.{col}", status, 0 if status == "blank" else value


@dataclass(frozen=True)
class Parsed:
    """What a parsing process sends back: the checked report and where its original is kept, or
    why it failed."""

    checked: Checked | None = None
    stored_path: str = ""
    error: str | None = None


def parse(data: bytes, name: str, settings: Settings, sha256: str) -> Parsed:
    """Read and check one file and keep its original; every failure becomes a reason."""
    try:
        result = pipeline.process(data, name, settings)
        checked = Checked.of(result.report, result.findings)
    except NianbaoError as exc:
        return Parsed(error=exc.message)
    except MemoryError:
        return Parsed(error="内存不足，无法处理该文件")
    except Exception as exc:  # a bug in one file must not stop the batch
        if settings.debug:
            raise
        return Parsed(error=f"处理时发生内部错误（{type(exc).__name__}: {exc}），请将该文件反馈给开发者")
    # here, not in the writer: the fsync waits in a pool process instead of holding up every file
    return Parsed(checked, save_original(settings.home, sha256, name, data))


@dataclass(frozen=True)
class Rechecked:
    """A stored report checked again: its new findings, and, when last year's report let it read
    cells it could not (``resolved``), its new contract and cells."""

    findings: tuple[dict[str, Any], ...]
    resolved: tuple[str, ...] = ()
    checked: Checked | None = None


def check_again(contract: str, previous: str | None, level: str) -> Rechecked:
    """Check a stored report against the agency's previous report and its level in the list
    (the contracts as the store keeps them, JSON text)."""
    report = Report.from_contract(json.loads(contract))
    before = {cell_id: (cell.status, cell.value) for cell_id, cell in report.iter_cells()}
    result = pipeline.recheck(
        report,
        previous=Report.from_contract(json.loads(previous)) if previous is not None else None,
        agency=AgencyInfo.from_level(level) if level else None,
    )
    findings = tuple(finding.dump() for finding in result.findings)
    resolved = tuple(
        cell_id for cell_id, cell in report.iter_cells() if before.get(cell_id) != (cell.status, cell.value)
    )
    if not resolved:  # the common case: the contract as stored still holds
        return Rechecked(findings)
    return Rechecked(findings, resolved, Checked.of(report, result.findings))


def save_original(home: Path, sha256: str, name: str, data: bytes) -> str:
    """Keep the file as uploaded at ``originals/<sha[:2]>/<sha>.<ext>``; returns that relative path."""
    suffix = Path(name).suffix.lower().lstrip(".")
    extension = suffix if suffix.isalnum() and len(suffix) <= 8 else "bin"
    relative = f"originals/{sha256[:2]}/{sha256}.{extension}"
    target = home / relative
    if target.exists() and target.stat().st_size == len(data):
        return relative
    target.parent.mkdir(parents=True, exist_ok=True)
    (home / "tmp").mkdir(parents=True, exist_ok=True)
    temporary = home / "tmp" / f"{sha256}.{os.getpid()}.part"
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(target)  # tmp/ is on the same file system, so the rename is atomic
    return relative


def start_parsing_process() -> None:
    """Pool initializer.  Ctrl-C is ignored: it stops the parent, which stops the pool, and a
    child killed by it would look like a file that crashed its parser.  The collector is tuned
    as in the command line (a spawned child starts with Python's defaults)."""
    from ....runtime import tune_for_reading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    tune_for_reading()
