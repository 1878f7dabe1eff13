"""Real reports with their headings, anchors and labels misprinted or reworded, and with text
put between and inside their tables: each is read as the report it still is.

Every document here is a seed or corpus report (their own layouts: text lines, paragraph
cells, a page flattened to one line, markdown, Word) with one defect introduced in code.  The
cells must read as before — every one equal to the hand-checked truth or unreadable as it was —
and the findings must be the report's own plus, where the defect is a misprint or a rewording,
exactly one info finding quoting it: never a missing section or a missing table.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

from helpers import CORPUS, SEEDS, document, grid, tokens_of, truth_of
from nianbao import parse_bytes
from nianbao.extract import extract
from nianbao.extract.sections import find_sections
from nianbao.formats import GOV2021
from nianbao.formats.labels import edit_distance, misprint_of
from nianbao.model import Report
from nianbao.rules import run_rules

# every report in text form: the seeds (text lines, paragraph cells) and the corpus (pages
# flattened to one line, space-separated cells, markdown)
TEXT_REPORTS = [
    *SEEDS,
    *sorted(
        path for path in CORPUS.iterdir() if path.suffix in (".txt", ".md") and path.with_suffix(".truth.json").exists()
    ),
]
WORD = CORPUS / "031_shuyang_fgj_2023_word.docx"

Found = tuple[str, str, str]  # code, severity, message


def _id(param: object) -> str:
    if isinstance(param, Path):
        return ("seed" if param.parent.name == "seeds" else "") + param.stem[:3]
    return str(param)


def findings_of(report: Report) -> set[Found]:
    return {(f.code, f.severity, f.message) for f in run_rules(report)}


def cells_of(report: Report) -> dict[str, float | None]:
    return {cell_id: cell.value for cell_id, cell in report.iter_cells()}


@cache
def original(path: Path) -> tuple[bytes, Report, frozenset[Found]]:
    data = path.read_bytes()
    report = parse_bytes(data, path.name)
    return data, report, frozenset(findings_of(report))


def assert_reads_as_before(path: Path, mutated: Report) -> None:
    """Every cell equals the truth, or is unreadable where the report itself was read so."""
    _data, report, _found = original(path)
    before, after = cells_of(report), cells_of(mutated)
    truth = truth_of(path)
    for table in ("table2", "table3", "table4"):
        for row, cols in truth[table].items():
            for col, expected in cols.items():
                cell_id = f"{table}.{row}.{col}"
                assert after[cell_id] == expected or after[cell_id] is before[cell_id] is None, cell_id
    assert after == before


def new_findings(path: Path, mutated: Report) -> tuple[set[Found], set[Found]]:
    """(findings the defect added, findings it took away)."""
    _data, _report, found = original(path)
    after = findings_of(mutated)
    return after - found, set(found) - after


def heading_at(path: Path, number: int) -> tuple[int, str, str]:
    """Where section ``number``'s heading is printed in the file: (offset, heading, numbering)."""
    data, report, _found = original(path)
    text = data.decode("utf-8")
    heading = next(h for h in report.headings if h.number == number)
    assert heading.location is not None and heading.location.line is not None
    line_start = sum(len(line) + 1 for line in text.split("\n")[: heading.location.line - 1])
    column = line_start + (heading.location.column or 1) - 1
    offset = column if text.startswith(heading.text, column) else text.index(heading.text, line_start)
    return offset, heading.text, heading.numbering


def reread(path: Path, text: str) -> Report:
    return parse_bytes(text.encode("utf-8"), path.name)


def misprint(title: str, kind: str) -> str:
    """The title with one character inserted, dropped or changed in its middle."""
    middle = len(title) // 2
    if kind == "insert":
        return title[:middle] + "的" + title[middle:]
    if kind == "drop":
        return title[:middle] + title[middle + 1 :]
    return title[:middle] + ("某" if title[middle] != "某" else "甲") + title[middle + 1 :]


