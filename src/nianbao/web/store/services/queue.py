"""The import queue: ``nianbao import --queue`` records the work, ``nianbao worker`` does it.

Work is rows in the database (DESIGN principle 11).  An :class:`ImportItem`'s status is the truth;
a django-tasks task per item (django-tasks-db keeps it in the same database) only delivers the
item's number to some worker.  A worker *claims* the item with one conditional UPDATE — queued, or
processing with an expired lease, becomes processing with ``lease_until = now + lease`` and one
more attempt — so two workers never process one item, on SQLite or PostgreSQL.  The outcome is
written in one transaction that also ends the item, and only while the claim is still the
worker's (:class:`~.importer.Writer` with ``claimed=True``): a worker killed mid-item leaves an
expired lease and nothing half-stored, and a task run twice finds the item ended and returns.

A killed worker's task row stays "running" in django-tasks-db (it has no lease of its own), so a
worker that has no ready task looks for items no task will deliver — an expired lease, or a queued
item whose task was lost — and claims those directly (healthchecks' ``sendalerts`` loop); once
such an item has ended, the dead worker's task row is marked failed with the reason.
"""

from __future__ import annotations

import hashlib
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path, PurePosixPath

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import TaskResultStatus, task
from django_tasks_db.management.commands.db_worker import Worker as TaskRunner
from django_tasks_db.models import DBTaskResult

from ....errors import NianbaoError
from ....settings import Settings
from ....sources import ARCHIVE_SEPARATOR
from ..models import FINAL_STATUSES, ImportItem, ImportJob, ItemStatus
from . import crosscheck
from .importer import LostClaim, Writer, import_one, open_job
from .parsing import save_original

DEFAULT_LEASE = 600  # seconds; an OCR of a long scan takes minutes, so a lease must outlast one item
QUEUE_CHUNK = 50  # items recorded (and their tasks enqueued) per transaction
MAX_ATTEMPTS = 3  # claims of one item; each crashed one (killed, out of memory) uses one up

ItemCallback = Callable[[ImportItem], None]


def queue_paths(paths: list[Path], settings: Settings, *, who: str = "") -> ImportJob:
    """Record the job and its items, keep each file's bytes under the data directory, and enqueue
    one task per item once its row is committed; nothing is parsed here."""
    job, found, items = open_job(paths, settings, who)
    writer = Writer(settings, who)
    waiting = [items[entry.name] for entry in found if items[entry.name].status not in FINAL_STATUSES]
    by_name = {entry.name: entry for entry in found}
    # a transaction per chunk: workers can start on the first files while the rest are read
    for start in range(0, len(waiting), QUEUE_CHUNK):
        with transaction.atomic():
            queued = []
            for item in waiting[start : start + QUEUE_CHUNK]:
                if item.status == ItemStatus.QUEUED and not item.stored_path:
                    entry = by_name[item.name]
                    try:
                        data = entry.read(settings)
                    except NianbaoError as exc:
                        writer.fail(item, exc.message)
                        continue
                    item.sha256 = hashlib.sha256(data).hexdigest()
                    item.stored_path = save_original(settings.home, item.sha256, entry.file_name, data)
                    item.save(update_fields=["sha256", "stored_path", "updated_at"])
                queued.append(item.pk)
            transaction.on_commit(partial(_enqueue, queued))
    finish_job(job.pk)
    return job


def _enqueue(item_ids: list[int]) -> None:
    with transaction.atomic():  # one commit for the chunk's task rows
        for item_id in item_ids:
            import_item.enqueue(item_id)


@dataclass
class WorkerContext:
    """What the tasks of this process run with: ``nianbao worker`` sets it, tests may too."""

    settings: Settings | None = None
    lease: int = DEFAULT_LEASE
    who: str = "worker"
    worker_id: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}"[:100])
    on_item: ItemCallback | None = None
    writer: Writer | None = field(default=None, repr=False)

    def current_settings(self) -> Settings:
        return self.settings or django_settings.NIANBAO

    def current_writer(self) -> Writer:
        settings = self.current_settings()
        if self.writer is None or self.writer.settings != settings:
            self.writer = Writer(settings, self.who, claimed=True)
        return self.writer


CONTEXT = WorkerContext()


@task()
def import_item(item_id: int) -> str | None:
    """The queue's task: the item's final status, or None when it was not this run's to do."""
    item = process_item(item_id, CONTEXT)
    return None if item is None else item.status


def claim(item_id: int, lease: int, worker_id: str = "") -> ImportItem | None:
    """Take the item for ``lease`` seconds, or None when it has ended or another worker holds it.
    An item whose claims keep dying (MAX_ATTEMPTS) is marked failed instead of taken again."""
    now = timezone.now()
    takeable = ImportItem.objects.filter(pk=item_id).filter(_takeable(now))
    taken = takeable.filter(attempts__lt=MAX_ATTEMPTS).update(
        status=ItemStatus.PROCESSING,
        lease_until=now + timedelta(seconds=lease),
        attempts=F("attempts") + 1,
        worker=worker_id,
        updated_at=now,
    )
    if taken:
        return ImportItem.objects.get(pk=item_id)
    given_up = takeable.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=ItemStatus.FAILED,
        lease_until=None,
        reason=f"已处理 {MAX_ATTEMPTS} 次均未完成（处理进程中途终止，可能内存不足或文件导致崩溃），不再重试",
        updated_at=now,
    )
    if given_up:
        finish_job(ImportItem.objects.get(pk=item_id).job_id)
    return None


