"""Parsing one file, the part of an import that runs in the pool's processes.

This module must not import Django: a spawned process unpickles :func:`parse` by importing it,
before (and without) any Django setup.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass

from .... import pipeline
from ....errors import NianbaoError
from ....model import Finding, Report
from ....settings import Settings


@dataclass(frozen=True)
class Parsed:
    """What a parsing process sends back: the report and its findings, or why it failed."""

    report: Report | None = None
    findings: tuple[Finding, ...] = ()
    error: str | None = None


def parse(data: bytes, name: str, settings: Settings) -> Parsed:
    """Read and check one file; every failure becomes a reason (runs in a pool process)."""
    try:
        result = pipeline.process(data, name, settings)
    except NianbaoError as exc:
        return Parsed(error=exc.message)
    except MemoryError:
        return Parsed(error="内存不足，无法处理该文件")
    except Exception as exc:  # a bug in one file must not stop the batch
        if settings.debug:
            raise
        return Parsed(error=f"处理时发生内部错误（{type(exc).__name__}: {exc}），请将该文件反馈给开发者")
    return Parsed(result.report, tuple(result.findings))


def ignore_interrupts() -> None:
    """Pool initializer: Ctrl-C stops the parent, which stops the pool; a child killed by it
    would instead look like a file that crashed its parser."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
