"""Each output format: DOCX page, type and merged cells; self-contained HTML; PDF without holes;
XLSX numbers and merges; Markdown; checked, atomic writing."""

from __future__ import annotations

import copy
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import lxml.etree
import openpyxl
import pytest

from helpers import SEEDS, truth_of
from nianbao.errors import RenderError
from nianbao.formats import GOV2021
from nianbao.model import Report
from nianbao.render import BlockedByFindings, render, render_bytes, render_report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def contract(k: int = 1, **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(truth_of(SEEDS[k]))
    data["published"] = "2024-01-28"
    data.update(changes)
    return data


def report(k: int = 1, **changes: Any) -> Report:
    return Report.from_contract(contract(k, **changes))


def docx_part(data: bytes, name: str) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return lxml.etree.fromstring(package.read(name))


# ---------------------------------------------------------------------------------- DOCX


@pytest.fixture(scope="module")
def docx() -> bytes:
    return render_bytes(report(), "docx")


def _style(styles: Any, style_id: str) -> Any:
    return styles.find(f"{W}style[@{W}styleId='{style_id}']")


def test_docx_fonts_are_named_for_word_and_wps(docx: bytes) -> None:
    styles = docx_part(docx, "word/styles.xml")
    for style_id, font, size in (
        ("Normal", "仿宋_GB2312", "32"),
        ("Title", "方正小标宋简体", "44"),
        ("Heading1", "黑体", "32"),
        ("Heading2", "楷体_GB2312", "32"),
    ):
        fonts = _style(styles, style_id).find(f"{W}rPr/{W}rFonts")
        assert fonts.get(f"{W}eastAsia") == font and fonts.get(f"{W}ascii") == font, style_id
        assert _style(styles, style_id).find(f"{W}rPr/{W}sz").get(f"{W}val") == size
    fallbacks = {
        font.get(f"{W}name"): font.find(f"{W}altName").get(f"{W}val")
        for font in docx_part(docx, "word/fontTable.xml")
        if font.find(f"{W}altName") is not None
    }
    assert fallbacks["仿宋_GB2312"] == "仿宋" and fallbacks["楷体_GB2312"] == "楷体"
    assert fallbacks["方正小标宋简体"] == "宋体" and fallbacks["黑体"] == "SimHei"


def test_docx_page_is_a4_with_gongwen_margins_and_page_numbers(docx: bytes) -> None:
    document = docx_part(docx, "word/document.xml")
    sect = document.find(f"{W}body/{W}sectPr")
    size, margins = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")  # A4
    mm = {side: round(int(margins.get(f"{W}{side}")) / 56.693) for side in ("top", "bottom", "left", "right")}
    assert mm == {"top": 37, "bottom": 35, "left": 28, "right": 26}  # GB/T 9704: 156 × 225 mm type area
    kinds = {ref.get(f"{W}type") for ref in sect.findall(f"{W}footerReference")}
    assert kinds == {"default", "even"}
    settings = docx_part(docx, "word/settings.xml")
    assert settings.find(f"{W}evenAndOddHeaders") is not None
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        footers = [package.read(n).decode() for n in package.namelist() if n.startswith("word/footer")]
    assert len(footers) == 2 and all("PAGE" in f and "— " in f for f in footers)


def test_docx_body_in_order_with_title_and_signature(docx: bytes) -> None:
    body = docx_part(docx, "word/document.xml").find(f"{W}body")
    paragraphs = [
        ("".join(t.text or "" for t in p.iter(f"{W}t")), p.find(f"{W}pPr/{W}pStyle")) for p in body.findall(f"{W}p")
    ]
    styled = [(text, style.get(f"{W}val") if style is not None else "Normal") for text, style in paragraphs]
    assert styled[:2] == [("朝阳市商务局2023年", "Title"), ("政府信息公开工作年度报告", "Title")]
    headings = [text for text, style in styled if style == "Heading1"]
    assert headings == [section.heading for section in GOV2021.sections]
    assert styled[-2:] == [("朝阳市商务局", "Signature"), ("2024年1月28日", "SignatureDate")]
    xml = lxml.etree.tostring(body, encoding="unicode")
    assert "{%" not in xml and "{{" not in xml
    assert len(body.findall(f"{W}tbl")) == 3


def test_docx_tables_keep_the_standard_merges(docx: bytes) -> None:
    tables = docx_part(docx, "word/document.xml").findall(f"{W}body/{W}tbl")

    def spans(table: Any) -> list[list[tuple[int, str | None]]]:
        out = []
        for tr in table.findall(f"{W}tr"):
            row = []
            for tc in tr.findall(f"{W}tc"):
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                merge = tc.find(f"{W}tcPr/{W}vMerge")
                row.append(
                    (
                        int(span.get(f"{W}val")) if span is not None else 1,
                        None if merge is None else merge.get(f"{W}val"),
                    )
                )
            out.append(row)
        return out

    table2, table3, table4 = (spans(t) for t in tables)
    for table, width in ((table2, 7), (table3, 10), (table4, 15)):
        assert all(sum(span for span, _ in row) == width for row in table)
    assert table3[0] == [(3, "restart"), (7, None)]  # the 勾稽 note over three rows, 申请人情况 over seven
    assert table3[1] == [(3, "continue"), (1, "restart"), (5, None), (1, "restart")]
    assert table3[3][0] == (3, None)  # 一、本年新收… across the three label columns
    assert table3[5][:2] == [(1, "restart"), (2, None)]  # 三、本年度办理结果 | （一）予以公开
    assert table3[7][:3] == [(1, "continue"), (1, "restart"), (1, None)]  # （三）不予公开 | 1.属于国家秘密
    assert table4[0] == [(5, None), (10, None)]
    assert table4[1] == [(1, "restart")] * 5 + [(5, None), (5, None)]
    assert len(table4[3]) == 15


def test_docx_escapes_text() -> None:
    data = render_bytes(report(agency="A&B<局>"), "docx", allow_errors=True)
    body = docx_part(data, "word/document.xml")
    assert "A&B<局>" in "".join(t.text or "" for t in body.iter(f"{W}t"))


# ---------------------------------------------------------------------------------- HTML


def test_html_is_self_contained_with_a_print_stylesheet() -> None:
    html = render_bytes(report(), "html").decode("utf-8")
    for outside in ("src=", "href=", "@import", "url(", "http://", "https://"):
        assert outside not in html
    assert "@page" in html and "size: A4" in html and "counter(page)" in html
    assert '<meta charset="utf-8">' in html and 'lang="zh-CN"' in html
    assert "Noto Serif CJK SC" in html and "仿宋_GB2312" in html and "&#34;" not in html.split("</style>")[0]
    assert html.count("<table") == 3 and 'rowspan="22"' in html and 'colspan="15"' not in html


def test_html_escapes_text() -> None:
    html = render_bytes(report(sections={"5": {"heading": "", "text": "<script>alert(1)</script>"}}), "html")
    assert b"<script>" not in html and b"&lt;script&gt;" in html


# ---------------------------------------------------------------------------------- PDF


def test_pdf_is_a4_with_title_metadata() -> None:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(render_bytes(report(), "pdf"))
    try:
        width, height = pdf[0].get_size()
        assert (round(width), round(height)) == (595, 842)
        assert pdf.get_metadata_dict()["Title"] == "朝阳市商务局2023年政府信息公开工作年度报告"
        text = "".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()
    assert "— 1 —" in text and "（本列数据的勾稽关系为" in text


def test_pdf_refuses_characters_no_font_has(tmp_path: Path) -> None:
    target = tmp_path / "holes.pdf"
    bad = report(sections={"5": {"heading": "", "text": "存在的问题：\ue000\U0003134a。"}})
    with pytest.raises(RenderError, match="U\\+E000") as raised:
        render_report(bad, "pdf", target)
    assert "fonts-noto-cjk" in str(raised.value)
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_pdf_without_any_cjk_font_fails_loudly(tmp_path: Path) -> None:
    """WeasyPrint silently drops every CJK glyph when no CJK font is installed: we refuse."""
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    if not dejavu.is_dir():
        pytest.skip("needs the DejaVu fonts to stand for a machine without CJK fonts")
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><dir>{dejavu}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    source = tmp_path / "report.json"
    source.write_text(json.dumps(contract(), ensure_ascii=False), encoding="utf-8")
    target = tmp_path / "out.pdf"
    script = (
        "import json, sys\n"
        "from nianbao.errors import RenderError\n"
        "from nianbao.model import Report\n"
        "from nianbao.render import render_report\n"
        "report = Report.from_contract(json.loads(open(sys.argv[1], encoding='utf-8').read()))\n"
        "try:\n"
        "    render_report(report, 'pdf', sys.argv[2])\n"
        "except RenderError as exc:\n"
        "    sys.exit(str(exc))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(source), str(target)],
        env={**os.environ, "FONTCONFIG_FILE": str(config)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "缺少字形" in result.stderr and "“朝”(U+671D)" in result.stderr
    assert not target.exists()


# ---------------------------------------------------------------------------------- XLSX


def test_xlsx_one_sheet_per_table_with_merges_and_numbers() -> None:
    data = contract()
    data["table3"]["granted"]["research"] = None
    workbook = openpyxl.load_workbook(io.BytesIO(render_bytes(Report.from_contract(data), "xlsx")))
    assert workbook.sheetnames == [GOV2021.table2.title, GOV2021.table3.title, GOV2021.table4.title]
    table3 = workbook[GOV2021.table3.title]
    assert table3["A1"].value == "朝阳市商务局2023年政府信息公开工作年度报告"
    assert table3["A2"].value == "三、收到和处理政府信息公开申请情况"
    merged = {str(r) for r in table3.merged_cells.ranges}
    assert {"A4:C6", "D4:J4", "E5:I5", "D5:D6", "J5:J6", "A7:C7", "A9:A30", "B11:B18", "B9:C9"} <= merged
    assert table3["A4"].value == GOV2021.table3.identity_note
    assert table3["C11"].value == "1.属于国家秘密"
    received = [table3.cell(7, col).value for col in range(4, 11)]
    assert received == [3, 0, 0, 0, 0, 0, 3] and all(type(v) is int for v in received)
    assert table3["F9"].value is None and table3["E9"].value == 0  # blank stays blank, 0 stays 0
    table4 = workbook[GOV2021.table4.title]
    assert {"A4:E4", "F4:O4", "A5:A6", "F5:J5", "K5:O5"} <= {str(r) for r in table4.merged_cells.ranges}
    assert [table4.cell(7, col).value for col in range(1, 16)] == [0] * 15


def test_xlsx_fee_amount_is_a_decimal_number() -> None:
    data = contract()
    data["table2"]["fees"]["amount"] = 12.35
    sheet = openpyxl.load_workbook(io.BytesIO(render_bytes(Report.from_contract(data), "xlsx")))[GOV2021.table2.title]
    values = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, float)]
    assert values == [12.35]


# ---------------------------------------------------------------------------------- Markdown and JSON


def test_markdown_headings_and_pipe_tables() -> None:
    text = render_bytes(report(), "md").decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "# 朝阳市商务局2023年政府信息公开工作年度报告"
    assert [line for line in lines if line.startswith("## ")] == [f"## {s.heading}" for s in GOV2021.sections]
    assert "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |" in lines
    assert "|  |  | 一、本年新收政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |" in lines
    assert lines[-3:] == ["朝阳市商务局", "", "2024年1月28日"]


def test_json_is_the_contract() -> None:
    data = json.loads(render_bytes(report(), "json"))
    original = contract()
    assert data["schema"] == "nianbao.report/1"
    for key in ("agency", "year", "published", "format_version", "table2", "table3", "table4"):
        assert data[key] == original[key]


# ---------------------------------------------------------------------------------- checking and writing


def test_error_findings_block_rendering_unless_forced(tmp_path: Path) -> None:
    bad = contract()
    bad["table3"]["granted"]["natural_person"] = 9
    target = tmp_path / "bad.docx"
    with pytest.raises(BlockedByFindings) as blocked:
        render_report(Report.from_contract(bad), "docx", target)
    assert {f.code for f in blocked.value.findings if f.severity == "error"} >= {"T3-COL", "T3-SUM"}
    assert list(tmp_path.iterdir()) == []
    rendered = render_report(Report.from_contract(bad), "docx", target, allow_errors=True)
    assert target.read_bytes() == rendered.data and any(f.severity == "error" for f in rendered.findings)


def test_writing_is_atomic(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    bad = report(sections={"5": {"heading": "", "text": "\ue000"}})
    with pytest.raises(RenderError):
        render_report(bad, "pdf", tmp_path / "report.pdf")
    render_report(report(), "md", target)
    assert target.read_text(encoding="utf-8").startswith("# 朝阳市商务局")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]  # no temp file left
    assert oct(target.stat().st_mode & 0o777) == "0o644"


def test_unknown_format_and_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="不支持的输出格式"):
        render(report(), "odt")
    with pytest.raises(RenderError, match="输出目录不存在"):
        render_report(report(), "md", tmp_path / "missing" / "report.md")


def test_report_without_tables_renders_text_but_no_workbook() -> None:
    old = Report.from_contract(
        {
            "schema": "nianbao.report/1",
            "format_version": "pre2019",
            "agency": "某市商务局",
            "year": 2017,
            "sections": {"1": {"heading": "一、概述", "text": "概述文字。"}},
        }
    )
    text = render_bytes(old, "md").decode("utf-8")
    assert "概述文字。" in text and "|" not in text
    with pytest.raises(RenderError, match="没有统计表"):
        render_bytes(old, "xlsx")
