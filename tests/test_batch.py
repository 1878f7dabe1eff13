"""Batches in the core: the same report in two files, the previous year by agency."""

from __future__ import annotations

import copy

from helpers import CORPUS, SEEDS
from nianbao.batch import Duplicates, PreviousReports, agency_key
from nianbao.model import CellValue, Report
from nianbao.pipeline import load_report


def read(name: str) -> tuple[bytes, Report]:
    path = CORPUS / name if (CORPUS / name).exists() else SEEDS[int(name)]
    data = path.read_bytes()
    return data, load_report(data, path.name)


def test_the_same_report_as_a_web_page_and_a_word_file_is_one_report() -> None:
    seen = Duplicates()
    assert seen.add("a.html", *read("016_shuyang_fgj_2023.html")) is None
    duplicate = seen.add("b.docx", *read("031_shuyang_fgj_2023_word.docx"))
    assert duplicate is not None and (duplicate.same_as, duplicate.kind) == ("a.html", "same_report")
    assert "表二至表四200个数值一致" in duplicate.reason


def test_a_copy_with_cells_left_unread_is_still_the_same_report() -> None:
    """As a scan of the PDF is, when OCR leaves some cells unread (the corpus has one, 033, slow
    to read): the cells both read agree, so it is one report."""
    pdf = read("009_hongzequ_2023.pdf")
    scan_report = copy.deepcopy(pdf[1])
    scan_report.table3["granted"]["total"] = CellValue(status="unreadable", raw="l0")
    seen = Duplicates()
    assert seen.add("a.pdf", *pdf) is None
    duplicate = seen.add("scan.pdf", b"other bytes", scan_report)
    assert duplicate is not None and duplicate.kind == "same_report"


def test_a_corrected_version_is_said_to_be_a_second_version() -> None:
    data, report = read("009_hongzequ_2023.pdf")
    corrected = copy.deepcopy(report)
    corrected.table4["review"]["total"] = CellValue(status="value", value=11, raw="11")
    seen = Duplicates()
    seen.add("first.pdf", data, report)
    duplicate = seen.add("corrected.pdf", b"corrected", corrected)
    assert duplicate is not None and duplicate.kind == "revised"
    assert "有1个表格数值不同" in duplicate.reason and "两个版本" in duplicate.reason


def test_reports_of_two_agencies_are_never_one_report_unless_the_bytes_are() -> None:
    data, report = read("0")
    other = copy.deepcopy(report)
    other.agency = "另一个县商务局"
    seen = Duplicates()
    seen.add("a.txt", data, report)
    assert seen.add("b.txt", b"not the same bytes", other) is None
    identical = seen.add("c.txt", data, report)
    assert identical is not None and identical.kind == "identical" and identical.same_as == "a.txt"


def test_the_previous_report_is_the_same_agencys_year_before() -> None:
    previous = PreviousReports()
    for name in ("006_pingtan_2023.txt", "021_pingtan_jtj_2023.txt", "004_pingtan_2021.txt"):
        previous.add(name, read(name)[1])
    assert len(previous) == 3
    found = previous.for_report(read("007_pingtan_2024.txt")[1])
    assert found is not None and found[0] == "006_pingtan_2023.txt"
    assert previous.for_report(read("030_pingtan_jtj_2025.txt")[1]) is None  # 2024 of that bureau not given
    nameless = read("007_pingtan_2024.txt")[1]
    nameless.agency = None
    assert previous.for_report(nameless) is None


def test_agency_names_are_compared_as_printed_variants() -> None:
    assert agency_key("平潭综合实验区 交通与建设局") == agency_key("平潭综合实验区交通与建设局")
    assert agency_key("") is None and agency_key(None) is None
