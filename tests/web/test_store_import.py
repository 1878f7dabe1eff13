"""Import into the store: files, folders, archives; dedupe by hash; per-file outcomes; resume."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from store_fixtures import CORPUS, SEEDS

from nianbao.cli import main
from nianbao.settings import Settings
from nianbao.web.store.models import (
    AuditEntry,
    Cell,
    Finding,
    ImportItem,
    ImportJob,
    ItemStatus,
    Report,
    SourceFile,
)
from nianbao.web.store.services.cells import SOURCE_DIFF
from nianbao.web.store.services.importer import import_paths, summary

pytestmark = pytest.mark.django_db

CORPUS_FILES = [
    CORPUS / name for name in ("002_pingtan_2019.txt", "016_shuyang_fgj_2023.html", "031_shuyang_fgj_2023_word.docx")
]


def statuses(job: ImportJob) -> dict[str, str]:
    return {Path(item.name.split("!/")[-1]).name: item.status for item in job.items.all()}


def test_seeds_and_corpus_import_end_to_end(store_settings: Settings, home: Path) -> None:
    job = import_paths([*SEEDS, *CORPUS_FILES], store_settings)
    assert set(statuses(job).values()) <= {ItemStatus.IMPORTED, ItemStatus.IMPORTED_WITH_FINDINGS}
    # the web page and the Word file of 沭阳县发改局 2023 are one report with two sources
    assert Report.objects.count() == len(SEEDS) + len(CORPUS_FILES) - 1
    shuyang = Report.objects.get(sources__original_name=CORPUS_FILES[1].name)
    assert sorted(shuyang.sources.values_list("kind", flat=True)) == ["docx", "html"]
    assert not shuyang.findings.filter(code=SOURCE_DIFF).exists()  # both read the same numbers
    truth = json.loads(SEEDS[0].with_suffix(".truth.json").read_text(encoding="utf-8"))
    report = Report.objects.get(sources__original_name=SEEDS[0].name)
    assert report.year == truth["year"] and report.agency is not None
    assert report.contract["schema"] == "nianbao.report/1"
    # every table cell is a row of the long table, with the value the contract holds
    for table in ("table2", "table3", "table4"):
        for row, cols in report.contract[table].items():
            for col, value in cols.items():
                cell = Cell.objects.get(report=report, table=table, row=row, col=col)
                assert (cell.value is None and value is None) or float(cell.value) == value  # type: ignore[arg-type]
    source = report.sources.get()
    assert (home / source.stored_path).read_bytes() == SEEDS[0].read_bytes()
    assert source.stored_path == f"originals/{source.sha256[:2]}/{source.sha256}.txt"
    assert AuditEntry.objects.filter(action="import").count() == SourceFile.objects.count()  # one per stored file
    kinds = set(SourceFile.objects.values_list("kind", flat=True))
    assert {"text", "html", "docx"} <= kinds


def test_same_bytes_are_a_duplicate_and_not_stored_twice(store_settings: Settings, tmp_path: Path) -> None:
    import_paths(SEEDS[:2], store_settings)
    copy = tmp_path / "renamed.txt"
    copy.write_bytes(SEEDS[0].read_bytes())
    job = import_paths([copy, SEEDS[1]], store_settings)
    assert set(statuses(job).values()) == {ItemStatus.DUPLICATE}
    assert SourceFile.objects.count() == 2 and Report.objects.count() == 2
    assert "内容完全相同" in job.items.get(name=str(copy)).reason


def test_a_second_source_of_a_report_is_compared_cell_by_cell(store_settings: Settings, tmp_path: Path) -> None:
    text = SEEDS[0].read_text(encoding="utf-8")
    same_tables = tmp_path / "same.txt"
    same_tables.write_text(text + "\n\n", encoding="utf-8")
    import_paths([SEEDS[0], same_tables], store_settings)
    report = Report.objects.get()
    assert report.sources.count() == 2
    assert not report.findings.filter(code=SOURCE_DIFF).exists()

    stored = Cell.objects.get(report=report, table="table3", row="granted", col="total")
    # as if the first source had read one more granted application than the next one reads
    stored.value = stored.value + 1  # type: ignore[operator]
    stored.save()
    changed = tmp_path / "changed.txt"
    changed.write_bytes(SEEDS[0].read_bytes() + b"\n\n\n")
    job = import_paths([changed], store_settings)
    assert statuses(job) == {"changed.txt": ItemStatus.IMPORTED}
    finding = report.findings.get(code=SOURCE_DIFF)
    assert finding.cells == ["table3.granted.total"]
    assert "changed.txt" in finding.message and finding.severity == "warning"


def test_failures_are_listed_with_a_reason_and_the_rest_imports(store_settings: Settings, tmp_path: Path) -> None:
    broken_docx = tmp_path / "broken.docx"
    broken_docx.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 50)
    broken_pdf = tmp_path / "broken.pdf"
    broken_pdf.write_bytes(b"%PDF-1.4\n" + b"not really a pdf " * 40)
    not_a_report = tmp_path / "notes.txt"
    not_a_report.write_text("会议纪要\n今天讨论了食堂菜单。\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.txt"
    job = import_paths([SEEDS[0], broken_docx, broken_pdf, not_a_report, empty, missing], store_settings)
    outcome = statuses(job)
    assert outcome.pop(SEEDS[0].name) == ItemStatus.IMPORTED
    assert set(outcome.values()) == {ItemStatus.FAILED}
    for item in job.items.filter(status=ItemStatus.FAILED):
        assert item.reason, item.name
    assert "不存在" in job.items.get(name=str(missing)).reason
    assert "空" in job.items.get(name=str(empty)).reason
    assert Report.objects.count() == 1


def test_zip_members_are_imported_and_dangerous_ones_refused(store_settings: Settings, tmp_path: Path) -> None:
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("x.txt", SEEDS[2].read_bytes())
    batch = tmp_path / "batch.zip"
    with zipfile.ZipFile(batch, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("reports/a.txt", SEEDS[0].read_bytes())
        archive.writestr("b.docx", CORPUS_FILES[2].read_bytes())
        archive.writestr("../evil.txt", SEEDS[1].read_bytes())
        archive.writestr("/etc/evil.txt", SEEDS[1].read_bytes())
        archive.writestr("nested.zip", inner.read_bytes())
        archive.writestr("disguised.txt", inner.read_bytes())  # an archive whatever its name says
        archive.writestr("bomb.txt", b"0" * (8 * 1024 * 1024))  # inflates ~1000×
        archive.writestr("huge.txt", b"0" * (33 * 1024 * 1024))  # over NIANBAO_MAX_INPUT_MB
        archive.writestr("secret.txt", b"encrypted")
        archive.writestr("empty-folder/", b"")
    mark_encrypted(batch, "secret.txt")
    job = import_paths([batch], store_settings)
    items = {item.name.split("!/")[1]: item for item in job.items.all()}
    assert set(items) == {
        "reports/a.txt",
        "b.docx",
        "../evil.txt",
        "/etc/evil.txt",
        "nested.zip",
        "disguised.txt",
        "bomb.txt",
        "huge.txt",
        "secret.txt",
    }
    assert items["reports/a.txt"].status == ItemStatus.IMPORTED
    assert items["b.docx"].status in (ItemStatus.IMPORTED, ItemStatus.IMPORTED_WITH_FINDINGS)
    expected_reason = {
        "../evil.txt": "压缩包以外",
        "/etc/evil.txt": "压缩包以外",
        "nested.zip": "又含压缩包",
        "disguised.txt": "又含压缩包",
        "bomb.txt": "压缩炸弹",
        "huge.txt": "大小上限",
        "secret.txt": "密码",
    }
    for name, words in expected_reason.items():
        assert items[name].status == ItemStatus.FAILED and words in items[name].reason, (name, items[name].reason)
    assert not (tmp_path / "evil.txt").exists() and not list(store_settings.home.rglob("evil*"))
    assert Report.objects.count() == 2


def mark_encrypted(archive: Path, name: str) -> None:
    """Set the "encrypted" flag of one member in the central directory (zipfile cannot encrypt)."""
    data = bytearray(archive.read_bytes())
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) >= 0:
        name_length = int.from_bytes(data[start + 28 : start + 30], "little")
        if data[start + 46 : start + 46 + name_length] == name.encode():
            data[start + 8] |= 0x1
        start += 4
    archive.write_bytes(bytes(data))


def test_a_damaged_archive_is_one_failed_item(store_settings: Settings, tmp_path: Path) -> None:
    damaged = tmp_path / "batch.zip"
    damaged.write_bytes(b"PK\x03\x04" + b"\xff" * 100)
    job = import_paths([damaged, SEEDS[0]], store_settings)
    assert statuses(job) == {"batch.zip": ItemStatus.FAILED, SEEDS[0].name: ItemStatus.IMPORTED}
    assert "压缩包已损坏" in job.items.get(name=str(damaged)).reason


def test_a_folder_is_walked_and_hidden_files_skipped(store_settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "收到的报告"
    (folder / "子目录").mkdir(parents=True)
    (folder / "a.txt").write_bytes(SEEDS[0].read_bytes())
    (folder / "子目录" / "b.txt").write_bytes(SEEDS[1].read_bytes())
    (folder / ".DS_Store").write_bytes(b"\x00\x01")
    job = import_paths([folder], store_settings)
    assert statuses(job) == {"a.txt": ItemStatus.IMPORTED, "b.txt": ItemStatus.IMPORTED}


def test_a_rerun_resumes_the_unfinished_job(store_settings: Settings) -> None:
    job = import_paths(SEEDS, store_settings)
    # as if the process had died after the first two files: the job is unfinished and three
    # items never got past "queued"; their reports are not in the database
    done = list(job.items.order_by("pk"))[:2]
    for item in job.items.exclude(pk__in=[item.pk for item in done]):
        Report.objects.filter(pk=item.report_id).delete()
        item.status, item.report, item.sha256 = ItemStatus.QUEUED, None, ""
        item.save()
    job.finished_at = None
    job.save()
    attempts_before = {item.pk: item.attempts for item in job.items.all()}

    rerun = import_paths(SEEDS, store_settings)
    assert rerun.pk == job.pk
    assert set(statuses(rerun).values()) == {ItemStatus.IMPORTED}
    assert Report.objects.count() == len(SEEDS) and SourceFile.objects.count() == len(SEEDS)
    for item in rerun.items.all():
        assert item.attempts == attempts_before[item.pk] + (0 if item in done else 1)
    assert rerun.finished_at is not None
    # a finished job is not resumed: the next run is a new job, and everything is a duplicate
    again = import_paths(SEEDS, store_settings)
    assert again.pk != job.pk and set(statuses(again).values()) == {ItemStatus.DUPLICATE}


def test_parsing_in_two_processes_gives_the_same_store(store_settings: Settings) -> None:
    job = import_paths([*SEEDS, *CORPUS_FILES], store_settings, jobs=2)
    assert set(statuses(job).values()) <= {ItemStatus.IMPORTED, ItemStatus.IMPORTED_WITH_FINDINGS}
    assert Report.objects.count() == len(SEEDS) + len(CORPUS_FILES) - 1
    assert SourceFile.objects.count() == len(SEEDS) + len(CORPUS_FILES)
    assert Finding.objects.exists()
    order = [Path(item.name).name for item in job.items.order_by("pk")]
    assert order == [path.name for path in [*SEEDS, *CORPUS_FILES]]


def test_import_command_json(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("不是报告", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(SEEDS[0]), str(SEEDS[0]), str(bad), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {key: payload[key] for key in ("files", "imported", "duplicate", "with_findings", "failed")} == {
        "files": 2,  # the same path given twice is one item
        "imported": 1,
        "duplicate": 0,
        "with_findings": 0,
        "failed": 1,
    }
    assert [item["status"] for item in payload["items"]] == ["imported", "failed"]
    assert payload["items"][0]["report"] == Report.objects.get().pk
    assert payload["items"][1]["reason"]
    assert ImportItem.objects.count() == 2


def test_import_command_plain_output(home: Path) -> None:
    result = CliRunner().invoke(main, ["import", *map(str, SEEDS[:2])])
    assert result.exit_code == 0, result.output
    assert "[2/2] 已导入" in result.stderr
    assert "共 2 个文件：导入 2" in result.stdout


def test_summary_counts_every_status(store_settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("不是报告", encoding="utf-8")
    import_paths([SEEDS[0]], store_settings)
    job = import_paths([SEEDS[0], SEEDS[1], bad], store_settings)
    counts = summary(job)
    assert (counts["files"], counts["imported"], counts["duplicate"], counts["failed"]) == (3, 1, 1, 1)


def test_a_file_that_cannot_be_stored_fails_and_leaves_no_trace(
    store_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nianbao.web import StoreError
    from nianbao.web.store.services import cells

    real = cells.stored_value
    calls = {"count": 0}

    def refuse_the_first_report(cell_id: str, value: int | float | None) -> object:
        calls["count"] += 1
        if calls["count"] == 1:
            raise StoreError(f"单元格 {cell_id} 的数值超出范围")
        return real(cell_id, value)

    monkeypatch.setattr(cells, "stored_value", refuse_the_first_report)
    again = tmp_path / "again.txt"
    again.write_bytes(SEEDS[0].read_bytes() + b"\n")
    job = import_paths([SEEDS[0], again], store_settings)
    assert statuses(job) == {SEEDS[0].name: ItemStatus.FAILED, "again.txt": ItemStatus.IMPORTED}
    assert "超出范围" in job.items.get(name=str(SEEDS[0])).reason
    # the agency created for the refused file was rolled back with it, and made again for the next
    report = Report.objects.get()
    assert report.agency is not None and report.sources.get().original_name == "again.txt"


def test_an_opendocument_or_ofd_file_is_one_document_never_an_archive_to_unpack(
    store_settings: Settings, tmp_path: Path
) -> None:
    from nianbao.sources import entries

    odt = tmp_path / "报告.odt"
    with zipfile.ZipFile(odt, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        package.writestr("content.xml", "<office:document-content/>")
    ofd = tmp_path / "报告.ofd"
    with zipfile.ZipFile(ofd, "w") as package:
        package.writestr("OFD.xml", "<ofd:OFD/>")
        package.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    batch = tmp_path / "batch.zip"
    with zipfile.ZipFile(batch, "w") as archive:
        archive.write(odt, "a.odt")
        archive.write(ofd, "b.ofd")
    found = list(entries([odt, ofd, batch], store_settings))
    assert [entry.member for entry in found[:2]] == [None, None]  # each file itself
    assert {entry.member for entry in found[2:]} == {"a.odt", "b.ofd"}  # the archive's members
    assert all(entry.refused is None for entry in found)  # a document inside an archive is no nested archive


def test_a_notice_is_a_failed_item_saying_why(store_settings: Settings, tmp_path: Path) -> None:
    notice = tmp_path / "通知.txt"
    notice.write_text(
        "关于做好2024年度政府信息公开工作年度报告编制发布工作的通知\n\n各部门：\n\n"
        "请于2025年1月31日前发布本部门年度报告。\n\n某市人民政府办公室\n2024年12月20日\n",
        encoding="utf-8",
    )
    job = import_paths([notice, SEEDS[0]], store_settings)
    assert statuses(job) == {"通知.txt": ItemStatus.FAILED, SEEDS[0].name: ItemStatus.IMPORTED}
    reason = job.items.get(name=str(notice)).reason
    assert "不是政府信息公开工作年度报告" in reason and "表二、表三、表四" in reason
    assert Report.objects.count() == 1
