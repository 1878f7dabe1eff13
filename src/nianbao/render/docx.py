"""DOCX: the report in the national layout, from the Word template ``templates/report.docx``.

docxtpl renders the template with the :class:`~nianbao.render.view.ReportView`.  One tag is
added to docxtpl's own: ``{% cell c row %}`` in a table cell sets that cell's ``w:gridSpan`` and
``w:vMerge`` from the view's grid cell (docxtpl's ``{% colspan %}`` covers only the first, and
its ``{% vm %}`` merges whole loops) and lets the table's last row end the keep-with-next chain,
so the template draws every table with one row and one cell template.  How the template is made: ``templates/build_docx_template.py``.
"""

from __future__ import annotations

import io
import re
from functools import cache
from importlib import resources
from typing import Any, ClassVar

from docxtpl import DocxTemplate  # type: ignore[import-untyped]
from jinja2 import Environment, Template

from .view import ReportView

_CELL_TAG = re.compile(r"(<w:tc[ >](?:(?!<w:tc[ >]).)*?)\{%\s*cell\s+(\w+)\s+(\w+)\s*%\}(.*?</w:tc>)", re.DOTALL)
_TCPR = re.compile(r"<w:tcPr\s*/>|<w:tcPr>|<w:tcPr [^>]*[^/]>")
_PSTYLE = re.compile(r"(<w:pStyle [^>]*/>)")


def _cell_properties(match: re.Match[str]) -> str:
    """``{% cell c row %}``: the cell's span and vertical merge; its row's keep-with-next.

    Table paragraphs keep with the next one so that a table stays on one page; the last row
    must not, or the table's last row would be pulled onto the next heading's page.
    """
    before, cell_name, row_name, after = match.groups()
    props = (
        f'<w:gridSpan w:val="{{{{ {cell_name}.colspan }}}}"/>'
        f'{{% if {cell_name}.vmerge %}}<w:vMerge w:val="{{{{ {cell_name}.vmerge }}}}"/>{{% endif %}}'
    )
    cell = _PSTYLE.sub(rf'\1{{% if {row_name}.last %}}<w:keepNext w:val="0"/>{{% endif %}}', before + after)
    found = _TCPR.search(cell)
    if found is None:  # no properties yet: add them right after <w:tc>
        start = cell.index(">") + 1
        return f"{cell[:start]}<w:tcPr>{props}</w:tcPr>{cell[start:]}"
    if found.group(0).endswith("/>"):
        return f"{cell[: found.start()]}<w:tcPr>{props}</w:tcPr>{cell[found.end() :]}"
    # gridSpan and vMerge come first in w:tcPr once w:tcW is gone (the template has none)
    return cell[: found.end()] + props + cell[found.end() :]


class _Template(DocxTemplate):  # type: ignore[misc]
    # The template's parts are the same for every report: patch and compile each part once.
    _patched: ClassVar[dict[str, str]] = {}

    def patch_xml(self, src_xml: str) -> str:
        patched = self._patched.get(src_xml)
        if patched is None:
            patched = _CELL_TAG.sub(_cell_properties, super().patch_xml(src_xml))
            if len(self._patched) < 64:
                self._patched[src_xml] = patched
        return patched


class _Environment(Environment):
    """Jinja compiles docxtpl's XML afresh on every render; keep the compiled parts instead."""

    def __init__(self) -> None:
        super().__init__(autoescape=True)
        self._compiled: dict[str, Template] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Template:
        if not isinstance(source, str) or globals is not None or template_class is not None:
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            compiled = super().from_string(source)
            if len(self._compiled) < 64:
                self._compiled[source] = compiled
        return compiled


@cache
def _template_bytes() -> bytes:
    return resources.files("nianbao.render").joinpath("templates/report.docx").read_bytes()


_ENV = _Environment()


def render_docx(view: ReportView) -> bytes:
    template = _Template(io.BytesIO(_template_bytes()))
    template.render(_context(view), jinja_env=_ENV)
    properties = template.docx.core_properties
    properties.title = view.title
    properties.subject = "政府信息公开工作年度报告"
    properties.author = view.agency or ""
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def _context(view: ReportView) -> dict[str, Any]:
    return {
        "title_lines": view.title_lines,
        "preamble": view.preamble,
        "sections": view.sections,
        "agency": view.agency,
        "date": view.date,
    }
