"""Ruled tables: ruling lines merged, grouped by touching, and turned into a lattice of cells.

Only visible rules count; a missing rule between two elementary cells merges them (row and
column spans), and the region's own outline closes borders the producer never drew.
"""

from __future__ import annotations

import bisect
import statistics
from dataclasses import dataclass

from .content import Box, Edge
from .geometry import TOLERANCES, Tolerances


class DisjointSets:
    """Union-find over ``0..n-1`` with path halving."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        self.parent[self.find(i)] = self.find(j)

    def groups(self) -> dict[int, list[int]]:
        """Members of each set, by root, in increasing order of member."""
        out: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            out.setdefault(self.find(i), []).append(i)
        return out


def merge_edges(edges: list[Edge], tol: Tolerances = TOLERANCES) -> list[Edge]:
    """Snap nearly collinear rules together and join the pieces of one rule."""
    out: list[Edge] = []
    for orientation in ("h", "v"):
        group = sorted((e for e in edges if e.orientation == orientation), key=lambda e: e.pos)
        clusters: list[list[Edge]] = []
        for edge in group:
            if clusters and edge.pos - clusters[-1][-1].pos <= tol.snap:
                clusters[-1].append(edge)
            else:
                clusters.append([edge])
        for cluster in clusters:
            pos = statistics.fmean(e.pos for e in cluster)
            pieces = sorted(cluster, key=lambda e: e.start)
            start, end = pieces[0].start, pieces[0].end
            for piece in pieces[1:]:
                if piece.start <= end + tol.join:
                    end = max(end, piece.end)
                else:
                    out.append(Edge(orientation, pos, start, end))
                    start, end = piece.start, piece.end
            out.append(Edge(orientation, pos, start, end))
    return out


@dataclass
class LatticeCell:
    """A (merged) cell of a ruled table: its top-left grid position, spans and box."""

    row: int
    col: int
    rowspan: int
    colspan: int
    bbox: Box


@dataclass
class Lattice:
    """A ruled table: grid line positions and the (merged) cells they make."""

    xs: list[float]
    ys: list[float]
    cells: list[LatticeCell]
    owner: list[list[int]]  # elementary (row, col) → index of its cell

    @property
    def bbox(self) -> Box:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    def contains(self, x: float, y: float) -> bool:
        return self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]

    def cell_at(self, x: float, y: float) -> int:
        row = min(max(bisect.bisect_right(self.ys, y) - 1, 0), len(self.ys) - 2)
        col = min(max(bisect.bisect_right(self.xs, x) - 1, 0), len(self.xs) - 2)
        return self.owner[row][col]


def find_lattices(edges: list[Edge], tol: Tolerances = TOLERANCES) -> list[Lattice]:
    """Ruled tables: groups of touching rules with at least two rows or columns of cells."""
    merged = [e for e in merge_edges(edges, tol) if e.end - e.start >= tol.min_edge]
    lattices = []
    for component in _touching_groups(merged, tol):
        lattice = _lattice(component, tol)
        if lattice is not None:
            lattices.append(lattice)
    return lattices


def edge_inside(edge: Edge, box: Box, tol: Tolerances = TOLERANCES) -> bool:
    """The rule lies within the box (give or take ``snap``)."""
    x0, y0, x1, y1 = box
    snap = tol.snap
    if edge.orientation == "h":
        return y0 - snap <= edge.pos <= y1 + snap and edge.start >= x0 - snap and edge.end <= x1 + snap
    return x0 - snap <= edge.pos <= x1 + snap and edge.start >= y0 - snap and edge.end <= y1 + snap


def _touching_groups(edges: list[Edge], tol: Tolerances) -> list[list[Edge]]:
    sets = DisjointSets(len(edges))
    hs = [i for i, e in enumerate(edges) if e.orientation == "h"]
    vs = [i for i, e in enumerate(edges) if e.orientation == "v"]
    for i in hs:
        for j in vs:
            if tol.touches(edges[i], edges[j]):
                sets.union(i, j)
    groups = [[edges[i] for i in members] for members in sets.groups().values()]
    return [
        g for g in groups if sum(e.orientation == "h" for e in g) >= 2 and sum(e.orientation == "v" for e in g) >= 2
    ]


def _cluster(values: list[float], tolerance: float) -> list[float]:
    values = sorted(values)
    clusters: list[list[float]] = []
    for value in values:
        if clusters and value - clusters[-1][-1] <= tolerance:
            clusters[-1].append(value)
        else:
            clusters.append([value])
    return [statistics.fmean(c) for c in clusters]


def _lattice(edges: list[Edge], tol: Tolerances) -> Lattice | None:
    hs = [e for e in edges if e.orientation == "h"]
    vs = [e for e in edges if e.orientation == "v"]
    x_min = min(min(e.start for e in hs), min(e.pos for e in vs))
    x_max = max(max(e.end for e in hs), max(e.pos for e in vs))
    y_min = min(min(e.start for e in vs), min(e.pos for e in hs))
    y_max = max(max(e.end for e in vs), max(e.pos for e in hs))
    # the region's outline closes the grid even where a border was not drawn
    xs = _cluster([e.pos for e in vs] + [x_min, x_max], tol.snap)
    ys = _cluster([e.pos for e in hs] + [y_min, y_max], tol.snap)
    xs[0], xs[-1], ys[0], ys[-1] = x_min, x_max, y_min, y_max
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_rows < 1 or n_cols < 1:
        return None

    def covered(rules: list[Edge], pos: float, lo: float, hi: float) -> bool:
        total = 0.0
        for rule in rules:
            if abs(rule.pos - pos) <= tol.snap:
                total += max(0.0, min(rule.end, hi) - max(rule.start, lo))
        return total >= tol.rule_cover * (hi - lo)

    sets = DisjointSets(n_rows * n_cols)
    for r in range(n_rows):
        for c in range(1, n_cols):
            if not covered(vs, xs[c], ys[r], ys[r + 1]):
                sets.union(r * n_cols + c, r * n_cols + c - 1)
    for r in range(1, n_rows):
        for c in range(n_cols):
            if not covered(hs, ys[r], xs[c], xs[c + 1]):
                sets.union(r * n_cols + c, (r - 1) * n_cols + c)

    spans: list[tuple[int, int, int, int]] = []
    for group in sets.groups().values():
        members = [divmod(i, n_cols) for i in group]
        r0 = min(r for r, _ in members)
        r1 = max(r for r, _ in members)
        c0 = min(c for _, c in members)
        c1 = max(c for _, c in members)
        if len(members) == (r1 - r0 + 1) * (c1 - c0 + 1):
            spans.append((r0, c0, r1 - r0 + 1, c1 - c0 + 1))
        else:  # not a rectangle (a rule is broken): keep the elementary cells apart
            spans.extend((r, c, 1, 1) for r, c in members)
    spans.sort()

    # drop grid lines that start no cell (a rule that only crosses a merged cell's inside)
    row_starts = sorted({s[0] for s in spans} | {n_rows})
    col_starts = sorted({s[1] for s in spans} | {n_cols})
    row_index = {r: i for i, r in enumerate(row_starts)}
    col_index = {c: i for i, c in enumerate(col_starts)}
    new_ys = [ys[r] for r in row_starts]
    new_xs = [xs[c] for c in col_starts]
    owner = [[-1] * (len(new_xs) - 1) for _ in range(len(new_ys) - 1)]
    cells: list[LatticeCell] = []
    for r0, c0, rs, cs in spans:
        row, col = row_index[r0], col_index[c0]
        rowspan = row_index[r0 + rs] - row if r0 + rs in row_index else len(new_ys) - 1 - row
        colspan = col_index[c0 + cs] - col if c0 + cs in col_index else len(new_xs) - 1 - col
        if rowspan < 1 or colspan < 1 or owner[row][col] != -1:
            continue
        index = len(cells)
        box = (new_xs[col], new_ys[row], new_xs[col + colspan], new_ys[row + rowspan])
        cells.append(LatticeCell(row, col, rowspan, colspan, box))
        for rr in range(row, row + rowspan):
            for cc in range(col, col + colspan):
                if owner[rr][cc] == -1:
                    owner[rr][cc] = index
    if any(o == -1 for row_owner in owner for o in row_owner):
        return None
    return Lattice(new_xs, new_ys, cells, owner)
