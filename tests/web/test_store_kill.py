"""`nianbao import` killed halfway (SIGKILL, or Ctrl-C to the whole process group while two
parsing processes run), then rerun: nothing lost, nothing duplicated."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from store_fixtures import NIANBAO, SEEDS, subprocess_env

from nianbao.web.store.models import Cell, Finding, ImportItem, ItemStatus, Report, SourceFile

COPIES = 30


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("how", "jobs"), [(signal.SIGKILL, 1), (signal.SIGINT, 2)], ids=["sigkill", "ctrl-c-jobs-2"])
def test_killed_halfway_then_rerun_loses_and_duplicates_nothing(tmp_path: Path, how: signal.Signals, jobs: int) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    for number in range(COPIES):
        seed = SEEDS[number % len(SEEDS)]
        # distinct bytes, same report: each copy is one more source of its seed's report
        (folder / f"{number:02d}_{seed.name}").write_bytes(seed.read_bytes() + b"\n" * (number + 1))
    home = tmp_path / "home"
    env = subprocess_env(home)

    running = subprocess.Popen(
        [str(NIANBAO), "import", str(folder), "--jobs", str(jobs)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches
    )
    deadline = time.monotonic() + 120
    while SourceFile.objects.count() < COPIES // 3 and running.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(running.pid, how)
    running.wait(timeout=60)
    stored_at_kill = SourceFile.objects.count()
    assert 0 < stored_at_kill < COPIES, "the import was not killed halfway"

    rerun = subprocess.run(
        [str(NIANBAO), "import", str(folder), "--json"], env=env, capture_output=True, text=True, timeout=300
    )
    assert rerun.returncode == 0, rerun.stderr
    payload = json.loads(rerun.stdout)
    assert payload["files"] == COPIES and payload["failed"] == 0 and payload["duplicate"] == 0
    assert payload["imported"] == COPIES

    assert SourceFile.objects.count() == COPIES
    assert Report.objects.count() == len(SEEDS)
    assert ImportItem.objects.count() == COPIES  # the rerun resumed the killed job, no second set of items
    assert not ImportItem.objects.exclude(status=ItemStatus.IMPORTED).exists()
    # each report's cells and findings once, as a single import of its seed writes them
    for report in Report.objects.all():
        assert report.sources.count() == COPIES // len(SEEDS)
        cell_ids = list(report.cells.values_list("table", "row", "col"))
        assert len(cell_ids) == len(set(cell_ids)) == len(report.contract["cells"])
    assert not Finding.objects.filter(code="SOURCE-DIFF").exists()
    originals = [path for path in (home / "originals").rglob("*") if path.is_file()]
    assert len(originals) == COPIES
    assert Cell.objects.count() == sum(len(report.contract["cells"]) for report in Report.objects.all())
