"""The text reader: encodings, layouts, and input that cannot be used."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import truth_of
from nianbao import parse_bytes, parse_file
from nianbao.document import Paragraph, Table
from nianbao.errors import InputError, NotAReportError
from nianbao.readers import read_bytes, read_path
from nianbao.readers.decode import _SUSPECT, _ordinary_utf8, decode_text
from nianbao.readers.sniff import DOCX, HTML, IMAGE, OLE, PDF, TEXT, sniff
from nianbao.readers.text import BLANK, CELL_LINE, FOOTER, PIPE_ROW, TAB_ROW, _kind, read_text
from nianbao.readers.text import TEXT as TEXT_LINE
from nianbao.settings import Settings


def tables_of(report_path: Path, data: bytes) -> dict:
    contract = parse_bytes(data, report_path.name).to_contract()
    return {key: contract[key] for key in ("agency", "year", "format_version", "table2", "table3", "table4")}


def expected(report_path: Path) -> dict:
    truth = truth_of(report_path)
    return {key: truth[key] for key in ("agency", "year", "format_version", "table2", "table3", "table4")}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
def test_encodings_read_the_same(seed: Path, encoding: str) -> None:
    text = seed.read_text(encoding="utf-8")
    assert tables_of(seed, text.encode(encoding)) == expected(seed)


def test_gbk_report(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8").replace("\xa0", " ")  # GBK has no no-break space
    data = text.encode("gbk")
    assert tables_of(seed, data) == expected(seed)
    assert read_bytes(data, "x").encoding == "gb18030"


def test_crlf_line_ends(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8").replace("\n", "\r\n")
    assert tables_of(seed, text.encode("utf-8")) == expected(seed)


def test_cell_lines_layout_joins_wrapped_cells() -> None:
    doc = read_text("标题\n\t结\n果\n维\n持\n\t总计\n\n\t0\n\t1\n\n下一段\n", "x")
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert len(tables) == 1
    assert [[c.text for c in row] for row in tables[0].rows()] == [["结\n果\n维\n持", "总计"], ["0", "1"]]
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == ["标题", "下一段"]
    assert tables[0].rows()[1][1].location.line == 9


def test_tab_rows_layout_keeps_empty_cells() -> None:
    doc = read_text("a\tb\t\tc\n\t\t0\n", "x")
    (table,) = doc.tables()
    assert [[c.text for c in row] for row in table.rows()] == [["a", "b", "", "c"], ["", "", "0"]]
    assert table.rows()[0][3].location.column == 6


def test_paragraph_cells_layout_marks_empty_cells() -> None:
    lines = []
    for k in range(25):
        lines += [f"段落{k}", ""]
    lines += ["标签", "", "3", "", "", "", "0", ""]  # an empty cell between 3 and 0
    doc = read_text("\n".join(lines), "x")
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert texts[-4:] == ["标签", "3", "", "0"]


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n", PDF),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", OLE),
        (b"\x89PNG\r\n\x1a\nxxxx", IMAGE),
        (b"\xff\xd8\xff\xe0", IMAGE),
        (b"<!DOCTYPE html><html>", HTML),
        (b"  <html><head>", HTML),
        (b"<meta charset=gbk><p>x</p>", HTML),
        ("政府信息公开".encode(), TEXT),
    ],
)
def test_sniff_by_content(head: bytes, kind: str) -> None:
    assert sniff(head) == kind


def test_sniff_zip_that_is_not_docx(tmp_path: Path) -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "x")
    assert sniff(buffer.getvalue()[:8], buffer.getvalue()) == "zip"
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert sniff(buffer.getvalue()[:8], buffer.getvalue()) == DOCX


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "空"),
        (b"   \n\n\t \n", "空"),
        (bytes(range(256)) * 40, "二进制"),
        (b"\x00\x01\x02\x03" * 1000, "二进制"),
        (b"\x00\x01\x02binary", "二进制"),  # taken for UTF-16 by its zero bytes, and not decodable as it
        (codecs.BOM_UTF8 + b"\xff\xfe\xfa", "解码"),
    ],
)
def test_unusable_input_is_one_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        read_bytes(data, "bad.txt")
    assert message in str(caught.value)
    assert "bad.txt" in str(caught.value)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("\t规章", CELL_LINE),
        ("\t0", CELL_LINE),
        ("\t", CELL_LINE),  # an empty cell
        ("\t\u200b", CELL_LINE),
        ("\t  规章 ", CELL_LINE),
        ("\t| 规章 | 0 |", PIPE_ROW),
        ("\t\u2003| 规章 | 0 |", PIPE_ROW),  # any space before the pipe
        ("\t— 3 —", FOOTER),
        ("\t\x1f第 3 页", FOOTER),  # a control character Python counts as space
        ("\t—规章", CELL_LINE),  # starts like a footer, is not one
        ("\t规章\t0", TAB_ROW),
        ("规章\t0", TAB_ROW),
        ("", BLANK),
        ("  \u3000", BLANK),
        ("\u200b[bookmark: _GoBack]", BLANK),
        ("一、总体情况", TEXT_LINE),
    ],
)
def test_line_kinds(line: str, kind: str) -> None:
    assert _kind(line) == kind


@pytest.mark.parametrize(
    ("text", "plausible"),
    [
        ("政府信息公开工作年度报告\n" * 50, True),
        ("报告" * 400 + "\x01\x02", True),  # a couple of control characters pass
        ("报告" * 100 + "\x01" * 20, False),
        ("报告" * 100 + "\ue000" * 20, False),  # private-use characters: bytes decoded by luck
        ("报告" * 1000 + "\U0001f600", True),
    ],
)
def test_decoded_text_must_look_like_text(text: str, plausible: bool) -> None:
    if plausible:
        assert decode_text(text.encode("utf-8"), "a.txt")[0] == text
    else:
        with pytest.raises(InputError):
            decode_text(text.encode("utf-8"), "a.txt")


def test_text_that_is_not_a_report() -> None:
    text = "今天天气晴朗，气温适宜。\n市民纷纷外出踏青。\n公园里游人如织。\n"
    with pytest.raises(NotAReportError):
        parse_bytes(text.encode("utf-8"), "news.txt")


def test_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    with pytest.raises(InputError) as caught:
        parse_file(big)
    assert "过大" in str(caught.value) and "NIANBAO_MAX_INPUT_MB" in str(caught.value)
    small = tmp_path / "small.txt"
    small.write_bytes(b"x" * 2048)
    tiny_limit = Settings(max_input_mb=0.001)
    with pytest.raises(InputError, match="过大"):
        read_path(small, tiny_limit)
    with pytest.raises(InputError, match="过大"):
        read_bytes(small.read_bytes(), "small.txt", tiny_limit)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="不存在"):
        parse_file(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="目录"):
        parse_file(tmp_path)


def test_damaged_docx_is_called_damaged_not_an_archive(tmp_path: Path) -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + "x" * 5000 + "</w:document>")
    truncated = buffer.getvalue()[: len(buffer.getvalue()) // 2]
    assert sniff(truncated[:8192], truncated) == DOCX
    with pytest.raises(InputError) as caught:
        read_bytes(truncated, "broken.docx")
    assert "已损坏" in str(caught.value) and "不支持" not in str(caught.value)


_LINES = st.sampled_from(
    ["", " ", "\t0", "\t规章", "\t", "a\tb", "\t\t3", "| a | b |", "|---|---|", "— 3 —", "段落", "果"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, max_size=40))
def test_text_tables_are_built_in_reading_order(lines: list[str]) -> None:
    """Extraction reads a table flagged in order without sorting it (tokenize): the flag must
    hold for every table the text reader builds, whatever the mix of layouts."""
    for table in read_text("\n".join(lines), "x").tables():
        assert table.in_order
        assert table.cells == sorted(table.cells, key=lambda cell: (cell.row, cell.col))


_EDGES = [0x00, 0x08, 0x09, 0x0D, 0x0E, 0x1F, 0x20, 0x7E, 0x7F, 0x80, 0xDFFF + 1, 0xE000, 0xEFFF, 0xF000]
_EDGES += [0xF8FF, 0xF900, 0xFF0C, 0xFFFF, 0x10000, 0x10FFFF, 0x4E00]


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.sampled_from(_EDGES).map(chr), st.characters(exclude_categories=["Cs"])))
def test_utf8_bytes_tell_what_the_text_pattern_tells(char: str) -> None:
    """The decoder's byte test stands in for the character pattern on UTF-8 input."""
    assert _ordinary_utf8(f"年{char}报".encode()) == (re.search(_SUSPECT, char) is None)
