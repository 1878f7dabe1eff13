"""files.py: the one atomic write, the format a file name asks for, the content hash."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from nianbao.files import format_for_filename, sha256_of, write_atomic


def test_write_atomic_creates_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    write_atomic(target, b"one")
    assert target.read_bytes() == b"one" and oct(target.stat().st_mode & 0o777) == "0o644"
    target.chmod(0o600)
    write_atomic(str(target), b"two")
    assert target.read_bytes() == b"two" and oct(target.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


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
