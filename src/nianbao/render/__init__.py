"""Write a report in the national layout: DOCX, PDF, HTML, Markdown, XLSX, or its JSON.

::

    from nianbao.render import render_report, render_bytes
    render_report(report, "docx", "report.docx")   # checked, written to a temp file, then renamed
    data = render_bytes(report, "pdf")

Every format draws one :class:`~nianbao.render.view.ReportView` (title, preamble, six sections,
tables 2–4 as grids, signature), so the outputs agree with each other; page and type come from
the templates in ``templates/``.

Before writing, the report is checked as it will be printed: the rules run on the printed
sections (user text or the default narrative) and the tables, taken from the view that is
printed (:func:`printed_report`), not read back from the output.  A report with error findings is
refused with :class:`BlockedByFindings` (listing them) unless ``allow_errors=True``; the findings are
returned either way.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..document import Location
from ..errors import RenderError
from ..files import write_atomic
from ..formats import get_format
from ..model import DatedFact, Finding, Heading, Report, Section
from .view import ReportView, build_view

FORMATS = ("docx", "pdf", "html", "md", "xlsx", "json")
SUFFIXES = {"docx": ".docx", "pdf": ".pdf", "html": ".html", "md": ".md", "xlsx": ".xlsx", "json": ".json"}
FORMAT_NAMES = {"docx": "Word", "pdf": "PDF", "html": "HTML", "md": "Markdown", "xlsx": "Excel", "json": "JSON"}


class BlockedByFindings(RenderError):
    """The report has error-severity findings and ``allow_errors`` was not given: nothing is written."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        errors = [finding for finding in findings if finding.severity == "error"]
        super().__init__(f"报告有{len(errors)}处错误，未生成文件")


@dataclass
class Rendered:
    data: bytes
    format: str
    findings: list[Finding] = field(default_factory=list)  # what the rules say about the printed report
    placeholder_sections: list[int] = field(default_factory=list)  # sections printed as 【待填写】


def check(report: Report, view: ReportView | None = None) -> list[Finding]:
    """The rules' findings on the report as printed: its tables with the printed text."""
    from ..rules import run_rules

    return run_rules(printed_report(report, view or build_view(report)))


def printed_report(report: Report, view: ReportView) -> Report:
    """The report as ``view`` prints it, for the rules; nothing printed is read back.

    The view prints the format's own six headings, each section's text (the user's, or one
    generated from the tables), a generated preamble and the signature, with the report's
    tables.  So the headings are known and canonical; only the figures the printed paragraphs
    state are read from them, because that the generated text agrees with the tables is what the
    narrative rule checks.  What extraction saw of a source file (its notes, row labels, the
    period it stated) describes that file, not the printed report, and is left out.
    """
    from ..extract import narrative_of

    spec = get_format(report.format_version)
    numerals = {section.number: section.numeral for section in spec.sections}
    blocks = view.text_blocks()
    remaining = iter(view.sections)
    current: int | None = None
    headings: list[Heading] = []
    sections: dict[str, Section] = {}
    texts: dict[int, list[str]] = {}
    paragraphs: list[tuple[str, int | None, Location]] = []
    facts: dict[str, DatedFact] = {}
    for k, (style, text) in enumerate(blocks):
        location = Location(paragraph=k)
        paragraphs.append((text, current, location))
        if style == "heading 1":
            current = next(remaining).number
            headings.append(
                Heading(
                    number=current,
                    text=text,
                    numbering=f"{numerals[current]}、",
                    printed_number=current,
                    canonical=True,
                    location=location,
                )
            )
            sections[str(current)] = Section(heading=text, text="", location=location)
            texts[current] = []
        elif style == "signature":
            how = "published" if text == view.date else "agency"
            facts[how] = DatedFact(how="signature", text=text, location=location)
        elif current is not None:
            texts[current].append(text)
    first_heading = next((k for k, (style, _text) in enumerate(blocks) if style == "heading 1"), len(blocks))
    return Report(
        format_version=report.format_version,
        agency=report.agency,
        year=report.year,
        published=report.published,
        sections={number: replace(section, text="\n".join(texts[int(number)])) for number, section in sections.items()},
        table2=report.table2,
        table3=report.table3,
        table4=report.table4,
        title=view.title,
        source={"kind": "render"},
        facts=facts,
        headings=headings,
        narrative=narrative_of(paragraphs),
        preamble="\n".join(text for _style, text in blocks[:first_heading]),
        full_text="\n".join(text for _style, text in blocks),
    )


def render(report: Report, fmt: str, *, allow_errors: bool = False) -> Rendered:
    """Check and render; raises :class:`BlockedByFindings` on error findings unless ``allow_errors``."""
    writer = _writer(fmt)
    view = build_view(report)
    findings = check(report, view)
    if not allow_errors and any(finding.severity == "error" for finding in findings):
        raise BlockedByFindings(findings)
    data = writer(report, view)
    return Rendered(data, fmt, findings, view.placeholder_sections)


def render_bytes(report: Report, fmt: str, *, allow_errors: bool = False) -> bytes:
    return render(report, fmt, allow_errors=allow_errors).data


def render_report(report: Report, fmt: str, path: str | os.PathLike[str], *, allow_errors: bool = False) -> Rendered:
    """Render and write ``path`` atomically (a temp file beside it, then renamed)."""
    rendered = render(report, fmt, allow_errors=allow_errors)
    if not Path(path).parent.is_dir():
        raise RenderError(f"输出目录不存在：{Path(path).parent}")
    write_atomic(path, rendered.data)
    return rendered


def _writer(fmt: str) -> Callable[[Report, ReportView], bytes]:
    if fmt == "docx":
        from .docx import render_docx

        return lambda _report, view: render_docx(view)
    if fmt == "pdf":
        from .pdf import render_pdf

        return lambda _report, view: render_pdf(view)
    if fmt == "html":
        from .html import render_html_bytes

        return lambda _report, view: render_html_bytes(view)
    if fmt == "md":
        from .markdown import render_markdown_bytes

        return lambda _report, view: render_markdown_bytes(view)
    if fmt == "xlsx":
        from .xlsx import render_xlsx

        return lambda _report, view: render_xlsx(view)
    if fmt == "json":
        return lambda report, _view: (
            json.dumps(report.to_contract(provenance=False), ensure_ascii=False, indent=1) + "\n"
        ).encode("utf-8")
    raise RenderError(f"不支持的输出格式“{fmt}”，可选：{'、'.join(FORMATS)}")


__all__ = [
    "FORMATS",
    "BlockedByFindings",
    "Rendered",
    "ReportView",
    "build_view",
    "check",
    "printed_report",
    "render",
    "render_bytes",
    "render_report",
]
