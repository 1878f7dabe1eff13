"""Agencies: the office's list, matching reports to it without guessing, and `reports`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from store_fixtures import SEEDS

from nianbao.cli import main
from nianbao.settings import Settings
from nianbao.web.store.models import Agency, AuditEntry, ImportItem, ItemStatus, Level, Report
from nianbao.web.store.services.agencies import AgencyIndex, load_list, normalize_name, read_rows
from nianbao.web.store.services.importer import import_paths

pytestmark = pytest.mark.django_db

# the agencies the five seeds are signed by
SEED_AGENCIES = ("永吉县商务局", "朝阳市商务局", "西工区商务局", "将乐县工业和信息化局", "五常市商务局")


def write_list(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["名称", "行政区划代码", "行政区划名称", "层级", "上级机关", "别名"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def row(
    name: str, code: str = "", region: str = "", level: str = "县级部门", parent: str = "", aliases: str = ""
) -> dict[str, str]:
    return {
        "名称": name,
        "行政区划代码": code,
        "行政区划名称": region,
        "层级": level,
        "上级机关": parent,
        "别名": aliases,
    }


def test_names_are_normalised_for_matching() -> None:
    assert normalize_name(" 永吉县 商务局 ") == normalize_name("永吉县商务局")
    assert normalize_name("平潭(综合)实验区") == normalize_name("平潭（综合）实验区")
    assert normalize_name("ＡＢＣ局") == "ABC局"


def test_without_a_list_agencies_are_created_from_reports(store_settings: Settings) -> None:
    import_paths(SEEDS, store_settings)
    assert sorted(Agency.objects.values_list("name", flat=True)) == sorted(SEED_AGENCIES)
    assert not Agency.objects.filter(from_list=True).exists()
    # the same agency's next report joins it instead of creating another
    assert AgencyIndex().match("永吉县 商务局").status == "matched"


def test_load_list_then_match_by_name_alias_and_region(store_settings: Settings, tmp_path: Path) -> None:
    listing = write_list(
        tmp_path / "名录.csv",
        [
            row("吉林市人民政府", "220200", "吉林市", "市级人民政府"),
            row("永吉县商务局", "220221", "永吉县", parent="吉林市人民政府"),
            row("朝阳市商务局", "211300", "朝阳市", "市级部门", aliases="朝阳市商务局（市粮食局）"),
            row("商务局", "410303", "西工区"),  # the report signs 西工区商务局: region + name
        ],
    )
    counts = load_list(read_rows(listing), who="test")
    assert counts == {"created": 4, "updated": 0}
    yongji = Agency.objects.get(name="永吉县商务局")
    assert yongji.parent is not None and yongji.parent.name == "吉林市人民政府"
    assert yongji.level == Level.COUNTY_DEPARTMENT and yongji.from_list
    assert Agency.objects.get(name="朝阳市商务局").aliases == ["朝阳市商务局（市粮食局）"]
    assert load_list(read_rows(listing), who="test") == {"created": 0, "updated": 4}  # loading again updates

    job = import_paths(SEEDS, store_settings)
    outcome = {Report.objects.get(pk=item.report_id).agency_name: item.status for item in job.items.all()}
    assert outcome["永吉县商务局"] == ItemStatus.IMPORTED
    assert outcome["西工区商务局"] == ItemStatus.IMPORTED
    assert Report.objects.get(agency_name="西工区商务局").agency == Agency.objects.get(name="商务局")
    # not on the list: waits, and no agency is invented
    for name in ("将乐县工业和信息化局", "五常市商务局"):
        assert outcome[name] == ItemStatus.WAITING_FOR_AGENCY
        assert Report.objects.get(agency_name=name).agency is None
    assert Agency.objects.count() == 4


def test_ambiguous_agency_waits_and_match_resolves_it(store_settings: Settings, tmp_path: Path, home: Path) -> None:
    # two list entries share the printed name and the report names no region that tells them apart
    load_list(
        [row("五常市商务局", "230184", "哈尔滨市"), row("五常市商务局", "220299", "吉林市")],
        who="test",
    )
    job = import_paths([SEEDS[4]], store_settings)
    item = job.items.get()
    assert item.status == ItemStatus.WAITING_FOR_AGENCY
    assert "多个机关" in item.reason
    report = Report.objects.get()
    assert report.agency is None

    chosen = Agency.objects.get(region_code="230184")
    runner = CliRunner()
    ambiguous = runner.invoke(main, ["agencies", "match", str(report.pk), "五常市商务局"])
    assert ambiguous.exit_code == 2 and "有多个" in ambiguous.stderr
    result = runner.invoke(main, ["agencies", "match", str(report.pk), str(chosen.pk)])
    assert result.exit_code == 0, result.output
    report.refresh_from_db()
    assert report.agency == chosen
    assert ImportItem.objects.get(pk=item.pk).status == ItemStatus.IMPORTED
    assert AuditEntry.objects.filter(action="agency_match", object_id=str(report.pk)).exists()


def test_matching_onto_an_agency_that_has_the_report_merges_the_sources(
    store_settings: Settings, tmp_path: Path
) -> None:
    load_list([row("五常市商务局", "230184", "五常市")], who="test")
    import_paths([SEEDS[4]], store_settings)
    # the same report, signed differently (e.g. a scan whose signature line was read otherwise)
    renamed = tmp_path / "renamed.txt"
    renamed.write_text(
        SEEDS[4].read_text(encoding="utf-8").replace("五常市商务局", "五常市商务和粮食局"), encoding="utf-8"
    )
    job = import_paths([renamed], store_settings)
    waiting = Report.objects.get(pk=job.items.get().report_id)
    assert waiting.agency is None and job.items.get().status == ItemStatus.WAITING_FOR_AGENCY

    result = CliRunner().invoke(main, ["agencies", "match", str(waiting.pk), "五常市商务局"])
    assert result.exit_code == 0, result.output
    report = Report.objects.get()
    assert report.sources.count() == 2
    assert ImportItem.objects.filter(status=ItemStatus.WAITING_FOR_AGENCY).count() == 0
    assert all(item.report_id == report.pk for item in ImportItem.objects.all())


def test_a_bad_list_loads_nothing(tmp_path: Path, home: Path) -> None:
    listing = write_list(tmp_path / "名录.csv", [row("甲局"), row("", level="县级部门"), row("乙局", level="部委")])
    result = CliRunner().invoke(main, ["agencies", "load", str(listing)])
    assert result.exit_code == 2
    assert "第 3 行：名称为空" in result.stderr and "「部委」无法识别" in result.stderr
    assert not Agency.objects.exists()


def test_template_round_trips_through_load(tmp_path: Path, home: Path) -> None:
    template = tmp_path / "名录.xlsx"
    runner = CliRunner()
    assert runner.invoke(main, ["agencies", "template", "-o", str(template)]).exit_code == 0
    # a second time: the (possibly filled) list is not replaced without --force
    again = runner.invoke(main, ["agencies", "template", "-o", str(template)])
    assert again.exit_code == 2 and "文件已存在；要替换它请加 --force" in again.stderr
    assert runner.invoke(main, ["agencies", "template", "-o", str(template), "--force"]).exit_code == 0
    rows = read_rows(template)
    assert list(rows[0]) == ["名称", "行政区划代码", "行政区划名称", "层级", "上级机关", "别名"]
    result = runner.invoke(main, ["agencies", "load", str(template)])
    assert "上级机关「平潭综合实验区管理委员会」不在名录中" in result.stderr  # the example row's parent is not listed
    rows.insert(0, row("平潭综合实验区管理委员会", "350128", "平潭综合实验区", "县级人民政府"))
    assert load_list(rows, who="test") == {"created": 2, "updated": 0}
    assert Agency.objects.get(region_code="350128", level=Level.COUNTY_DEPARTMENT).aliases == ["平潭财政金融局"]


def test_reports_json_shape_and_filters(store_settings: Settings) -> None:
    load_list(
        [row("永吉县商务局", "220221", "永吉县"), row("朝阳市商务局", "211300", "朝阳市", "市级部门")], who="test"
    )
    import_paths(SEEDS, store_settings)
    runner = CliRunner()
    listed = json.loads(runner.invoke(main, ["reports", "--json"]).stdout)
    assert len(listed) == len(SEEDS)
    yongji = next(entry for entry in listed if entry["agency"] == "永吉县商务局")
    assert set(yongji) >= {"agency", "region", "year", "format_version", "published", "sources", "findings"}
    assert yongji["region"] == "永吉县" and yongji["sources"] == 1 and yongji["year"] == 2023
    assert set(yongji["findings"]) == {"error", "warning", "info"}
    stored = Report.objects.get(agency__name="永吉县商务局")
    assert yongji["findings"]["warning"] == stored.findings.filter(severity="warning").count()
    assert yongji["format_version"] == stored.format_version and yongji["published"] == (
        stored.published.isoformat() if stored.published else None
    )
    waiting = [entry for entry in listed if entry["agency"] is None]
    assert {entry["printed_agency"] for entry in waiting} == {"西工区商务局", "将乐县工业和信息化局", "五常市商务局"}

    by_region = json.loads(runner.invoke(main, ["reports", "--region", "2202", "--json"]).stdout)
    assert [entry["agency"] for entry in by_region] == ["永吉县商务局"]
    assert (
        json.loads(runner.invoke(main, ["reports", "--region", "朝阳", "--json"]).stdout)[0]["agency"] == "朝阳市商务局"
    )
    assert json.loads(runner.invoke(main, ["reports", "--year", "1999", "--json"]).stdout) == []
    plain = runner.invoke(main, ["reports"]).stdout
    assert "共 5 份报告" in plain and "待确认机关" in plain