def infos_quoting(found: set[Found], code: str, quoted: str) -> list[Found]:
    return [f for f in found if f[0] == code and f[1] == "info" and f"“{quoted}”" in f[2]]


def in_word(path: Path, old: str, new: str, occurrence: int = 1) -> bytes:
    """The Word file with the ``occurrence``-th ``old`` of its body replaced by ``new``."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                xml = data.decode("utf-8")
                at = -1
                for _ in range(occurrence):
                    at = xml.index(old, at + 1)
                data = (xml[:at] + new + xml[at + len(old) :]).encode("utf-8")
            target.writestr(item, data)
    return out.getvalue()


# ------------------------------------------------------------------------------ misprinted headings

EDITS = ("insert", "drop", "change")


@pytest.mark.parametrize("number", range(1, 7))
@pytest.mark.parametrize("path", TEXT_REPORTS, ids=_id)
def test_a_misprinted_heading_is_its_section(path: Path, number: int) -> None:
    data, report, _found = original(path)
    if number not in {h.number for h in report.headings}:
        pytest.skip("the report itself does not print this heading")  # 014 has no section 五
    offset, heading, numbering = heading_at(path, number)
    title = heading[len(numbering) :] if heading.startswith(numbering) else heading
    printed = heading[: len(heading) - len(title)] + misprint(title, EDITS[number % 3])
    text = data.decode("utf-8")
    mutated = reread(path, text[:offset] + printed + text[offset + len(heading) :])

    assert_reads_as_before(path, mutated)
    added, gone = new_findings(path, mutated)
    assert not gone
    assert added == set(infos_quoting(added, "SEC-6", printed)) and len(added) == 1, added
    # numbered as its section, it is a misprint; numbered as another (017 prints 二、 for
    # section 三), it is a heading in other words
    numbered_as_its_section = next(h for h in report.headings if h.number == number).printed_number == number
    assert ("相差个别字" if numbered_as_its_section else "措辞不同") in next(iter(added))[2]


def test_a_misprinted_heading_in_a_word_file() -> None:
    mutated = parse_bytes(
        in_word(WORD, "收到和处理政府信息公开申请情况", "收到和处理政府的信息公开申请情况"), WORD.name
    )
    assert_reads_as_before(WORD, mutated)
    added, gone = new_findings(WORD, mutated)
    assert not gone and len(added) == 1 and infos_quoting(added, "SEC-6", "三、收到和处理政府的信息公开申请情况")


def test_a_misprint_two_known_headings_fit_is_no_heading() -> None:
    # a format whose section 六 had a wording one character from section 一's title
    sections = (*GOV2021.sections[:5], replace(GOV2021.sections[5], variants=("总体状况",)))
    spec = replace(GOV2021, sections=sections)
    lines = ["一、总体况", "二、主动公开政府信息情况"]
    _found, candidates = find_sections(tokens_of(*lines), spec)
    assert [c.section for c in candidates] == [2]  # 总体况 is one character from 总体情况 and from 总体状况
    _found, candidates = find_sections(tokens_of(*lines), GOV2021)
    assert [(c.section, c.wording) for c in candidates] == [(1, "misprint"), (2, "standard")]
    # the standard's own titles are too far apart for one misprint to fit two of them
    keys = {key: section.number for section in GOV2021.sections for key in section.title_keys()}
    assert misprint_of("总体况", {**keys, "总体状况": 6}) is None and misprint_of("总体况", keys) == 1
    assert edit_distance("主动公开政府信息情况", "依申请公开政府信息情况", 5) == 3


def test_a_misprint_numbered_as_another_section_is_no_misprint() -> None:
    lines = ["一、总体情况", "三、总体况", "四、政府信息公开行政复议、行政诉讼情况"]
    found, candidates = find_sections(tokens_of(*lines), GOV2021)
    assert [c.token.text for c in candidates] == ["一、总体情况", "四、政府信息公开行政复议、行政诉讼情况"]
    # numbered 三 where section 三 stands, it is section 三 in other words, not section 一
    assert found[3].wording == "reworded" and found[1].token.text == "一、总体情况"


# ------------------------------------------------------------------------------ reworded headings

REWORDED = {
    1: "年度工作概况",
    2: "信息主动公开工作",
    3: "依申请办理工作",
    4: "复议诉讼案件办理",
    5: "存在的主要问题及明年工作计划",
    6: "其他事项说明",
}
# where the report leaves no single line for a reworded heading to be told by
NOT_TOLD = {
    ("014", 3): "an OCR line 三、本法提供 is numbered 三 too, in the same place",
    ("014", 4): "the report has no section 五, and 三、本法提供 stands between 三 and 六",
    ("017", 3): "the report numbers section 三 as 二、: a title in other words must be numbered as its section",
}


@pytest.mark.parametrize("number", range(1, 7))
@pytest.mark.parametrize("path", TEXT_REPORTS, ids=_id)
def test_a_reworded_heading_in_its_place_is_its_section(path: Path, number: int) -> None:
    data, report, _found = original(path)
    if number not in {h.number for h in report.headings}:
        pytest.skip("the report itself does not print this heading")
    if (path.stem[:3], number) in NOT_TOLD:
        pytest.skip(NOT_TOLD[(path.stem[:3], number)])
    offset, heading, numbering = heading_at(path, number)
    printed = numbering + REWORDED[number]
    text = data.decode("utf-8")
    mutated = reread(path, text[:offset] + printed + text[offset + len(heading) :])

    assert_reads_as_before(path, mutated)
    assert number in {h.number for h in mutated.headings}
    added, gone = new_findings(path, mutated)
    assert not gone
    assert len(added) == 1  # the one info on the wording
    (code, severity, message) = next(iter(added))
    assert (code, severity) == ("SEC-6", "info") and f"“{printed}" in message and "措辞不同" in message


def test_a_reworded_heading_in_a_word_file() -> None:
    mutated = parse_bytes(in_word(WORD, "存在的主要问题及整改措施", "存在的主要问题及明年工作计划"), WORD.name)
    assert_reads_as_before(WORD, mutated)
    added, gone = new_findings(WORD, mutated)
    assert not gone and len(added) == 1 and infos_quoting(added, "SEC-6", "五、存在的主要问题及明年工作计划")


def test_lines_that_are_no_headings_in_other_words() -> None:
    standard = {n: section.heading for n, section in enumerate(GOV2021.sections, start=1)}

    def chosen(*between: str) -> dict[int, str]:
        lines = [standard[1], standard[2], standard[3], standard[4], *between, standard[6]]
        found, _candidates = find_sections(tokens_of(*lines), GOV2021)
        return {n: match.token.text for n, match in found.items()}

    assert chosen("五、存在的主要问题及明年工作计划")[5] == "五、存在的主要问题及明年工作计划"
    assert 5 not in chosen("一、加强学习", "五、完善制度")  # a list numbered in the headings' style
    assert 5 not in chosen("五、进一步加强培训，提升能力。")  # a sentence
    assert 5 not in chosen("五、存在的问题", "五、改进措施")  # the same number twice
    assert 5 not in chosen("四、结转下年度继续办理")  # a table's label
    assert 5 not in chosen("没有其他需要报告的事项。")  # unnumbered: only a standard title counts


# ------------------------------------------------------------------------------ misprinted anchors


# (printed label, its misprint, the section whose table prints it)
TABLE_MISPRINTS = [
    ("勾稽", "钩稽", 3),  # in table 3's identity note
    ("三、本年度办理结果", "三、本年办理结果", 3),  # a group label of table 3
    ("第二十条第（五）项", "第二十条（五）项", 2),  # a block's 条例 item in table 2
    ("行政复议", "行政复复议", 4),  # table 4's header
]


@pytest.mark.parametrize(("label", "printed", "after"), TABLE_MISPRINTS, ids=lambda p: str(p))
@pytest.mark.parametrize("path", TEXT_REPORTS, ids=_id)
def test_a_misprinted_table_label_is_read_as_it(path: Path, label: str, printed: str, after: int) -> None:
    data, _report, _found = original(path)
    text = data.decode("utf-8")
    offset, heading, _numbering = heading_at(path, after)
    at = text.find(label, offset + len(heading))
    if at == -1:
        pytest.skip("the report prints this label otherwise")  # 014's note is split over lines
    mutated = reread(path, text[:at] + printed + text[at + len(label) :])

    assert_reads_as_before(path, mutated)
    added, gone = new_findings(path, mutated)
    assert not {f for f in added if f[1] != "info"} and not {f for f in gone if f[1] != "info"}
    misprints = [f for f in added if f[0] == "STRUCT" and "印误" in f[2]]
    assert all(printed in f[2] and label in f[2] for f in misprints)
    # a label that stands alone (a cell, a line) is named; glued into a flattened line the
    # misprint may stay part of the text around it, which is read as before all the same
    if re.search(rf"(^|\t|\|\s*){re.escape(printed)}\s*($|\t|\|)", text[:at] + printed + text[at + len(label) :], re.M):
        assert len(misprints) == 1


def test_a_misprinted_table_label_in_a_word_file() -> None:
    for old, new, occurrence in (("勾稽", "钩稽", 1), ("行政复议", "行政复复议", 2)):
        mutated = parse_bytes(in_word(WORD, old, new, occurrence), WORD.name)
        assert_reads_as_before(WORD, mutated)
        added, gone = new_findings(WORD, mutated)
        assert not gone and len(added) == 1 and "印误" in next(iter(added))[2], (old, added)


def test_a_misprint_two_table_labels_fit_is_left_alone() -> None:
    path = SEEDS[0]
    text = original(path)[0].decode("utf-8")
    # 行政复讼 is one character from 行政复议 and from 行政诉讼
    at = text.index("\t行政复议\n")
    mutated = reread(path, text[:at] + "\t行政复讼\n" + text[at + len("\t行政复议\n") :])
    assert_reads_as_before(path, mutated)
    added, _gone = new_findings(path, mutated)
    assert not [f for f in added if "印误" in f[2]]
    assert any(f[1] == "warning" and "行政复议" in f[2] for f in added)
    # 第二十条第（七）项 is one character from every block's 条例 item
    at = text.index("第二十条第（一）项")
    mutated = reread(path, text[:at] + "第二十条第（七）项" + text[at + len("第二十条第（一）项") :])
    added, _gone = new_findings(path, mutated)
    assert not [f for f in added if "印误" in f[2]]
    assert any("第二十条第（一）项" in f[2] for f in added)


def test_a_table_without_its_heading_is_found_by_its_misprinted_anchor() -> None:
    header = [
        ["行政复复议", "行政诉讼"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
    ]
    header += [["", "", "", "", "", *("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 2]]
    report = extract(
        document(
            "某某局2023年政府信息公开工作年度报告",
            "一、总体情况",
            "三、收到和处理政府信息公开申请情况",
            grid([*header, [str(k) for k in range(15)]]),
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
        )
    )
    assert report.table4 is not None and report.table4["litigation_after_review"]["total"].value == 14
    assert any("行政复复议" in note.message and note.kind == "label_variant" for note in report.notes)


# ------------------------------------------------------------------------------ group labels twice, glued

FLATTENED = [path for path in TEXT_REPORTS if max(map(len, path.read_text(encoding="utf-8").split("\n"))) > 2000]


@pytest.mark.parametrize("path", FLATTENED, ids=_id)
@pytest.mark.parametrize("printed", ["三三、本年度办理结果", "三、本年度办理结果三、本年度办理结果"])
def test_a_group_label_twice_or_glued_to_the_row_before(path: Path, printed: str) -> None:
    text = original(path)[0].decode("utf-8")
    label = re.search(r"\s*".join("三、本年度办理结果"), text)  # 007 prints 三、本年度办 理结果
    assert label is not None
    mutated = reread(path, text[: label.start()] + printed + text[label.end() :])
    assert_reads_as_before(path, mutated)  # row 二 before it keeps its values
    added, _gone = new_findings(path, mutated)
    assert not {f for f in added if f[1] != "info"}


@pytest.mark.parametrize("path", SEEDS, ids=_id)
def test_a_group_label_misnumbered_in_its_cell(path: Path) -> None:
    text = original(path)[0].decode("utf-8")
    at = text.index("三、本年度办理结果")
    mutated = reread(path, text[:at] + "三三、本年度办理结果" + text[at + len("三、本年度办理结果") :])
    assert_reads_as_before(path, mutated)
    added, gone = new_findings(path, mutated)
    assert (
        not gone and len(added) == 1 and "“三三、本年度办理结果”疑为“三、本年度办理结果”的印误" in next(iter(added))[2]
    )


# ------------------------------------------------------------------------------ text between and inside tables

NOTE = "注：本表数据由各业务科室汇总提供。"


def _inserted(path: Path, offset: int, inserted: str) -> str:
    """The text with ``inserted`` at ``offset``: on a line of its own where the report has
    lines there, glued to what comes before where the page is flattened to one line."""
    text = original(path)[0].decode("utf-8")
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    flattened = (line_end if line_end != -1 else len(text)) - line_start > 2000
    if flattened:
        return text[:offset] + inserted + text[offset:]
    return text[:line_start] + inserted + "\n" + text[line_start:]


@pytest.mark.parametrize("after", [3, 4, 5])
@pytest.mark.parametrize("path", TEXT_REPORTS, ids=_id)
def test_a_paragraph_between_tables(path: Path, after: int) -> None:
    if after not in {h.number for h in original(path)[1].headings}:
        pytest.skip("the report itself does not print this heading")
    offset, _heading, _numbering = heading_at(path, after)  # the note ends the table before
    mutated = reread(path, _inserted(path, offset, NOTE))
    assert_reads_as_before(path, mutated)
    added, _gone = new_findings(path, mutated)
    assert not {f for f in added if f[1] != "info"}


@pytest.mark.parametrize("stray", ["— 4 —", "第 3 页 共 6 页", "单位：件"])
@pytest.mark.parametrize("path", TEXT_REPORTS, ids=_id)
def test_a_line_inside_a_table(path: Path, stray: str) -> None:
    """A page's chrome or a stray line on a line of its own inside table 3 (where a page
    flattened to one line breaks there)."""
    _data, report, _found = original(path)
    label = report.row_labels["table3.carried_over_out"]
    assert label.line is not None
    text = original(path)[0].decode("utf-8")
    offset = sum(len(line) + 1 for line in text.split("\n")[: label.line - 1]) + (label.column or 1) - 1
    line_start = text.rfind("\n", 0, offset) + 1
    if offset - line_start > 2000:  # a flattened page: the line breaks before the label
        changed = text[:offset] + "\n" + stray + "\n" + text[offset:]
    else:
        changed = _inserted(path, offset, stray)
    mutated = reread(path, changed)
    assert_reads_as_before(path, mutated)
    added, _gone = new_findings(path, mutated)
    assert not {f for f in added if f[1] != "info"}


# ------------------------------------------------------------------------------ never on real reports


@pytest.mark.parametrize(
    "path",
    [
        *TEXT_REPORTS,
        *sorted(p for p in CORPUS.iterdir() if p.suffix in (".html", ".docx", ".pdf") and "scan" not in p.name),
    ],
    ids=_id,
)
def test_real_reports_print_no_misprint_and_no_heading_in_other_words(path: Path) -> None:
    """The seeds and the corpus print their headings and labels in known words: the misprint
    and rewording paths take nothing of them (no line of their narrative becomes a heading)."""
    _data, report, found = original(path)
    assert all(heading.wording == "standard" for heading in report.headings)
    assert not [f for f in found if "印误" in f[2] or "措辞不同" in f[2]]
