"""Numbers the narrative states, only where the phrasing names a table's quantity."""

from __future__ import annotations

import pytest

from helpers import tokens_of
from nianbao.extract.narrative import extract_narrative


def figures(text: str) -> list[tuple[str, float]]:
    return [(figure.kind, figure.value) for figure in extract_narrative([(tokens_of(text)[0], 3)])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本年度共收到政府信息公开申请3件。", [("applications_received", 3)]),
        ("全年未收到政府信息公开申请。", [("applications_received", 0)]),
        ("主动公开政府信息120条。", [("proactive_items", 120)]),
        ("收取信息处理费1.5万元。", [("fee_yuan", 15000.0)]),
        ("未收取信息处理费。", [("fee_yuan", 0)]),
        ("未发生政府信息公开行政复议、行政诉讼。", [("review_cases", 0), ("litigation_cases", 0)]),
        ("现行有效规范性文件12件。", [("normative_documents_in_force", 12)]),
        ("依申请公开信息182条。", []),  # information items, not applications
        # corpus 004, 006, 007, 030
        (
            "本年度全区共收到70件申请，及时依法依规办结69件。",
            [("applications_received", 70), ("applications_closed", 69)],
        ),
        (
            "办结依申请公开81件，其中：予以公开及部分公开42件。",
            [("applications_closed", 81), ("granted_and_partly", 42)],
        ),
        ("全年办理政府信息公开申请218件。", [("applications_handled", 218)]),
        ("共收到各类政府信息公开申请（含网络申请、信函申请）25件。", [("applications_received", 25)]),
        ("共收到市民通过网络、信函等方式提交的政府信息公开申请25件。", [("applications_received", 25)]),
        ("共收到政府信息公开申请（含上年结转3件）25件。", [("applications_received", 25)]),
        # a review or a lawsuit is not an application for information
        ("收到行政复议申请2件。", [("review_cases", 2)]),
        ("收到3件行政复议申请。", []),
        ("办结行政诉讼案件1件。", [("litigation_cases", 1)]),
    ],
)
def test_phrasings(text: str, expected: list[tuple[str, float]]) -> None:
    assert figures(text) == expected


def test_a_number_past_the_digit_bound_is_no_figure() -> None:
    assert figures("本年度共收到政府信息公开申请" + "9" * 5000 + "件，行政复议2件。") == [("review_cases", 2)]


def test_a_figure_keeps_its_section_and_points_at_its_phrase() -> None:
    (figure,) = extract_narrative([(tokens_of("今年，共收到政府信息公开申请3件。")[0], 3)])
    assert figure.section == 3 and figure.text.startswith("收到") and figure.unit == "件"
    assert figure.location is not None and figure.location.column == 1 + len("今年，共")
