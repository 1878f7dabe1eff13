"""Agency, year, publication date and statistics period, each with where it was read."""

from __future__ import annotations

import datetime as dt

from helpers import tokens_of
from nianbao.extract.meta import extract_meta


def meta(*lines: str, first_heading: int | None = None):  # type: ignore[no-untyped-def]
    return extract_meta([token for token in tokens_of(*lines) if token.text], first_heading)


def test_agency_and_year_from_the_title() -> None:
    found = meta("朝阳市商务局2023年政府信息公开工作年度报告", "一、总体情况", first_heading=1)
    assert (found.agency, found.year) == ("朝阳市商务局", 2023)
    assert found.facts is not None and found.facts["agency"].how == "title"


def test_title_split_over_two_lines_and_spaced() -> None:
    found = meta("西工区商务局 2023 年", "政府信息公开工作年度报告", "正文", first_heading=2)
    assert (found.agency, found.year) == ("西工区商务局", 2023)


def test_year_first_title() -> None:
    found = meta("2022年度永吉县商务局政府信息公开工作年度报告")
    assert (found.agency, found.year) == ("永吉县商务局", 2022)


def test_year_first_title_split_over_two_lines() -> None:
    # corpus 014: the agency follows the year, and the title goes on on the next line
    found = meta("正文", "2025 年上海市人民政府办公厅政府信息公开", "工作年度报告", "一、总体情况", first_heading=3)
    assert (found.agency, found.year) == ("上海市人民政府办公厅", 2025)
    assert found.facts is not None and found.facts["agency"].how == "title"


def test_agency_from_the_preamble_when_the_title_lacks_it() -> None:
    found = meta(
        "政府信息公开工作年度报告", "现公布2023年度永吉县商务局信息公开年度报告。", "一、总体情况", first_heading=2
    )
    assert (found.agency, found.year) == ("永吉县商务局", 2023)
    assert found.facts is not None and found.facts["agency"].how == "preamble"


def test_published_from_the_signature_in_arabic_or_chinese_numerals() -> None:
    lines = ["朝阳市商务局2023年政府信息公开工作年度报告", "一、总体情况", "正文", "朝阳市商务局"]
    assert meta(*lines, "2024年1月20日", first_heading=1).published == dt.date(2024, 1, 20)
    assert meta(*lines, "二〇二四年一月二十日", first_heading=1).published == dt.date(2024, 1, 20)


def test_published_metadata_wins_over_the_signature() -> None:
    found = meta(
        "朝阳市商务局2023年政府信息公开工作年度报告",
        "发布日期：2024-01-15",
        "一、总体情况",
        "2024年1月20日",
        first_heading=2,
    )
    assert found.published == dt.date(2024, 1, 15)
    assert found.facts is not None and found.facts["published"].how == "metadata"


def test_statistics_period() -> None:
    found = meta("本报告统计期限为2023年1月1日至12月31日。")
    assert found.period == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert found.year == 2023  # nothing else said the year


def test_an_impossible_date_is_not_read() -> None:
    found = meta("朝阳市商务局2023年政府信息公开工作年度报告", "一、总体情况", "2024年2月30日", first_heading=1)
    assert found.published is None


def test_agency_named_with_a_character_outside_the_basic_cjk_block() -> None:
    # rare place-name characters are encoded outside U+4E00-U+9FFF: 㽏 in extension A, 𬒔 in E
    found = meta("万州区㽏井镇人民政府2023年政府信息公开工作年度报告")
    assert (found.agency, found.year) == ("万州区㽏井镇人民政府", 2023)
    assert meta("𬒔溪街道办事处2023年政府信息公开工作年度报告").agency == "𬒔溪街道办事处"


def test_latin_letters_and_digits_do_not_make_an_agency_name() -> None:
    assert meta("ABC公司2023年政府信息公开工作年度报告").agency is None
    assert meta("2023年度12局政府信息公开工作年度报告").agency is None
