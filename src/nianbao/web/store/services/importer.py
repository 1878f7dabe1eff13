"""Import: files, folders and ZIP archives into the store, one transaction per file.

Parsing (the slow part) may run in N processes; writing happens in this process, one file per
transaction, so a crash, ``kill -9`` or Ctrl-C loses nothing already written.  A rerun with the
same paths resumes the unfinished job: items already done keep their outcome, the rest are
processed.  The same bytes are never stored twice: a file whose SHA-256 is already a source is a
duplicate, in this job or any other.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from ....errors import NianbaoError
from ....model import Finding as CoreFinding
from ....model import Report as CoreReport
from ....settings import Settings
from ... import StoreError
from ..models import (
    FINAL_STATUSES,
    AuditEntry,
    Cell,
    Finding,
    ImportItem,
    ImportJob,
    ItemStatus,
    Report,
    SourceFile,
)
from .agencies import AgencyIndex
from .parsing import Parsed, ignore_interrupts, parse
from .sources import Entry, entries

SOURCE_DIFF = "SOURCE-DIFF"  # a second source of a report whose tables read differently
_SHOWN_DIFFERENCES = 8


ProgressCallback = Callable[[ImportItem, int, int], None]  # (item that just ended, done, total)


def import_paths(
    paths: list[Path],
    settings: Settings,
    *,
    jobs: int = 1,
    who: str = "",
    on_item: ProgressCallback | None = None,
) -> ImportJob:
    """Import every entry of ``paths``; returns the job, whose items all have a final status."""
    job, found, items = open_job(paths, settings, who)
    total = len(found)
    done = 0
    pending: list[tuple[Entry, ImportItem]] = []
    for entry in found:
        item = items[entry.name]
        if item.status in FINAL_STATUSES:
            done += 1
            if on_item:
                on_item(item, done, total)
        else:
            pending.append((entry, item))
    writer = Writer(settings, who)
    for item in _run(pending, settings, jobs, writer):
        done += 1
        if on_item:
            on_item(item, done, total)
    job.finished_at = timezone.now()
    job.save(update_fields=["finished_at"])
    return job


def open_job(paths: list[Path], settings: Settings, who: str) -> tuple[ImportJob, list[Entry], dict[str, ImportItem]]:
    """The unfinished job of these paths (a rerun resumes it) or a new one, with one item per entry."""
    absolute = [str(Path(path).absolute()) for path in paths]
    job = ImportJob.objects.filter(paths=absolute, finished_at__isnull=True).order_by("-pk").first()
    if job is None:
        job = ImportJob.objects.create(paths=absolute, requested_by=who)
    # the same path given twice (or inside two given folders) is one item
    found = list({entry.name: entry for entry in entries([Path(path) for path in absolute], settings)}.values())
    known = {item.name: item for item in job.items.all()}
    ImportItem.objects.bulk_create(
        [ImportItem(job=job, name=entry.name) for entry in found if entry.name not in known], ignore_conflicts=True
    )
    return job, found, {item.name: item for item in job.items.all()}


def import_one(item: ImportItem, data: bytes, name: str, settings: Settings, writer: Writer) -> ImportItem:
    """One file from bytes to stored: the in-process import and the queue's worker both call this."""
    return writer.begin(item, data) or writer.store(item, data, name, parse(data, name, settings))


def _run(
    pending: list[tuple[Entry, ImportItem]], settings: Settings, jobs: int, writer: Writer
) -> Iterator[ImportItem]:
    """Each pending item, finished; parsing in ``jobs`` processes with a bounded window in flight."""

    def prepared() -> Iterator[tuple[ImportItem, bytes | None, str]]:
        for entry, item in pending:
            item.attempts += 1
            try:
                data = entry.read(settings)
            except NianbaoError as exc:
                yield writer.fail(item, exc.message), None, ""
                continue
            yield item, data, entry.file_name

    if jobs <= 1:
        for item, data, name in prepared():
            yield item if data is None else import_one(item, data, name, settings, writer)
        return
    # spawn, not fork: the children must not inherit this process's database connection.  A
    # process pool (not multiprocessing.Pool) because a child that dies (out of memory) breaks the
    # pool with an exception instead of leaving us waiting forever.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=ignore_interrupts)

    def submit(data: bytes, name: str) -> Future[Parsed]:
        nonlocal pool
        try:
            return pool.submit(parse, data, name, settings)
        except BrokenProcessPool:  # a child died: the files in flight fail, the rest go on
            pool.shutdown(wait=False)
            pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=ignore_interrupts)
            return pool.submit(parse, data, name, settings)

    try:
        window: deque[tuple[ImportItem, bytes, str, Future[Parsed] | None]] = deque()
        for item, data, name in prepared():
            if data is not None and writer.begin(item, data) is not None:
                data = None  # a duplicate: ended without parsing
            if data is None and not window:
                yield item
                continue
            window.append((item, data or b"", name, None if data is None else submit(data, name)))
            while len(window) > jobs * 2:
                yield _finish(window.popleft(), writer)
        while window:
            yield _finish(window.popleft(), writer)
    finally:
        pool.shutdown(cancel_futures=True)


