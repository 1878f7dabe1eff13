"""Borderless tables: runs of text lines cut into columns by wide gaps.

Rows are anchored on the lines that carry the values; a wrapped label line between them is
attached to the nearest row.
"""

from __future__ import annotations

import bisect
import itertools
import statistics

from .content import Fragment, lowest_score, round_box
from .geometry import TOLERANCES, Tolerances
from .lines import TextLine, lines_text
from .page import PageItem, PageTable, PageTableCell


def find_borderless(items: list[PageItem], page: int, tol: Tolerances = TOLERANCES) -> list[PageItem]:
    """Runs of lines cut into columns by wide gaps become tables (rows anchored on value lines)."""
    out: list[PageItem] = []
    i = 0
    while i < len(items):
        run = _columnar_run(items, i, tol)
        if sum(1 for line in run if _is_columnar(line, tol)) >= tol.min_borderless_rows:
            table = _borderless_table(run, page, tol)
            if table is not None:
                out.append(table)
                i += len(run)
                continue
        out.append(items[i])
        i += 1
    return out


def _columnar_run(items: list[PageItem], start: int, tol: Tolerances) -> list[TextLine]:
    """Columnar lines from ``start`` on, with single lines between them (wrapped labels)."""
    run: list[TextLine] = []
    j = start
    while j < len(items):
        line = items[j]
        if not isinstance(line, TextLine):
            break
        following = items[j + 1] if j + 1 < len(items) else None
        if not (_is_columnar(line, tol) or (run and isinstance(following, TextLine) and _is_columnar(following, tol))):
            break
        run.append(line)
        j += 1
    return run


def _is_columnar(line: TextLine, tol: Tolerances) -> bool:
    return len(line.segments(tol.column_gap * line.em)) >= 2


def _borderless_table(run: list[TextLine], page: int, tol: Tolerances) -> PageTable | None:
    em = statistics.median(line.em for line in run)
    cut = [(line, line.segments(tol.column_gap * line.em)) for line in run]
    columns = _template_columns([segs for _, segs in cut])
    if columns is None:
        return None
    xs = [columns[0][0]] + [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(columns)] + [columns[-1][1]]

    def column_at(x: float) -> int:
        return min(max(bisect.bisect_right(xs, x) - 1, 0), len(columns) - 1)

    value_lines = [k for k, (_, segs) in enumerate(cut) if len(segs) >= 2]
    rows: dict[int, dict[int, list[Fragment]]] = {k: {} for k in value_lines}
    label_right = columns[0][1] + em
    overlap = tol.column_overlap * em
    for k, (line, segs) in enumerate(cut):
        if len(segs) >= 2:
            for seg in segs:
                overlapped = [
                    c for c, (x0, x1) in enumerate(columns) if min(x1, seg[-1].x1) - max(x0, seg[0].x0) > overlap
                ]
                if len(overlapped) == 1:
                    rows[k].setdefault(overlapped[0], []).extend(seg)
                else:  # glued across a column gap (an OCR box): each piece to the column under it
                    for frag in seg:
                        rows[k].setdefault(column_at(frag.cx), []).append(frag)
            continue
        # a wrapped label line belongs to the nearest value line, if it sits in the label column
        if line.x1 > label_right:
            return None
        nearest = min(value_lines, key=lambda v: (abs(cut[v][0].top - line.top), v > k))
        rows[nearest].setdefault(0, []).extend(segs[0])
    cells: list[PageTableCell] = []
    for r, k in enumerate(value_lines):
        for col, frags in sorted(rows[k].items()):
            frags.sort(key=lambda f: (f.top, f.x0))
            box = (
                min(f.x0 for f in frags),
                min(f.top for f in frags),
                max(f.x1 for f in frags),
                max(f.bottom for f in frags),
            )
            text = lines_text(frags, page, tol)
            cells.append(PageTableCell(text, r, col, 1, 1, page, round_box(box), lowest_score(frags)))
    top = min(line.top for line in run)
    bottom = max(line.bottom for line in run)
    return PageTable(cells, len(value_lines), xs, page, round_box((xs[0], top, xs[-1], bottom)), ruled=False)


def _template_columns(lines: list[list[list[Fragment]]]) -> list[tuple[float, float]] | None:
    """Column extents from the lines cut into the most segments (a full row of the table)."""
    most = max(len(segs) for segs in lines)
    if most < 2:
        return None
    full = [segs for segs in lines if len(segs) == most]
    columns = [(min(segs[c][0].x0 for segs in full), max(f.x1 for segs in full for f in segs[c])) for c in range(most)]
    if any(a[1] >= b[0] for a, b in itertools.pairwise(columns)):
        return None  # the full rows disagree about the columns
    return columns
