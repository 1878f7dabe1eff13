"""What an import is given, as a flat list of entries: files, the files of folders, and the members
of ZIP archives.

An archive is never extracted to disk: each member is read into memory on its own, so a member
name cannot escape anywhere; names that would (``../x``, ``/etc/x``, ``C:\\x``) are still refused,
because a file called that is not a report somebody meant to send.  Nested archives, encrypted
members and members that would inflate past the size limit (decompression bombs) are refused one
by one with a reason; the rest of the archive imports.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ....errors import InputError
from ....readers.sniff import ZIP, package_kind, sniff
from ....settings import Settings

ARCHIVE_SEPARATOR = "!/"  # "batch.zip!/folder/report.pdf"
_ARCHIVE_SUFFIXES = (".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz")
_ARCHIVE_MAGIC = (b"PK\x03\x04", b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00")
# A report compresses about 5–10×; a member that inflates more than this is treated as a bomb.
MAX_COMPRESSION_RATIO = 200
_RATIO_APPLIES_ABOVE = 1024 * 1024


@dataclass(frozen=True)
class Entry:
    """One thing to import: a file, or one member of an archive."""

    name: str  # shown to the user and recorded on the import item; unique within a job
    path: Path  # the file, or the archive holding the member
    member: str | None = None  # the member's name inside the archive (as stored, for reading)
    refused: str | None = None  # why it is not read at all

    @property
    def file_name(self) -> str:
        """The name the readers see (its extension is a hint, never trusted)."""
        return PurePosixPath(self.member).name if self.member else self.path.name

    def read(self, settings: Settings) -> bytes:
        """The entry's bytes; an :class:`InputError` says why they cannot be had."""
        if self.refused:
            raise InputError(self.refused)
        limit = settings.max_input_bytes
        try:
            if self.member is None:
                with self.path.open("rb") as handle:
                    data = handle.read(limit + 1)
            else:
                with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as handle:
                    data = handle.read(limit + 1)
        except FileNotFoundError:
            raise InputError("文件不存在") from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
            raise InputError(f"压缩包中的该文件无法解压（{exc}）") from None
        except OSError as exc:
            raise InputError(f"无法读取文件（{exc.strerror or exc}）") from None
        if len(data) > limit:
            raise InputError(f"文件超过 {settings.max_input_mb:g} MB 的大小上限（NIANBAO_MAX_INPUT_MB）")
        if self.member is not None and _looks_like_archive(self.member, data):
            raise InputError("压缩包中又含压缩包，不予处理；请解压后单独导入")
        return data


def entries(paths: list[Path], settings: Settings) -> Iterator[Entry]:
    """Every entry the given paths hold, in a stable order (folders sorted, archives in member order)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if child.is_file() and not any(part.startswith(".") for part in relative):
                    yield from _file_entries(child, settings)
        else:
            yield from _file_entries(path, settings)


def _file_entries(path: Path, settings: Settings) -> Iterator[Entry]:
    if not path.exists():
        yield Entry(str(path), path, refused="文件不存在")
        return
    if not _is_archive_file(path):
        yield Entry(str(path), path)
        return
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        yield Entry(str(path), path, refused=f"压缩包已损坏，无法打开（{exc}）")
        return
    seen: set[str] = set()
    for info in infos:
        if info.is_dir():
            continue
        shown = _member_name(info)
        name = f"{path}{ARCHIVE_SEPARATOR}{shown}"
        if name in seen:  # the same name stored twice in one archive
            name = f"{name}#{len(seen)}"
        seen.add(name)
        yield Entry(name, path, member=info.filename, refused=_member_refusal(info, shown, settings))


def _is_archive_file(path: Path) -> bool:
    """A ZIP that is not a document (DOCX, XLSX, ODT and OFD are ZIPs too)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError:
        return False
    if head != b"PK\x03\x04":
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return package_kind(archive) is None
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return path.suffix.lower() == ".zip"  # a damaged archive: say so; a damaged .docx: let the reader say


def _member_name(info: zipfile.ZipInfo) -> str:
    # Without the UTF-8 flag the name's bytes were decoded as CP437; archives made on Chinese
    # Windows store GBK there.
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _member_refusal(info: zipfile.ZipInfo, shown: str, settings: Settings) -> str | None:
    parts = shown.replace("\\", "/").split("/")
    if shown.startswith(("/", "\\")) or ".." in parts or (len(shown) > 1 and shown[1] == ":"):
        return "压缩包内的文件名指向压缩包以外的位置（含 ../ 或绝对路径），已拒绝"
    if info.flag_bits & 0x1:
        return "压缩包内的该文件有密码保护，无法读取"
    if _looks_like_archive(shown, b""):
        return "压缩包中又含压缩包，不予处理；请解压后单独导入"
    if info.file_size > settings.max_input_bytes:
        return (
            f"解压后为 {info.file_size / 1024 / 1024:.1f} MB，超过 {settings.max_input_mb:g} MB 的大小上限"
            "（NIANBAO_MAX_INPUT_MB），已拒绝"
        )
    if info.file_size > _RATIO_APPLIES_ABOVE and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
        return f"压缩比超过 {MAX_COMPRESSION_RATIO} 倍，疑似压缩炸弹，已拒绝"
    return None


def _looks_like_archive(name: str, data: bytes) -> bool:
    if name.lower().endswith(_ARCHIVE_SUFFIXES):
        return True
    if not data.startswith(_ARCHIVE_MAGIC):
        return False
    if data.startswith(b"PK\x03\x04"):
        return sniff(data[:8192], data) == ZIP  # a DOCX, XLSX, ODT or OFD is a document, not an archive
    return True
