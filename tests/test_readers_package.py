"""ZIP packages: no DOCTYPE, no entity, no file a document names is ever opened; encrypted members
and unknown compression methods are refused in one sentence."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import lxml.etree
import pytest

from fuzzing import patched_zip
from helpers import CORPUS
from nianbao.errors import InputError
from nianbao.readers import read_bytes
from nianbao.readers.package import parse_xml

DOCX = (CORPUS / "031_shuyang_fgj_2023_word.docx").read_bytes()


def with_doctype(data: bytes, member: str, doctype: str) -> bytes:
    """The package with ``doctype`` inserted after the XML declaration of ``member``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == member:
                text = content.decode("utf-8")
                cut = text.index("?>") + 2 if text.startswith("<?xml") else 0
                content = (text[:cut] + doctype + text[cut:]).encode("utf-8")
            target.writestr(info.filename, content)
    return out.getvalue()


def doctypes(target: str) -> dict[str, str]:
    return {
        "external subset": f'<!DOCTYPE x SYSTEM "{target}">',
        "parameter entity": f'<!DOCTYPE x [<!ENTITY % p SYSTEM "{target}"> %p;]>',
        "external entity": f'<!DOCTYPE x [<!ENTITY e SYSTEM "{target}">]>',
    }


@pytest.mark.parametrize("member", ["word/document.xml", "word/styles.xml", "[Content_Types].xml", "_rels/.rels"])
@pytest.mark.parametrize("kind", ["external subset", "parameter entity"])
def test_a_planted_fifo_is_never_opened(tmp_path: Path, member: str, kind: str) -> None:
    # libxml2 opens a local external subset even with DTD loading off: reading must not hang
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    path = tmp_path / "planted.docx"
    path.write_bytes(with_doctype(DOCX, member, doctypes(str(fifo))[kind]))
    code = "import sys; from nianbao.readers import read_path\ntry: read_path(sys.argv[1])\nexcept Exception as e: print(e)"
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert "文档类型声明（DOCTYPE）" in done.stdout and member in done.stdout
    assert done.stderr == ""


@pytest.mark.parametrize("kind", ["external subset", "parameter entity", "external entity"])
def test_doctype_in_any_part_is_refused(kind: str) -> None:
    data = with_doctype(DOCX, "word/numbering.xml", doctypes("/nonexistent/x.dtd")[kind])
    with pytest.raises(InputError, match=r"word/numbering\.xml 含有文档类型声明"):
        read_bytes(data, "x.docx")


@pytest.mark.parametrize("kind", ["external subset", "parameter entity"])
def test_the_parser_itself_refuses_to_load(kind: str) -> None:
    # a DOCTYPE the prolog check cannot see (after 64 KB of comments) is refused by the resolver
    comments = "<!--" + "x" * 70_000 + "-->"
    xml = f"{comments}{doctypes('/nonexistent/x.dtd')[kind]}<x/>".encode()
    with pytest.raises(lxml.etree.XMLSyntaxError, match="refused"):
        parse_xml(xml)
    assert parse_xml(b"<x><y/></x>").tag == "x"


@pytest.mark.parametrize("method", [9, 93, 98])  # Deflate64, zstd, PPMd
def test_unknown_compression_is_refused(method: int) -> None:
    with pytest.raises(InputError, match=f"不支持的压缩方式（ZIP 方法 {method}）"):
        read_bytes(patched_zip(DOCX, method=method), "x.docx")


@pytest.mark.parametrize("method", [None, 99])  # ZipCrypto, AES
def test_encrypted_members_are_refused(method: int | None) -> None:
    with pytest.raises(InputError, match="已加密"):
        read_bytes(patched_zip(DOCX, method=method, flag=1), "x.docx")


@pytest.mark.parametrize("method", [12, 14])  # bzip2, LZMA declared over deflated data
def test_a_wrong_method_is_damage(method: int) -> None:
    with pytest.raises(InputError, match="损坏"):
        read_bytes(patched_zip(DOCX, method=method), "x.docx")


def package(members: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


OFD_XML = '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0"/>'


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"OFD.xml": OFD_XML, "Doc_0/Document.xml": "<x/>"}, "OFD 文件中没有文档"),
        (
            {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"},
            "OpenDocument 电子表格",
        ),
        ({"[Content_Types].xml": "<x/>", "ppt/presentation.xml": "<x/>"}, "PowerPoint（.pptx）"),
        ({"photo.jpg": "not a report"}, "不支持读取ZIP 压缩包"),
    ],
)
def test_a_zip_package_is_named_by_its_content(members: dict[str, str], message: str) -> None:
    # never "a ZIP archive" for a format nianbao can name; the file name plays no part
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        read_bytes(package(members), "x.zip")


def test_a_damaged_package_is_still_named_by_its_member_names() -> None:
    data = package({"OFD.xml": OFD_XML * 50, "Doc_0/Pages/Page_0/Content.xml": "<x/>" * 5000})
    with pytest.raises(InputError, match="OFD"):
        read_bytes(data[: len(data) // 3], "cut.ofd")
