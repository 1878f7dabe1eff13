"""``nianbao export``: every stored cell as one dataset row, the 2019 and 2021 cells that mean
the same under one variable, statuses carried, filters, and no overwrite without --force."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook  # type: ignore[import-untyped]
from store_fixtures import CORPUS, SEEDS

from nianbao.cli import main
from nianbao.settings import Settings
from nianbao.web.store.models import Agency, Cell, Level, Report
from nianbao.web.store.services.export import dataset_rows
from nianbao.web.store.services.importer import import_paths

pytestmark = pytest.mark.django_db

PINGTAN_2019 = CORPUS / "002_pingtan_2019.txt"


@pytest.fixture
def stored(store_settings: Settings) -> Report:
    """The five seeds and a 2019-format report; the 2019 one's agency placed in a region."""
    import_paths([*SEEDS, PINGTAN_2019], store_settings)
    pingtan = Report.objects.get(sources__original_name=PINGTAN_2019.name)
    assert pingtan.format_version == "trial2019"
    Agency.objects.filter(pk=pingtan.agency_id).update(
        region_code="350128", region_name="平潭综合实验区", level=Level.COUNTY_GOVERNMENT
    )
    return pingtan


def export(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["export", *args])
    return result.exit_code, result.output


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_every_cell_is_one_row_with_its_report_agency_and_status(stored: Report, tmp_path: Path) -> None:
    out = tmp_path / "dataset.csv"
    code, output = export("-o", str(out))
    assert code == 0, output
    rows = read_csv(out)
    assert len(rows) == Cell.objects.count() and f"已导出 {len(rows)} 行" in output
    assert Counter(row["status"] for row in rows) == Counter(Cell.objects.values_list("status", flat=True))
    assert {int(row["report_id"]) for row in rows} == set(Report.objects.values_list("pk", flat=True))
    # every row has a variable, and a report's rows are together
    assert all(row["variable"] and row["label"] for row in rows)
    order = [row["report_id"] for row in rows]
    assert order == sorted(order, key=order.index) and len(set(order)) == Report.objects.count()
    for row in rows[:: max(1, len(rows) // 200)]:
        stored_cell = Cell.objects.get(report_id=row["report_id"], table=row["table"], row=row["row"], col=row["col"])
        assert row["status"] == stored_cell.status and row["raw"] == (stored_cell.raw or "")
        assert (row["value"] == "") == (stored_cell.value is None)
        if stored_cell.value is not None:
            assert float(row["value"]) == float(stored_cell.value)
    pingtan = [row for row in rows if int(row["report_id"]) == stored.pk]
    assert {(r["region_code"], r["region_name"], r["level"], r["agency_type"], r["year"]) for r in pingtan} == {
        ("350128", "平潭综合实验区", "县级人民政府", "政府", "2019")
    }


def test_a_variable_is_shared_by_the_2019_and_2021_reports(stored: Report, tmp_path: Path) -> None:
    out = tmp_path / "dataset.jsonl"
    assert export("-o", str(out))[0] == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    granted = [row for row in rows if row["variable"] == "t3_granted_total"]
    assert {row["format_version"] for row in granted} == {"trial2019", "gov2021"}
    assert len(granted) == Report.objects.count()
    cell = Cell.objects.get(report=stored, table="table3", row="granted", col="total")
    assert next(row["value"] for row in granted if row["report_id"] == stored.pk) == int(cell.value)  # type: ignore[arg-type]
    # a 2019-only cell keeps its own name, and no 2021 report has it
    only_2019 = {row["format_version"] for row in rows if row["variable"].startswith("t2_2019_")}
    assert only_2019 == {"trial2019"}


def test_year_and_region_select_the_reports(stored: Report, tmp_path: Path) -> None:
    rows = list(dataset_rows(year=2019, chunk_size=7))
    assert len(rows) == Cell.objects.filter(report__year=2019).count() > 0
    assert {row.report for row in rows} == {stored.pk}
    assert len(list(dataset_rows(region="3501"))) == len(list(dataset_rows(region="平潭"))) == stored.cells.count()
    assert list(dataset_rows(year=1999)) == []
    out = tmp_path / "d.xlsx"
    code, output = export("--year", "2019", "-o", str(out), "--json")
    assert code == 0 and json.loads(output) == {"output": str(out), "format": "xlsx", "rows": len(rows)}
    sheet = load_workbook(out, read_only=True).worksheets[0]
    values = [r for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(values) == len(rows)
    numbers = [r[13] for r in values if r[14] == "value"]
    assert numbers and all(isinstance(n, int | float) for n in numbers)


def test_an_existing_file_is_kept_unless_force(stored: Report, tmp_path: Path) -> None:
    out = tmp_path / "dataset.csv"
    out.write_text("mine", encoding="utf-8")
    code, output = export("-o", str(out))
    assert code == 2 and "已存在" in output and "--force" in output
    assert out.read_text(encoding="utf-8") == "mine"
    assert export("-o", str(out), "--force")[0] == 0
    assert len(read_csv(out)) == Cell.objects.count()


def test_an_unknown_suffix_or_a_missing_folder_is_refused(home: Path, tmp_path: Path) -> None:
    code, output = export("-o", str(tmp_path / "dataset.json"))
    assert code == 2 and ".csv、.jsonl 或 .xlsx" in output
    code, output = export("-o", str(tmp_path / "no" / "dataset.csv"))
    assert code == 2 and "输出目录不存在" in output
    assert not (tmp_path / "dataset.json").exists()
