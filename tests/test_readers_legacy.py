"""The legacy Word reader (.doc, Kingsoft .wps): OLE checks, LibreOffice conversion, failures.

LibreOffice runs take a few seconds each, so a .doc is made once per module.  Failures of the
conversion itself (time limit, no output) are tested with a stand-in ``soffice`` script.
"""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from helpers import FIXTURES, truth_of
from nianbao import parse_bytes
from nianbao.document import Table
from nianbao.errors import InputError, UnsupportedFormatError
from nianbao.readers import legacy, read_bytes
from nianbao.readers.legacy import read_legacy
from nianbao.settings import Settings

CORPUS = FIXTURES / "corpus"
SOFFICE = legacy.find_soffice()
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (Debian package libreoffice-writer-nogui)"
)
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="the stand-in soffice is a shell script")


def grid(table: Table) -> list[tuple[str, int, int, int, int]]:
    return [(c.text, c.row, c.col, c.rowspan, c.colspan) for c in table.cells]


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (version 3, 512-byte sectors) holding up to three streams.

    Streams are padded to 4096 bytes so they live in regular sectors (no mini stream).
    """
    end_of_chain, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    names = list(streams)
    datas = [streams[name].ljust(4096, b"\0") for name in names]
    fat = [fat_sector, end_of_chain]  # sector 0 holds the FAT, sector 1 the directory
    starts = []
    for data in datas:
        count = -(-len(data) // 512)
        starts.append(len(fat))
        fat += [len(fat) + k + 1 for k in range(count - 1)] + [end_of_chain]
    fat += [free] * (128 - len(fat))

    def entry(
        name: str, kind: int, child: int = no_stream, right: int = no_stream, start: int = 0, size: int = 0
    ) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0" if name else b""
        colour = 1 if name else 0
        head = raw.ljust(64, b"\0") + struct.pack("<HBB3I", len(raw), kind, colour, no_stream, right, child)
        return head + b"\0" * 36 + struct.pack("<IQ", start, size)

    entries = [entry("Root Entry", 5, child=1 if names else no_stream, start=end_of_chain)]
    for k, name in enumerate(names):  # siblings as a chain to the right
        right = k + 2 if k + 1 < len(names) else no_stream
        entries.append(entry(name, 2, right=right, start=starts[k], size=len(datas[k])))
    entries += [entry("", 0)] * (4 - len(entries))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<9I", 0, 1, 1, 0, 4096, end_of_chain, 0, end_of_chain, 0)
        + struct.pack("<109I", 0, *([free] * 108))
    )
    return header + struct.pack("<128I", *fat) + b"".join(entries) + b"".join(datas)


def word_stream(flags: int = 0) -> bytes:
    """A WordDocument stream: a FIB header (magic, version, flags) and nothing else."""
    return struct.pack("<HHHHHH", 0xA5EC, 0x00C1, 0, 0x0409, 0, flags) + bytes(1000)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.fixture(scope="module", autouse=True)
def module_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Conversions of this module work under one directory, so leftovers can be told apart
    from LibreOffice processes other people run on the same machine."""
    directory = tmp_path_factory.mktemp("legacy")
    saved, tempfile.tempdir = tempfile.tempdir, str(directory)
    yield directory
    tempfile.tempdir = saved


# ---------------------------------------------------------------------------- OLE checks


def test_ole_magic_followed_by_garbage_is_refused_quickly() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x5a" * 3000
    start = time.perf_counter()
    with pytest.raises(InputError, match="文件已损坏") as caught:
        read_bytes(data, "broken.doc")
    assert time.perf_counter() - start < 1
    assert caught.value.source == "broken.doc"


def test_excel_file_is_not_a_word_document() -> None:
    with pytest.raises(UnsupportedFormatError, match="Excel") as caught:
        read_bytes(ole_file({"Workbook": b"\x09\x08" + bytes(100)}), "report.doc")
    assert caught.value.source == "report.doc"


def test_other_ole_file_without_word_stream() -> None:
    with pytest.raises(UnsupportedFormatError, match="没有 WordDocument"):
        read_legacy(ole_file({"Contents": b"x"}), "other.doc")


def test_encrypted_office_file() -> None:
    with pytest.raises(UnsupportedFormatError, match="密码"):
        read_legacy(ole_file({"EncryptedPackage": b"x", "EncryptionInfo": b"y"}), "secret.docx")


