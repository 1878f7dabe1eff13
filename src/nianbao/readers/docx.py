"""Word (DOCX) files to a :class:`Document`.

python-docx opens the package; the body is then walked in XML order (paragraphs, tables,
content controls), because python-docx's ``Row.cells`` repeats a merged cell at every grid
position it covers.  The grid is rebuilt from ``w:gridBefore``, ``w:gridSpan`` (horizontal),
``w:vMerge`` (vertical: ``restart`` then continuation cells) and the legacy ``w:hMerge``, so
each merged cell appears once at its top-left position with its spans.

Paragraph text follows what Word shows: tracked insertions are kept, deletions, hidden runs,
field codes, text boxes and drawings are left out; tabs and line breaks are kept.  Nested
tables are handled as in the HTML reader: a layout table (a cell holding more than
:data:`LAYOUT_CELL_CHARS` characters, or nested tables larger than itself) is read as running
text, otherwise the inner table follows the outer one as a table of its own.

Before opening, the ZIP directory is checked against ZIP bombs (total size and compression
ratio), so a small file cannot make us inflate gigabytes.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

import lxml.etree

from ..document import Block, Cell, Document, Location, Paragraph, Table
from ..errors import InputError

LAYOUT_CELL_CHARS = 300  # as in the HTML reader: a longer cell holds running text
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # all members together
MAX_MEMBERS = 10_000
MAX_RATIO = 200  # deflate reaches ~1000:1 on zeros; Word XML stays far below 100:1
_RATIO_FLOOR = 1024 * 1024  # small members may compress as well as they like

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_STRICT_W = "{http://purl.oclc.org/ooxml/wordprocessingml/main}"
_STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _TBL, _TR, _TC, _T = _W + "p", _W + "tbl", _W + "tr", _W + "tc", _W + "t"
_SDT, _SDT_CONTENT, _CUSTOM_XML, _ALT_CHUNK = _W + "sdt", _W + "sdtContent", _W + "customXml", _W + "altChunk"
_R, _RPR, _PPR, _TCPR, _TRPR = _W + "r", _W + "rPr", _W + "pPr", _W + "tcPr", _W + "trPr"
_PSTYLE, _VANISH, _GRID_BEFORE = _W + "pStyle", _W + "vanish", _W + "gridBefore"
_GRID_SPAN, _VMERGE, _HMERGE = _W + "gridSpan", _W + "vMerge", _W + "hMerge"
_VAL, _TYPE = _W + "val", _W + "type"
_BREAKS = frozenset({_W + "br", _W + "cr"})
_NO_BREAK_HYPHEN = _W + "noBreakHyphen"
_TEXT_TAGS = (_T, _W + "tab", _W + "ptab", _W + "br", _W + "cr", _NO_BREAK_HYPHEN)
# Where Word keeps text it does not show in the body (or shows elsewhere: text boxes, drawings).
# Deleted text is w:delText, never w:t, so w:del needs no entry.
_SKIP = (
    _W + "moveFrom", _W + "drawing", _W + "pict", _W + "object", _W + "txbxContent", _MC + "Fallback",
)  # fmt: skip
_RESTART, _CONTINUE = "restart", "continue"
_BLOCK_TAGS = frozenset({_P, _TBL, _ALT_CHUNK})
_ROW_TAGS = frozenset({_TR})
_CELL_TAGS = frozenset({_TC})
# what may stand before a properties element: w:tblPrEx before w:trPr, nothing else matters
_BEFORE_PROPERTIES = frozenset({_W + "tblPrEx"})
_OFF = frozenset({"0", "false", "off"})
_STYLE_ALIASES = {f"heading {n}": f"Heading {n}" for n in range(1, 10)} | {"caption": "Caption", "title": "Title"}


def read_docx(data: bytes, source: str) -> Document:
    _check_zip(data, source)
    body, styles = _open(data, source)
    walker = _Walker(styles, body)
    items = walker.content(body)
    return Document(blocks=_blocks(items), source=source, kind="docx", notes=walker.notes)


# ---------------------------------------------------------------------------- opening


def _check_zip(data: bytes, source: str) -> None:
    """Refuse damaged archives and ZIP bombs before anything is inflated."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise InputError("Word（DOCX）文件已损坏，无法打开（ZIP 结构不完整）", source=source) from None
    if len(members) > MAX_MEMBERS:
        raise InputError(f"文件可能是压缩炸弹（包含 {len(members)} 个部件），拒绝读取", source=source)
    total = sum(member.file_size for member in members)
    compressed = sum(member.compress_size for member in members)
    worst = max(
        (member.file_size / max(member.compress_size, 1) for member in members if member.file_size > _RATIO_FLOOR),
        default=0.0,
    )
    if total > MAX_UNCOMPRESSED or worst > MAX_RATIO:
        raise InputError(
            f"文件可能是压缩炸弹（{compressed / 1024 / 1024:.1f} MB 解压后为 {total / 1024 / 1024:.0f} MB，"
            f"压缩比 {worst:.0f}:1），拒绝读取",
            source=source,
        )


