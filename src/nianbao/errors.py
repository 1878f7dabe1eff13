"""One error family.  Every message is a single Chinese sentence a clerk can act on; the CLI
prints it on one line and exits with code 2."""

from __future__ import annotations


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