def _finish(slot: tuple[ImportItem, bytes, str, Future[Parsed] | None], writer: Writer) -> ImportItem:
    item, data, name, waiting = slot
    if waiting is None:
        return item
    try:
        parsed = waiting.result()
    except BrokenProcessPool:
        return writer.fail(
            item, "解析进程意外终止（可能内存不足），本文件及同时处理的文件未导入；重新运行 nianbao import 可继续"
        )
    return writer.store(item, data, name, parsed)


class LostClaim(Exception):
    """The item is no longer this worker's: its lease expired and another worker took it."""


class Writer:
    """Writes outcomes to the database, one transaction per file.

    ``claimed``: the items were claimed from the queue (:mod:`.queue`); each outcome is written
    only while the item is still this worker's claim (status processing with the attempt number it
    claimed), checked under a row lock in the same transaction, so an item is never done twice.
    """

    def __init__(self, settings: Settings, who: str, *, claimed: bool = False) -> None:
        self.settings = settings
        self.who = who
        self.claimed = claimed
        self.agencies = AgencyIndex()

    def begin(self, item: ImportItem, data: bytes) -> ImportItem | None:
        """Hash the bytes; a duplicate of a stored source ends here (returned), otherwise None."""
        sha256 = hashlib.sha256(data).hexdigest()
        known, item.sha256 = item.sha256 == sha256, sha256
        existing = SourceFile.objects.filter(sha256=item.sha256).first()
        if existing is not None:
            return self.duplicate(item, existing)
        if not self.claimed:
            item.save(update_fields=["sha256", "attempts", "updated_at"])
        elif not known:  # a claimed item's attempts belong to the claim (an UPDATE): never write them back
            item.save(update_fields=["sha256", "updated_at"])
        return None

    def fail(self, item: ImportItem, reason: str) -> ImportItem:
        item.status, item.reason = ItemStatus.FAILED, reason
        with transaction.atomic():
            self._hold(item)
            item.save()
        return item

    def duplicate(self, item: ImportItem, source: SourceFile) -> ImportItem:
        item.status, item.report_id = ItemStatus.DUPLICATE, source.report_id
        item.reason = f"与已导入的「{source.original_name}」内容完全相同（SHA-256 {source.sha256[:12]}…）"
        with transaction.atomic():
            self._hold(item)
            item.save()
        return item

    def _hold(self, item: ImportItem) -> None:
        """Inside the outcome's transaction: lock the item's row and check the claim is still ours."""
        if not self.claimed:
            return
        ours = ImportItem.objects.select_for_update().filter(
            pk=item.pk, status=ItemStatus.PROCESSING, attempts=item.attempts
        )
        if not ours.exists():
            raise LostClaim(item.name)
        item.lease_until = None

    def store(self, item: ImportItem, data: bytes, name: str, parsed: Parsed) -> ImportItem:
        if parsed.report is None:
            return self.fail(item, parsed.error or "无法读取")
        stored_path = save_original(self.settings.home, item.sha256, name, data)
        for attempt in (1, 2):
            try:
                with transaction.atomic():
                    self._store(item, data, name, stored_path, parsed.report, list(parsed.findings))
                return item
            except StoreError as exc:
                self.agencies = AgencyIndex()  # an agency it created was rolled back with it
                return self.fail(item, exc.message)
            except IntegrityError:
                self.agencies = AgencyIndex()
                # Another importer (another machine) stored the same bytes, or the same agency's
                # report of that year, between our look and our write: look again.
                existing = SourceFile.objects.filter(sha256=item.sha256).first()
                if existing is not None:
                    return self.duplicate(item, existing)
                if attempt == 2:
                    raise
        return item

    def _store(
        self, item: ImportItem, data: bytes, name: str, stored_path: str, core: CoreReport, findings: list[CoreFinding]
    ) -> None:
        self._hold(item)
        match = self.agencies.match(core.agency, core.title)
        if match.status == "create" and core.agency:
            match.agency = self.agencies.create(core.agency)
        report = (
            Report.objects.filter(agency=match.agency, year=core.year).defer("contract").first()
            if match.agency is not None and core.year is not None
            else None
        )
        first_source = report is None
        if report is None:
            report = create_report(core, findings, match.agency)
        source = SourceFile.objects.create(
            report=report,
            sha256=item.sha256,
            original_name=name,
            size=len(data),
            kind=str(core.source.get("kind") or ""),
            stored_path=stored_path,
        )
        if not first_source:
            compare_sources(report, core, source)
        errors = report.findings.filter(severity="error").exists()
        if match.agency is None:
            item.status, item.reason = ItemStatus.WAITING_FOR_AGENCY, match.reason
        else:
            item.status = ItemStatus.IMPORTED_WITH_FINDINGS if errors else ItemStatus.IMPORTED
            item.reason = "" if first_source else f"作为已有报告（编号 {report.pk}）的另一来源文件"
        item.report = report
        item.save()
        AuditEntry.objects.create(
            who=self.who,
            action="import",
            object_type="report",
            object_id=str(report.pk),
            detail={"file": item.name, "sha256": item.sha256, "status": item.status, "new_report": first_source},
        )


