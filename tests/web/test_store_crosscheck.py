"""Checks across reports in the store: a sample with seeded errors, imported, is scored against its
manifest (recall and false alarms), whatever order its years arrive in."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from store_fixtures import CORPUS

from nianbao.model import Report as CoreReport
from nianbao.pipeline import load_report
from nianbao.sample import SampleParams, write_sample
from nianbao.sample.scoring import Score, score
from nianbao.settings import Settings
from nianbao.stats.definitions import STATS_CELLS_ORDER
from nianbao.web.store.models import AuditEntry, Cell, Finding, Report, StatsVector
from nianbao.web.store.services import crosscheck
from nianbao.web.store.services.agencies import load_list, read_rows
from nianbao.web.store.services.importer import import_paths
from nianbao.web.store.services.review import findings_by_source, missing, review_findings

pytestmark = pytest.mark.django_db(transaction=True)

PARAMS = SampleParams(reports=60, seed=1, error_rate=0.35, kinds=("txt", "html"), first_year=2022, last_year=2024)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("sample") / "sample"
    write_sample(PARAMS, directory)
    return directory


def scored(sample: Path) -> Score:
    manifest: dict[str, Any] = json.loads((sample / "manifest.json").read_text(encoding="utf-8"))
    by_sha = findings_by_source()
    by_file = {entry["path"]: by_sha[entry["sha256"]] for entry in manifest["files"] if entry["sha256"] in by_sha}
    named = {(entry["agency"], entry["year"]) for entry in missing()}
    return score(manifest, by_file, named)


def assert_everything_found_and_no_false_alarm(result: Score) -> None:
    assert set(result.seeded) == {"arithmetic", "carry_over", "copied_text", "late", "missing"}, result.seeded
    assert result.misses == [], result.misses[:3]
    assert result.recall == 1.0
    assert result.unread_files == []
    assert result.false_alarms == [], result.false_alarms[:5]
    assert result.clean_files > 30


def test_every_seeded_error_is_found_in_the_store(store_settings: Settings, sample: Path) -> None:
    load_list(read_rows(sample / "名录.csv"), who="test")
    job = import_paths([sample], store_settings, who="test")
    assert job.finished_at is not None
    assert not Report.objects.filter(needs_check=True).exists()
    assert_everything_found_and_no_false_alarm(scored(sample))
    # the cross-year rules ran in the store: last year's report was there to compare with
    assert Finding.objects.filter(code="X-CARRY").exists() and Finding.objects.filter(code="DUP").exists()
    assert AuditEntry.objects.filter(action="recheck").exists()
    # what an office reviews: the stored findings and the missing reports, most severe first
    listed = review_findings()
    severities = [entry["severity"] for entry in listed]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    assert {entry["code"] for entry in listed} >= {"MISSING", "X-CARRY", "DUP", "DEADLINE"}
    only = review_findings(year=2023, codes=["MISSING"])
    assert only and all(entry["code"] == "MISSING" and entry["year"] == 2023 for entry in only)
    assert all(entry["report"] is None for entry in only)


def test_a_later_year_imported_first_is_checked_when_its_previous_year_arrives(
    store_settings: Settings, sample: Path
) -> None:
    load_list(read_rows(sample / "名录.csv"), who="test")
    for year in (2024, 2023, 2022):
        import_paths([sample / str(year)], store_settings, who="test")
    assert_everything_found_and_no_false_alarm(scored(sample))


def test_checks_left_undone_by_a_stopped_import_are_done_by_the_next_run(
    store_settings: Settings, sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_list(read_rows(sample / "名录.csv"), who="test")

    def stopped(**_: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(crosscheck, "check_due", stopped)
    with pytest.raises(KeyboardInterrupt):
        import_paths([sample], store_settings, who="test")
    assert Report.objects.filter(needs_check=True).count() > 20
    monkeypatch.undo()
    import_paths([sample], store_settings, who="test")  # every file is done: only the checks run
    assert not Report.objects.filter(needs_check=True).exists()
    assert_everything_found_and_no_false_alarm(scored(sample))


def test_a_check_of_a_superseded_mark_is_not_written(store_settings: Settings, sample: Path) -> None:
    stems = {path.stem: path for path in (sample / "2022").iterdir()}
    this_year = next(path for path in sorted((sample / "2023").iterdir()) if path.stem in stems)
    import_paths([stems[this_year.stem], this_year], store_settings, who="test")
    report = Report.objects.get(year=2023)
    crosscheck._mark(Report.objects.filter(pk=report.pk))
    (due,) = crosscheck.next_due(report_ids=[report.pk])
    crosscheck._mark(Report.objects.filter(pk=report.pk))  # its previous year changed meanwhile
    from nianbao.web.store.services.parsing import check_again

    assert crosscheck.write(due, check_again(*due.arguments), "test") is False
    assert crosscheck.check_due(who="test", report_ids=[report.pk]) == 1
    assert crosscheck.write(due, check_again(*due.arguments), "test") is False  # already written


@pytest.mark.parametrize("order", ["previous year first", "previous year later"])
def test_a_glued_run_last_years_report_pins_is_stored_as_read(
    store_settings: Settings, tmp_path: Path, order: str
) -> None:
    # 平潭 2021 prints 行政规范性文件693665; with 599 in force at the end of 2020 only 69|3|665 ties
    previous = load_report((CORPUS / "006_pingtan_2023.txt").read_bytes(), "x.txt")
    previous.year = 2020
    assert previous.table2 is not None
    previous.table2["normative_documents"]["in_force"] = dataclasses.replace(
        previous.table2["normative_documents"]["in_force"], value=599, raw="599", status="value"
    )
    last_year = tmp_path / "2020.json"
    last_year.write_text(json.dumps(previous.to_contract(), ensure_ascii=False), encoding="utf-8")
    this_year = CORPUS / "004_pingtan_2021.txt"
    for paths in ([last_year], [this_year]) if order == "previous year first" else ([this_year], [last_year]):
        import_paths(paths, store_settings, who="test")
    report = Report.objects.get(year=2021)
    cells = {
        col: (status, value)
        for col, status, value in Cell.objects.filter(
            report=report, table="table2", row="normative_documents"
        ).values_list("col", "status", "value")
    }
    assert cells == {"issued": ("value", 69), "repealed": ("value", 3), "in_force": ("value", 665)}
    stored = CoreReport.from_contract(report.contract)
    assert stored.table2 is not None and stored.table2["normative_documents"]["repealed"].value == 3
    assert Finding.objects.filter(report=report, code="GLUED", message__contains="599").exists()
    assert not Finding.objects.filter(report=report, code="UNREADABLE", cells__icontains="table2.").exists()
    # what `nianbao stats` reads was made again with the cells
    vector = dict(zip(STATS_CELLS_ORDER, StatsVector.objects.get(report=report).vector["cells"], strict=True))
    read = {cell: vector[f"table2.normative_documents.{cell}"] for cell in ("issued", "in_force")}
    assert read == {"issued": 69, "in_force": 665}


def test_a_worker_checks_what_each_item_makes_due(store_settings: Settings, sample: Path) -> None:
    from click.testing import CliRunner

    from nianbao.cli import main

    load_list(read_rows(sample / "名录.csv"), who="test")
    runner = CliRunner()
    queued = runner.invoke(main, ["import", "--queue", str(sample)], obj=store_settings)
    assert queued.exit_code == 0, queued.output
    worked = runner.invoke(main, ["worker", "--burst"], obj=store_settings)
    assert worked.exit_code == 0, worked.output
    assert not Report.objects.filter(needs_check=True).exists()
    assert_everything_found_and_no_false_alarm(scored(sample))
    listed = runner.invoke(main, ["findings", "--rule", "MISSING", "--year", "2023", "--json"], obj=store_settings)
    assert listed.exit_code == 0, listed.output
    entries = json.loads(listed.output)
    assert entries and {entry["code"] for entry in entries} == {"MISSING"}
    assert {(entry["agency"], entry["year"]) for entry in entries} == {
        (entry["agency"], entry["year"]) for entry in missing(year=2023)
    }
    shown = runner.invoke(main, ["findings", "--severity", "warning", "--region", "910000"], obj=store_settings)
    assert shown.exit_code == 0, shown.output
    assert "警告" in shown.output and "错误 0" in shown.output.splitlines()[-1]
    unknown = runner.invoke(main, ["findings", "--region", "没有的区"], obj=store_settings)
    assert unknown.exit_code == 2 and "没有的区" in unknown.output


def test_the_lists_level_decides_the_deadline_even_when_the_list_comes_later(
    store_settings: Settings, tmp_path: Path
) -> None:
    import csv

    # 平潭综合实验区's report, published 2022-02-08: on time for a government (3月31日), which its
    # name (a place name alone) says it is; a list that calls it a department (1月31日) makes it late
    import_paths([CORPUS / "004_pingtan_2021.txt"], store_settings, who="test")
    report = Report.objects.get()
    assert not Finding.objects.filter(report=report, code="DEADLINE").exists()
    listing = tmp_path / "名录.csv"
    with listing.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["名称", "行政区划代码", "行政区划名称", "层级"])
        writer.writerow(["平潭综合实验区", "350128", "平潭综合实验区", "县级部门"])
    load_list(read_rows(listing), who="test")
    report.refresh_from_db()
    assert report.agency is not None and report.agency.from_list and not report.needs_check
    assert Finding.objects.filter(report=report, code="DEADLINE", severity="warning").exists()
