"""Markdown for quick reading: headings, paragraphs, and the tables as pipe tables.

Pipe tables cannot merge cells, so a merged cell's text stands in one of its positions and the
others are left empty, column for column as in the printed table (tables 3 and 4); a row label
spanning columns stands right before its numbers.
Table 2 is written block by block (the 条例 item as a line, then a small pipe table as wide as
the block's columns), which reads better than the printed grid's six value slots and leaves no
filler cell next to a value.  nianbao's text reader reads this file back.
"""

from __future__ import annotations

from .view import Grid, GridCell, ReportView


def render_markdown(view: ReportView) -> str:
    lines = [f"# {view.title}", ""]
    for para in view.preamble:
        lines += [para.text, ""]
    for section in view.sections:
        lines += [f"## {section.heading}", ""]
        for para in section.paragraphs:
            lines += [f"### {para.text}" if para.level == 2 else para.text, ""]
        if section.table is not None and section.table.key == "table2":
            lines += table2_blocks(section.table)
        elif section.table is not None:
            lines += [*pipe_table(section.table), ""]
    lines += [line for line in (view.agency, view.date) if line for line in (line, "")]
    return "\n".join(lines).rstrip("\n") + "\n"


def render_markdown_bytes(view: ReportView) -> bytes:
    return render_markdown(view).encode("utf-8")


def table2_blocks(grid: Grid) -> list[str]:
    """Table 2 block by block: the 条例 item as a line, then a pipe table as wide as its columns."""
    out: list[str] = []
    rows: list[list[str]] = []
    for row in grid.rows:
        if row.cells[0].kind == "anchor":
            if rows:
                out += [*_pipe_lines(rows), ""]
                rows = []
            out += [row.cells[0].text, ""]
        else:
            rows.append([cell.text for cell in row.cells])
    if rows:
        out += [*_pipe_lines(rows), ""]
    return out


def pipe_table(grid: Grid) -> list[str]:
    return _pipe_lines([_positions(row.cells, grid.n_cols) for row in grid.rows])


def _pipe_lines(rows: list[list[str]]) -> list[str]:
    out = [_pipe_row(rows[0]), "|" + "|".join(" --- " for _ in rows[0]) + "|"]
    out += [_pipe_row(row) for row in rows[1:]]
    return out


def _positions(cells: tuple[GridCell, ...], width: int) -> list[str]:
    """A row at its grid positions.  A row label spanning columns stands in the last of them,
    right before its numbers: an empty cell between a label and its numbers could be taken
    for a blank value."""
    out: list[str] = []
    for cell in cells:
        text = "" if cell.covered else cell.text
        if cell.kind == "label":
            out += [""] * (cell.colspan - 1) + [text]
        else:
            out += [text] + [""] * (cell.colspan - 1)
    if len(out) != width:
        raise ValueError(f"row of {len(out)} positions in a grid of {width}")
    return out


def _pipe_row(cells: list[str]) -> str:
    return "| " + " | ".join(_escape(text) for text in cells) + " |"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
