"""Import: files, folders and ZIP archives into the store, one transaction per file.

Parsing (the slow part) may run in N processes; writing happens in this process, one file per
transaction, so a crash, ``kill -9`` or Ctrl-C loses nothing already written.  A rerun with the
same paths resumes the unfinished job: items already done keep their outcome, the rest are
processed.  The same bytes are never stored twice: a file whose SHA-256 is already a source is a
duplicate, in this job or any other.  Once the files are stored, the reports whose neighbouring
year arrived are checked again (:mod:`.crosscheck`), in the same processes.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ....errors import NianbaoError
from ....settings import Settings
from ....sources import Entry, entries
from ... import StoreError
from ..models import FINAL_STATUSES, AuditEntry, Finding, ImportItem, ImportJob, ItemStatus, Report, SourceFile
from . import crosscheck
from .agencies import AgencyIndex
from .cells import compare_sources, json_value, write_cells
from .parsing import Checked, Parsed, parse, start_parsing_process

ProgressCallback = Callable[[ImportItem, int, int], None]  # (item that just ended, done, total)


def import_paths(
    paths: list[Path],
    settings: Settings,
    *,
    jobs: int = 1,
    who: str = "",
    on_item: ProgressCallback | None = None,
    on_check: crosscheck.CheckCallback | None = None,
) -> ImportJob:
    """Import every entry of ``paths``, then check the reports whose neighbouring year arrived;
    returns the job, whose items all have a final status."""
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
    with _Pool(jobs) as pool:
        for item in _run(pending, settings, pool, writer):
            done += 1
            if on_item:
                on_item(item, done, total)
        # also the marks an earlier run left when it was stopped before its checks
        crosscheck.check_due(who=who, pool=pool.executor, on_report=on_check, debug=settings.debug)
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
    return writer.begin(item, data) or writer.store(item, data, name, parse(data, name, settings, item.sha256))


class _Pool:
    """``jobs`` parsing processes (none for one job), started again when a child dies.

    spawn, not fork: the children must not inherit this process's database connection.  A
    process pool (not multiprocessing.Pool) because a child that dies (out of memory) breaks the
    pool with an exception instead of leaving us waiting forever.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.executor: ProcessPoolExecutor | None = None
        if jobs > 1:
            self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(self.jobs, mp_context=context, initializer=start_parsing_process)

    def submit(self, *args: Any) -> Future[Parsed]:
        assert self.executor is not None
        try:
            return self.executor.submit(parse, *args)
        except BrokenProcessPool:  # a child died: the files in flight fail, the rest go on
            self.executor.shutdown(wait=False)
            self.executor = self._start()
            return self.executor.submit(parse, *args)

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.executor is not None:
            self.executor.shutdown(cancel_futures=True)


