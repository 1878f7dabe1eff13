"""Files as the core writes and names them: one atomic write, the format a file name asks for,
and the content hash that names stored originals.

The core never leaves a half-written file: :func:`write_atomic` (and :func:`atomic_writer` for
streams) writes a temporary file in the target's directory (so the rename stays on one file
system), flushes it to disk, and renames it over the target in one step.  Whether a file may be
written at all is decided in one place, :func:`check_output`, which every command that writes
calls before it writes: an output that is one of the inputs is refused always, an existing file
only with ``replace`` (the CLI's ``--force``); the writers themselves refuse nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import OutputError

# The output formats by file name suffix; ".markdown" is the long spelling of ".md".
_FORMAT_BY_SUFFIX = {
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".md": "md",
    ".markdown": "md",
    ".xlsx": "xlsx",
    ".json": "json",
}


def check_output(
    path: str | os.PathLike[str],
    *,
    replace: bool = False,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> Path:
    """``path`` if it may be written, else :class:`OutputError` with the sentence that says why.

    Refused always: ``path`` is one of ``inputs`` (the same file by any name: a link, ``./``);
    a directory.  Refused unless ``replace``: a file that exists, so a user's file is never
    replaced without being asked.  Refused: a directory that does not exist.
    """
    target = Path(path)
    for given in inputs:
        if _same_file(target, Path(given)):
            raise OutputError("输出文件与输入文件相同，不能覆盖输入，请用 -o 指定另一个文件", source=str(path))
    if target.is_dir():
        raise OutputError("这是一个目录，请给出输出文件名", source=str(path))
    if not target.parent.is_dir():
        raise OutputError(f"输出目录不存在：{target.parent}", source=str(path))
    if not replace and (target.exists() or target.is_symlink()):
        raise OutputError("文件已存在；要替换它请加 --force", source=str(path))
    return target


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.samefile(other)
    except OSError:  # one of them does not exist (yet): compare the names they resolve to
        return one.resolve() == other.resolve()


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` by ``data`` in one step: readers see the old file or the new one, never
    a part.  A new file gets the mode any program's new file gets (``0666`` less the umask:
    ``0644`` under the usual ``022``); a file replaced keeps its mode."""
    with atomic_writer(path) as out:
        out.write(data)


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file to stream into that replaces ``path`` in one step when the block ends; if
    the block raises, the temporary file is removed and ``path`` is untouched."""
    target = Path(path)
    directory = target.parent
    replaced = target.stat().st_mode & 0o777 if target.exists() else None
    handle, temp = _new_temporary(directory, target.name)
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        if replaced is not None:
            os.chmod(temp, replaced)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _sync_directory(directory)


_TEMPORARY_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)


def _new_temporary(directory: Path, name: str) -> tuple[int, str]:
    """A new file beside the target, created as ``open()`` creates files (``0666`` less the
    umask), not ``0600`` as :func:`tempfile.mkstemp` makes it: the mode it will have once renamed."""
    for _ in range(100):
        temp = str(directory / f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temp, _TEMPORARY_FLAGS, 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {name}")  # pragma: no cover - 2^32 names


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); where a directory cannot be opened, skip it."""
    with contextlib.suppress(OSError):
        handle = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def format_for_filename(path: str | os.PathLike[str]) -> str | None:
    """The output format a file name asks for by its suffix (``report.docx`` → ``docx``,
    ``.markdown`` → ``md``); None for no suffix or one no output format uses."""
    return _FORMAT_BY_SUFFIX.get(Path(path).suffix.lower())


def sha256_of(data: bytes) -> str:
    """The content hash (hex) that names a stored original."""
    return hashlib.sha256(data).hexdigest()


def valid_utf8(text: str) -> str:
    """``text`` as valid Unicode: a file name's bytes that are not UTF-8 (which Python keeps as
    lone surrogates, ``\\udcff``) become U+FFFD, so JSON holding the name stays valid UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape" if _only_escapes(text) else "replace").decode("utf-8", "replace")
    return text


def _only_escapes(text: str) -> bool:
    return all(not 0xD800 <= ord(ch) <= 0xDFFF or 0xDC80 <= ord(ch) <= 0xDCFF for ch in text)
