"""The import queue: `nianbao import --queue`, `nianbao worker`; claims, leases, a task run twice,
and two worker processes on PostgreSQL with one killed mid-item."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from store_fixtures import CORPUS, NIANBAO, SEEDS, subprocess_env

from nianbao.cli import main
from nianbao.settings import Settings
from nianbao.web.store.models import AuditEntry, Cell, Finding, ImportItem, ItemStatus, Report, SourceFile
from nianbao.web.store.services.importer import LostClaim, Writer, import_one
from nianbao.web.store.services.queue import (
    MAX_ATTEMPTS,
    WorkerContext,
    claim,
    file_name,
    import_item,
    process_item,
    queue_paths,
)

DONE = {ItemStatus.IMPORTED, ItemStatus.IMPORTED_WITH_FINDINGS}


def cells_once_per_report() -> None:
    """Every report's cells exactly once, as one import of one of its sources writes them."""
    for report in Report.objects.all():
        cell_ids = list(report.cells.values_list("table", "row", "col"))
        assert len(cell_ids) == len(set(cell_ids)) == len(report.contract["cells"])
    assert Cell.objects.count() == sum(len(report.contract["cells"]) for report in Report.objects.all())


@pytest.mark.django_db(transaction=True)  # the tasks are enqueued on commit
def test_queue_records_only_then_a_burst_worker_imports_everything(store_settings: Settings, home: Path) -> None:
    files = [*SEEDS, CORPUS / "016_shuyang_fgj_2023.html"]
    runner = CliRunner()
    queued = runner.invoke(main, ["import", "--queue", *map(str, files)], obj=store_settings)
    assert queued.exit_code == 0, queued.output
    assert "已排队" in queued.output
    assert not Report.objects.exists() and not SourceFile.objects.exists()  # recorded, nothing parsed
    assert set(ImportItem.objects.values_list("status", flat=True)) == {ItemStatus.QUEUED}
    assert DBTaskResult.objects.count() == len(files)  # one task per item, enqueued after the commit
    for item in ImportItem.objects.all():  # the bytes are kept where a worker reads them
        assert (home / item.stored_path).read_bytes() == Path(item.name).read_bytes()

    worked = runner.invoke(main, ["worker", "--burst"], obj=store_settings)
    assert worked.exit_code == 0, worked.output
    assert set(ImportItem.objects.values_list("status", flat=True)) <= DONE
    assert SourceFile.objects.count() == Report.objects.count() == len(files)
    assert set(ImportItem.objects.values_list("attempts", flat=True)) == {1}
    assert ImportItem.objects.first().job.finished_at is not None  # type: ignore[union-attr]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    cells_once_per_report()


@pytest.mark.django_db(transaction=True)
def test_a_task_run_twice_stores_once(store_settings: Settings) -> None:
    job = queue_paths([SEEDS[0]], store_settings)
    item = job.items.get()
    assert import_item.call(item.pk) in DONE
    assert import_item.call(item.pk) is None  # finds it ended and returns
    assert SourceFile.objects.count() == Report.objects.count() == 1
    assert AuditEntry.objects.filter(action="import").count() == 1
    assert ImportItem.objects.get(pk=item.pk).attempts == 1
    cells_once_per_report()


