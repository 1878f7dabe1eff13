"""``nianbao stats`` and ``nianbao summary`` over the store, against the sample's own truth."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from decimal import Decimal
from importlib import import_module
from pathlib import Path
from typing import Any, cast

import pytest
from click.testing import CliRunner
from django.apps import apps as django_apps
from openpyxl import load_workbook
from store_fixtures import CORPUS

from nianbao.cli import main
from nianbao.model import Report
from nianbao.pipeline import process
from nianbao.rules import RULES, run_rules
from nianbao.sample import SampleParams, write_sample
from nianbao.settings import Settings
from nianbao.stats import GROUP_BY, STATS_CELLS, MemberReport, compute_stats, from_rows
from nianbao.stats.definitions import STATS_CELLS_KEY
from nianbao.stats.output import stats_json
from nianbao.stats.rows import region_prefix
from nianbao.web.store.models import Report as StoredReport
from nianbao.web.store.models import StatsVector
from nianbao.web.store.services.importer import import_paths
from nianbao.web.store.services.statistics import cell_rows, stats_reports, stored_errors, summary_reports

pytestmark = pytest.mark.django_db

ARITHMETIC = {code for code, rule in RULES.items() if rule.family == "arithmetic"}
# seed 3: one arithmetic error, in 甲东区教育局's 2025 report; 甲市 2024 is clean
ERRONEOUS = ("甲东区教育局", 2025)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("sample") / "s"
    write_sample(SampleParams(reports=120, seed=3, kinds=("txt",)), directory)
    return directory


@pytest.fixture(scope="module")
def manifest(sample: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((sample / "manifest.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def stored(sample: Path, store_settings: Settings) -> Iterator[CliRunner]:
    runner = CliRunner()
    loaded = runner.invoke(main, ["agencies", "load", str(sample / "名录.csv")])
    assert loaded.exit_code == 0, loaded.output
    job = import_paths(sorted(sample.glob("20??")), store_settings)
    assert {item.status for item in job.items.all()} <= {"imported", "imported_with_findings"}
    yield runner


def printed_tables(entry: dict[str, Any]) -> dict[str, Any]:
    """The file's tables as printed: the truth with a seeded arithmetic error's changes applied."""
    tables = json.loads(json.dumps(entry["tables"]))
    for error in entry["errors"]:
        for change in error.get("changes", ()):
            table, row, col = change["cell"].split(".")
            tables[table][row][col] = change["printed"]
    return tables


def manifest_sums(manifest: dict[str, Any], region: str, year: int) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    for entry in manifest["files"]:
        if entry["year"] == year and region_prefix(entry["region_code"]).startswith(region_prefix(region)):
            for table, rows in printed_tables(entry).items():
                for row, cols in rows.items():
                    for col, value in cols.items():
                        key = f"{table}.{row}.{col}"
                        sums[key] = sums.get(key, Decimal(0)) + Decimal(str(value))
    return sums


def report_cells(report: Report) -> dict[str, Decimal]:
    return {cell_id: Decimal(str(cell.value)) for cell_id, cell in report.iter_cells() if cell.status == "value"}


def arithmetic_errors(report: Report) -> list[str]:
    return [f.code for f in run_rules(report) if f.code in ARITHMETIC and f.severity == "error"]


def test_summary_equals_the_sums_of_the_sample_and_adds_up(
    stored: CliRunner, manifest: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "甲市2024.json"
    result = stored.invoke(main, ["summary", "--region", "甲市", "--year", "2024", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].endswith("均无问题")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["problems"] == [] and data["members"] == 11  # 甲市's 11 reports of 2024
    assert data["title"] == "甲市2024年政府信息公开工作年度报告汇总"
    summed = Report.from_contract(data["report"])
    expected = manifest_sums(manifest, "910100", 2024)
    assert report_cells(summed) == expected
    assert arithmetic_errors(summed) == []
    # every summed cell names its sources
    assert (
        sum(s["value"] for s in data["sources"]["table3.received_new.total"]) == expected["table3.received_new.total"]
    )

    # the rendered summary reads back as the same tables, titled as a summary, with no arithmetic error
    html = tmp_path / "甲市2024.html"
    assert stored.invoke(main, ["summary", "--region", "910100", "--year", "2024", "-o", str(html)]).exit_code == 0
    text = html.read_text(encoding="utf-8")
    assert "甲市2024年政府信息公开工作年度报告汇总" in text
    parsed = process(html.read_bytes(), html.name)
    assert report_cells(parsed.report) == expected
    assert [f.code for f in parsed.findings if f.code in ARITHMETIC and f.severity == "error"] == []


def test_a_member_with_an_arithmetic_error_is_listed_on_top(
    stored: CliRunner, manifest: dict[str, Any], tmp_path: Path
) -> None:
    agency, year = ERRONEOUS
    out = tmp_path / "甲市2025.json"
    explained = "table3.received_new.legal_service"
    result = stored.invoke(
        main, ["summary", "--region", "甲市", "--year", str(year), "-o", str(out), "--explain", explained]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "其中1家有问题" in lines[0]
    assert lines[1].startswith(f"【勾稽关系错误】{agency}：")
    effect = next(line for line in lines if line.startswith("【对合计的影响】"))
    assert agency in effect and "按其填报值计入" in effect
    # --explain: the total, then every member's value
    total = manifest_sums(manifest, "910100", year)[explained]
    head = next(line for line in lines if line.startswith("表三“一、本年新收”行法律服务机构列：合计"))
    assert f"合计{total}" in head
    assert any(line.strip().startswith(f"{agency}（910101）：") for line in lines)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [p["agency"] for p in data["problems"]] == [agency, agency]  # T3-ID and T3-COL
    assert list(data).index("problems") < list(data).index("totals")
    assert report_cells(Report.from_contract(data["report"])) == manifest_sums(manifest, "910100", year)

    # the Word file and the workbook state the problem before the tables
    docx = tmp_path / "甲市2025.docx"
    assert stored.invoke(main, ["summary", "--region", "甲市", "--year", str(year), "-o", str(docx)]).exit_code == 0
    from docx import Document

    paragraphs = [p.text for p in Document(str(docx)).paragraphs]
    assert paragraphs[0] == f"甲市{year}年政府信息公开工作年度报告汇总"
    first_problem = next(n for n, text in enumerate(paragraphs) if text.startswith(f"【勾稽关系错误】{agency}"))
    assert first_problem < next(n for n, text in enumerate(paragraphs) if text.startswith("本报告根据"))
    xlsx = tmp_path / "甲市2025.xlsx"
    assert stored.invoke(main, ["summary", "--region", "甲市", "--year", str(year), "-o", str(xlsx)]).exit_code == 0
    book = load_workbook(io.BytesIO(xlsx.read_bytes()))
    assert book.sheetnames[0] == "汇总说明"
    assert {"来源-表二", "来源-表三", "来源-表四"} <= set(book.sheetnames)
    notes = [row[0] for row in book["汇总说明"].iter_rows(values_only=True) if row[0]]
    assert any(str(line).startswith(f"【勾稽关系错误】{agency}") for line in notes)


def test_stats_json_and_workbook(stored: CliRunner, manifest: dict[str, Any], tmp_path: Path) -> None:
    workbook = tmp_path / "统计.xlsx"
    result = stored.invoke(main, ["stats", "--year", "2025", "--json", "--xlsx", str(workbook)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    files = [entry for entry in manifest["files"] if entry["year"] == 2025]
    assert data["reports"] == len(files)
    received = sum(printed_tables(entry)["table3"]["received_new"]["total"] for entry in files)
    assert data["overall"]["totals"]["received_new"] == {"value": received, "n": len(files), "unknown": 0}
    disclosure = data["overall"]["rates"]["disclosure_rate"]
    assert disclosure["n"] == len(files) and disclosure["excluded"] == 0
    granted = sum(printed_tables(e)["table3"][row]["total"] for e in files for row in ("granted", "partly_granted"))
    results = sum(printed_tables(e)["table3"]["results_total"]["total"] for e in files)
    assert (disclosure["numerator"], disclosure["denominator"]) == (granted, results)
    assert disclosure["value"] == pytest.approx(granted / results)
    for group in data["groups"]:
        for rate in group["rates"].values():
            assert {"value", "numerator", "denominator", "n", "excluded"} <= set(rate)
    # 未报送: the list's agencies without a 2025 report, as the manifest says
    missing = sorted(m["agency"] for m in manifest["missing"] if m["year"] == 2025)
    assert sorted(m["name"] for m in data["missing"]) == missing
    late = sorted(e["agency"] for e in files if any(err["kind"] == "late" for err in e["errors"]))
    assert sorted(item["agency"] for item in data["late"]) == late
    book = load_workbook(io.BytesIO(workbook.read_bytes()))
    assert book.sheetnames == ["合计", "比率", "同比", "异常", "排名", "按期发布", "未报送", "说明"]

    by_level = stored.invoke(main, ["stats", "--region", "甲市", "--by", "level"])
    assert by_level.exit_code == 0, by_level.output
    assert "县级部门" in by_level.output and "公开率" in by_level.output


def test_an_unknown_region_is_one_line_and_exit_2(stored: CliRunner, tmp_path: Path) -> None:
    result = stored.invoke(main, ["summary", "--region", "不存在市", "--year", "2024", "-o", str(tmp_path / "x.json")])
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("错误：") and "不存在市" in result.stderr
    assert not (tmp_path / "x.json").exists()
    empty = CliRunner().invoke(main, ["stats", "--region", "990000"])
    assert empty.exit_code == 2 and "没有符合条件的报告" in empty.stderr


def strict(entry: MemberReport) -> tuple[Any, ...]:
    """A member report with its values' types (1 and 1.0 are not the same cell)."""
    values = sorted((cell, type(value).__name__, value) for cell, value in entry.values.items())
    return (
        entry.key,
        entry.member,
        entry.year,
        entry.format_version,
        entry.published,
        values,
        sorted(entry.blank),
        sorted(entry.unknown.items()),
        entry.errors,
    )


