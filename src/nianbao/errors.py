"""One error family.  Every message is a single Chinese sentence a clerk can act on; the CLI
prints it on one line and exits with code 2."""

from __future__ import annotations

import errno


class NianbaoError(Exception):
    """Base of every error nianbao raises on purpose."""

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:
        return f"{self.source}：{self.message}" if self.source else self.message


class InputError(NianbaoError):
    """The input cannot be used at all: missing, unreadable, empty, too large, binary."""


class UnsupportedFormatError(InputError):
    """The file is of a kind nianbao does not read."""


class EncodingError(InputError):
    """A text file in an encoding nianbao cannot determine."""


class NotAReportError(NianbaoError):
    """The input is readable but is not a 政府信息公开工作年度报告."""


class ReportDataError(NianbaoError):
    """A report JSON that does not follow the nianbao.report/1 contract."""


class OutputError(NianbaoError):
    """An output file that may not be written: it is one of the inputs, it exists and replacing
    it was not asked for (``--force``), or its directory is missing."""


class RenderError(NianbaoError):
    """A report cannot be written in the requested format (e.g. a PDF would lack glyphs)."""


class SettingsError(NianbaoError):
    """A setting (an environment variable) with a value nianbao cannot use."""


_OS_REASONS = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有读取或写入的权限",
    errno.EPERM: "操作不被允许",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.ELOOP: "符号链接层数过多（可能是循环链接）",
    errno.EIO: "读写设备出错",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统只读",
    errno.ENXIO: "设备不存在或未就绪",
    errno.EBUSY: "文件正被占用",
    errno.EMFILE: "打开的文件过多",
    errno.EINVAL: "路径或参数无效",
}


def os_reason(exc: OSError) -> str:
    """Why an operating-system call failed, in Chinese (``strerror`` is English)."""
    if exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    name = errno.errorcode.get(exc.errno or 0)
    return f"系统错误 {name}" if name else "系统错误"
