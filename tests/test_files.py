"""files.py: the one atomic write, the format a file name asks for, the content hash."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from nianbao.files import atomic_writer, format_for_filename, sha256_of, write_atomic


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    """Set the process's umask for a test (and put the old one back)."""
    old = os.umask(0o022)
    try:
        yield os.umask
    finally:
        os.umask(old)


def mode_of(path: Path) -> str:
    return oct(path.stat().st_mode & 0o777)


def test_write_atomic_creates_and_replaces(tmp_path: Path, umask: Callable[[int], None]) -> None:
    target = tmp_path / "out.json"
    write_atomic(target, b"one")
    assert target.read_bytes() == b"one" and oct(target.stat().st_mode & 0o777) == "0o644"
    target.chmod(0o600)
    write_atomic(str(target), b"two")
    assert target.read_bytes() == b"two" and oct(target.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


@pytest.mark.parametrize(("mask", "mode"), [(0o022, "0o644"), (0o002, "0o664"), (0o077, "0o600"), (0o027, "0o640")])
def test_a_new_file_gets_the_mode_the_umask_gives_every_new_file(
    tmp_path: Path, umask: Callable[[int], None], mask: int, mode: str
) -> None:
    umask(mask)
    write_atomic(tmp_path / "report.docx", b"x")
    with atomic_writer(tmp_path / "dataset.csv") as out:
        out.write(b"y")
    (tmp_path / "by-hand.txt").write_bytes(b"z")  # what any program's new file gets
    assert mode_of(tmp_path / "report.docx") == mode_of(tmp_path / "dataset.csv") == mode_of(tmp_path / "by-hand.txt")
    assert mode_of(tmp_path / "report.docx") == mode


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o600), (0o077, 0o664), (0o022, 0o640)])
def test_a_replaced_file_keeps_its_mode_whatever_the_umask(
    tmp_path: Path, umask: Callable[[int], None], mask: int, mode: int
) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")
    target.chmod(mode)
    umask(mask)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and mode_of(target) == oct(mode)


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.md"
    target.write_bytes(b"old")

    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]


def test_a_missing_directory_is_the_callers_to_report(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "missing" / "out.md", b"x")


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("report.docx", "docx"),
        ("REPORT.PDF", "pdf"),
        ("a/b.html", "html"),
        ("notes.markdown", "md"),
        ("x.md", "md"),
        ("t.xlsx", "xlsx"),
        ("r.json", "json"),
        ("r.odt", None),
        ("report", None),
    ],
)
def test_format_for_filename(name: str, fmt: str | None) -> None:
    assert format_for_filename(name) == fmt


def test_sha256_of() -> None:
    assert sha256_of(b"abc") == hashlib.sha256(b"abc").hexdigest()
    assert len(sha256_of(b"")) == 64


def test_check_output_refuses_an_input_always_and_an_existing_file_without_replace(tmp_path: Path) -> None:
    from nianbao.errors import OutputError
    from nianbao.files import check_output

    ledger = tmp_path / "台账.xlsx"
    ledger.write_bytes(b"filled")
    fresh = tmp_path / "new.docx"
    assert check_output(fresh) == fresh
    with pytest.raises(OutputError, match="文件已存在；要替换它请加 --force"):
        check_output(ledger)
    assert check_output(ledger, replace=True) == ledger
    # the input by any name: as given, through ./ and .., a symbolic link, a hard link
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.xlsx").symlink_to(ledger)
    os.link(ledger, tmp_path / "hard.xlsx")
    for name in (
        ledger,
        tmp_path / "." / "台账.xlsx",
        tmp_path / "sub" / ".." / "台账.xlsx",
        tmp_path / "link.xlsx",
        tmp_path / "hard.xlsx",
    ):
        with pytest.raises(OutputError, match="输出文件与输入文件相同"):
            check_output(name, replace=True, inputs=[ledger])
    with pytest.raises(OutputError, match="输出目录不存在"):
        check_output(tmp_path / "missing" / "out.md", replace=True)
    with pytest.raises(OutputError, match="这是一个目录"):
        check_output(tmp_path / "sub", replace=True)
    with pytest.raises(OutputError, match="文件已存在"):  # a dangling link is not written through
        (tmp_path / "dangling.md").symlink_to(tmp_path / "nowhere.md")
        check_output(tmp_path / "dangling.md")
    assert ledger.read_bytes() == b"filled"