def _run(
    pending: list[tuple[Entry, ImportItem]], settings: Settings, pool: _Pool, writer: Writer
) -> Iterator[ImportItem]:
    """Each pending item, finished; parsing in the pool with a bounded window in flight."""

    def prepared() -> Iterator[tuple[ImportItem, bytes | None, str]]:
        for entry, item in pending:
            item.attempts += 1
            try:
                data = entry.read(settings)
            except NianbaoError as exc:
                yield writer.fail(item, exc.message), None, ""
                continue
            yield item, data, entry.file_name

    if pool.executor is None:
        for item, data, name in prepared():
            yield item if data is None else import_one(item, data, name, settings, writer)
        return
    window: deque[tuple[ImportItem, bytes, str, Future[Parsed] | None]] = deque()
    for item, data, name in prepared():
        if data is not None and writer.begin(item, data) is not None:
            data = None  # a duplicate: ended without parsing
        if data is None and not window:
            yield item
            continue
        window.append(
            (item, data or b"", name, None if data is None else pool.submit(data, name, settings, item.sha256))
        )
        while len(window) > pool.jobs * 2:
            yield _finish(window.popleft(), writer)
    while window:
        yield _finish(window.popleft(), writer)


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
        _commit_without_waiting_for_the_disk()

    def begin(self, item: ImportItem, data: bytes) -> ImportItem | None:
        """Hash the bytes; a duplicate of a stored source ends here (returned), otherwise None."""
        sha256 = hashlib.sha256(data).hexdigest()
        known, item.sha256 = item.sha256 == sha256, sha256
        existing = SourceFile.objects.filter(sha256=item.sha256).first()
        if existing is not None:
            return self.duplicate(item, existing)
        # the hash is written with the outcome (one commit per file); a claimed item's is written
        # now, where a worker that dies mid-item leaves it for the next claim to see
        if self.claimed and not known:  # never its attempts: they belong to the claim (an UPDATE)
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
        if parsed.checked is None:
            return self.fail(item, parsed.error or "无法读取")
        for attempt in (1, 2):
            try:
                with transaction.atomic():
                    self._store(item, len(data), name, parsed.stored_path, parsed.checked)
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

    def _store(self, item: ImportItem, size: int, name: str, stored_path: str, checked: Checked) -> None:
        self._hold(item)
        head = checked.head
        printed, year = head["agency"], head["year"]
        match = self.agencies.match(printed, head["title"])
        if match.status == "create" and printed:
            match.agency = self.agencies.create(printed)
        report = (
            Report.objects.filter(agency=match.agency, year=year).defer("contract").first()
            if match.agency is not None and year is not None
            else None
        )
        first_source = report is None
        if report is None:
            report = create_report(checked, match.agency)
            crosscheck.mark(report, match.agency.level if match.agency is not None else "")
        source = SourceFile.objects.create(
            report=report,
            sha256=item.sha256,
            original_name=name,
            size=size,
            kind=str(head["kind"] or ""),
            stored_path=stored_path,
        )
        if not first_source:
            compare_sources(report, checked.numbers(), source)
        if first_source:
            errors = any(finding["severity"] == "error" for finding in checked.findings)
        else:
            errors = report.findings.filter(severity="error").exists()
        if match.agency is None:
            item.status, item.reason = ItemStatus.WAITING_FOR_AGENCY, match.reason
        else:
            item.status = ItemStatus.IMPORTED_WITH_FINDINGS if errors else ItemStatus.IMPORTED
            item.reason = "" if first_source else f"作为已有报告（编号 {report.pk}）的另一来源文件"
        # the id, not the object: a batch keeps its items, and a new report holds its whole contract
        item.report_id = report.pk
        item.save()
        AuditEntry.objects.create(
            who=self.who,
            action="import",
            object_type="report",
            object_id=str(report.pk),
            detail={"file": item.name, "sha256": item.sha256, "status": item.status, "new_report": first_source},
        )


def _commit_without_waiting_for_the_disk() -> None:
    """PostgreSQL: this session's commits do not wait for the WAL flush (``synchronous_commit``
    off), which was a disk flush per stored file.  A server crash can then lose the last moment's
    commits, never corrupt anything; an item whose outcome is lost is simply not final, so the
    rerun or the next worker does it again (its original was flushed before): nothing is lost or
    done twice.  (SQLite's WAL with synchronous=NORMAL already behaves so.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")


def create_report(checked: Checked, agency: Any) -> Report:
    head = checked.head
    report = Report.objects.create(
        agency=agency,
        agency_name=(head["agency"] or "")[:200],
        year=head["year"],
        contract=json_value(checked.contract),
        format_version=head["format_version"] or "",
        published=checked.published,
    )
    write_cells(report, checked.cells)
    Finding.objects.bulk_create([Finding(report=report, **finding) for finding in checked.findings])
    return report


def summary(job: ImportJob) -> dict[str, Any]:
    """The ``--json`` object: counts and one entry per item."""
    # not the reports' contracts: ten thousand of them decoded were 2 GB (measured)
    items = list(job.items.select_related("report").defer("report__contract").order_by("pk"))
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
