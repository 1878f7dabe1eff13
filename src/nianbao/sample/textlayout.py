"""A report as plain text, laid out as text copied from a web page or a Word file.

Paragraphs are one line each; each table cell stands on its own line after one tab, merged
cells once, and a blank line ends a table row — the "cell lines" layout nianbao's text reader
reads (and the one the seed reports use).  It draws the renderers' :class:`ReportView`, so the
text says exactly what the DOCX, HTML and PDF of the same report say.
"""

from __future__ import annotations

from ..render.view import ReportView


def render_text(view: ReportView) -> str:
    lines = [*view.title_lines, ""]
    lines += [para.text for para in view.preamble]
    for section in view.sections:
        lines.append(section.heading)
        lines += [para.text for para in section.paragraphs]
        if section.table is not None:
            for row in section.table.rows:
                lines += ["\t" + cell.text for cell in row.cells if not cell.covered]
                lines.append("")
            lines.append("")
    lines += [line for line in (view.agency, view.date) if line]
    return "\n".join(lines) + "\n"
