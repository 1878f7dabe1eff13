"""Word (DOCX) files to a :class:`Document`.

python-docx opens the package; the body is then walked in XML order (paragraphs, tables,
content controls), because python-docx's ``Row.cells`` repeats a merged cell at every grid
position it covers.  The grid is rebuilt from ``w:gridBefore``, ``w:gridSpan`` (horizontal),
``w:vMerge`` (vertical: ``restart`` then continuation cells) and the legacy ``w:hMerge``, so
each merged cell appears once at its top-left position with its spans.

Paragraph text follows what Word shows: tracked insertions are kept, deletions, hidden runs,
field codes, text boxes and drawings are left out; tabs and line breaks are kept.  Nested
tables are handled as in the HTML reader: a layout table (a cell holding more than
:data:`~nianbao.readers.markup.LAYOUT_CELL_CHARS` characters, or nested tables larger than itself) is read as running
text, otherwise the inner table follows the outer one as a table of its own.

Before opening, the package is checked (:func:`~.package.check_package`: ZIP bombs, encrypted
members, unknown compression, a DOCTYPE in any XML part), so a small file cannot make us inflate
gigabytes or open a file it names; the parts are parsed by :func:`~.package.parse_xml`.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

import lxml.etree

from ..document import Document
from ..errors import InputError
from .markup import MarkupCell, MarkupItem, MarkupParagraph, MarkupTable, resolve_nesting, to_blocks
from .package import check_package, parse_xml

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
_NUMPR, _NUM_ID, _ILVL = _W + "numPr", _W + "numId", _W + "ilvl"
_NO_NUMBER = frozenset({"bullet", "none"})
_PLACEHOLDER = re.compile(r"%([1-9])")
_BLOCK_TAGS = frozenset({_P, _TBL, _ALT_CHUNK})
_ROW_TAGS = frozenset({_TR})
_CELL_TAGS = frozenset({_TC})
# what may stand before a properties element: w:tblPrEx before w:trPr, nothing else matters
_BEFORE_PROPERTIES = frozenset({_W + "tblPrEx"})
_OFF = frozenset({"0", "false", "off"})
_STYLE_ALIASES = {f"heading {n}": f"Heading {n}" for n in range(1, 10)} | {"caption": "Caption", "title": "Title"}


def read_docx(data: bytes, source: str) -> Document:
    check_package(data, source, "Word（DOCX）文件")
    body, styles_root, numbering_root, notes = _open(data, source)
    walker = _Walker(_style_names(styles_root), body, _Numbering.of(numbering_root, styles_root, body))
    items = walker.content(body)
    return Document(blocks=to_blocks(items), source=source, kind="docx", notes=notes + walker.notes)


# ---------------------------------------------------------------------------- opening


def _open(data: bytes, source: str) -> tuple[Any, Any, Any, list[str]]:
    """The ``w:body`` element, the roots of the styles and numbering parts (or None), and notes.

    python-docx's package reader resolves the parts (content types, relationships, the main
    document part of .docx, .docm and .dotx alike); the XML is parsed by plain lxml, because
    python-docx's own element classes make walking a large table several times slower.  When
    a part the relationships name is missing (an image, often), Word still opens the file: the
    usual part names are then read directly.
    """
    from docx.opc.exceptions import PackageNotFoundError

    notes: list[str] = []
    try:
        try:
            main, styles, numbering = _parts_by_relationship(data)
        except (KeyError, PackageNotFoundError):
            main, styles, numbering = _parts_by_name(data)
            notes.append("文件缺少部分部件（如图片或样式），只读取了正文")
        root = parse_xml(main)
        styles_root = None if styles is None else parse_xml(styles)
        numbering_root = None if numbering is None else parse_xml(numbering)
    except KeyError:
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
    return body, styles_root, numbering_root, notes


def _parts_by_relationship(data: bytes) -> tuple[bytes, bytes | None, bytes | None]:
    """The main document, styles and numbering parts, found as the package's relationships say."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.pkgreader import PackageReader

    package = PackageReader.from_file(io.BytesIO(data))  # type: ignore[no-untyped-call]
    blobs: dict[str, bytes] = {str(partname): blob for partname, _type, _reltype, blob in package.iter_sparts()}
    main = None
    for source_uri, rel in package.iter_srels():
        top = not rel.is_external and str(source_uri) == "/"
        if top and rel.reltype in (RT.OFFICE_DOCUMENT, _STRICT_OFFICE_DOCUMENT):
            main = str(rel.target_partname)
    if main is None or main not in blobs:
        raise KeyError(main)
    related = {
        rel.reltype: str(rel.target_partname)
        for source_uri, rel in package.iter_srels()
        if str(source_uri) == main and not rel.is_external
    }
    styles, numbering = (related.get(reltype) for reltype in (RT.STYLES, RT.NUMBERING))
    return blobs[main], blobs.get(styles or ""), blobs.get(numbering or "")