def test_password_protected_doc_is_refused_before_conversion(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(legacy, "find_soffice", lambda: pytest.fail("LibreOffice must not run"))
    with pytest.raises(InputError, match="密码"):
        read_legacy(ole_file({"WordDocument": word_stream(flags=0x0100), "1Table": b""}), "secret.doc")


def test_word_stream_without_a_word_header_is_corrupt() -> None:
    with pytest.raises(InputError, match="文件已损坏"):
        read_legacy(ole_file({"WordDocument": b"not a FIB"}), "bad.doc")


def test_missing_libreoffice_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(legacy, "find_soffice", lambda: None)
    with pytest.raises(InputError, match="libreoffice-writer-nogui") as caught:
        read_legacy(ole_file({"WordDocument": word_stream(), "1Table": b""}), "a.doc")
    assert caught.value.source == "a.doc"


# ---------------------------------------------------------------------------- conversion failures


@pytest.fixture
def fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in soffice; the test writes its body.  Temporary files go under tmp_path/tmp."""
    script = tmp_path / "soffice"
    monkeypatch.setattr(legacy, "find_soffice", lambda: str(script))
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp))
    return script


@posix_only
def test_timeout_kills_the_whole_process_group(fake_soffice: Path) -> None:
    pid_file = fake_soffice.parent / "child.pid"
    # like soffice: a launcher that starts another process and waits for it
    fake_soffice.write_text(f'#!/bin/sh\nsleep 60 &\necho $! > "{pid_file}"\nwait\n')
    fake_soffice.chmod(0o755)
    start = time.perf_counter()
    with pytest.raises(InputError, match="超时") as caught:
        read_legacy(ole_file({"WordDocument": word_stream(), "1Table": b""}), "slow.doc", Settings(soffice_timeout=0.5))
    assert time.perf_counter() - start < 5
    assert "NIANBAO_SOFFICE_TIMEOUT" in caught.value.message
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 3
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(child)
    assert list((fake_soffice.parent / "tmp").iterdir()) == []  # the work directory is gone


@posix_only
def test_conversion_without_output(fake_soffice: Path) -> None:
    fake_soffice.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 0\n")
    fake_soffice.chmod(0o755)
    with pytest.raises(InputError, match="LibreOffice 无法转换该文件") as caught:
        read_legacy(ole_file({"WordDocument": word_stream(), "1Table": b""}), "bad.doc")
    assert caught.value.source == "bad.doc"
    assert list((fake_soffice.parent / "tmp").iterdir()) == []


@posix_only
def test_soffice_that_cannot_start(fake_soffice: Path) -> None:
    fake_soffice.write_text("not executable")
    with pytest.raises(InputError, match="无法启动 LibreOffice"):
        read_legacy(ole_file({"WordDocument": word_stream(), "1Table": b""}), "a.doc")


def test_unusable_temporary_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(legacy, "find_soffice", lambda: "/bin/true")
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "missing"))
    with pytest.raises(InputError, match="临时目录"):
        read_legacy(ole_file({"WordDocument": word_stream(), "1Table": b""}), "a.doc")


@posix_only
def test_the_time_limit_comes_from_the_settings_given(fake_soffice: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_soffice.write_text("#!/bin/sh\nsleep 60\n")
    fake_soffice.chmod(0o755)
    monkeypatch.setenv("NIANBAO_SOFFICE_TIMEOUT", "600")  # the environment is not the reader's to read
    start = time.perf_counter()
    with pytest.raises(InputError, match=r"超过 0\.3 秒"):
        read_bytes(ole_file({"WordDocument": word_stream(), "1Table": b""}), "slow.doc", Settings(soffice_timeout=0.3))
    assert time.perf_counter() - start < 5


# ---------------------------------------------------------------------------- real LibreOffice


EXPECTED_GRID = [
    ("项目", 0, 0, 2, 2),
    ("申请人情况", 0, 2, 1, 3),
    ("自然人", 1, 2, 1, 1),
    ("法人或其他组织", 1, 3, 1, 2),
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


@pytest.fixture(scope="module")
def doc_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A .doc saved by LibreOffice from a DOCX with horizontally, vertically and block-merged cells."""
    assert SOFFICE is not None
    work = tmp_path_factory.mktemp("doc")
    document = docx.Document()
    document.add_heading("某局2023年政府信息公开工作年度报告", level=1)
    table = document.add_table(rows=4, cols=5)
    table.cell(0, 0).merge(table.cell(1, 1)).text = "项目"
    table.cell(0, 2).merge(table.cell(0, 4)).text = "申请人情况"
    table.cell(1, 2).text = "自然人"
    table.cell(1, 3).merge(table.cell(1, 4)).text = "法人或其他组织"
    table.cell(2, 0).merge(table.cell(3, 0)).text = "三、本年度办理结果"
    for row, values in ((2, ("（一）予以公开", "5", "", "0")), (3, ("（二）部分公开", "1", "", "2"))):
        for col, value in enumerate(values, start=1):
            table.cell(row, col).text = value
    # Word ends a document with a paragraph; without one LibreOffice's .doc export drops the table
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    source = work / "table.docx"
    document.save(source)
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to",
            "doc",
            "--outdir",
            str(work),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return (work / "table.doc").read_bytes()


@needs_soffice
def test_doc_made_by_libreoffice_reads_back_the_same_table(doc_bytes: bytes) -> None:
    assert doc_bytes.startswith(b"\xd0\xcf\x11\xe0")
    # Kingsoft .wps is the same binary format: the name does not matter, the content does
    document = read_bytes(doc_bytes, "table.wps")
    assert document.kind == "legacy"
    assert document.source == "table.wps"
    (table,) = document.tables()
    assert grid(table) == EXPECTED_GRID
    assert [p.text for p in document.paragraphs()] == [
        "某局2023年政府信息公开工作年度报告",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]
    assert any("LibreOffice" in note for note in document.notes)


@needs_soffice
def test_corpus_doc_matches_truth(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    path = CORPUS / "032_shuyang_fgj_2023_word97.doc"
    truth = truth_of(path)
    report = parse_bytes(path.read_bytes(), path.name).to_contract()
    for key in ("year", "format_version"):
        assert report[key] == truth[key], key
    for table in ("table2", "table3", "table4"):
        assert report[table] == truth[table], table
    assert list(tmp_path.iterdir()) == []  # no LibreOffice profile or copy left behind


@needs_soffice
def test_word_document_that_converts_to_nothing() -> None:
    with pytest.raises(InputError, match="没有任何内容") as caught:
        read_legacy(ole_file({"WordDocument": word_stream(), "1Table": bytes(512)}), "empty.doc")
    assert caught.value.source == "empty.doc"


def test_no_soffice_left_running(module_tmp: Path) -> None:
    """Every conversion above waited for (or killed) its LibreOffice processes."""
    if SOFFICE is None or not Path("/proc").is_dir():
        pytest.skip("needs LibreOffice and /proc")
    marker = str(module_tmp).encode()
    left = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if marker in command and alive(int(entry.name)):
            left.append(command)
    assert left == []


# ---------------------------------------------------------------------------- OpenDocument text


@needs_soffice
def test_odt_is_read_through_libreoffice(tmp_path: Path) -> None:
    source = CORPUS / "031_shuyang_fgj_2023_word.docx"
    (tmp_path / "in.docx").write_bytes(source.read_bytes())
    subprocess.run(
        [str(SOFFICE), "--headless", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--convert-to", "odt",
         "--outdir", str(tmp_path), str(tmp_path / "in.docx")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    data = (tmp_path / "in.odt").read_bytes()
    document = read_bytes(data, "report.odt")
    assert document.kind == "odt" and document.notes[0].startswith("由 LibreOffice 将 OpenDocument")
    report = parse_bytes(data, "report.odt").to_contract(provenance=False)
    truth = truth_of(source)
    for name in ("table2", "table3", "table4"):
        assert report[name] == truth[name], name


def test_odt_with_a_doctype_never_reaches_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(legacy, "find_soffice", lambda: pytest.fail("LibreOffice must not run"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", '<?xml version="1.0"?><!DOCTYPE x SYSTEM "/dev/zero"><x/>')
    with pytest.raises(InputError, match=r"content\.xml 含有文档类型声明"):
        read_bytes(out.getvalue(), "x.odt")
