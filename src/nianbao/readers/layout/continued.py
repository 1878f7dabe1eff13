"""A table that goes on at the top of the next page is continued as the same table: the repeated
header rows are dropped, cells spanning the page break are joined, and a row broken by the page
break becomes one row."""

from __future__ import annotations

import dataclasses

from ...formats.labels import parse_value
from .content import lower
from .geometry import TOLERANCES, Tolerances
from .lines import NUMBERED, compact
from .page import PageTable, PageTableCell


def continue_table(table: PageTable, part: PageTable, tol: Tolerances = TOLERANCES) -> bool:
    """Append ``part`` (the top of a page) to ``table`` (the end of the previous page) when its
    columns line up; False when it is a table of its own."""
    mapping = _column_map(table.xs, part.xs, tol)
    if mapping is None or table.ruled != part.ruled:
        return False
    cells = [
        dataclasses.replace(c, col=mapping[c.col], colspan=mapping[c.col + c.colspan] - mapping[c.col])
        for c in part.cells
    ]
    cells = _drop_repeated_header(table, cells)
    if not cells:
        return True
    cells, shift = _join_across_break(table, cells)
    for cell in cells:
        cell.row += table.n_rows - shift
    table.cells.extend(cells)
    table.n_rows = max(c.row + c.rowspan for c in table.cells)
    return True


def _column_map(xs: list[float], part_xs: list[float], tol: Tolerances) -> dict[int, int] | None:
    """Each column boundary of the part → the boundary of the table at the same x.

    Pages printed with mirrored margins shift the whole table sideways on every other page, so
    the part may also line up once moved by the shift of its left (or right) border.
    """
    for shift in (0.0, xs[0] - part_xs[0], xs[-1] - part_xs[-1]):
        mapping = _aligned(xs, [x + shift for x in part_xs], tol)
        if mapping is not None:
            return mapping
    return None


def _aligned(xs: list[float], part_xs: list[float], tol: Tolerances) -> dict[int, int] | None:
    mapping: dict[int, int] = {}
    for k, x in enumerate(part_xs):
        nearest = min(range(len(xs)), key=lambda j: abs(xs[j] - x))
        if abs(xs[nearest] - x) > tol.column_align:
            return None
        mapping[k] = nearest
    values = [mapping[k] for k in range(len(part_xs))]
    if values != sorted(set(values)) or values[0] != 0 or values[-1] != len(xs) - 1:
        return None
    return mapping


def _row_signature(cells: list[PageTableCell], row: int) -> tuple[tuple[int, int, str], ...]:
    return tuple(sorted((c.col, c.colspan, compact(c.text)) for c in cells if c.row == row))


def _drop_repeated_header(table: PageTable, cells: list[PageTableCell]) -> list[PageTableCell]:
    """Rows at the top of the part that repeat the table's first rows are a repeated header."""
    repeated = 0
    n_part_rows = max(c.row + c.rowspan for c in cells)
    while repeated < min(table.n_rows - 1, n_part_rows - 1):
        mine = _row_signature(cells, repeated)
        if not mine or not any(text for _, _, text in mine) or mine != _row_signature(table.cells, repeated):
            break
        repeated += 1
    if not repeated:
        return cells
    kept = [c for c in cells if c.row >= repeated]
    for cell in kept:
        cell.row -= repeated
    return kept


def _is_value(text: str) -> bool:
    return bool(text) and parse_value(text).kind == "value"


def _join_across_break(table: PageTable, cells: list[PageTableCell]) -> tuple[list[PageTableCell], int]:
    """Cells cut by the page break go on in the part's first row.

    * a cell spanning rows (a group label) reaching the bottom of the table, and a cell in the
      same columns at the top of the part that is empty or carries the rest of its text (no
      numbering of its own), are one cell;
    * a row broken by the page break (Word lets rows break across pages): the part's first row
      has the rest of the label and the value columns are filled on one side only.
    Returns the remaining cells and 1 when the part's first row became the table's last row.
    """
    bottom = table.n_rows
    ending = {(c.col, c.colspan): c for c in table.cells if c.row + c.rowspan == bottom}
    remaining: list[PageTableCell] = []
    extended: list[tuple[PageTableCell, int]] = []
    for cell in cells:
        above = ending.get((cell.col, cell.colspan)) if cell.row == 0 else None
        if (
            above is not None
            and (above.rowspan > 1 or cell.rowspan > 1)
            and not _is_value(above.text)
            and not _is_value(cell.text)
            and not (cell.text and NUMBERED.match(cell.text))
        ):
            extended.append((above, cell.rowspan))
            above.text = _joined(above.text, cell.text)
            above.confidence = lower(above.confidence, cell.confidence)
            continue
        remaining.append(cell)
    joined = _join_broken_row(table, remaining)
    shift = 1 if joined else 0
    for above, rows in extended:
        above.rowspan += rows - shift  # the part's first row may have become the table's last
    return [c for c in remaining if id(c) not in joined], shift


def _joined(first: str, rest: str) -> str:
    return f"{first}\n{rest}" if first and rest else first or rest


def _join_broken_row(table: PageTable, remaining: list[PageTableCell]) -> set[int]:
    """Join the part's first row into the table's last row when it is the rest of that row;
    returns the ids of the part's cells that were joined (none when it is a row of its own)."""
    last_row = [c for c in table.cells if c.row == table.n_rows - 1 and c.rowspan == 1]
    by_extent = {(c.col, c.colspan): c for c in remaining if c.row == 0}
    if not last_row or not by_extent or any((c.col, c.colspan) not in by_extent for c in last_row):
        return set()
    pairs = [(c, by_extent[(c.col, c.colspan)]) for c in last_row]
    values_above = any(_is_value(a.text) for a, _ in pairs)
    values_below = any(_is_value(b.text) for _, b in pairs)
    if (
        values_above == values_below  # a complete row on each side, or no data row at all
        or any(_is_value(a.text) and b.text for a, b in pairs)
        or any(_is_value(b.text) and a.text for a, b in pairs)
        or not any(a.text and b.text for a, b in pairs)  # no text goes on
        or any(b.text and NUMBERED.match(b.text) for _, b in pairs)
    ):
        return set()
    for above, below in pairs:
        above.text = _joined(above.text, below.text)
        above.confidence = lower(above.confidence, below.confidence)
    return {id(below) for _, below in pairs}
