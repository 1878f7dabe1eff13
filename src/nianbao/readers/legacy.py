"""Word 97–2003 (.doc), Kingsoft WPS (.wps) and OpenDocument (.odt) files to a :class:`Document`.

.doc and .wps are OLE2 compound files with a ``WordDocument`` stream (checked with olefile, so
an Excel sheet or an Outlook message is refused with a clear message); an .odt is a ZIP package,
checked as DOCX is (:func:`~.package.check_package`: no DOCTYPE reaches LibreOffice either).
LibreOffice headless converts the file to DOCX, which the DOCX reader then reads.

Each conversion runs in its own temporary directory with its own LibreOffice profile (two
soffice processes must never share one), under the time limit of the settings
(``soffice_timeout``, from ``NIANBAO_SOFFICE_TIMEOUT``, default 60 s).  On timeout the whole process group is
killed: ``soffice`` is a launcher that starts ``soffice.bin``.  The directory is always
removed.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from ..document import Document
from ..errors import InputError, UnsupportedFormatError, os_reason
from ..settings import DEFAULT_SETTINGS, Settings
from .docx import read_docx
from .limits import variable
from .package import check_package

INSTALL_HINT = "读取 .doc/.wps/.odt 文件需要 LibreOffice，请安装 libreoffice-writer-nogui（可用 nianbao doctor 检查）"
ODT_LABEL = "OpenDocument（ODT）文件"
_SOFFICE_PLACES = (
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)
_F_ENCRYPTED = 0x0100  # FIB flag word at offset 0x0A of the WordDocument stream

# Other OLE2 files people mistake for Word documents, by a stream they always have.
_OTHER_OLE = (
    ("EncryptedPackage", "这是设置了打开密码的 Office 文件，请去掉密码后另存再读取"),
    ("Workbook", "这是 Excel（.xls/.et）表格，不是 Word 文档"),
    ("Book", "这是 Excel（.xls）表格，不是 Word 文档"),
    ("PowerPoint Document", "这是 PowerPoint（.ppt/.dps）演示文稿，不是 Word 文档"),
    ("__properties_version1.0", "这是 Outlook 邮件（.msg），不是 Word 文档；请保存其中的附件后再读取"),
    ("VisioDocument", "这是 Visio 图形文件，不是 Word 文档"),
)


def read_legacy(data: bytes, source: str, settings: Settings = DEFAULT_SETTINGS) -> Document:
    _check_word_binary(data, source)
    soffice = find_soffice()
    if soffice is None:
        raise InputError(INSTALL_HINT, source=source)
    converted = _convert(soffice, data, source, settings.soffice_timeout, ".doc", "Word 97–2003/WPS 文档")
    document = _read_converted(converted, source)
    document.kind = "legacy"
    document.notes.insert(0, "由 LibreOffice 将 Word 97–2003/WPS 文件转换为 DOCX 后读取")
    return document


def read_odt(data: bytes, source: str, settings: Settings = DEFAULT_SETTINGS) -> Document:
    check_package(data, source, ODT_LABEL)
    soffice = find_soffice()
    if soffice is None:
        raise InputError(INSTALL_HINT, source=source)
    converted = _convert(soffice, data, source, settings.soffice_timeout, ".odt", "ODT 文字文档")
    document = _read_converted(converted, source)
    document.kind = "odt"
    document.notes.insert(0, "由 LibreOffice 将 OpenDocument（ODT）文件转换为 DOCX 后读取")
    return document


def _read_converted(converted: bytes, source: str) -> Document:
    document = read_docx(converted, source)
    if not document.blocks:
        raise InputError("LibreOffice 转换后没有任何内容，文件可能已损坏或是空文档", source=source)
    return document


def find_soffice() -> str | None:
    """The LibreOffice executable conversion runs, or None when it is not installed: on the
    ``PATH``, else in the places installers put it (``doctor`` asks this too)."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((place for place in _SOFFICE_PLACES if os.access(place, os.X_OK)), None)


# ---------------------------------------------------------------------------- checking


def _check_word_binary(data: bytes, source: str) -> None:
    import olefile

    corrupt = InputError("文件已损坏，不是有效的 Word 97–2003（.doc）或 WPS 文件", source=source)
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = {"/".join(path) for path in ole.listdir(streams=True, storages=False)}
            fib = ole.openstream("WordDocument").read(12) if "WordDocument" in streams else None
    except Exception as exc:  # olefile meets arbitrary damage with many exception types
        raise corrupt from exc
    if fib is None:
        top = {name.split("/", 1)[0] for name in streams}
        for stream, message in _OTHER_OLE:
            if stream in top:
                raise UnsupportedFormatError(message, source=source)
        raise UnsupportedFormatError(
            "这是 OLE 复合文档，但不是 Word 文档（没有 WordDocument 数据流），无法读取", source=source
        )
    if len(fib) < 12 or fib[:2] not in (b"\xec\xa5", b"\xdc\xa5"):
        raise corrupt
    if int.from_bytes(fib[10:12], "little") & _F_ENCRYPTED:
        raise InputError("该 Word 文件设置了打开密码，请去掉密码后另存再读取", source=source)


# ---------------------------------------------------------------------------- converting


def _convert(soffice: str, data: bytes, source: str, timeout: float, suffix: str, kind: str) -> bytes:
    try:
        with tempfile.TemporaryDirectory(prefix="nianbao-lo-", ignore_cleanup_errors=True) as tmp:
            work = Path(tmp)
            (work / "out").mkdir()
            # .doc for both .doc and Kingsoft .wps: LibreOffice's Word filter reads both
            infile = work / f"input{suffix}"
            infile.write_bytes(data)
            _run_soffice(soffice, work, infile, source, timeout)
            output = work / "out" / "input.docx"
            converted = output.read_bytes() if output.is_file() else b""
    except OSError as exc:
        raise InputError(f"无法使用临时目录转换文件（{os_reason(exc)}）", source=source) from None
    if not converted:
        raise InputError(f"LibreOffice 无法转换该文件，文件可能已损坏或不是{kind}", source=source)
    return converted


def _run_soffice(soffice: str, work: Path, infile: Path, source: str, timeout: float) -> None:
    command = [
        soffice,
        "--headless",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        f"-env:UserInstallation={(work / 'profile').as_uri()}",  # never share a profile
        "--convert-to",
        "docx",
        "--outdir",
        str(work / "out"),
        str(infile),
    ]
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=work,
            start_new_session=True,  # its own process group, so a timeout can kill it all
        )
    except OSError as exc:
        raise InputError(f"无法启动 LibreOffice（{os_reason(exc)}），{INSTALL_HINT}", source=source) from None
    try:
        finished = _wait_unreaped(process, timeout)
    finally:
        _kill_group(process)
    if not finished:
        raise InputError(
            f"LibreOffice 转换超时（超过 {timeout:g} 秒），文件可能已损坏；可用环境变量 {variable('soffice_timeout')} 延长时限",
            source=source,
        )


def _wait_unreaped(process: subprocess.Popen[bytes], timeout: float) -> bool:
    """Wait for the launcher to exit without reaping it, so its process group id stays ours
    until the group is killed (a reaped id could be reused by an unrelated process)."""
    if not hasattr(os, "waitid"):
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return False
        return True
    deadline = time.monotonic() + timeout
    while True:
        try:
            if os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                return True
        except ChildProcessError:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill the launcher and everything it started (also what outlived a normal exit), then reap."""
    if hasattr(os, "killpg"):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    else:  # Windows: no process groups of this kind
        with contextlib.suppress(OSError):
            process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
