"""The six headings, chosen together in their printed variants."""

from __future__ import annotations

from helpers import grid, tokens_of
from nianbao.extract.sections import _titles, find_sections
from nianbao.formats import GOV2021, TRIAL2019

STANDARD = [section.heading for section in GOV2021.sections]


def chosen(*lines: str) -> dict[int, str]:
    found, _candidates = find_sections(tokens_of(*lines), GOV2021)
    return {number: match.token.text for number, match in found.items()}


def test_standard_headings_are_canonical() -> None:
    found, _ = find_sections(tokens_of(*STANDARD), GOV2021)
    assert sorted(found) == [1, 2, 3, 4, 5, 6]
    assert all(match.canonical and match.printed_number == match.section for match in found.values())


def test_other_numberings_are_found_but_not_canonical() -> None:
    found, _ = find_sections(
        tokens_of("1、总体情况", "（二）主动公开政府信息情况", "三 收到和处理政府信息公开申请情况"), GOV2021
    )
    assert {n: (m.numbering, m.printed_number, m.canonical) for n, m in found.items()} == {
        1: ("1、", 1, False),
        2: ("（二）", 2, False),
        3: ("三", 3, False),
    }


def test_a_sub_heading_of_section_one_does_not_take_section_two() -> None:
    lines = [
        "一、总体情况",
        "（一）主动公开政府信息情况",
        "正文",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
    ]
    assert chosen(*lines)[2] == "二、主动公开政府信息情况"


def test_headings_only_count_in_increasing_order() -> None:
    found = chosen("三、收到和处理政府信息公开申请情况", "一、总体情况", "二、主动公开政府信息情况")
    assert sorted(found) == [1, 2]  # the first line cannot open section 3 before sections 1 and 2


def test_known_variants_and_trailing_punctuation() -> None:
    found = chosen("一、概述", "四、政府信息公开行政复议、诉讼情况：", "五、存在的主要问题及改进措施")
    assert sorted(found) == [1, 4, 5]


def test_the_trial_format_titles_section_five_its_own_way() -> None:
    found, _ = find_sections(tokens_of("五、政府信息公开工作存在的主要问题及改进情况"), TRIAL2019)
    assert found[5].canonical


def test_cells_and_long_paragraphs_are_never_headings() -> None:
    found, _ = find_sections(tokens_of(grid([["一、总体情况"]]), "一、总体情况" + "。" * 60), GOV2021)
    assert found == {}


def test_a_line_scores_the_same_from_memory() -> None:
    lines = [*STANDARD, "（一）主动公开政府信息情况", "行政许可", "2023年度报告"]
    titles = _titles(GOV2021.sections)
    titles.scored.clear()
    first = find_sections(tokens_of(*lines), GOV2021)
    assert "一、总体情况" in titles.scored and titles.scored["行政许可"] == ()
    again = find_sections(tokens_of(*lines), GOV2021)  # every line scored from the memory
    assert [(m.token.index, m.section, m.numbering, m.printed_number, m.score) for m in first[1]] == [
        (m.token.index, m.section, m.numbering, m.printed_number, m.score) for m in again[1]
    ]
    assert sorted(first[0]) == sorted(again[0]) == [1, 2, 3, 4, 5, 6]


def test_the_memory_is_bounded() -> None:
    titles = _titles(GOV2021.sections)
    for k in range(titles._KEEP + 10):
        titles.scores(f"第{k}行")
    assert len(titles.scored) <= titles._KEEP
