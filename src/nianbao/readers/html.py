"""Web pages (HTML) to a :class:`Document`.

The bytes are decoded here and handed to lxml as UTF-8 with the encoding fixed, so lxml never
guesses: a BOM decides; otherwise bytes that are valid UTF-8 are UTF-8 (a declared gb2312 is then
stale: GBK text is practically never valid UTF-8); otherwise the charset declared in
``<meta charset>``, ``<meta http-equiv="Content-Type">`` or the XML declaration, then UTF-8 with
a few stray bytes replaced, then GB18030 (a superset of GBK and GB2312).

Reading rules:

* ``script``, ``style``, forms, comments, hidden elements and navigation (``nav``; ``header``,
  ``footer``, ``aside`` and elements whose class or id says nav/menu/header/footer…, unless
  they hold a table or the word 报告) are dropped.
* Block elements (``p``, ``div``, ``h1``–``h6``, ``li``, a ``td`` outside a table…) and ``br``
  end a paragraph; inline wrappers (``span``, ``font``, Word's ``o:p``) never do.  Whitespace
  collapses as a browser shows it: a line break between two Chinese characters disappears,
  other runs become one space, ``&nbsp;`` is a space.
* A ``table`` becomes a grid: ``rowspan``/``colspan`` are expanded to positions and each
  merged cell appears once at its top-left position with its spans.  Inside a cell, block
  elements and ``br`` become line breaks of the cell text.
* Nested tables: a table used for page layout (a cell holding more than
  :data:`~nianbao.readers.markup.LAYOUT_CELL_CHARS` characters, or nested tables larger than the table itself) is
  dissolved and its cells read as running text, so report tables inside it stay whole.  A
  real table that merely contains a small table keeps its grid; the inner table is read as
  its own table right after it (its text is not repeated in the outer cell).
* A page with no report content that links the report as an attachment (.pdf, .doc, …) is
  refused with a message naming the file, so the user downloads the attachment instead.
"""

from __future__ import annotations

import codecs
import re
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.etree

from ..document import Block, Document, Paragraph
from ..errors import InputError, NotAReportError
from .markup import MarkupCell, MarkupItem, MarkupParagraph, MarkupTable, resolve_nesting, to_blocks

_MAX_COLSPAN = 1000  # the HTML standard's limit
MAX_HTML_CHARS = 5_000_000
_DATA_URI = re.compile(r"data:[\w.+/-]*;base64,[A-Za-z0-9+/=\s]{256,}")

_DROP = frozenset(
    {
        "script", "style", "noscript", "template", "head", "title", "meta", "link", "base",
        "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "canvas", "map",
        "area", "audio", "video", "source", "track", "select", "option", "optgroup",
        "button", "textarea", "input", "nav", "datalist", "dialog",
    }
)  # fmt: skip
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dir",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
        "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main",
        "menu", "ol", "p", "section", "summary", "ul", "caption", "tr", "td", "th", "tbody",
        "thead", "tfoot", "table", "pre", "listing", "xmp", "plaintext",
    }
)  # fmt: skip
_HEADINGS = {f"h{n}": f"Heading {n}" for n in range(1, 7)}
_GRID_TAGS = frozenset({"table", "tr", "td", "th", "tbody", "thead", "tfoot", "caption", "col", "colgroup"})
_PREFORMATTED = frozenset({"pre", "listing", "xmp", "plaintext"})
# Elements that end a line or need their own handling; a block without them is one line.
_STRUCTURE = tuple(sorted(_BLOCK | _PREFORMATTED | {"br", "a", "table"}))
# Inline elements: they never end a line and are never navigation.
_INLINE = frozenset(
    {
        "span", "font", "o:p", "b", "strong", "i", "em", "u", "s", "strike", "sup", "sub",
        "small", "big", "label", "ins", "abbr", "acronym", "cite", "code", "kbd", "mark", "q",
        "samp", "tt", "var", "bdi", "bdo", "time", "nobr", "wbr", "st1:chsdate", "data",
    }
)  # fmt: skip
_LANDMARKS = frozenset({"header", "footer", "aside"})
# Blocks whose text is usually one run of inline elements (see _branches).
_LEAF_BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "center", "td", "th"})
_NAV_WORDS = frozenset(
    {
        "nav", "navbar", "navigation", "mainnav", "subnav", "topnav", "menu", "menubar",
        "submenu", "header", "footer", "foot", "breadcrumb", "breadcrumbs", "crumb", "crumbs",
        "topbar", "sidebar", "toolbar", "share", "copyright", "skip",
    }
)  # fmt: skip
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_WORD_SPLIT = re.compile(r"[^A-Za-z0-9]+")
# Substrings (of the lowercased page bytes) without which nothing can be hidden or be navigation.
_MAY_HIDE = (b"none", b"hidden", b"mso-hide")
_MAY_NAVIGATE = (b"nav", b"menu", b"header", b"foot", b"crumb", b"topbar", b"sidebar", b"toolbar", b"share", b"copyright", b"skip", b"aside")  # fmt: skip
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all", re.IGNORECASE)
_SPACES = re.compile("[ \t\n\r\f\xa0]+")
# East Asian wide and full-width characters (CJK, kana, hangul, full-width forms)
_WIDE = (
    "\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd"
)
_BREAK_BETWEEN_WIDE = re.compile(f"(?<=[{_WIDE}])[ \t\f]*[\r\n][ \t\r\n\f]*(?=[{_WIDE}])")

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# How browsers read the Chinese labels; GB18030 decodes everything GBK and GB2312 do.
_CHARSET_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
    "csgb2312": "gb18030", "cp936": "gb18030", "ms936": "gb18030", "windows-936": "gb18030",
    "euc-cn": "gb18030", "chinese": "gb18030", "gb18030": "gb18030", "big5": "big5hkscs",
    "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8",
}  # fmt: skip
# Servers often declare a Western charset for Chinese pages: such a declaration is tried last.
_WEAK_CHARSETS = frozenset({"ascii", "latin-1", "iso8859-1", "cp1252", "iso8859-15"})
# Python codecs that are not a web page's character set (transforms, escapes, UTF-7, which
# browsers refuse): a page declaring one is read as if it declared nothing.
_NOT_CHARSETS = frozenset({"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape", "utf-7"})

