"""The DOCX reader: merged cells once with their spans, body order, styles, damaged files, ZIP bombs."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.table import _Cell

from helpers import FIXTURES, truth_of
from nianbao import parse_bytes
from nianbao.document import Document, Paragraph, Table
from nianbao.errors import InputError
from nianbao.readers import read_bytes
from nianbao.readers.docx import _format_number, read_docx

CORPUS = FIXTURES / "corpus"


def grid(table: Table) -> list[tuple[str, int, int, int, int]]:
    return [(c.text, c.row, c.col, c.rowspan, c.colspan) for c in table.cells]


def to_bytes(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def report_table_docx() -> docx.document.Document:
    """A table-3-like header and two result rows, with horizontal, vertical and block merges."""
    document = docx.Document()
    document.add_heading("某局2023年政府信息公开工作年度报告", level=1)
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    table = document.add_table(rows=4, cols=5)
    table.cell(0, 0).merge(table.cell(1, 1)).text = "项目"
    table.cell(0, 2).merge(table.cell(0, 4)).text = "申请人情况"
    table.cell(1, 2).text = "自然人"
    organisations = table.cell(1, 3).merge(table.cell(1, 4))
    organisations.text = "法人或"
    organisations.add_paragraph("其他组织")
    table.cell(2, 0).merge(table.cell(3, 0)).text = "三、本年度办理结果"
    for row, values in ((2, ("（一）予以公开", "5", "", "0")), (3, ("（二）部分公开", "1", "", "2"))):
        for col, value in enumerate(values, start=1):
            table.cell(row, col).text = value
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    return document


EXPECTED_GRID = [
    ("项目", 0, 0, 2, 2),
    ("申请人情况", 0, 2, 1, 3),
    ("自然人", 1, 2, 1, 1),
    ("法人或\n其他组织", 1, 3, 1, 2),
    ("三、本年度办理结果", 2, 0, 2, 1),
    ("（一）予以公开", 2, 1, 1, 1),
    ("5", 2, 2, 1, 1),
    ("", 2, 3, 1, 1),
    ("0", 2, 4, 1, 1),
    ("（二）部分公开", 3, 1, 1, 1),
    ("1", 3, 2, 1, 1),
    ("", 3, 3, 1, 1),
    ("2", 3, 4, 1, 1),
]


def test_merged_cells_appear_once_with_their_spans() -> None:
    document = read_docx(to_bytes(report_table_docx()), "t.docx")
    (table,) = document.tables()
    assert table.grid_reliable
    assert grid(table) == EXPECTED_GRID
    assert (table.n_rows, table.n_cols) == (4, 5)
    cell = table.cells[6]
    assert (cell.location.table, cell.location.row, cell.location.col) == (0, 2, 2)


def test_body_order_styles_and_locations() -> None:
    document = read_docx(to_bytes(report_table_docx()), "t.docx")
    kinds = [type(block).__name__ for block in document.blocks]
    assert kinds == ["Paragraph", "Paragraph", "Table", "Paragraph"]
    first, second = document.blocks[0], document.blocks[1]
    assert isinstance(first, Paragraph) and first.style == "Heading 1"
    assert isinstance(second, Paragraph) and second.style is None
    assert [b.location.paragraph for b in document.blocks if isinstance(b, Paragraph)] == [0, 1, 2]
    assert document.kind == "docx"


def test_read_bytes_sniffs_docx() -> None:
    document = read_bytes(to_bytes(report_table_docx()), "report.bin")
    assert document.kind == "docx"
    assert grid(document.tables()[0]) == EXPECTED_GRID


def test_chinese_heading_style_name() -> None:
    document = docx.Document()
    document.styles.add_style("标题 1", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("一、总体情况", style="标题 1")
    (paragraph,) = read_docx(to_bytes(document), "t.docx").blocks
    assert isinstance(paragraph, Paragraph) and paragraph.style == "标题 1"


def test_grid_before_and_legacy_horizontal_merge() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for row in range(2):
        for col in range(3):
            table.cell(row, col).text = f"{row}{col}"
    # row 0: the first two cells merged the Word 95 way (hMerge restart / continue)
    first, second = table.rows[0]._tr.tc_lst[:2]
    first.get_or_add_tcPr().append(parse_xml(f'<w:hMerge {nsdecls("w")} w:val="restart"/>'))
    second.get_or_add_tcPr().append(parse_xml(f"<w:hMerge {nsdecls('w')}/>"))
    # row 1: the grid starts one column in (gridBefore) and its first cell is gone
    tr = table.rows[1]._tr
    tr.remove(tr.tc_lst[0])
    tr.get_or_add_trPr().append(parse_xml(f'<w:gridBefore {nsdecls("w")} w:val="1"/>'))
    (read,) = read_docx(to_bytes(document), "t.docx").tables()
    assert grid(read) == [("00\n01", 0, 0, 1, 2), ("02", 0, 2, 1, 1), ("11", 1, 1, 1, 1), ("12", 1, 2, 1, 1)]


def test_vertical_merge_without_a_matching_cell_above_stays_a_cell() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "宽"
    tc = table.rows[1]._tr.tc_lst[0]
    tc.get_or_add_tcPr().append(parse_xml(f"<w:vMerge {nsdecls('w')}/>"))  # continues a 2-wide cell: broken
    _Cell(tc, table).paragraphs[0].add_run("x")  # table.cell(1, 0) would give the cell above
    (read,) = read_docx(to_bytes(document), "t.docx").tables()
    assert grid(read) == [("宽", 0, 0, 1, 2), ("x", 1, 0, 1, 1), ("", 1, 1, 1, 1)]


def test_text_as_word_shows_it() -> None:
    document = docx.Document()
    body = document.element.body
    w = nsdecls("w")
    body.append(
        parse_xml(
            f"<w:p {w}><w:r><w:t>本年</w:t></w:r>"
            "<w:del><w:r><w:delText>删除的</w:delText></w:r></w:del>"
            "<w:ins><w:r><w:t>新收</w:t></w:r></w:ins>"
            "<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>"
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>26</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            "<w:r><w:tab/><w:t>件</w:t><w:br/><w:t>第二行</w:t></w:r></w:p>"
        )
    )
    body.append(
        parse_xml(f"<w:sdt {w}><w:sdtContent><w:p><w:r><w:t>控件中的段落</w:t></w:r></w:p></w:sdtContent></w:sdt>")
    )
    texts = [b.text for b in read_docx(to_bytes(document), "t.docx").blocks if isinstance(b, Paragraph)]
    assert texts == ["本年新收26\t件", "第二行", "控件中的段落"]


def test_nested_table_follows_its_table() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    for row in range(2):
        for col in range(2):
            table.cell(row, col).text = f"{row}{col}"
    table.cell(1, 1).add_table(rows=1, cols=1).cell(0, 0).text = "内"
    read: Document = read_docx(to_bytes(document), "t.docx")
    outer, inner = read.tables()
    assert grid(outer) == [("00", 0, 0, 1, 1), ("01", 0, 1, 1, 1), ("10", 1, 0, 1, 1), ("11", 1, 1, 1, 1)]
    assert grid(inner) == [("内", 0, 0, 1, 1)]
    assert inner.location.table == 1


def test_layout_table_is_read_as_running_text() -> None:
    document = docx.Document()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = "一、总体情况"
    cell.add_paragraph("本机关认真贯彻落实政府信息公开条例。" * 20)
    cell.add_table(rows=2, cols=2).cell(0, 0).text = "本年新收"
    read = read_docx(to_bytes(document), "t.docx")
    assert [type(b).__name__ for b in read.blocks] == ["Paragraph", "Paragraph", "Table"]
    assert any("表格排版" in note for note in read.notes)


def numbered_docx() -> docx.document.Document:
    """Headings and table row labels numbered by Word (一、 （一） 1.), not typed."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    w = nsdecls("w")
    numbering.append(
        parse_xml(
            f'<w:abstractNum {w} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
            '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
            "</w:abstractNum>"
        )
    )
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    numbering.append(
        parse_xml(
            f'<w:num {w} w:numId="91"><w:abstractNumId w:val="90"/>'
            '<w:lvlOverride w:ilvl="2"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
    )
    # a heading style linked to the list, as Word's "multilevel list" does
    style = document.styles.add_style("报告标题", WD_STYLE_TYPE.PARAGRAPH)
    style.element.get_or_add_pPr().append(parse_xml(f'<w:numPr {w}><w:numId w:val="90"/></w:numPr>'))

    def numbered(paragraph: docx.text.paragraph.Paragraph, level: int, num_id: int = 90) -> None:
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
        )

    document.add_paragraph("总体情况", style="报告标题")
    numbered(document.add_paragraph("主动公开"), 1)
    numbered(document.add_paragraph("依申请公开"), 1)
    document.add_paragraph("主动公开政府信息情况", style="报告标题")
    numbered(document.add_paragraph("规章"), 1)
    document.add_paragraph("收到和处理政府信息公开申请情况", style="报告标题")
    table = document.add_table(rows=2, cols=2)
    for row, label in enumerate(("属于国家秘密", "其他法律行政法规禁止公开")):
        numbered(table.cell(row, 0).paragraphs[0], 2, num_id=91)
        table.cell(row, 0).paragraphs[0].add_run(label)
        table.cell(row, 1).text = "0"
    document.add_paragraph("结尾")
    return document


