"""What ``nianbao import`` and ``nianbao check`` are given, as a flat list of entries: files, the
files of folders (recursively), and the members of ZIP archives.  What a folder holds but is not
read is said, never dropped in silence: :func:`walk` yields a :class:`Skipped` for each hidden
file or folder, folder link not followed, and thing that is not a regular file.

An archive is never extracted to disk: each member is read into memory on its own, so a member
name cannot escape anywhere; names that would (``../x``, ``/etc/x``, ``C:\\x``) are still refused,
because a file called that is not a report somebody meant to send.  Nested archives, encrypted
members and members that would inflate past the size limit (decompression bombs) are refused one
by one with a reason; the rest of the archive imports.
"""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import InputError, os_reason
from .readers.sniff import ZIP, package_kind, sniff
from .settings import Settings

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
        if self.member is None:
            from .readers import load_path  # the one way a file is read: regular files only, size first

            try:
                return load_path(self.path, settings)
            except InputError as exc:
                raise InputError(exc.message) from None
        limit = settings.max_input_bytes
        try:
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


@dataclass(frozen=True)
class Skipped:
    """Something in a given folder that is not read, and why (Chinese)."""

    name: str
    reason: str


SKIPPED_HIDDEN = "隐藏文件或文件夹（名称以“.”开头）"
SKIPPED_LINK = "指向文件夹的符号链接（不进入，以免重复或循环）"
SKIPPED_SPECIAL = "不是普通文件（设备、管道或套接字）"


def entries(paths: list[Path], settings: Settings) -> Iterator[Entry]:
    """Every entry the given paths hold, in a stable order (folders sorted, archives in member order)."""
    for found in walk(paths, settings):
        if isinstance(found, Entry):
            yield found


def walk(paths: list[Path], settings: Settings) -> Iterator[Entry | Skipped]:
    """Every entry the given paths hold, and what their folders hold that is not read (hidden
    files and folders, folder links, devices, pipes and sockets), in a stable order: each folder's
    contents sorted by path, an archive's members in their order."""
    for path in paths:
        if is_folder(path):
            yield from _folder(path, settings)
        else:
            yield from _file_entries(path, settings)


def is_folder(path: Path) -> bool:
    """Whether ``path`` is a folder; False when it cannot be known (the entry then says why)."""
    try:
        return stat.S_ISDIR(path.stat().st_mode)
    except OSError:
        return False


def _folder(root: Path, settings: Settings) -> Iterator[Entry | Skipped]:
    found: list[tuple[Path, str | None]] = []  # (path, why it is skipped)
    for folder, subfolders, files in os.walk(
        root, onerror=lambda exc: found.append((Path(exc.filename or root), _os(exc)))
    ):
        here = Path(folder)
        for name in list(subfolders):
            child = here / name
            if name.startswith("."):
                found.append((child, SKIPPED_HIDDEN))
                subfolders.remove(name)
            elif child.is_symlink():  # os.walk does not follow it; say so
                found.append((child, SKIPPED_LINK))
        for name in files:
            child = here / name
            if name.startswith("."):
                found.append((child, SKIPPED_HIDDEN))
            elif not _regular(child):
                found.append((child, SKIPPED_SPECIAL))
            else:
                found.append((child, None))
    for child, reason in sorted(found):
        if reason is None:
            yield from _file_entries(child, settings)
        else:
            yield Skipped(str(child), reason)


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return True  # a broken link: reading it says why


def _os(exc: OSError) -> str:
    return f"无法读取文件夹（{os_reason(exc)}）"


def _file_entries(path: Path, settings: Settings) -> Iterator[Entry]:
    try:
        path.stat()
    except FileNotFoundError:
        yield Entry(str(path), path, refused="文件不存在")
        return
    except OSError as exc:  # a name too long, a folder without permission …
        yield Entry(str(path), path, refused=f"无法读取文件（{os_reason(exc)}）")
        return
    if not _regular(path) or not _is_archive_file(path):
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