def _open(data: bytes, source: str) -> tuple[Any, dict[str, str]]:
    """The ``w:body`` element and the paragraph style names by style id.

    python-docx's package reader resolves the parts (content types, relationships, the main
    document part of .docx, .docm and .dotx alike); the XML is parsed by plain lxml, because
    python-docx's own element classes make walking a large table several times slower.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.exceptions import PackageNotFoundError
    from docx.opc.pkgreader import PackageReader

    try:
        package = PackageReader.from_file(io.BytesIO(data))  # type: ignore[no-untyped-call]
        blobs = {str(partname): blob for partname, _type, _reltype, blob in package.iter_sparts()}
        main = styles = None
        for source_uri, rel in package.iter_srels():
            if rel.is_external:
                continue
            if str(source_uri) == "/" and rel.reltype in (RT.OFFICE_DOCUMENT, _STRICT_OFFICE_DOCUMENT):
                main = str(rel.target_partname)
        if main is not None:
            styles = next(
                (
                    str(rel.target_partname)
                    for source_uri, rel in package.iter_srels()
                    if str(source_uri) == main and not rel.is_external and rel.reltype == RT.STYLES
                ),
                None,
            )
        if main is None or main not in blobs:
            raise KeyError(main)
        root = lxml.etree.fromstring(blobs[main], _xml_parser())
        styles_root = lxml.etree.fromstring(blobs[styles], _xml_parser()) if styles in blobs else None
    except (KeyError, PackageNotFoundError):
        raise InputError("Word（DOCX）文件缺少必需的部件（如 word/document.xml），无法读取", source=source) from None
    except lxml.etree.XMLSyntaxError:
        raise InputError("Word（DOCX）文件中的 XML 已损坏，无法读取", source=source) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, TypeError, AttributeError, IndexError):
        # damaged members, or relationships python-docx cannot follow
        raise InputError("Word（DOCX）文件已损坏或不完整，无法读取", source=source) from None
    if isinstance(root.tag, str) and root.tag.startswith(_STRICT_W):
        raise InputError("该 Word 文件是“严格 Open XML”格式，请在 Word 中另存为普通 .docx 后重试", source=source)
    body = root.find(_W + "body")
    if body is None:
        raise InputError("Word（DOCX）文件中没有正文部分，无法读取", source=source)
    return body, _style_names(styles_root)


def _xml_parser() -> Any:
    # no entity expansion and no network: the XML comes from an untrusted file
    return lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, collect_ids=False)


def _style_names(styles_root: Any) -> dict[str, str]:
    names: dict[str, str] = {}
    if styles_root is None:
        return names
    for style in styles_root.iterchildren(_W + "style"):
        style_id = style.get(_W + "styleId")
        name = style.find(_W + "name")
        if style_id and name is not None and name.get(_VAL):
            raw = name.get(_VAL)
            names[style_id] = _STYLE_ALIASES.get(raw.lower(), raw)
    return names


# ---------------------------------------------------------------------------- walking


@dataclass(slots=True)
class _Line:
    text: str
    style: str | None = None


@dataclass(slots=True)
class _CellDraft:
    lines: list[str]
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(slots=True)
class _Grid:
    cells: list[_CellDraft] = field(default_factory=list)


_Item = _Line | _Grid


class _Walker:
    def __init__(self, styles: dict[str, str], body: Any) -> None:
        self.styles = styles
        self.notes: list[str] = []
        self.excluded = _excluded(body)

    def content(self, container: Any, in_cell: bool = False) -> list[_Item]:
        """Paragraphs and tables of a body, a cell or a content control, in order."""
        items: list[_Item] = []
        for child in _children(container, _BLOCK_TAGS):
            tag = child.tag
            if tag == _P:
                text = self._text(child)
                if text:
                    style = None if in_cell else self._style(child)
                    if "\n" in text:
                        # a line break ends a paragraph, as <br> does in HTML; inside a cell
                        # the lines are joined again with line breaks
                        items.extend(_Line(line, style) for line in _lines(text))
                    else:
                        items.append(_Line(text, style))
            elif tag == _TBL:
                items.extend(self._table(child))
            else:
                self._note("文档中嵌入的外部内容（altChunk）未读取")
        return items

    def _text(self, paragraph: Any) -> str:
        excluded = self.excluded
        parts: list[str] = []
        for el in paragraph.iter(*_TEXT_TAGS):
            if excluded and el in excluded:
                continue
            tag = el.tag
            if tag == _T:
                if el.text:
                    parts.append(el.text)
            elif tag in _BREAKS:
                if el.get(_TYPE) in (None, "textWrapping"):
                    parts.append("\n")
            elif tag == _NO_BREAK_HYPHEN:
                parts.append("-")
            else:
                parts.append("\t")
        text = "".join(parts)
        return _normalise(text)

    def _style(self, paragraph: Any) -> str | None:
        ppr = _first(paragraph, _PPR)
        style = None if ppr is None else _first(ppr, _PSTYLE)
        if style is None:
            return None
        style_id = style.get(_VAL)
        return self.styles.get(style_id, style_id) if style_id else None

    def _note(self, note: str) -> None:
        if note not in self.notes:
            self.notes.append(note)

    def _table(self, tbl: Any) -> list[_Item]:
        grid = _Grid()
        nested: list[_Grid] = []
        contents: list[list[_Item]] = []
        last_at: dict[int, _CellDraft] = {}  # the latest cell starting at each column
        for r, tr in enumerate(_children(tbl, _ROW_TAGS)):
            trpr = _first(tr, _TRPR)
            col = 0 if trpr is None else _int(_prop(trpr, _GRID_BEFORE), 0)
            previous: _CellDraft | None = None
            for tc in _children(tr, _CELL_TAGS):
                span, vmerge, hmerge = _cell_props(_first(tc, _TCPR))
                items = self.content(tc, in_cell=True)
                contents.append(items)
                lines = []
                for item in items:
                    if isinstance(item, _Line):
                        lines.append(item.text)
                    else:
                        nested.append(item)
                above = last_at.get(col)
                if (
                    vmerge == _CONTINUE
                    and above is not None
                    and above.row + above.rowspan == r
                    and above.colspan == span
                ):
                    above.rowspan += 1
                    above.lines.extend(lines)  # Word keeps text typed into a continued cell
                    previous = above
                elif hmerge == _CONTINUE and previous is not None and previous.row == r:
                    previous.colspan += span
                    previous.lines.extend(lines)
                else:
                    previous = _CellDraft(lines, r, col, colspan=span)
                    grid.cells.append(previous)
                    last_at[col] = previous
                col += span
        longest = max((len(item.text) for items in contents for item in items if isinstance(item, _Line)), default=0)
        if longest > LAYOUT_CELL_CHARS or any(len(inner.cells) > len(grid.cells) for inner in nested):
            self._note("文档用表格排版，排版表格中的内容按正文读取")
            return [item for items in contents for item in items]
        if nested:
            self._note("表格单元格中嵌套的表格已在该表格之后单独读取")
        return [grid, *nested]


def _excluded(body: Any) -> set[Any]:
    """Text elements Word does not show in the body: moved-away or hidden runs, text boxes,
    drawings, fallbacks.  Usually empty, so the per-element test costs nothing.

    lxml returns the same proxy for a node while one is referenced, so membership works.
    """
    excluded: set[Any] = set()
    for container in body.iter(*_SKIP):
        excluded.update(container.iter(*_TEXT_TAGS))
    for vanish in body.iter(_VANISH):
        rpr = vanish.getparent()
        run = None if rpr is None else rpr.getparent()
        if run is not None and run.tag == _R and vanish.get(_VAL, "true").lower() not in _OFF:
            excluded.update(run.iter(*_TEXT_TAGS))
    return excluded


def _children(parent: Any, tags: frozenset[str]) -> list[Any]:
    """Children with the given tags, looking through content controls and custom XML."""
    found = []
    for child in parent:
        tag = child.tag
        if tag in tags:
            found.append(child)
        elif tag == _SDT:
            for content in child.iterchildren(_SDT_CONTENT):
                found.extend(_children(content, tags))
        elif tag == _CUSTOM_XML:
            found.extend(_children(child, tags))
    return found


def _first(element: Any, tag: str) -> Any:
    """The properties child (w:pPr, w:tcPr…), which the schema puts first; find() is slow."""
    for child in element:
        if child.tag == tag:
            return child
        if child.tag in _BEFORE_PROPERTIES:
            continue
        return None
    return None


def _cell_props(tcpr: Any) -> tuple[int, str | None, str | None]:
    """gridSpan, vMerge and hMerge of a cell in one pass over its properties."""
    span, vmerge, hmerge = 1, None, None
    if tcpr is None:
        return span, vmerge, hmerge
    for child in tcpr.iterchildren(_GRID_SPAN, _VMERGE, _HMERGE):
        tag = child.tag
        if tag == _GRID_SPAN:
            span = max(_int(child.get(_VAL), 1), 1)
        else:
            # a merge element without a value continues the merge
            merge = _RESTART if child.get(_VAL) == "restart" else _CONTINUE
            if tag == _VMERGE:
                vmerge = merge
            else:
                hmerge = merge
    return span, vmerge, hmerge


def _prop(props: Any, tag: str) -> str | None:
    element = next(props.iterchildren(tag), None)
    return None if element is None else element.get(_VAL)


def _int(value: str | None, default: int) -> int:
    if value is None:
        return default
    try:
        return min(max(int(value), 0), 1000)
    except ValueError:
        return default


def _normalise(text: str) -> str:
    """Lines of a paragraph stripped; a paragraph of only spaces is empty."""
    if "\n" in text:
        return "\n".join(line.strip() for line in text.split("\n")).strip()
    return text.strip()


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]


def _blocks(items: list[_Item]) -> list[Block]:
    blocks: list[Block] = []
    n_paragraphs = n_tables = 0
    for item in items:
        if isinstance(item, _Line):
            blocks.append(Paragraph(item.text, Location(paragraph=n_paragraphs), style=item.style))
            n_paragraphs += 1
            continue
        index = n_tables
        n_tables += 1
        cells = [
            Cell(
                "\n".join(draft.lines),
                draft.row,
                draft.col,
                Location(table=index, row=draft.row, col=draft.col),
                draft.rowspan,
                draft.colspan,
            )
            for draft in item.cells
        ]
        blocks.append(Table(cells, Location(table=index), grid_reliable=True))
    return blocks
