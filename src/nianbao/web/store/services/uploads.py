"""Files uploaded through the web app, queued for the workers like ``nianbao import --queue``.

Each upload is written to a folder of its own under the data directory, queued (which keeps
every file's bytes under ``originals/`` by hash), and the folder is removed.  What a reader could
never use is refused before it is stored, with a reason.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath

from ....readers.sniff import IMAGE, TEXT, sniff
from ....settings import Settings
from ..models import ImportJob
from .queue import queue_paths

ACCEPTED = "文本、网页、Word、WPS、PDF、图片或 ZIP 压缩包"


@dataclass(frozen=True)
class Upload:
    name: str  # as the browser sent it
    size: int
    chunks: Iterable[bytes]


def refusal(name: str, size: int, head: bytes, settings: Settings) -> str | None:
    """Why an uploaded file is refused, or None."""
    if size == 0:
        return f"{name}：文件是空的"
    if size > settings.max_input_bytes:
        return f"{name}：文件超过 {settings.max_input_bytes // (1024 * 1024)} MB 的上限"
    kind = sniff(head)
    # text is what the sniffer falls back to; bytes with NULs in them are not text of any kind
    if kind == TEXT and b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return f"{name}：不是年报可用的文件格式（可上传{ACCEPTED}）"
    if kind == IMAGE and not head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM")):
        return f"{name}：不支持此图片格式（可上传 PNG、JPEG、TIFF、BMP）"
    return None


def queue_uploads(uploads: Iterable[Upload], settings: Settings, *, who: str) -> ImportJob:
    """Queue the uploaded files as one import job."""
    folder = settings.home / "uploads" / uuid.uuid4().hex
    folder.mkdir(parents=True)
    used: set[str] = set()
    try:
        for upload in uploads:
            with (folder / _plain_name(upload.name, used)).open("wb") as handle:
                for chunk in upload.chunks:
                    handle.write(chunk)
        return queue_paths([folder], settings, who=who)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _plain_name(name: str, used: set[str]) -> str:
    """A plain file name: no directories, nothing hidden, never twice in one upload."""
    base = PurePath(name.replace("\\", "/")).name.lstrip(".") or "文件"
    stem, dot, suffix = base.rpartition(".")
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{stem}（{n}）.{suffix}" if dot else f"{base}（{n}）"
    used.add(candidate)
    return candidate
