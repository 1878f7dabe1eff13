"""HTML: one self-contained page (styles inlined, nothing fetched), with a print stylesheet.

The same page is what WeasyPrint prints to PDF (:mod:`nianbao.render.pdf`), so the two cannot
differ.  Templates: ``templates/report.html`` and ``templates/report.css``.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from .view import ReportView


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("nianbao.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )


@cache
def _template() -> Template:
    return _environment().get_template("report.html")


@cache
def _css() -> str:
    loader = _environment().loader
    assert loader is not None
    source, _name, _uptodate = loader.get_source(_environment(), "report.css")
    return source


def render_html(view: ReportView) -> str:
    return _template().render(view=view, css=_css())


def render_html_bytes(view: ReportView) -> bytes:
    return render_html(view).encode("utf-8")