def test_automatic_numbering_is_shown_as_word_shows_it() -> None:
    read = read_docx(to_bytes(numbered_docx()), "n.docx")
    assert [b.text for b in read.blocks if isinstance(b, Paragraph)] == [
        "一、总体情况",
        "（一）主动公开",
        "（二）依申请公开",
        "二、主动公开政府信息情况",
        "（一）规章",
        "三、收到和处理政府信息公开申请情况",
        "结尾",
    ]
    (table,) = read.tables()
    assert [c.text for c in table.cells if c.col == 0] == ["1.属于国家秘密", "2.其他法律行政法规禁止公开"]


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCountingThousand", "十一"),
        (21, "chineseCounting", "二十一"),
        (105, "chineseCounting", "一百零五"),
        (12, "chineseLegalSimplified", "壹拾贰"),
        (3, "ideographTraditional", "丙"),
        (3, "decimalEnclosedCircle", "③"),
        (4, "upperRoman", "IV"),
        (28, "lowerLetter", "bb"),
        (7, "decimal", "7"),
    ],
)
def test_number_formats(value: int, fmt: str, shown: str) -> None:
    assert _format_number(value, fmt) == shown


# ---------------------------------------------------------------------------- bad input


def rebuilt(data: bytes, replace: dict[str, bytes | None], stored: bool = False) -> bytes:
    """The package with members replaced (or removed, for None)."""
    out = io.BytesIO()
    compression = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", compression) as target:
        for info in source.infolist():
            content = replace.get(info.filename, source.read(info.filename))
            if content is not None:
                target.writestr(info.filename, content)
        for name, content in replace.items():
            if content is not None and name not in source.namelist():
                target.writestr(name, content)
    return out.getvalue()


