"""Round trip: a report rendered to DOCX, PDF, HTML, Markdown and XLSX reads back the same.

Random, internally consistent reports (hypothesis) and the five seed reports are rendered and
read back with nianbao's own readers (``parse_bytes``: DOCX, PDF, HTML, XLSX, and the text
reader for Markdown).
Agency, year, publication date and every table cell must come back, blank as blank and 0 as 0.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from helpers import CORPUS, SEEDS, truth_of
from nianbao import parse_bytes
from nianbao.formats import FORMATS
from nianbao.model import Report
from nianbao.render import check, render_bytes

FAST_FORMATS = ("docx", "html", "md", "xlsx")
ALL_FORMATS = (*FAST_FORMATS, "pdf")

# ---------------------------------------------------------------------------------- reading back


def read_back(data: bytes, fmt: str) -> dict[str, Any]:
    return parse_bytes(data, f"rendered.{fmt}").to_contract(provenance=False)


def assert_same(original: dict[str, Any], back: dict[str, Any], fmt: str) -> None:
    assert back["agency"] == original["agency"], fmt
    assert back["year"] == original["year"], fmt
    assert back["format_version"] == original["format_version"], fmt
    if original.get("published"):
        assert back["published"] == original["published"], fmt
    for name in ("table2", "table3", "table4"):
        want, got = original[name] or {}, back[name] or {}
        for row, cols in want.items():
            for col, value in cols.items():
                read = got.get(row, {}).get(col, "absent")
                assert read == value and type(read) in (type(value), int, float), (
                    fmt,
                    f"{name}.{row}.{col}",
                    value,
                    read,
                )
        for row, cols in got.items():  # rows the report does not print (collapsed （六）) read as null
            if row not in want:
                assert all(value is None for value in cols.values()), (fmt, name, row, cols)


def round_trip(contract: dict[str, Any], formats: tuple[str, ...]) -> None:
    report = Report.from_contract(contract)
    for fmt in formats:
        assert_same(contract, read_back(render_bytes(report, fmt), fmt), fmt)


# ---------------------------------------------------------------------------------- strategies

PLACES = ("朝阳市", "永吉县", "西工区", "将乐县", "五常市", "平潭综合实验区", "沭阳县", "淮安市洪泽区", "上海市")
BODIES = ("商务局", "人民政府办公室", "教育局", "自然资源和规划局", "工业和信息化局", "市场监督管理局", "财政局")
PROSE = {
    1: (
        "本机关坚持以公开为常态、不公开为例外，认真落实政府信息公开各项工作。",
        "（一）主动公开",
        "通过门户网站及时发布政策文件和工作动态。",
        "（二）依申请公开",
        "严格按照法定程序和时限办理政府信息公开申请。",
        "（三）政府信息管理",
        "（四）政府信息公开平台建设",
        "（五）监督保障",
        "加强工作人员培训，完善信息发布审核机制。",
    ),
    5: ("存在的问题：政策解读的形式还比较单一。", "改进情况：丰富解读形式，提升公开质量。"),
    6: ("本年度未收取信息处理费。", "无其他需要报告的事项。"),
}

small = st.one_of(st.just(0), st.just(0), st.integers(0, 6), st.integers(0, 400))


@st.composite
def sections(draw: st.DrawFn) -> dict[str, dict[str, str]]:
    out = {}
    for number, lines in PROSE.items():
        if draw(st.booleans()):
            chosen = draw(st.lists(st.sampled_from(lines), min_size=1, max_size=4, unique=True))
            out[str(number)] = {"heading": "", "text": "\n".join(chosen)}
    return out


@st.composite
def reports(draw: st.DrawFn) -> dict[str, Any]:
    """A report whose tables add up: every rule of the arithmetic family holds."""
    version = draw(st.sampled_from(("gov2021", "gov2021", "trial2019")))
    spec = FORMATS[version]
    year = draw(st.integers(2021, 2025) if version == "gov2021" else st.integers(2019, 2020))
    blanks = draw(st.booleans())  # some zeros printed as blank cells

    def maybe_blank(value: int | float) -> int | float | None:
        return None if blanks and value == 0 and draw(st.booleans()) else value

    table2: dict[str, dict[str, int | float | None]] = {}
    for block in spec.table2.blocks:
        for row in block.rows:
            table2[row.key] = {}
            for col in block.columns:
                if col.key == "change":
                    value: int | float = draw(st.integers(-60, 60))
                elif col.key == "amount":
                    value = draw(st.integers(0, 10**7)) / draw(st.sampled_from((1, 10, 100)))
                else:
                    value = draw(small)
                table2[row.key][col.key] = maybe_blank(value)

    t3 = spec.table3
    collapsed = version == "gov2021" and draw(st.integers(0, 3)) == 0
    parts = t3.collapsed_rows.get("other", ())
    result_keys = [key for key in t3.result_rows if not (collapsed and key in parts)]
    if collapsed:
        result_keys.append("other")
    applicant = [col.key for col in t3.applicant_columns]
    table3: dict[str, dict[str, int | float | None]] = {}
    for col in applicant:
        results = {key: draw(st.one_of(st.just(0), st.just(0), st.just(0), st.integers(0, 9))) for key in result_keys}
        handled = sum(results.values())
        carried_out = draw(st.integers(0, 3))
        carried_in = draw(st.integers(0, handled + carried_out))
        column = {
            **results,
            t3.results_total: handled,
            t3.carried_over_out: carried_out,
            t3.carried_over_in: carried_in,
            t3.received_new: handled + carried_out - carried_in,
        }
        for key, value in column.items():
            table3.setdefault(key, {})[col] = value
    for cols in table3.values():
        cols[t3.total_column] = sum(cols[col] or 0 for col in applicant)
    for cols in table3.values():
        for col in cols:
            cols[col] = maybe_blank(cols[col])  # type: ignore[arg-type]
    ordered3 = {row.key: table3[row.key] for row in t3.rows if row.key in table3}
    if collapsed:
        ordered3["other"] = table3["other"]

    table4: dict[str, dict[str, int | float | None]] = {}
    for group in spec.table4.groups:
        counts = {col.key: draw(st.one_of(st.just(0), st.integers(0, 5))) for col in spec.table4.columns[:-1]}
        counts[spec.table4.total_column] = sum(counts.values())
        table4[group.key] = {key: maybe_blank(value) for key, value in counts.items()}

    published = draw(st.none() | st.dates(dt.date(year + 1, 1, 2), dt.date(year + 1, 3, 31)))
    return {
        "schema": "nianbao.report/1",
        "format_version": version,
        "agency": draw(st.sampled_from(PLACES)) + draw(st.sampled_from(BODIES)),
        "year": year,
        "published": published.isoformat() if published else None,
        "sections": draw(sections()),
        "table2": table2,
        "table3": ordered3,
        "table4": table4,
    }


# ---------------------------------------------------------------------------------- tests

# Shrinking a whole report through five renderers takes minutes; a failure shows the example as drawn.
NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate)


@settings(max_examples=25, deadline=None, phases=NO_SHRINK, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_round_trip_docx_html_markdown_xlsx(contract: dict[str, Any]) -> None:
    findings = check(Report.from_contract(contract))
    assert [f for f in findings if f.severity == "error" or f.code == "NARR-TAB"] == []  # text agrees with tables
    round_trip(contract, FAST_FORMATS)


@settings(max_examples=6, deadline=None, phases=NO_SHRINK, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_round_trip_pdf(contract: dict[str, Any]) -> None:
    round_trip(contract, ("pdf",))


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_seed_reports_round_trip(fmt: str) -> None:
    for seed in SEEDS:
        round_trip(truth_of(seed), (fmt,))


# trial2019 (table 2 in five blocks, one （六）其他处理 row), blank cells (上海 2019), decimal fees
OTHER_SHAPES = ("001_shanghai_bgt_2019", "002_pingtan_2019", "014_shanghai_bgt_2025")


@pytest.mark.parametrize("name", OTHER_SHAPES)
def test_other_shapes_round_trip(name: str) -> None:
    contract = truth_of(CORPUS / name)
    contract.setdefault("agency", "上海市人民政府办公厅")  # corpus truths describe the agency in words
    report = Report.from_contract(contract)
    for fmt in ALL_FORMATS:
        assert_same(contract, read_back(render_bytes(report, fmt, allow_errors=True), fmt), fmt)


def test_the_strategy_makes_blank_cells_and_collapsed_rows() -> None:
    """The property covers the cases it is meant to: blanks, both versions, （六） as one row."""
    seen = {"blank": False, "trial2019": False, "collapsed": False}

    @settings(max_examples=40, deadline=None, derandomize=True, database=None)
    @given(reports())
    def look(contract: dict[str, Any]) -> None:
        cells = [v for t in ("table2", "table3", "table4") for cols in contract[t].values() for v in cols.values()]
        seen["blank"] |= None in cells
        seen["trial2019"] |= contract["format_version"] == "trial2019"
        seen["collapsed"] |= "other" in contract["table3"] and contract["format_version"] == "gov2021"

    look()
    assert all(seen.values()), seen