@pytest.mark.django_db(transaction=True)
def test_an_item_whose_lease_expired_is_taken_again_and_the_first_claim_cannot_write(store_settings: Settings) -> None:
    item = queue_paths([SEEDS[1]], store_settings).items.get()
    first = claim(item.pk, lease=600, worker_id="dead:1")  # a worker that then died
    assert first is not None and first.status == ItemStatus.PROCESSING and first.worker == "dead:1"
    context = WorkerContext(settings=store_settings)
    assert process_item(item.pk, context) is None  # its lease still runs: nobody else takes it
    ImportItem.objects.filter(pk=item.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    again = process_item(item.pk, context)
    assert again is not None and again.status in DONE and again.attempts == 2
    # the first claim's worker wakes up and tries to store it: refused, nothing written twice
    data = (store_settings.home / first.stored_path).read_bytes()
    with pytest.raises(LostClaim):
        import_one(first, data, file_name(first.name), store_settings, Writer(store_settings, "", claimed=True))
    assert SourceFile.objects.count() == Report.objects.count() == 1
    assert ImportItem.objects.get(pk=item.pk).status in DONE


@pytest.mark.django_db(transaction=True)
def test_an_item_whose_claims_keep_dying_fails_with_its_reason(store_settings: Settings) -> None:
    item = queue_paths([SEEDS[2]], store_settings).items.get()
    expired = timezone.now() - timedelta(seconds=1)
    ImportItem.objects.filter(pk=item.pk).update(
        status=ItemStatus.PROCESSING, attempts=MAX_ATTEMPTS, lease_until=expired
    )
    assert process_item(item.pk, WorkerContext(settings=store_settings)) is None
    item.refresh_from_db()
    assert item.status == ItemStatus.FAILED and f"{MAX_ATTEMPTS} 次" in item.reason
    assert item.job.finished_at is not None
    assert not SourceFile.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_missing_original_fails_the_item_with_a_reason(store_settings: Settings, home: Path) -> None:
    item = queue_paths([SEEDS[3]], store_settings).items.get()
    (home / item.stored_path).unlink()  # a second machine that does not share the data directory
    done = process_item(item.pk, WorkerContext(settings=store_settings))
    assert done is not None and done.status == ItemStatus.FAILED and "NIANBAO_HOME" in done.reason


def distinct_copies(folder: Path, count: int) -> None:
    """``count`` files with distinct bytes made from the seeds: each is one more source of its seed's report."""
    folder.mkdir()
    for number in range(count):
        seed = SEEDS[number % len(SEEDS)]
        (folder / f"{number:02d}_{seed.name}").write_bytes(seed.read_bytes() + b"\n" * (number + 1))


@pytest.mark.django_db(transaction=True)
def test_sigterm_stops_a_worker_after_its_current_item(tmp_path: Path) -> None:
    distinct_copies(tmp_path / "batch", 20)
    env = subprocess_env(tmp_path / "home")
    queued = subprocess.run([str(NIANBAO), "import", "--queue", str(tmp_path / "batch")], env=env, capture_output=True)
    assert queued.returncode == 0, queued.stderr
    running = subprocess.Popen([str(NIANBAO), "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not SourceFile.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    running.send_signal(signal.SIGTERM)
    _, stderr = running.communicate(timeout=60)
    assert running.returncode == 0
    assert "处理完当前文件后退出" in stderr.decode()
    assert not ImportItem.objects.filter(status=ItemStatus.PROCESSING).exists()  # nothing left half-done
    assert ImportItem.objects.filter(status__in=DONE).count() == SourceFile.objects.count() < 20


COPIES = 30
LEASE = 5


@pytest.mark.django_db(transaction=True)
def test_two_workers_share_a_job_one_killed_mid_item_every_item_ends_once(tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("several workers share one PostgreSQL; SQLite is one machine's store (DATABASE_URL=postgres://…)")
    folder = tmp_path / "batch"
    distinct_copies(folder, COPIES)
    env = subprocess_env(tmp_path / "home")
    queued = subprocess.run([str(NIANBAO), "import", "--queue", str(folder)], env=env, capture_output=True, text=True)
    assert queued.returncode == 0, queued.stderr
    assert ImportItem.objects.filter(status=ItemStatus.QUEUED).count() == COPIES and not SourceFile.objects.exists()

    command = [str(NIANBAO), "worker", "--burst", "--lease", str(LEASE)]
    killed, survivor = (
        subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(2)
    )
    deadline = time.monotonic() + 120
    victim: ImportItem | None = None
    while victim is None and time.monotonic() < deadline:
        if SourceFile.objects.count() >= 3:
            os.kill(killed.pid, signal.SIGSTOP)  # frozen, it cannot finish the item we look at
            victim = ImportItem.objects.filter(status=ItemStatus.PROCESSING, worker__endswith=f":{killed.pid}").first()
            if victim is None:
                os.kill(killed.pid, signal.SIGCONT)  # between two items: try again
        time.sleep(0.01)
    assert victim is not None, "the worker was never caught mid-item"
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait(timeout=30)
    assert survivor.wait(timeout=300) == 0  # it took the orphan once its lease expired
    finisher = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert finisher.returncode == 0, finisher.stderr

    assert ImportItem.objects.count() == COPIES
    assert set(ImportItem.objects.values_list("status", flat=True)) <= DONE  # none processing forever
    victim.refresh_from_db()
    assert victim.attempts == 2 and victim.worker.endswith(f":{survivor.pid}")
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()  # the dead worker's task row closed
    assert SourceFile.objects.count() == COPIES
    assert Report.objects.count() == len(SEEDS)
    for report in Report.objects.all():
        assert report.sources.count() == COPIES // len(SEEDS)
    assert AuditEntry.objects.filter(action="import").count() == COPIES
    assert not Finding.objects.filter(code="SOURCE-DIFF").exists()
    cells_once_per_report()


def test_the_worker_command_defaults_to_the_queue_lease() -> None:
    from nianbao.cli.store import worker
    from nianbao.web.store.services.queue import DEFAULT_LEASE

    assert next(param.default for param in worker.params if param.name == "lease") == DEFAULT_LEASE


@pytest.mark.django_db(transaction=True)
def test_the_task_row_of_a_worker_that_died_is_closed_once_its_item_is_done(store_settings: Settings) -> None:
    from nianbao.web.store.services.queue import Worker

    item = queue_paths([SEEDS[4]], store_settings).items.get()
    task_row = DBTaskResult.objects.get()
    task_row.claim("dead-worker")  # its worker took the task and the item, then died
    claim(item.pk, lease=600, worker_id="dead:1")
    ImportItem.objects.filter(pk=item.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    Worker(WorkerContext(settings=store_settings), burst=True, interval=0.01).run()
    assert ImportItem.objects.get(pk=item.pk).status in DONE
    task_row.refresh_from_db()
    assert task_row.status == "FAILED" and "中途终止" in task_row.traceback