def test_zip_bomb_is_refused_without_inflating(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with zipfile.ZipFile(io.BytesIO(to_bytes(report_table_docx()))) as source:
            for info in source.infolist():
                archive.writestr(info.filename, source.read(info.filename))
        with archive.open("word/media/zeros.bin", "w") as member:
            chunk = bytes(1 << 20)
            for _ in range(200):  # 200 MB of zeros deflate to about 200 KB
                member.write(chunk)
    data = path.read_bytes()
    assert len(data) < 1024 * 1024
    start = time.perf_counter()
    with pytest.raises(InputError, match="压缩炸弹") as caught:
        read_bytes(data, "bomb.docx")
    assert time.perf_counter() - start < 2
    assert caught.value.source == "bomb.docx"


def test_highly_compressed_member_is_refused() -> None:
    data = rebuilt(to_bytes(report_table_docx()), {"word/media/x.bin": bytes(20 * 1024 * 1024)})
    with pytest.raises(InputError, match="压缩炸弹"):
        read_docx(data, "bomb.docx")


def test_oversized_document_part_is_refused() -> None:
    paragraphs = "".join(f"<w:p><w:r><w:t>第{k}段，本年新收{k * 7 % 1000}件</w:t></w:r></w:p>" for k in range(260_000))
    document_xml = f"<w:document {nsdecls('w')}><w:body>{paragraphs}</w:body></w:document>"
    data = rebuilt(to_bytes(report_table_docx()), {"word/document.xml": document_xml.encode()})
    with pytest.raises(InputError, match="正文部分过大"):
        read_docx(data, "big.docx")


def test_truncated_docx() -> None:
    data = to_bytes(report_table_docx())
    with pytest.raises(InputError, match="损坏") as caught:
        read_docx(data[: len(data) // 2], "cut.docx")
    assert caught.value.source == "cut.docx"
    with pytest.raises(InputError):  # sniffed as a ZIP without word/document.xml: refused too
        read_bytes(data[: len(data) // 2], "cut.docx")


def test_damaged_member_fails_its_checksum() -> None:
    data = rebuilt(to_bytes(report_table_docx()), {}, stored=True)
    position = data.index("申请人情况".encode())
    damaged = data[:position] + b"X" + data[position + 1 :]
    with pytest.raises(InputError, match="损坏"):
        read_docx(damaged, "crc.docx")


def test_broken_xml() -> None:
    data = rebuilt(to_bytes(report_table_docx()), {"word/document.xml": b"<w:document><w:body><w:p>"})
    with pytest.raises(InputError, match="XML 已损坏"):
        read_docx(data, "xml.docx")


def test_missing_document_part() -> None:
    data = rebuilt(to_bytes(report_table_docx()), {"word/document.xml": None})
    with pytest.raises(InputError, match="缺少必需的部件"):
        read_docx(data, "part.docx")


@pytest.mark.parametrize("missing", ["[Content_Types].xml", "word/styles.xml"])
def test_missing_secondary_part_still_reads_the_body(missing: str) -> None:
    document = read_docx(rebuilt(to_bytes(report_table_docx()), {missing: None}), "parts.docx")
    assert grid(document.tables()[0]) == EXPECTED_GRID
    assert any("缺少部分部件" in note for note in document.notes)


def test_document_without_body() -> None:
    document_xml = f"<w:document {nsdecls('w')}/>".encode()
    data = rebuilt(to_bytes(report_table_docx()), {"word/document.xml": document_xml})
    with pytest.raises(InputError, match="没有正文"):
        read_docx(data, "body.docx")


def test_macro_enabled_document_is_read() -> None:
    data = to_bytes(report_table_docx())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").decode()
    types = types.replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    (table,) = read_docx(rebuilt(data, {"[Content_Types].xml": types.encode()}), "m.docm").tables()
    assert grid(table) == EXPECTED_GRID


# ---------------------------------------------------------------------------- real report


def test_corpus_docx_matches_truth() -> None:
    path = CORPUS / "031_shuyang_fgj_2023_word.docx"
    truth = truth_of(path)
    report = parse_bytes(path.read_bytes(), path.name).to_contract()
    for key in ("year", "format_version"):
        assert report[key] == truth[key], key
    for table in ("table2", "table3", "table4"):
        assert report[table] == truth[table], table


def test_corpus_docx_grid() -> None:
    document = read_docx((CORPUS / "031_shuyang_fgj_2023_word.docx").read_bytes(), "031.docx")
    table3 = document.tables()[2]
    assert (table3.n_rows, table3.n_cols) == (28, 10)
    positions = [(c.row, c.col) for c in table3.cells]
    assert len(positions) == len(set(positions))
    label = next(c for c in table3.cells if c.text == "三、本年度办理结果")
    assert (label.row, label.col, label.rowspan, label.colspan) == (5, 0, 22, 1)
