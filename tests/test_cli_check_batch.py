"""``nianbao check --all`` (the checklist) and ``nianbao check DIR`` (a batch with its summary,
duplicates, skipped files, exit codes, and ``--previous`` by agency), on real reports."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

from click.testing import CliRunner

from helpers import CORPUS, SEEDS
from nianbao.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_check_all_lists_every_item_with_its_status() -> None:
    pdf = str(CORPUS / "009_hongzequ_2023.pdf")
    code, out, _ = run("check", "--all", pdf)
    assert code == 1
    assert "    通过　　 T3-ID 表三自然人列：一＋二＝三（七）＋四\n" in out
    assert "    未通过　 T4-SUM 表四行政复议：总计＝结果维持＋结果纠正＋其他结果＋尚未审结\n" in out
    assert (
        "        [错误] T4-SUM 行政复议：总计(0) ≠ 结果维持10+结果纠正1+其他结果0+尚未审结0 = 11（表四行政复议，第4页）"
        in out
    )
    assert "    无法核查 DEADLINE 在条例第四十九条规定的期限内发布：报告未载明发布（落款）日期\n" in out
    assert "    不适用　 OCR-CONF 表三识别结果置信度均达到阈值：表三不是经 OCR 识别的扫描件\n" in out
    _, data, _ = run("check", "--json", pdf)
    checked = json.loads(data)
    statuses = ("通过　　 ", "未通过　 ", "无法核查 ", "不适用　 ")
    assert sum(1 for line in out.splitlines() if line.startswith(tuple("    " + s for s in statuses))) == len(
        checked["checklist"]
    )
    assert f"核查项 {len(checked['checklist'])}：通过 {checked['checks']['passed']}" in out


def test_without_all_the_findings_and_how_many_could_not_be_checked() -> None:
    code, out, _ = run("check", str(CORPUS / "009_hongzequ_2023.pdf"))
    assert code == 1
    assert "  [错误] T4-SUM 行政复议：总计(0)" in out and "T3-ID 表三自然人列" not in out
    assert "（无法核查的" in out and "nianbao check --all）" in out


def folder_of_reports(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    (root / "web").mkdir(parents=True)
    (root / "word" / "2023").mkdir(parents=True)
    (root / ".git").mkdir()
    shutil.copy(CORPUS / "016_shuyang_fgj_2023.html", root / "web" / "fgj.html")
    shutil.copy(CORPUS / "031_shuyang_fgj_2023_word.docx", root / "word" / "2023" / "fgj.docx")  # the same report
    shutil.copy(SEEDS[0], root / "yongji.txt")
    shutil.copy(SEEDS[0], root / "word" / "copy-of-yongji.txt")  # the same bytes
    (root / "empty.txt").write_bytes(b"")
    (root / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    return root


def test_a_folder_is_read_recursively_with_a_summary(tmp_path: Path) -> None:
    root = folder_of_reports(tmp_path)
    code, out, err = run("check", str(root))
    assert code == 2  # the empty file could not be used; the others were still checked
    assert err.splitlines() == [f"错误：{root / 'empty.txt'}：文件是空的"]
    assert out.count("文件：") == 4
    summary = out[out.index("汇总：") :]
    assert summary.startswith("汇总：共5个文件，核查4份报告，其中有错误0份、有警告")
    assert "无法使用1个；重复2个；跳过2个" in summary
    assert f"{root / 'word' / '2023' / 'fgj.docx'} 与“{root / 'web' / 'fgj.html'}”是同一份报告" in summary
    assert f"{root / 'yongji.txt'} 与“{root / 'word' / 'copy-of-yongji.txt'}”内容完全相同" in summary
    assert "跳过：隐藏文件或文件夹（名称以“.”开头）2个" in summary


def test_the_json_of_a_folder_has_the_same_summary(tmp_path: Path) -> None:
    root = folder_of_reports(tmp_path)
    code, out, _ = run("check", "--json", str(root))
    assert code == 2
    batch = json.loads(out)
    assert [r["file"] for r in batch["results"]] == [
        str(root / name)
        for name in ("empty.txt", "web/fgj.html", "word/2023/fgj.docx", "word/copy-of-yongji.txt", "yongji.txt")
    ]
    assert batch["results"][0] == {"file": str(root / "empty.txt"), "error": f"{root / 'empty.txt'}：文件是空的"}
    summary = batch["summary"]
    assert {k: summary[k] for k in ("files", "reports", "with_errors", "unusable")} == {
        "files": 5,
        "reports": 4,
        "with_errors": 0,
        "unusable": 1,
    }
    assert [(d["file"], d["same_as"], d["kind"]) for d in summary["duplicates"]] == [
        (str(root / "word/2023/fgj.docx"), str(root / "web/fgj.html"), "same_report"),
        (str(root / "yongji.txt"), str(root / "word/copy-of-yongji.txt"), "identical"),
    ]
    assert summary["skipped"] == [
        {"file": str(root / ".DS_Store"), "reason": "隐藏文件或文件夹（名称以“.”开头）"},
        {"file": str(root / ".git"), "reason": "隐藏文件或文件夹（名称以“.”开头）"},
    ]


def test_what_a_folder_holds_but_is_not_read_is_said(tmp_path: Path) -> None:
    root = tmp_path / "reports"
    root.mkdir()
    shutil.copy(SEEDS[1], root / "report.txt")
    os.mkfifo(root / "pipe")
    os.symlink(root, root / "loop")
    code, out, err = run("check", "--json", str(root))
    assert code == 0 and err == ""
    batch = json.loads(out)
    assert batch["summary"]["skipped"] == [
        {"file": str(root / "loop"), "reason": "指向文件夹的符号链接（不进入，以免重复或循环）"},
        {"file": str(root / "pipe"), "reason": "不是普通文件（设备、管道或套接字）"},
    ]
    assert batch["summary"]["reports"] == 1


def test_the_reports_inside_an_archive_are_checked(tmp_path: Path) -> None:
    archive = tmp_path / "batch.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        packed.write(SEEDS[0], "2023/a.txt")
        packed.write(CORPUS / "009_hongzequ_2023.pdf", "2023/b.pdf")
    code, out, _ = run("check", "--json", str(archive))
    assert code == 1  # b.pdf has errors
    batch = json.loads(out)
    assert [r["file"] for r in batch["results"]] == [f"{archive}!/2023/a.txt", f"{archive}!/2023/b.pdf"]
    assert batch["summary"]["with_errors"] == 1


def test_an_empty_folder_is_one_line_and_exit_two(tmp_path: Path) -> None:
    (tmp_path / ".hidden").write_text("x")
    code, out, err = run("check", str(tmp_path))
    assert code == 2 and out == ""
    assert err == "错误：没有找到要核查的文件（跳过1个：隐藏文件或文件夹（名称以“.”开头）1个）\n"


def test_previous_reports_are_paired_by_agency_and_year(tmp_path: Path) -> None:
    earlier = tmp_path / "2023"
    earlier.mkdir()
    # 平潭综合实验区 2023 and its 交通与建设局 2023: only the first is the previous of 平潭综合实验区 2024
    for name in ("006_pingtan_2023.txt", "021_pingtan_jtj_2023.txt"):
        shutil.copy(CORPUS / name, earlier / name)
    this_year = [str(CORPUS / "007_pingtan_2024.txt"), str(CORPUS / "030_pingtan_jtj_2025.txt")]
    code, out, _ = run("check", "--json", *this_year, "--previous", str(earlier))
    assert code in (0, 1)  # everything could be used
    batch = json.loads(out)
    government, bureau = batch["results"]
    assert government["previous"] == str(earlier / "006_pingtan_2023.txt")
    assert {item["status"] for item in government["checklist"] if item["code"] == "X-CARRY"} != {"not_checkable"}
    assert bureau["previous"] is None  # its 2024 report is not given
    assert {item["status"] for item in bureau["checklist"] if item["code"] == "X-CARRY"} == {"not_checkable"}
    _, text, _ = run("check", *this_year, "--previous", str(earlier))
    assert f"对照的上年报告：{earlier / '006_pingtan_2023.txt'}" in text
    assert "未作跨年度对照：--previous 中没有“平潭综合实验区交通与建设局”2024年度的报告" in text


def test_an_unusable_previous_report_is_said_and_the_check_goes_on(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, err = run("check", "--json", str(SEEDS[0]), "--previous", str(empty))
    assert code == 2
    assert err == f"错误：上年报告无法使用：{empty}：文件是空的\n"
    assert json.loads(out)["agency"] == "永吉县商务局"
