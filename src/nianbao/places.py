"""Where a finding points, said as a reader looks for it: 表三“（一）予以公开”行，第3页.

A :class:`~nianbao.document.Location` knows only where in the file a text was (a line, a page
and box, a table and row of the document: “表格3第7行” means nothing to someone holding the
printed report).  The report knows which of its tables and rows each place belongs to, through
the locations of its cells and row labels, so a place is named by the table (表二/表三/表四), the
row's label from the format and, where the file has pages, the page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .document import Location
from .formats import TABLE_TITLES, get_format
from .model import Finding, Report

SHOWN = 3  # places a finding shows; the rest are counted


@dataclass(frozen=True)
class _Row:
    """Where one table row's label is printed."""

    table: str
    row: str
    location: Location


class Places:
    """Names places in one report (built once per report: it indexes the cells' locations)."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.spec = get_format(report.format_version)
        self._rows: list[_Row] = []
        for cell_id, cell in report.iter_cells():
            if cell.location is not None:
                table, row, _col = cell_id.split(".")
                self._rows.append(_Row(table, row, cell.location))
        for row_id, location in report.row_labels.items():
            table, row = row_id.split(".", 1)
            self._rows.append(_Row(table, row, location))

    def cell(self, cell_id: str) -> str:
        """表三“一、本年新收”行，第3页 (the page or line where the file has one)."""
        table, row, _col = cell_id.split(".")
        cell = self.report.cell(cell_id)
        return _joined(self.spec.row_place(table, row), _position(cell.location if cell else None))

    def location(self, location: Location) -> str:
        """A place that is not a cell (a row label, a heading, a sentence): its table and row
        when the report's cells show which they are, else where it is in the file."""
        rows = {(found.table, found.row) for found in self._rows if _same_row(found.location, location)}
        if len(rows) == 1:
            table, row = rows.pop()
            return _joined(self.spec.row_place(table, row), _position(location))
        tables = {found.table for found in self._rows if _same_table(found.location, location)}
        if len(tables) == 1:
            return _joined(TABLE_TITLES[tables.pop()], _position(location))
        return _position(location) or location.describe()

    def of_finding(self, finding: Finding) -> list[str]:
        """Every place a finding points at, each once: its cells' rows, then its other locations."""
        return list(dict.fromkeys(self._each(finding)))

    def _each(self, finding: Finding) -> Iterator[str]:
        own: list[Location] = []  # Location is not hashable (mutable, for speed)
        for cell_id in finding.cells:
            cell = self.report.cell(cell_id)
            if cell is not None and cell.location is not None:
                own.append(cell.location)
            yield self.cell(cell_id)
        for location in finding.locations:
            if location not in own:
                yield self.location(location)


def shown(places: list[str]) -> str:
    """The first places, and how many more: 表三“一、本年新收”行；表三“二、上年结转”行等5处."""
    more = f"等{len(places)}处" if len(places) > SHOWN else ""
    return "；".join(places[:SHOWN]) + more


def _joined(where: str, position: str) -> str:
    return f"{where}，{position}" if position else where


def _position(location: Location | None) -> str:
    """Where in the file, as a reader can find it: the page of a PDF or scan, the line of a
    text file, the paragraph of a Word or web document (a table's row and column in the
    document are not said: the table and row label say it better)."""
    if location is None:
        return ""
    if location.page is not None:
        return f"第{location.page}页"
    if location.line is not None:
        return f"第{location.line}行"
    if location.paragraph is not None:
        return f"第{location.paragraph + 1}段"
    return ""


def _same_row(a: Location, b: Location) -> bool:
    if a.table is not None and b.table is not None:
        return a.table == b.table and a.row is not None and a.row == b.row
    if a.line is not None and b.line is not None:
        return a.line == b.line
    if a.page is not None and a.page == b.page and a.bbox is not None and b.bbox is not None:
        middle = (b.bbox[1] + b.bbox[3]) / 2
        return a.bbox[1] <= middle <= a.bbox[3]
    return False


def _same_table(a: Location, b: Location) -> bool:
    """Whether ``b`` is in the document table ``a`` (a cell's location) belongs to: the same
    table of a Word or web document; a PDF table is told by its page only when one table is
    on it (the caller asks that exactly one report table matches)."""
    if a.table is not None and b.table is not None:
        return a.table == b.table
    if a.page is not None and b.page is not None and a.bbox is not None and b.bbox is not None:
        return a.page == b.page
    return False