_ATTACHMENT = re.compile(r"\.(pdf|docx?|wps|xlsx?|et|ofd|zip|rar|7z)$", re.IGNORECASE)
_ATTACHMENT_WORDS = ("附件", "下载", "报告", "年报", "全文", "点击")
_REPORT_WORDS = (
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "行政复议",
    "存在的主要问题",
    "其他需要报告的事项",
    "本年新收",
    "申请人情况",
)


def read_html(data: bytes, source: str) -> Document:
    text, encoding, notes = _decode(data, source)
    # Inline images (Word pastes them as base64) carry no text; what is left is bounded so the
    # tree and the cells stay well under 300 MB (a heavy government page is about 0.1 MB).
    text = _DATA_URI.sub("data:,", text)
    if len(text) > MAX_HTML_CHARS:
        raise InputError(
            f"网页过大（去掉内嵌图片后仍有 {len(text) / 1e6:.1f} 百万字符，上限 {MAX_HTML_CHARS / 1e6:.0f} 百万），"
            "不像是一份年度报告",
            source=source,
        )
    root = _parse(text, source)
    # lowercased bytes (ASCII only, fast); a UTF-16 page has zero bytes between the letters
    probe = text.encode("utf-8").lower() if encoding.startswith("utf-16") else data.lower()
    _prune(root, probe)
    walker = _Walker(_branches(root))
    flow = _Flow()
    walker.node(root, flow)  # recursion stays below libxml2's depth limit of 256
    flow.flush()
    blocks = to_blocks(flow.items)
    if not _has_report_content(blocks):
        attachments = walker.attachments()
        if attachments:
            shown = "、".join(attachments[:3]) + ("等" if len(attachments) > 3 else "")
            raise NotAReportError(f"该网页只提供附件链接（{shown}），请下载附件后再读取", source=source)
        if not blocks:
            raise NotAReportError("网页中没有可读取的正文文字（内容可能由脚本加载或是图片）", source=source)
    notes.extend(walker.notes)
    return Document(blocks=blocks, source=source, kind="html", encoding=encoding, notes=notes)


# ---------------------------------------------------------------------------- decoding


