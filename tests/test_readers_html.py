"""The HTML reader: encodings, grids with spans, what is dropped, nested tables, link-only pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import FIXTURES, truth_of
from nianbao import parse_bytes
from nianbao.document import Document, Paragraph, Table
from nianbao.errors import InputError, NotAReportError
from nianbao.readers import read_bytes
from nianbao.readers.html import read_html
from nianbao.readers.markup import LAYOUT_CELL_CHARS

CORPUS = FIXTURES / "corpus"
REPORT_WORDS = "<p>一、总体情况</p><p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p>"


def grid(table: Table) -> list[tuple[str, int, int, int, int]]:
    return [(c.text, c.row, c.col, c.rowspan, c.colspan) for c in table.cells]


def paragraphs(document: Document) -> list[str]:
    return [block.text for block in document.blocks if isinstance(block, Paragraph)]


# ---------------------------------------------------------------------------- grids


def test_rowspan_and_colspan_give_each_merged_cell_once() -> None:
    html = """<table>
      <tr><td rowspan="3" colspan="2">项目</td><td colspan="3">申请人情况</td></tr>
      <tr><td rowspan="2">自然人</td><td colspan="2">法人或其他组织</td></tr>
      <tr><td>商业<br>企业</td><td><p>科研</p><p>机构</p></td></tr>
      <tr><td rowspan="2">三、本年度办理结果</td><td>（一）予以公开</td><td>5</td><td>&nbsp;</td><td>0</td></tr>
      <tr><td>（二）部分公开</td><td>1</td><td></td><td><o:p>&nbsp;</o:p></td></tr>
    </table>"""
    (table,) = read_html(html.encode(), "t.html").tables()
    assert table.grid_reliable
    assert grid(table) == [
        ("项目", 0, 0, 3, 2),
        ("申请人情况", 0, 2, 1, 3),
        ("自然人", 1, 2, 2, 1),
        ("法人或其他组织", 1, 3, 1, 2),
        ("商业\n企业", 2, 3, 1, 1),
        ("科研\n机构", 2, 4, 1, 1),
        ("三、本年度办理结果", 3, 0, 2, 1),
        ("（一）予以公开", 3, 1, 1, 1),
        ("5", 3, 2, 1, 1),
        ("", 3, 3, 1, 1),
        ("0", 3, 4, 1, 1),
        ("（二）部分公开", 4, 1, 1, 1),
        ("1", 4, 2, 1, 1),
        ("", 4, 3, 1, 1),
        ("", 4, 4, 1, 1),
    ]
    assert (table.n_rows, table.n_cols) == (5, 5)
    cell = table.cells[8]
    assert (cell.location.table, cell.location.row, cell.location.col) == (0, 3, 2)


def test_spans_past_the_table_are_clipped_and_junk_spans_ignored() -> None:
    html = (
        '<table><tr><td rowspan="9">a</td><td colspan="x">b</td><td rowspan="0">c</td></tr><tr><td>d</td></tr></table>'
    )
    (table,) = read_html(html.encode(), "t.html").tables()
    assert grid(table) == [("a", 0, 0, 2, 1), ("b", 0, 1, 1, 1), ("c", 0, 2, 2, 1), ("d", 1, 1, 1, 1)]


def test_thead_tbody_and_th_are_rows_and_cells() -> None:
    html = "<table><caption>表一</caption><thead><tr><th>甲</th><th>乙</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
    document = read_html(html.encode(), "t.html")
    assert paragraphs(document) == ["表一"]
    (table,) = document.tables()
    assert grid(table) == [("甲", 0, 0, 1, 1), ("乙", 0, 1, 1, 1), ("1", 1, 0, 1, 1), ("2", 1, 1, 1, 1)]


# ---------------------------------------------------------------------------- text


def test_blocks_wrappers_and_whitespace() -> None:
    html = """<html><head><title>站点标题</title><style>p {color: red}</style>
    <script>document.write("脚本")</script></head><body>
    <nav>首页 | 政务公开</nav>
    <div class="header-menu">繁體版 无障碍</div>
    <h1>某局2023年政府信息公开<br>工作年度报告</h1>
    <p class=MsoNormal><span style="font-family:仿宋">一、</span><font face="仿宋">总体
    情况</font><o:p>&nbsp;</o:p></p>
    <p>第一行<br/>第二行&nbsp;&nbsp;末尾</p>
    <!-- 注释 --><noscript>请启用脚本</noscript>
    <div style="display: none">隐藏</div>
    <ul><li>列表一</li><li>列表二</li></ul>
    <div>块内文字<div>内层块</div>块后文字</div>
    <footer>版权所有</footer>
    </body></html>"""
    document = read_html(html.encode(), "t.html")
    assert paragraphs(document) == [
        "某局2023年政府信息公开",
        "工作年度报告",
        "一、总体情况",
        "第一行",
        "第二行 末尾",
        "列表一",
        "列表二",
        "块内文字",
        "内层块",
        "块后文字",
    ]
    heading = document.blocks[0]
    assert isinstance(heading, Paragraph) and heading.style == "Heading 1"
    assert [block.location.paragraph for block in document.blocks] == list(range(10))
    assert document.kind == "html"


def test_header_holding_the_report_title_is_kept() -> None:
    html = "<article><header><h1>某局2023年政府信息公开工作年度报告</h1></header><p>正文</p></article>"
    assert paragraphs(read_html(html.encode(), "t.html")) == ["某局2023年政府信息公开工作年度报告", "正文"]


def test_menu_linking_to_reports_is_navigation() -> None:
    html = """<div class="sideMenu"><a href="/nb/2023">2023年政府信息公开工作年度报告</a>
    <a href="/nb/2022">2022年政府信息公开工作年度报告</a></div><p>正文</p>"""
    assert paragraphs(read_html(html.encode(), "t.html")) == ["正文"]


def test_line_break_between_latin_words_is_a_space() -> None:
    assert paragraphs(read_html(b"<p>2019\nreport  text</p>", "t.html")) == ["2019 report text"]


# ---------------------------------------------------------------------------- encodings


def test_gbk_page_with_meta_charset() -> None:
    html = '<html><head><meta charset="gb2312"></head><body><p>沭阳县发展和改革局</p></body></html>'
    document = read_html(html.encode("gbk"), "t.html")
    assert paragraphs(document) == ["沭阳县发展和改革局"]
    assert document.encoding == "gb18030"


def test_gbk_page_with_http_equiv_content_type() -> None:
    html = '<meta http-equiv="Content-Type" content="text/html; charset=GBK"><p>政府信息公开</p>'
    assert paragraphs(read_html(html.encode("gbk"), "t.html")) == ["政府信息公开"]


def test_gbk_page_without_any_declaration() -> None:
    document = read_html("<p>政府信息公开工作年度报告</p>".encode("gbk"), "t.html")
    assert paragraphs(document) == ["政府信息公开工作年度报告"]
    assert document.encoding == "gb18030"


def test_utf8_page_wrongly_declared_as_gb2312() -> None:
    html = '<meta charset="gb2312"><p>政府信息公开工作年度报告</p>'
    assert paragraphs(read_html(html.encode("utf-8"), "t.html")) == ["政府信息公开工作年度报告"]


def test_utf8_bom_wins_over_the_declaration() -> None:
    html = '\ufeff<meta charset="gbk"><p>年度报告</p>'
    document = read_html(html.encode("utf-8"), "t.html")
    assert paragraphs(document) == ["年度报告"]
    assert document.encoding == "utf-8-sig"


def test_a_stray_byte_keeps_utf8_and_is_noted() -> None:
    data = '<meta charset="utf-8"><p>政府信息公开</p><p>年度报告</p>'.encode().replace("年".encode(), b"\xff")
    document = read_html(data, "t.html")
    assert paragraphs(document) == ["政府信息公开", "\ufffd度报告"]
    assert any("无法按 utf-8 编码解码" in note for note in document.notes)


@pytest.mark.parametrize(
    "charset",
    ["base64", "rot13", "idna", "punycode", "hex", "uu", "zlib", "bz2", "quopri", "undefined", "unicode_escape",
     "raw_unicode_escape", "utf-7"],
)  # fmt: skip
def test_a_codec_that_is_no_charset_is_ignored(charset: str) -> None:
    # Python's transforms and escapes are no web page's charset: read as if nothing was declared
    data = f'<meta charset="{charset}"><p>政府信息公开工作年度报告</p>'.encode("gbk")
    document = read_html(data, "t.html")
    assert paragraphs(document) == ["政府信息公开工作年度报告"]
    assert document.encoding == "gb18030"


# ---------------------------------------------------------------------------- nested tables


def test_layout_table_is_read_as_running_text() -> None:
    long_text = "本机关认真贯彻落实政府信息公开条例。" * 20
    assert len(long_text) > LAYOUT_CELL_CHARS
    html = f"""<table><tr><td>导航</td><td>
      <p>一、总体情况</p><p>{long_text}</p>
      <p>三、收到和处理政府信息公开申请情况</p>
      <table><tr><td>本年新收</td><td>3</td></tr></table>
    </td></tr></table>"""
    document = read_html(html.encode(), "t.html")
    assert [type(block).__name__ for block in document.blocks] == ["Paragraph"] * 4 + ["Table"]
    assert paragraphs(document)[:2] == ["导航", "一、总体情况"]
    (table,) = document.tables()
    assert grid(table) == [("本年新收", 0, 0, 1, 1), ("3", 0, 1, 1, 1)]
    assert table.location.table == 0
    assert any("表格排版" in note for note in document.notes)


def test_layout_table_around_a_larger_table_is_dissolved() -> None:
    inner = "".join(f"<tr><td>行{k}</td><td>{k}</td></tr>" for k in range(3))
    html = f"<table><tr><td><p>表三</p><table>{inner}</table></td></tr></table>"
    document = read_html(html.encode(), "t.html")
    assert paragraphs(document) == ["表三"]
    (table,) = document.tables()
    assert len(table.cells) == 6


def test_small_table_inside_a_data_table_follows_it() -> None:
    html = """<table>
      <tr><td>甲</td><td>乙</td><td>丙</td></tr>
      <tr><td>1</td><td>说明<table><tr><td>内</td></tr></table></td><td>3</td></tr>
    </table><p>后文</p>"""
    document = read_html(html.encode(), "t.html")
    outer, inner = document.tables()
    assert grid(outer)[4] == ("说明", 1, 1, 1, 1)  # the inner table's text is not repeated
    assert grid(inner) == [("内", 0, 0, 1, 1)]
    assert (outer.location.table, inner.location.table) == (0, 1)
    assert inner.cells[0].location.table == 1
    assert isinstance(document.blocks[-1], Paragraph)


# ---------------------------------------------------------------------------- unusable pages


def test_link_only_page_names_the_attachment() -> None:
    html = """<html><body><h1>某局2023年政府信息公开工作年度报告</h1>
    <p>附件：<a href="/uploads/2024/%E5%B9%B4%E6%8A%A5.pdf">某局2023年度报告.pdf</a></p>
    <p><a href="/index.html">返回首页</a></p></body></html>"""
    with pytest.raises(NotAReportError) as caught:
        read_html(html.encode(), "page.html")
    assert "某局2023年度报告.pdf" in caught.value.message
    assert "请下载附件后再读取" in caught.value.message
    assert caught.value.source == "page.html"


def test_link_only_page_with_a_download_link_shows_the_file_name() -> None:
    html = '<p>年度报告</p><p><a href="http://x.gov.cn/files/nb2023.docx?id=3">点击下载</a></p>'
    with pytest.raises(NotAReportError, match=r"nb2023\.docx"):
        read_bytes(html.encode(), "page.html")


def test_a_report_page_with_an_attachment_link_is_still_read() -> None:
    html = REPORT_WORDS + '<p>附件：<a href="a.pdf">年报.pdf</a></p>'
    assert paragraphs(read_html(html.encode(), "t.html"))[-1] == "附件：年报.pdf"


@pytest.mark.parametrize("data", [b"<html></html>", b"<!-- nothing -->", b"<html><script>x()</script></html>"])
def test_empty_pages_are_refused_clearly(data: bytes) -> None:
    with pytest.raises((NotAReportError, InputError)) as caught:
        read_html(data, "empty.html")
    assert caught.value.source == "empty.html"
    assert "网页" in caught.value.message


def test_inline_images_do_not_count_but_huge_pages_are_refused() -> None:
    image = "data:image/png;base64," + "iVBORw0KGgo" * 600_000  # 6.6 MB of base64
    page = f'<p>一、总体情况</p><p><img src="{image}"></p><p>二、主动公开政府信息情况</p>'
    assert paragraphs(read_html(page.encode(), "img.html")) == ["一、总体情况", "二、主动公开政府信息情况"]
    huge = "<p>数据</p>" * 700_000
    with pytest.raises(InputError, match="网页过大"):
        read_html(huge.encode(), "huge.html")


@pytest.mark.parametrize("tag", ["div", "span", "table"])
def test_deep_nesting_is_refused_clearly(tag: str) -> None:
    html = f"<{tag}>" * 5000 + "一、总体情况" + f"</{tag}>" * 5000
    with pytest.raises(InputError, match="嵌套过深"):
        read_html(html.encode(), "deep.html")


# ---------------------------------------------------------------------------- real reports


@pytest.mark.parametrize("name", ["001_shanghai_bgt_2019.html", "016_shuyang_fgj_2023.html"])
def test_corpus_page_matches_truth(name: str) -> None:
    path = CORPUS / name
    truth = truth_of(path)
    report = parse_bytes(path.read_bytes(), name).to_contract()
    for key in ("year", "format_version"):
        assert report[key] == truth[key], key
    for table in ("table2", "table3", "table4"):
        assert report[table] == truth[table], table


def test_corpus_cms_page_drops_navigation_and_keeps_the_tables() -> None:
    document = read_html((CORPUS / "016_shuyang_fgj_2023.html").read_bytes(), "016.html")
    texts = paragraphs(document)
    assert "繁體版" not in texts and "首页" not in texts
    assert "一、总体情况" in texts and texts[-1] == "2024年1月17日"
    table3 = document.tables()[2]
    assert (table3.n_rows, table3.n_cols) == (28, 10)
    positions = [(c.row, c.col) for c in table3.cells]
    assert len(positions) == len(set(positions))  # each merged cell once


def test_corpus_fragment_reads_three_tables() -> None:
    document = read_html((CORPUS / "001_shanghai_bgt_2019.html").read_bytes(), "001.html")
    assert len(document.tables()) == 3
    assert document.encoding == "utf-8"


@pytest.mark.parametrize(
    "doctype", ['<!DOCTYPE html SYSTEM "{fifo}">', '<!DOCTYPE html [<!ENTITY % p SYSTEM "{fifo}"> %p;]>']
)
def test_a_doctype_naming_a_fifo_is_never_opened(doctype: str, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    page = tmp_path / "page.html"
    page.write_text(doctype.format(fifo=fifo) + "<html><body><p>政府信息公开</p></body></html>", encoding="utf-8")
    code = "import sys; from nianbao.readers import read_path\ntry: read_path(sys.argv[1])\nexcept Exception as e: print(e)"
    done = subprocess.run([sys.executable, "-c", code, str(page)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Traceback" not in done.stderr
