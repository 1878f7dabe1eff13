from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nianbao.formats import GOV2021, TRIAL2019, format_for_year
from nianbao.formats.labels import (
    MAX_NUMBER_DIGITS,
    clean_text,
    cn_number,
    edit_distance,
    format_number,
    label_key,
    misprint_allowance,
    misprint_at,
    misprint_of,
    parse_value,
)


@pytest.mark.parametrize(
    ("printed", "standard"),
    [
        ("(一) 予以公开", "（一）予以公开"),
        (
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            "(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)",
        ),
        ("结\n果\n维\n持", "结果维持"),
        ("结果 维持", "结果维持"),
        ("商业\n企业", "商业企业"),
        ("1．属于国家秘密", "1.属于国家秘密"),
        ("1、属于国家秘密", "1.属于国家秘密"),
        ("1. 属于国家秘密", "1.属于国家秘密"),
        ('3.危及"三安全一稳定"', "3.危及“三安全一稳定”"),
        (
            "1.申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ),
        ("[bookmark: _GoBack]三、本年度办理结果", "三、本年度办理结果"),
        ("本年收费金额(单位:万元)", "本年收费金额（单位：万元）"),
        ("第二十条第(一)项", "第二十条第（一）项"),
        ("\u3000自然人\u00a0", "自然人"),
    ],
)
def test_variants_share_a_key(printed: str, standard: str) -> None:
    assert label_key(printed) == label_key(standard)


def test_different_labels_stay_different() -> None:
    assert label_key("规范性文件") != label_key("行政规范性文件")
    assert label_key("3.其他") != label_key("其他")
    assert label_key("（七）总计") != label_key("总计")


@pytest.mark.parametrize(
    ("raw", "kind", "number"),
    [
        ("0", "value", 0),
        (" 12 ", "value", 12),
        ("１２", "value", 12),
        ("0.35", "value", 0.35),
        ("+1036", "value", 1036),
        ("-3", "value", -3),
        ("1,234", "value", 1234),
        ("251000元", "value", 251000),
        ("", "blank", None),
        ("/", "blank", None),
        ("—", "blank", None),
        ("无", "blank", None),
        ("约3", "text", None),
        ("3件左右", "text", None),
    ],
)
def test_parse_value(raw: str, kind: str, number: float | None) -> None:
    parsed = parse_value(raw)
    assert parsed.kind == kind
    assert parsed.number == number


def test_blank_and_zero_are_different() -> None:
    assert parse_value("0").kind == "value"
    assert parse_value("").kind == "blank"


def test_clean_text_joins_stacked_headers_but_not_prose() -> None:
    assert clean_text("结\n果\n维\n持") == "结果维持"
    assert clean_text("第一行内容很长很长\n第二行") == "第一行内容很长很长 第二行"


def test_chinese_numerals() -> None:
    assert cn_number("三") == 3
    assert cn_number("十二") == 12
    assert cn_number("二十") == 20
    assert cn_number("二〇二四") == 2024
    assert cn_number("3") == 3
    assert cn_number("甲") is None


def test_formats_have_the_national_shapes() -> None:
    table3 = GOV2021.table3
    assert [c.key for c in table3.columns] == [
        "natural_person",
        "commercial",
        "research",
        "social_welfare",
        "legal_service",
        "other_org",
        "total",
    ]
    # 三、本年度办理结果 spans 22 rows in 2021 (20 in the trial format): the result rows and （七）总计
    assert len(table3.result_rows) == 21
    assert len(TRIAL2019.table3.result_rows) == 19
    assert len(GOV2021.table4.groups) * len(GOV2021.table4.columns) == 15
    assert [len(b.columns) for b in GOV2021.table2.blocks] == [3, 1, 1, 1]
    assert [len(b.columns) for b in TRIAL2019.table2.blocks] == [3, 3, 3, 2, 2]
    assert [s.heading for s in GOV2021.sections][3] == "四、政府信息公开行政复议、行政诉讼情况"


def test_format_for_year() -> None:
    assert format_for_year(2018) == "pre2019"
    assert format_for_year(2019) == "trial2019"
    assert format_for_year(2020) == "trial2019"
    assert format_for_year(2021) == "gov2021"
    assert format_for_year(2025) == "gov2021"


# ---------------------------------------------------------------------------------- printing


@pytest.mark.parametrize(
    ("value", "printed"),
    [(3, "3"), (3.0, "3"), (-0.0, "0"), (12.5, "12.5"), (1e-05, "0.00001"), (1e16, "10000000000000000"), (None, "")],
)
def test_format_number(value: float | None, printed: str) -> None:
    assert format_number(value) == printed


def test_format_number_adds_decimals_exactly() -> None:
    assert format_number(Decimal("0.1") + Decimal("0.2")) == "0.3"
    assert format_number(Decimal("2.50")) == "2.5"


@given(st.one_of(st.integers(-(10**12), 10**12), st.floats(allow_nan=False, allow_infinity=False, width=64)))
def test_format_number_is_read_back_as_the_same_number(value: float) -> None:
    text = format_number(value)
    assert "e" not in text.lower() and "," not in text
    parsed = parse_value(text)
    assert parsed.kind == "value" and parsed.number == value


def test_a_run_past_the_digit_bound_is_text_not_a_number() -> None:
    # int() raises past 4,300 digits and float() overflows past 308: such a run is no number
    assert parse_value("1" * MAX_NUMBER_DIGITS).kind == "value"
    assert parse_value("1" * MAX_NUMBER_DIGITS + "." + "5" * 5000).kind == "value"
    for text in ("1" * (MAX_NUMBER_DIGITS + 1), "9" * 5000, "1" * 400 + ".5"):
        assert parse_value(text).kind == "text"
    assert cn_number("7" * 5000) is None and cn_number("12") == 12


def test_edit_distance_counts_characters_inserted_dropped_or_changed() -> None:
    assert edit_distance("行政复复议", "行政复议", 2) == 1  # inserted
    assert edit_distance("行政议", "行政复议", 2) == 1  # dropped
    assert edit_distance("钩稽关系", "勾稽关系", 2) == 1  # changed
    assert edit_distance("存在的主要问题及整改措施", "存在的主要问题及改进措施", 2) == 2
    assert edit_distance("行政许可", "行政诉讼", 1) == 2  # past the limit: limit + 1


def test_a_misprint_fits_one_owner_or_none() -> None:
    assert misprint_allowance("总计") == 0 and misprint_allowance("行政复议") == 1
    assert misprint_allowance("收到和处理政府信息公开申请情况") == 2
    known = {"行政复议": "review", "行政诉讼": "litigation"}
    assert misprint_of("行政复复议", known) == "review"
    assert misprint_of("行政复讼", known) is None  # one character from both
    assert misprint_of("行政复议", known) is None  # printed exactly: no misprint


def test_a_misprint_is_found_where_a_flattened_line_prints_it() -> None:
    text = "0000000四、政府信息公开行政复复议、行政诉讼情况行政复议行政诉讼结果维持"
    start = text.index("政府")
    found = misprint_at(text, start, {label_key("政府信息公开行政复议、行政诉讼情况"): 4})
    assert found is not None and found[0] == 4
    assert text[start : found[1]] == "政府信息公开行政复复议、行政诉讼情况"