def _takeable(now: datetime) -> Q:
    return Q(status=ItemStatus.QUEUED, stored_path__gt="") | Q(status=ItemStatus.PROCESSING, lease_until__lt=now)


def process_item(item_id: int, context: WorkerContext) -> ImportItem | None:
    """Claim the item and import it with the importer's own per-file code; safe to run twice."""
    item = claim(item_id, context.lease, context.worker_id)
    if item is None:
        return None
    settings = context.current_settings()
    writer = context.current_writer()
    try:
        try:
            data = (settings.home / item.stored_path).read_bytes()
        except OSError:
            writer.fail(
                item,
                f"找不到排队时保存的原文件 {item.stored_path}（多台机器上的工作进程须共用同一个数据目录 NIANBAO_HOME）",
            )
        else:
            import_one(item, data, file_name(item.name), settings, writer)
    except LostClaim:
        return None  # its lease ran out and another worker took it over: that one finishes it
    if item.report_id is not None:
        # the checks its arrival made due: this report's and the agency's next year's
        crosscheck.check_due(who=context.who, report_ids=crosscheck.marked_by(item.report_id), debug=settings.debug)
    finish_job(item.job_id)
    if context.on_item:
        context.on_item(item)
    return item


def file_name(item_name: str) -> str:
    """The name the readers see, as :attr:`nianbao.sources.Entry.file_name` gave it when queueing."""
    if ARCHIVE_SEPARATOR in item_name:
        return PurePosixPath(item_name.rsplit(ARCHIVE_SEPARATOR, 1)[1]).name
    return Path(item_name).name


def close_lost_tasks(item_id: int) -> None:
    """The task rows of workers that died holding this item, once it has ended: django-tasks-db
    has no lease of its own, so they would show "running" for ever."""
    if not ImportItem.objects.filter(pk=item_id, status__in=FINAL_STATUSES).exists():
        return
    lost = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, task_path=import_item.module_path, args_kwargs__args__0=item_id
    )
    for task_result in lost:
        task_result.set_failed(
            WorkerLost(f"处理该文件的工作进程中途终止；文件已由其他工作进程处理完毕（导入文件编号 {item_id}）")
        )


class WorkerLost(Exception):
    """Recorded on the task row of a worker that died mid-item."""


def finish_job(job_id: int) -> None:
    if not ImportItem.objects.filter(job_id=job_id).exclude(status__in=FINAL_STATUSES).exists():
        ImportJob.objects.filter(pk=job_id, finished_at__isnull=True).update(finished_at=timezone.now())


def unfinished() -> bool:
    """Whether any item still waits or is being processed (by any worker, on any machine)."""
    return ImportItem.objects.filter(
        Q(status=ItemStatus.QUEUED, stored_path__gt="") | Q(status=ItemStatus.PROCESSING)
    ).exists()


def next_orphan() -> int | None:
    """An item no task will deliver: its worker died (lease expired) or its task was lost."""
    return ImportItem.objects.filter(_takeable(timezone.now())).order_by("pk").values_list("pk", flat=True).first()


class Worker:
    """``nianbao worker``: runs the queue's tasks, then the orphans; ``stop()`` ends it after the
    current item (the command calls it on SIGTERM and Ctrl-C)."""

    def __init__(self, context: WorkerContext, *, burst: bool, interval: float = 1.0) -> None:
        self.context = context
        self.burst = burst
        self.interval = interval
        self._stopping = threading.Event()
        self._runner = TaskRunner(
            queue_names=[import_item.queue_name],
            interval=0,
            batch=True,  # run every ready task, then come back here
            backend_name=import_item.backend,
            startup_delay=False,
            max_tasks=None,
            worker_id=f"{context.worker_id}-{get_random_string(8)}"[:64],
            excluded_queue_names=[],
        )

    def stop(self) -> None:
        self._stopping.set()
        self._runner.running = False  # its loop ends after the task it is running

    def run(self) -> None:
        global CONTEXT
        previous, CONTEXT = CONTEXT, self.context
        try:
            while not self._stopping.is_set():
                self._runner.run()
                took = False
                while not self._stopping.is_set() and (orphan := next_orphan()) is not None:
                    took = process_item(orphan, self.context) is not None or took
                    close_lost_tasks(orphan)
                if not self._stopping.is_set():
                    # marks a killed worker or an interrupted import left
                    settings = self.context.current_settings()
                    took = crosscheck.check_due(who=self.context.who, debug=settings.debug) > 0 or took
                if self.burst and not unfinished():
                    return
                if not took:
                    # nothing to take: wait for new work, or (burst) for leases held by others to end
                    self._stopping.wait(self.interval)
        finally:
            CONTEXT = previous
