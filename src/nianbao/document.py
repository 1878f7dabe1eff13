"""The intermediate document every reader produces and extraction consumes.

A :class:`Document` is an ordered list of blocks: paragraphs, and tables as grids of cells with
row and column spans.  Every block and cell carries a :class:`Location` saying where in the
source it came from, so a finding can point at it.  Extraction never knows the file type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema

# Where a document came from; docs/kinds.md is generated from DOCUMENT_KINDS.
DocumentKind = Literal["text", "html", "docx", "legacy", "odt", "xlsx", "ofd", "pdf", "ocr", "render"]
DOCUMENT_KINDS: dict[DocumentKind, str] = {
    "text": "a plain-text or Markdown file (also a web page saved as text)",
    "html": "a web page",
    "docx": "a Word document (.docx)",
    "legacy": "a Word 97–2003 (.doc) or WPS file, converted to DOCX by LibreOffice",
    "odt": "an OpenDocument text (.odt), converted to DOCX by LibreOffice",
    "xlsx": "an Excel workbook (.xlsx): nianbao's own output or the three tables filled in Excel",
    "ofd": "an OFD document (GB/T 33190), read from its text layer",
    "pdf": "a PDF with a text layer (pages without one are OCR'd in place)",
    "ocr": "a scan: an image, or a PDF whose every page was recognised by OCR",
    "render": "a report as nianbao prints it: checked before it is written, or an output read back",
}


@dataclass(slots=True)  # not frozen: a frozen init costs more than the parse of a cell
class Location:
    """Where a piece of text came from (treated as immutable).

    Text files use ``line``/``column`` (1-based); PDF and scans ``page`` and ``bbox``
    (x0, top, x1, bottom in points); DOCX and HTML ``table``/``row``/``col`` (0-based) and,
    for paragraphs, ``paragraph``.
    """

    line: int | None = None
    column: int | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    paragraph: int | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self.__slots__:
            value = getattr(self, name)
            if value is not None:
                out[name] = list(value) if isinstance(value, tuple) else value
        return out

    def describe(self) -> str:
        """Short Chinese description for messages: 第12行, 第3页, 第2个表格第2行第3列.  Where the
        report is at hand, :class:`nianbao.places.Places` names a table's place by 表二/表三/表四
        and the row's label instead."""
        if self.line is not None:
            return f"第{self.line}行"
        parts = []
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.table is not None and self.row is not None:
            parts.append(f"第{self.table + 1}个表格第{self.row + 1}行第{(self.col or 0) + 1}列")
        elif self.paragraph is not None:
            parts.append(f"第{self.paragraph + 1}段")
        return "".join(parts)

    # In JSON (the report contract, findings) a location is its plain object, :meth:`as_dict`.
    # pydantic calls these hooks when it builds a schema; a parse never imports pydantic.

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(
            _location_of,
            serialization=core_schema.plain_serializer_function_ser_schema(
                cls.as_dict, return_schema=core_schema.dict_schema()
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {
            "type": "object",
            "description": "line/column (text); page/bbox (PDF, scans); table/row/col or paragraph (DOCX, HTML)",
            "properties": {
                name: {"type": "integer"} for name in ("line", "column", "page", "table", "row", "col", "paragraph")
            }
            | {"bbox": {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4}},
            "additionalProperties": False,
        }


def _location_of(value: Any) -> Location:
    """A location given as itself or as its plain object (integers; a bbox of four numbers)."""
    if isinstance(value, Location):
        return value
    if isinstance(value, dict) and set(value) <= _LOCATION_FIELDS:
        fields: dict[str, Any] = dict(value)
        bbox = fields.get("bbox")
        if bbox is not None:
            if not (isinstance(bbox, (list, tuple)) and len(bbox) == 4 and all(map(_is_number, bbox))):
                raise ValueError("不是有效的位置（bbox 应为4个数）")
            fields["bbox"] = tuple(bbox)
        if all(_is_integer(v) for k, v in fields.items() if k != "bbox" and v is not None):
            return Location(**fields)
    raise ValueError("不是有效的位置")


_LOCATION_FIELDS = frozenset(Location.__slots__)


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@dataclass(slots=True)
class Paragraph:
    """A paragraph of running text, with where it was read."""

    text: str
    location: Location
    style: str | None = None  # e.g. a DOCX heading style, when the source has one
    confidence: float | None = None  # OCR: the recogniser's score (0–1); None when read from text


@dataclass(slots=True)
class Cell:
    """A table cell: its text, its grid position and spans, and where it was read."""

    text: str
    row: int
    col: int
    location: Location
    rowspan: int = 1
    colspan: int = 1
    confidence: float | None = None  # OCR: the lowest score of the text in the cell (0–1)


@dataclass(slots=True)
class Table:
    """A table as the reader found it: its cells on a grid."""

    cells: list[Cell]
    location: Location
    # True when column positions are trustworthy (a real grid with spans, as in DOCX or HTML);
    # False for grids rebuilt from flattened text, where empty cells may have been dropped.
    grid_reliable: bool = False
    # True when the cells are listed by row, then column, as extraction reads them (the text
    # reader builds them so); otherwise they are sorted when read
    in_order: bool = False

    @property
    def n_rows(self) -> int:
        return max((cell.row + cell.rowspan for cell in self.cells), default=0)

    @property
    def n_cols(self) -> int:
        return max((cell.col + cell.colspan for cell in self.cells), default=0)

    def rows(self) -> list[list[Cell]]:
        """Cells grouped by the row they start in, each row ordered by column."""
        out: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for cell in self.cells:
            out[cell.row].append(cell)
        for row in out:
            row.sort(key=lambda cell: cell.col)
        return out


Block = Paragraph | Table


@dataclass(slots=True)
class Document:
    """What a reader makes of a file: its paragraphs and tables in order, and what the reader noticed."""

    blocks: list[Block]
    source: str  # file name as given
    kind: DocumentKind
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)  # what the reader noticed (e.g. a layout)
    bounds: list[str] = field(default_factory=list)  # bounds on the reader's work that were hit (findings)

    def paragraphs(self) -> list[Paragraph]:
        return [block for block in self.blocks if isinstance(block, Paragraph)]

    def tables(self) -> list[Table]:
        return [block for block in self.blocks if isinstance(block, Table)]