def _decode(data: bytes, source: str) -> tuple[str, str, list[str]]:
    """The page as text, the encoding used, and a note when bytes had to be replaced."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            text = data.decode(name, "replace")
            return _clean(text), name, _replaced_note(text, name)
    declared = _declared_charset(data[:65536])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # Valid UTF-8 with Chinese in it is UTF-8 whatever the page declares (GBK text is
        # practically never valid UTF-8; a stale gb2312 declaration after a site migration is
        # common).  A pure ASCII page reads the same under any declared charset.
        return _clean(text), (declared or "utf-8") if text.isascii() else "utf-8", []
    candidates = []
    if declared and declared not in _WEAK_CHARSETS:
        candidates.append(declared)
    candidates += ["utf-8", "gb18030"]
    if declared in _WEAK_CHARSETS:
        candidates.append(declared)
    candidates = list(dict.fromkeys(candidates))
    for name in candidates:
        if name != "utf-8":
            try:
                return _clean(data.decode(name)), name, []
            except UnicodeDecodeError:
                pass
        # a few stray bytes in an otherwise valid page: keep the encoding, replace the bytes
        # (trying the next encoding would turn the whole page into mojibake)
        text = data.decode(name, "replace")
        if text.count("\ufffd") <= max(8, len(text) // 2000):
            return _clean(text), name, _replaced_note(text, name)
    decoded = [(data.decode(name, "replace"), name) for name in candidates]
    text, name = min(decoded, key=lambda pair: pair[0].count("\ufffd"))
    if text.count("\ufffd") > len(text) // 10:
        raise InputError("无法识别网页的文字编码（已尝试声明的编码、UTF-8、GB18030/GBK）", source=source)
    return _clean(text), name, _replaced_note(text, name)


def _declared_charset(head: bytes) -> str | None:
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if match is None:
        return None
    label = match.group(1).decode("ascii").lower()
    name = _CHARSET_ALIASES.get(label)
    if name is None:
        try:
            info = codecs.lookup(label)
        except LookupError:
            return None
        # base64, rot13, zlib … are bytes-to-bytes or str-to-str transforms, not text encodings
        if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
            return None
        name = info.name
    # a UTF-16 page cannot declare itself in ASCII bytes; the declaration is wrong
    return None if name.startswith("utf-16") or name.startswith("utf-32") else name


def _replaced_note(text: str, encoding: str) -> list[str]:
    count = text.count("\ufffd")
    return [f"网页中有{count}处字节无法按 {encoding} 编码解码，已替换为“\ufffd”"] if count else []


def _clean(text: str) -> str:
    return text.lstrip("\ufeff").replace("\x00", "")


def _parse(text: str, source: str) -> Any:
    # The encoding is fixed, so a <meta charset> in the page cannot make lxml decode again.
    # lxml.etree's HTML parser is libxml2's, as lxml.html uses, without lxml.html's element
    # classes (whose per-element lookup costs a third of the reading time).
    parser = lxml.etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = lxml.etree.fromstring(text.encode("utf-8"), parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        raise NotAReportError("网页中没有可读取的内容", source=source) from None
    if root is None:
        raise NotAReportError("网页中没有可读取的内容", source=source)
    # libxml2 stops at 256 levels (no real page nests that deep) and drops the rest silently
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        raise InputError("网页的元素嵌套过深或过大，超出了解析器的限制，无法完整读取", source=source)
    return root


# ---------------------------------------------------------------------------- walking


class _Flow:
    """Running text being cut into lines, and the lines and tables found so far."""

    __slots__ = ("items", "pieces", "style")

    def __init__(self) -> None:
        self.items: list[MarkupItem] = []
        self.pieces: list[str] = []
        self.style: str | None = None  # inside h1–h6: every line of the heading carries its style

    def flush(self) -> None:
        if not self.pieces:
            return
        line = _normalise("".join(self.pieces))
        self.pieces.clear()
        if line:
            self.items.append(MarkupParagraph(line, self.style))

    def tail(self, length: int) -> str:
        return "".join(self.pieces)[-length:]


class _Walker:
    def __init__(self, branches: set[Any]) -> None:
        self.branches = branches
        self.links: list[tuple[str, str]] = []  # (file name, text around the link)
        self.notes: list[str] = []

    def node(self, el: Any, flow: _Flow) -> None:
        tag = el.tag
        pieces = flow.pieces
        if not isinstance(tag, str):  # a comment the parser kept: only its tail is text
            pass
        elif tag in _INLINE:
            if el.text:
                pieces.append(el.text)
            for child in el:
                self.node(child, flow)
        elif tag in _LEAF_BLOCKS and el not in self.branches:
            # the common case (a Word <p> of spans and fonts): one line, read in one call
            flow.flush()
            outer_style = flow.style
            flow.style = _HEADINGS.get(tag, outer_style)
            pieces.append(_text(el))
            flow.flush()
            flow.style = outer_style
        elif tag == "table":
            flow.flush()
            flow.items.extend(self.table(el))
        elif tag == "br":
            flow.flush()
        elif tag in _PREFORMATTED:
            flow.flush()
            for line in _text(el).splitlines():
                pieces.append(line)
                flow.flush()
        else:
            block = tag in _BLOCK
            if block:
                flow.flush()
            outer_style = flow.style
            if tag in _HEADINGS:
                flow.style = _HEADINGS[tag]
            elif tag == "a":
                self._link(el, flow)
            if el.text:
                pieces.append(el.text)
            for child in el:
                self.node(child, flow)
            if block:
                flow.flush()
            flow.style = outer_style
        if el.tail:
            pieces.append(el.tail)

    def _link(self, el: Any, flow: _Flow) -> None:
        href = el.get("href") or ""
        try:
            path = unquote(urlsplit(href.strip()).path)
        except ValueError:
            return
        name = path.rstrip("/").rsplit("/", 1)[-1]
        if not _ATTACHMENT.search(name):
            return
        label = _normalise(_text(el))
        context = " ".join((flow.tail(40), label, el.get("title") or "", name))
        shown = label if _ATTACHMENT.search(label) else name
        self.links.append((shown, context))

    def attachments(self) -> list[str]:
        names = [name for name, context in self.links if any(word in context for word in _ATTACHMENT_WORDS)]
        return list(dict.fromkeys(names))

    def _note(self, note: str) -> None:
        if note not in self.notes:
            self.notes.append(note)

    # ------------------------------------------------------------ tables

    def table(self, el: Any) -> list[MarkupItem]:
        """A table as a grid followed by the tables nested in it, or dissolved when it is layout."""
        before: list[MarkupItem] = []  # caption
        rows: list[list[tuple[Any, _Flow]]] = []
        for child in el:
            tag = child.tag
            if tag == "tr":
                rows.append(self._row(child))
            elif tag in ("thead", "tbody", "tfoot"):
                rows.extend(self._row(tr) for tr in child if tr.tag == "tr")
            elif tag == "caption":
                caption = _Flow()
                self.node(child, caption)
                caption.flush()
                before.extend(caption.items)
        contents = [flow.items for row in rows for _td, flow in row]
        return before + resolve_nesting(_markup_table(rows), contents, "网页", self._note)

    def _simple_cell(self, td: Any, flow: _Flow) -> bool:
        """A cell of one-line blocks (Word's <td><p>…</p><p>…</p></td>): lines read directly."""
        if td.text and not td.text.isspace():
            return False
        lines = []
        for child in td:  # one pass: the lines are kept only when every child is a one-line block
            tail = child.tail
            if child.tag not in _LEAF_BLOCKS or child in self.branches or (tail and not tail.isspace()):
                return False
            line = _normalise(_text(child))
            if line:
                lines.append(MarkupParagraph(line))
        flow.items.extend(lines)
        return True

    def _row(self, tr: Any) -> list[tuple[Any, _Flow]]:
        cells = []
        for td in tr:
            if td.tag != "td" and td.tag != "th":
                continue
            flow = _Flow()
            if td not in self.branches:
                flow.pieces.append(_text(td))
            elif self._simple_cell(td, flow):
                cells.append((td, flow))
                continue
            else:
                if td.text:
                    flow.pieces.append(td.text)
                for child in td:
                    self.node(child, flow)
            flow.flush()
            cells.append((td, flow))
        return cells


def _markup_table(rows: list[list[tuple[Any, _Flow]]]) -> MarkupTable:
    """Expand rowspan/colspan to grid positions as a browser does; each cell once."""
    n_rows = len(rows)
    covered: dict[int, int] = {}  # column -> last row covered by a rowspan from above
    cells: list[MarkupCell] = []
    for r, row in enumerate(rows):
        col = 0
        for td, flow in row:
            while covered.get(col, -1) >= r:
                col += 1
            # most cells have no spans: no parsing for them
            colspan_text = td.get("colspan")
            colspan = 1 if colspan_text is None else min(max(_span(colspan_text), 1), _MAX_COLSPAN)
            rowspan_text = td.get("rowspan")
            if rowspan_text is None:
                rowspan = 1
            else:
                rowspan = _span(rowspan_text)
                # rowspan=0 and rowspans past the last row reach to the end of the table
                rowspan = n_rows - r if rowspan <= 0 else min(rowspan, n_rows - r)
            lines = [item.text for item in flow.items if isinstance(item, MarkupParagraph)]
            cells.append(MarkupCell(lines, r, col, rowspan, colspan))
            if rowspan > 1:
                for c in range(col, col + colspan):
                    covered[c] = r + rowspan - 1
            col += colspan
    return MarkupTable(cells)


def _span(value: str | None) -> int:
    if not value:
        return 1
    match = re.match(r"\s*(\d{1,6})", value)
    return int(match.group(1)) if match else 1


# ---------------------------------------------------------------------------- helpers


def _text(el: Any) -> str:
    """The text of an element and its descendants, without its tail: ``"".join(el.itertext())``
    in one call into libxml2 (about six times faster on a table cell of spans)."""
    text: str = lxml.etree.tostring(el, method="text", encoding="unicode", with_tail=False)
    return text


def _normalise(text: str) -> str:
    """Whitespace as a browser shows it: a line break between two Chinese characters vanishes
    (CSS segment-break rules), other runs of spaces and ``&nbsp;`` become one space."""
    if "\n" in text or "\r" in text:
        text = _BREAK_BETWEEN_WIDE.sub("", text)
    return _SPACES.sub(" ", text).strip()


def _prune(root: Any, probe: bytes) -> None:
    """Remove what a reader of the page does not see as content (keeping the text after it)."""
    # The raw page tells cheaply whether anything could be hidden or be navigation; pages
    # pasted from Word usually have neither, and then only the dropped tags are looked for.
    may_hide = any(word in probe for word in _MAY_HIDE)
    may_navigate = any(word in probe for word in _MAY_NAVIGATE)
    if not may_hide and not may_navigate:
        doomed = list(root.iter(*_DROP))
    else:
        doomed = []
        for el in root.iter():
            tag = el.tag
            if tag in _DROP:
                doomed.append(el)
                continue
            if tag in _GRID_TAGS or not isinstance(tag, str):
                continue  # removing a cell would shift the grid
            names = el.keys()  # one call; most elements have no attribute that matters
            if (may_hide and (("style" in names and _hiding(el.get("style"))) or "hidden" in names)) or (
                may_navigate and (tag in _LANDMARKS or "class" in names or "id" in names) and _navigation(el)
            ):
                doomed.append(el)
    for el in doomed:
        parent = el.getparent()
        if parent is None:
            continue
        if el.tail:  # the tail belongs to the element in lxml: keep it in place
            previous = el.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        parent.remove(el)


def _hiding(style: str) -> bool:
    # substring tests first: the regular expression only runs on styles that might hide
    return ("none" in style or "hid" in style or "NONE" in style or "HID" in style) and _HIDDEN_STYLE.search(
        style
    ) is not None


def _navigation(el: Any) -> bool:
    """Site navigation, header and footer, unless it holds report content: a table, or the
    word 报告 in text that is not mostly links (a menu may link to 年度报告; a title is not a link)."""
    if el.tag not in _LANDMARKS:
        marks = " ".join(filter(None, (el.get("class"), el.get("id"))))
        words = {word.lower() for word in _WORD_SPLIT.split(_CAMEL.sub(" ", marks))}
        if words.isdisjoint(_NAV_WORDS):
            return False
    if next(el.iter("table"), None) is not None:
        return False
    text = "".join(_text(el).split())
    if "报告" not in text:
        return True
    linked = sum(len("".join(_text(a).split())) for a in el.iter("a"))
    return linked * 2 >= len(text)


def _branches(root: Any) -> set[Any]:
    """Elements with a line-breaking element, table or link below them; the others are one line.

    lxml returns the same proxy object for a node while one is referenced, so the set (which
    holds them) can be tested with ``in``.
    """
    branches: set[Any] = set()
    for el in root.iter(*_STRUCTURE):
        for ancestor in el.iterancestors():
            if ancestor in branches:
                break
            branches.add(ancestor)
    return branches


def _has_report_content(blocks: list[Block]) -> bool:
    texts: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            texts.append(block.text)
        else:
            texts.extend(cell.text for cell in block.cells)
    joined = re.sub(r"\s+", "", "".join(texts))
    return sum(word in joined for word in _REPORT_WORDS) >= 3