def _parts_by_name(data: bytes) -> tuple[bytes, bytes | None, bytes | None]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        main = archive.read("word/document.xml")  # KeyError when even this is missing
        styles, numbering = (
            archive.read(name) if name in names else None for name in ("word/styles.xml", "word/numbering.xml")
        )
    return main, styles, numbering


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


class _Walker:
    def __init__(self, styles: dict[str, str], body: Any, numbering: _Numbering | None = None) -> None:
        self.styles = styles
        self.notes: list[str] = []
        self.excluded = _excluded(body)
        self.numbering = numbering

    def content(self, container: Any, in_cell: bool = False) -> list[MarkupItem]:
        """Paragraphs and tables of a body, a cell or a content control, in order."""
        items: list[MarkupItem] = []
        for child in _children(container, _BLOCK_TAGS):
            tag = child.tag
            if tag == _P:
                text = self._text(child)
                if self.numbering is not None:
                    text = self.numbering.label(child) + text
                if text:
                    style = None if in_cell else self._style(child)
                    if "\n" in text:
                        # a line break ends a paragraph, as <br> does in HTML; inside a cell
                        # the lines are joined again with line breaks
                        items.extend(MarkupParagraph(line, style) for line in _lines(text))
                    else:
                        items.append(MarkupParagraph(text, style))
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

    def _table(self, tbl: Any) -> list[MarkupItem]:
        table = MarkupTable()
        contents: list[list[MarkupItem]] = []
        last_at: dict[int, MarkupCell] = {}  # the latest cell starting at each column
        for r, tr in enumerate(_children(tbl, _ROW_TAGS)):
            trpr = _first(tr, _TRPR)
            col = 0 if trpr is None else _int(_prop(trpr, _GRID_BEFORE), 0)
            previous: MarkupCell | None = None
            for tc in _children(tr, _CELL_TAGS):
                span, vmerge, hmerge = _cell_props(_first(tc, _TCPR))
                items = self.content(tc, in_cell=True)
                contents.append(items)
                lines = [item.text for item in items if isinstance(item, MarkupParagraph)]
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
                    previous = MarkupCell(lines, r, col, colspan=span)
                    table.cells.append(previous)
                    last_at[col] = previous
                col += span
        return resolve_nesting(table, contents, "文档", self._note)


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


# ---------------------------------------------------------------------------- list numbering


@dataclass(slots=True)
class _Level:
    start: int
    fmt: str
    text: str  # w:lvlText, e.g. "%1、" or "（%1）"
    legal: bool  # w:isLgl: numbers of upper levels shown as decimals