def create_report(core: CoreReport, findings: list[CoreFinding], agency: Any) -> Report:
    report = Report.objects.create(
        agency=agency,
        agency_name=(core.agency or "")[:200],
        year=core.year,
        contract=core.to_contract(),
        format_version=core.format_version or "",
        published=core.published,
    )
    Cell.objects.bulk_create(
        [
            Cell(
                report=report,
                table=cell_id.split(".")[0],
                row=cell_id.split(".")[1],
                col=cell_id.split(".")[2],
                value=_stored_value(cell_id, cell.value),
                status=cell.status,
                raw=cell.raw,
                location=cell.location.as_dict() if cell.location else None,
            )
            for cell_id, cell in core.iter_cells()
        ],
        batch_size=500,
    )
    Finding.objects.bulk_create([Finding(report=report, **finding.dump()) for finding in findings])
    return report


# Cell.value is numeric(20, 6): 14 integer digits, 6 decimals
_MAX_INTEGER_DIGITS, _MAX_DECIMALS = 14, 6


def _stored_value(cell_id: str, value: int | float | None) -> Decimal | None:
    """The cell's value exactly as read, or a refusal: a value is never rounded to fit."""
    if value is None:
        return None
    number = Decimal(str(value))
    exponent = number.as_tuple().exponent
    if number.adjusted() >= _MAX_INTEGER_DIGITS or (isinstance(exponent, int) and exponent < -_MAX_DECIMALS):
        raise StoreError(f"单元格 {cell_id} 的数值 {value} 超出年报库能原样保存的范围（14 位整数、6 位小数）")
    return number


def compare_sources(report: Report, core: CoreReport, source: SourceFile) -> None:
    """A finding naming the cells where another source of the report reads differently."""
    stored = {
        f"{table}.{row}.{col}": Decimal(0) if status == "blank" else value
        for table, row, col, status, value in report.cells.filter(status__in=("value", "blank")).values_list(
            "table", "row", "col", "status", "value"
        )
    }
    differences = []
    for cell_id, cell in core.iter_cells():
        if cell_id not in stored or cell.status not in ("value", "blank"):
            continue
        kept_number = stored[cell_id]
        new_number = cell.number
        if new_number is None or kept_number != Decimal(str(new_number)):
            differences.append((cell_id, kept_number, new_number))
    if not differences:
        return
    shown = "；".join(
        f"{cell_id} 为 {_number(new)}（已存为 {_number(old)}）"
        for cell_id, old, new in differences[:_SHOWN_DIFFERENCES]
    )
    more = f"等共 {len(differences)} 处" if len(differences) > _SHOWN_DIFFERENCES else ""
    Finding.objects.create(
        report=report,
        code=SOURCE_DIFF,
        severity="warning",
        message=f"来源文件「{source.original_name}」与本报告已存的表格数值不一致：{shown}{more}",
        cells=[cell_id for cell_id, _, _ in differences],
        locations=[],
    )


def _number(value: Any) -> str:
    if isinstance(value, Decimal):
        value = value.normalize()
        return format(value, "f")
    return str(value)


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


def summary(job: ImportJob) -> dict[str, Any]:
    """The ``--json`` object: counts and one entry per item."""
    items = list(job.items.select_related("report").order_by("pk"))
    counts = {status: 0 for status in ItemStatus}
    for item in items:
        counts[ItemStatus(item.status)] += 1
    return {
        "job": job.pk,
        "files": len(items),
        "imported": counts[ItemStatus.IMPORTED] + counts[ItemStatus.IMPORTED_WITH_FINDINGS],
        "duplicate": counts[ItemStatus.DUPLICATE],
        "with_findings": counts[ItemStatus.IMPORTED_WITH_FINDINGS],
        "failed": counts[ItemStatus.FAILED],
        "waiting_for_agency": counts[ItemStatus.WAITING_FOR_AGENCY],
        "items": [item_json(item) for item in items],
    }


def item_json(item: ImportItem) -> dict[str, Any]:
    report = item.report
    return {
        "name": item.name,
        "status": item.status,
        "reason": item.reason or None,
        "sha256": item.sha256 or None,
        "report": report.pk if report else None,
        "agency": report.agency_name if report else None,
        "year": report.year if report else None,
    }