def test_stats_from_the_vectors_equal_stats_from_the_long_cell_table(sample: Path, store_settings: Settings) -> None:
    # no list: the corpus' agencies are made from their names; the corpus has blanks, unreadable
    # and missing cells, amounts with decimals and the 2019 format (no table 2 statistics)
    corpus = [p for p in sorted(CORPUS.iterdir()) if p.suffix in (".txt", ".html", ".md") and p.stem != "README"]
    job = import_paths([*corpus, *sorted(sample.glob("20??"))], store_settings)
    # a report waiting for its agency is in neither (statistics count placed reports)
    assert {item.status for item in job.items.all()} <= {"imported", "imported_with_findings", "waiting_for_agency"}
    from_cells = sorted(from_rows(cell_rows(cells=STATS_CELLS), stored_errors()), key=lambda e: cast(int, e.key))
    statuses = {entry.status(cell) for entry in from_cells for cell in STATS_CELLS}
    assert statuses == {"value", "blank", "unreadable", "missing", "absent"}
    assert any(isinstance(value, float) for entry in from_cells for value in entry.values.values())
    assert any(entry.errors for entry in from_cells)

    from_vectors = stats_reports()
    assert [strict(entry) for entry in from_vectors] == [strict(entry) for entry in from_cells]
    # the summary reads every cell by report id, the format and date from the vectors
    every_cell = sorted(from_rows(cell_rows(years=[2023]), stored_errors(years=[2023])), key=lambda e: cast(int, e.key))
    assert [strict(entry) for entry in summary_reports(years=[2023])] == [strict(entry) for entry in every_cell]
    for by in GROUP_BY:
        for year in (None, 2023):
            vectors = stats_json(compute_stats(from_vectors, year=year, by=by))
            assert vectors == stats_json(compute_stats(from_cells, year=year, by=by))

    # migration 0004 fills the same vectors from the long table
    at_import = {v.pk: json.dumps(v.vector, sort_keys=True) for v in StatsVector.objects.all()}
    assert len(at_import) == StoredReport.objects.count()
    StatsVector.objects.all().delete()
    import_module("nianbao.web.store.migrations.0004_stats_vector").fill(django_apps, None)
    assert {v.pk: json.dumps(v.vector, sort_keys=True) for v in StatsVector.objects.all()} == at_import
    assert set(StatsVector.objects.values_list("cells", flat=True)) == {STATS_CELLS_KEY}

    # a report without a vector, or with one of another cell set, is read from the long table
    first, second = StoredReport.objects.filter(year=2023).order_by("pk").values_list("pk", flat=True)[:2]
    StatsVector.objects.filter(pk=first).delete()
    StatsVector.objects.filter(pk=second).update(cells="0" * 16, vector={"cells": []})
    assert [strict(entry) for entry in stats_reports()] == [strict(entry) for entry in from_cells]
    assert [strict(entry) for entry in summary_reports(years=[2023])] == [strict(entry) for entry in every_cell]


def test_stats_and_summary_replace_a_file_only_with_force(stored: CliRunner, tmp_path: Path) -> None:
    workbook, page = tmp_path / "统计.xlsx", tmp_path / "汇总.html"
    for path in (workbook, page):
        path.write_bytes(b"the user's own file")
    runs = (
        ["stats", "--year", "2025", "--xlsx", str(workbook)],
        ["summary", "--region", "甲市", "--year", "2024", "-o", str(page)],
    )
    for args, path in zip(runs, (workbook, page), strict=True):
        result = stored.invoke(main, args)
        assert result.exit_code == 2 and result.stderr == f"错误：{path}：文件已存在；要替换它请加 --force\n"
        assert path.read_bytes() == b"the user's own file"
        assert stored.invoke(main, [*args, "--force"]).exit_code == 0
        assert path.read_bytes() != b"the user's own file"