class _Numbering:
    """Word's automatic numbering (一、 （一） 1.), rendered as Word shows it.

    Reports typed in Word or WPS often number their headings and table row labels
    automatically, so the numbers are not in the text.  Counters are kept per abstract list
    (lists sharing one continue each other, as in Word); a level restarts after any higher level.
    """

    def __init__(
        self,
        levels: dict[str, dict[int, _Level]],
        abstract_of: dict[str, str],
        overrides: dict[str, dict[int, int]],
        style_numbers: dict[str, tuple[str, int]],
        body: Any,
    ) -> None:
        self.levels = levels
        self.abstract_of = abstract_of
        self.overrides = overrides
        self.style_numbers = style_numbers
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        # the paragraphs that carry numbering of their own, found in one pass
        self.numbered = {ppr.getparent(): ppr for ppr in (num.getparent() for num in body.iter(_NUMPR))}

    @classmethod
    def of(cls, numbering_root: Any, styles_root: Any, body: Any) -> _Numbering | None:
        if numbering_root is None:
            return None
        abstract: dict[str, dict[int, _Level]] = {}
        for node in numbering_root.iterchildren(_W + "abstractNum"):
            abstract[node.get(_W + "abstractNumId", "")] = _levels(node)
        levels: dict[str, dict[int, _Level]] = {}
        abstract_of: dict[str, str] = {}
        overrides: dict[str, dict[int, int]] = {}
        for num in numbering_root.iterchildren(_W + "num"):
            num_id = num.get(_W + "numId", "")
            ref = next(num.iterchildren(_W + "abstractNumId"), None)
            abstract_id = "" if ref is None else ref.get(_VAL, "")
            merged = dict(abstract.get(abstract_id, {}))
            for override in num.iterchildren(_W + "lvlOverride"):
                ilvl = _int(override.get(_W + "ilvl"), 0)
                start = next(override.iterchildren(_W + "startOverride"), None)
                if start is not None:
                    overrides.setdefault(num_id, {})[ilvl] = _int(start.get(_VAL), 1)
                lvl = next(override.iterchildren(_W + "lvl"), None)
                if lvl is not None:
                    merged.update(_levels_from([lvl]))
            levels[num_id] = merged
            abstract_of[num_id] = abstract_id
        if not any(level.fmt not in _NO_NUMBER for by_level in levels.values() for level in by_level.values()):
            return None  # bullets only: nothing to render
        return cls(levels, abstract_of, overrides, _style_numbers(styles_root), body)

    def label(self, paragraph: Any) -> str:
        ppr = self.numbered.get(paragraph)
        if ppr is not None:
            numpr = next(ppr.iterchildren(_NUMPR))
            num_id = _prop(numpr, _NUM_ID)
            ilvl = _int(_prop(numpr, _ILVL), 0)
            if num_id is None:  # only a level: the list comes from the style
                num_id = self._style_number(paragraph)[0]
        elif self.style_numbers:
            num_id, ilvl = self._style_number(paragraph)
        else:
            return ""
        if not num_id or num_id == "0" or num_id not in self.levels:
            return ""
        by_level = self.levels[num_id]
        level = by_level.get(ilvl)
        if level is None:
            return ""
        key = self.abstract_of.get(num_id) or num_id
        counters = self.counters.setdefault(key, {})
        if num_id not in self.started:  # a list instance with a start override begins again
            self.started.add(num_id)
            for over_level, start in self.overrides.get(num_id, {}).items():
                counters[over_level] = start - 1
                for deeper in [k for k in counters if k > over_level]:
                    del counters[deeper]
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if level.fmt in _NO_NUMBER:
            return ""

        def number(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            shown = by_level.get(k)
            if shown is None:
                return ""
            value = counters.get(k, shown.start)
            return _format_number(value, "decimal" if level.legal and k < ilvl else shown.fmt)

        return _PLACEHOLDER.sub(number, level.text)

    def _style_number(self, paragraph: Any) -> tuple[str | None, int]:
        ppr = _first(paragraph, _PPR)
        style = None if ppr is None else _first(ppr, _PSTYLE)
        if style is None:
            return None, 0
        return self.style_numbers.get(style.get(_VAL, ""), (None, 0))


def _levels(abstract_num: Any) -> dict[int, _Level]:
    return _levels_from(abstract_num.iterchildren(_W + "lvl"))


def _levels_from(nodes: Any) -> dict[int, _Level]:
    levels: dict[int, _Level] = {}
    for lvl in nodes:
        start = _prop(lvl, _W + "start")
        fmt = _prop(lvl, _W + "numFmt") or "decimal"
        text = _prop(lvl, _W + "lvlText")
        legal = next(lvl.iterchildren(_W + "isLgl"), None)
        levels[_int(lvl.get(_W + "ilvl"), 0)] = _Level(
            start=_int(start, 1) if start is not None else 1,
            fmt=fmt,
            text=text if text is not None else "",
            legal=legal is not None and legal.get(_VAL, "true").lower() not in _OFF,
        )
    return levels


def _style_numbers(styles_root: Any) -> dict[str, tuple[str, int]]:
    """Paragraph styles that number their paragraphs (heading styles linked to a list)."""
    if styles_root is None:
        return {}
    own: dict[str, tuple[str | None, int | None]] = {}
    based_on: dict[str, str] = {}
    for style in styles_root.iterchildren(_W + "style"):
        style_id = style.get(_W + "styleId", "")
        parent = next(style.iterchildren(_W + "basedOn"), None)
        if parent is not None:
            based_on[style_id] = parent.get(_VAL, "")
        ppr = next(style.iterchildren(_PPR), None)
        numpr = None if ppr is None else next(ppr.iterchildren(_NUMPR), None)
        if numpr is not None:
            level = _prop(numpr, _ILVL)
            own[style_id] = (_prop(numpr, _NUM_ID), None if level is None else _int(level, 0))
    found: dict[str, tuple[str, int]] = {}
    for style_id in own.keys() | based_on.keys():
        num_id: str | None = None
        ilvl: int | None = None
        current: str | None = style_id
        for _ in range(20):  # basedOn chains are short; a cycle must not hang us
            if current is None:
                break
            num, lvl = own.get(current, (None, None))
            num_id = num_id if num_id is not None else num
            ilvl = ilvl if ilvl is not None else lvl
            current = based_on.get(current)
        if num_id and num_id != "0":
            found[style_id] = (num_id, ilvl or 0)
    return found


_CHINESE_DIGITS = "〇一二三四五六七八九"
_CHINESE_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip


def _format_number(value: int, fmt: str) -> str:
    if value < 0:
        return str(value)
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting"):
        return _chinese(value, _CHINESE_DIGITS, "十百千")
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional", "taiwaneseCountingThousand"):
        return _chinese(value, _CHINESE_LEGAL, "拾佰仟")
    if fmt in ("ideographDigital", "japaneseDigitalTenThousand", "taiwaneseDigital"):
        return "".join(_CHINESE_DIGITS[int(d)] for d in str(value))
    if fmt == "ideographTraditional" and 1 <= value <= 10:
        return _HEAVENLY_STEMS[value - 1]
    if fmt == "ideographZodiac" and 1 <= value <= 12:
        return _EARTHLY_BRANCHES[value - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= value <= 20:
        return chr(0x2460 + value - 1)
    if fmt == "decimalEnclosedParen" and 1 <= value <= 20:
        return chr(0x2474 + value - 1)
    if fmt == "decimalEnclosedFullstop" and 1 <= value <= 20:
        return chr(0x2488 + value - 1)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(value))
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("lowerLetter", "upperLetter") and value >= 1:
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman") and 1 <= value < 4000:
        roman = ""
        for amount, numeral in _ROMAN:
            count, value = divmod(value, amount)
            roman += numeral * count
        return roman if fmt == "lowerRoman" else roman.upper()
    return str(value)


def _chinese(value: int, digits: str, units: str) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 21 → 二十一, 105 → 一百零五 (up to 9999)."""
    if value == 0:
        return "零"
    if value >= 10000:
        return str(value)
    parts: list[str] = []
    zero = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        digit, value = divmod(value, power)
        if digit:
            if zero and parts:
                parts.append("零")
            parts.append(digits[digit] + unit)
            zero = False
        elif parts:
            zero = True
    text = "".join(parts)
    # 十一, not 一十一, when the number starts with the tens (the legal form keeps 壹拾壹)
    return text[1:] if digits is _CHINESE_DIGITS and text.startswith(digits[1] + units[0]) else text
