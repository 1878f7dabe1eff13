"""Plain-text reports to a :class:`Document`.

Reports reach us as text flattened from Word or web pages in a few layouts, often mixed in one
file:

* **cell lines** — each table cell on its own line starting with a tab; lines of the same cell
  that wrapped (``结/果/维/持``) follow without a tab; a blank line ends a table row.
* **tab rows** — one table row per line, cells separated by tabs.
* **paragraph cells** — no tabs at all: every cell is its own paragraph, paragraphs separated by
  one blank line (rows are not delimited; extraction aligns them with the template).

Everything that is not a table line is a paragraph, one per line.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..document import Block, Cell, Document, Location, Paragraph, Table
from ..formats.labels import strip_artifacts

_SECTION_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,2}|\d{1,2})\s*[、.．，,]")


def read_text(text: str, source: str, encoding: str | None = None) -> Document:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    reader = _TextLayout(lines)
    blocks = reader.blocks()
    return Document(blocks=blocks, source=source, kind="text", encoding=encoding, notes=reader.notes)


# one character per kind: joined, a file's kinds are a string that str and re methods scan in C
BLANK, CELL_LINE, TAB_ROW, PIPE_ROW, FOOTER, TEXT = "b", "c", "r", "p", "f", "t"

# page furniture left in text converted from PDF: — 4 —, - 3 -, 第3页, 第 3 页 共 9 页
_FOOTER = re.compile(
    r"^\s*(?:[—–\-－]{1,2}\s*\d{1,3}\s*[—–\-－]{1,2}|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?)\s*$"
)
_MARKDOWN_HEADING = re.compile(r"^\s*(#{1,6})\s+(.*\S)\s*$")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*(?::?-{2,}:?)?\s*$")


def _kind(line: str) -> str:
    """Classify a line once: blank, a cell line (one leading tab), a tab row, a markdown pipe
    row, a page footer, or text."""
    if not line:
        return BLANK  # most blank lines: nothing to strip
    if line[0] == "\t" and line.count("\t") == 1:
        after = line[1:2]
        if after not in _STARTS_OTHER_KIND and not after.isspace():
            return CELL_LINE  # the common cell line, told without stripping
    stripped = line.strip()
    first = stripped[:1]
    if first == "|" and stripped.count("|") >= 2:
        return PIPE_ROW
    if first and first in _FOOTER_START and _FOOTER.match(line):
        return FOOTER
    if "\t" in line:
        if line[0] == "\t" and line.count("\t") == 1:
            return CELL_LINE
        return TAB_ROW
    if not stripped or (first in _INVISIBLE_START and not strip_artifacts(stripped).strip()):
        return BLANK
    return TEXT


_TEXT_THEN_ONE_BLANK = re.compile(TEXT + "(?=" + BLANK + "[^" + BLANK + "])")
_INVISIBLE_START = "[\u200b\u200c\u200d\u2060\ufeff"
_FOOTER_START = "—–-－第"  # what a footer's first printed character can be (see _FOOTER)
# a line's first printed character that may make it a pipe row or a footer
_STARTS_OTHER_KIND = frozenset({"|", *_FOOTER_START})


class _TextLayout:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        # a report repeats its lines (blank lines, cells printing 0): each distinct line is
        # classified once, which is most of the reading time saved
        kind_of = {line: _kind(line) for line in set(lines)}
        self.kinds = list(map(kind_of.__getitem__, lines))
        self.notes: list[str] = []
        self.double_spaced = self._detect_double_spacing()

    def blocks(self) -> list[Block]:
        blocks: list[Block] = []
        layouts: set[str] = set()
        i = 0
        n = len(self.lines)
        blank_run = 0
        while i < n:
            kind = self.kinds[i]
            if kind == FOOTER:
                layouts.add("页脚已去除")
                i += 1
                continue
            if kind == BLANK:
                blank_run += 1
                i += 1
                continue
            if blank_run:
                if blank_run >= 2 and self.double_spaced:
                    blocks.extend(self._empty_paragraphs(blank_run, i))
                blank_run = 0
            if kind == PIPE_ROW:
                table, i = self._pipe_rows(i)
                layouts.add("Markdown 竖线表格")
                blocks.append(table)
            elif kind == TAB_ROW:
                table, i = self._tab_rows(i)
                layouts.add("制表符分隔的表格行")
                blocks.append(table)
            elif kind == CELL_LINE:
                table, i = self._cell_lines(i)
                layouts.add("每格一行（制表符开头）")
                blocks.append(table)
            else:
                line = self.lines[i]
                heading = _MARKDOWN_HEADING.match(line) if "#" in line else None
                if heading:  # "## 一、总体情况" from converters that write Markdown
                    text, style = heading.group(2).strip(), f"heading {len(heading.group(1))}"
                    column = heading.start(2) + 1
                else:
                    left = line.lstrip()
                    text, style, column = left.rstrip(), None, len(line) - len(left) + 1  # after the indent
                blocks.append(Paragraph(text, Location(i + 1, column), style))
                i += 1
        if self.double_spaced:
            layouts.add("每格一段（空行分隔）")
        if layouts:
            self.notes.append("文本版式：" + "、".join(sorted(layouts)))
        return blocks

    # ---------------------------------------------------------------- paragraph-cell layout

    def _detect_double_spacing(self) -> bool:
        """Every paragraph followed by exactly one blank line: the paragraph-cells layout."""
        kinds, lines = "".join(self.kinds), self.lines
        # the paragraphs but on the last two lines; those followed by one blank line and then
        # not by another, the blank line empty
        pairs = kinds.count(TEXT, 0, len(kinds) - 2)
        if pairs < 20:
            return False
        single = sum(1 for match in _TEXT_THEN_ONE_BLANK.finditer(kinds) if not lines[match.start() + 1])
        return single >= 0.8 * pairs

    def _empty_paragraphs(self, blank_run: int, next_line: int) -> list[Block]:
        """In the paragraph-cells layout, an empty cell shows as extra blank lines.

        One blank line separates paragraphs; each further pair of blank lines (or a line of
        spaces between separators) is one empty paragraph.  Called for runs of two or more in
        that layout only.
        """
        first = next_line - blank_run
        run = self.lines[first:next_line]
        spaced = sum(1 for line in run if line and not line.strip())
        count = spaced if spaced else (blank_run - 1) // 2
        return [Paragraph("", Location(line=first + 2 + k * 2, column=1)) for k in range(count)]

    # ---------------------------------------------------------------- tab rows

    def _tab_rows(self, start: int) -> tuple[Table, int]:
        return self._delimited_rows(start, TAB_ROW, _tab_cells)

    # ---------------------------------------------------------------- markdown pipe rows

    def _pipe_rows(self, start: int) -> tuple[Table, int]:
        """| a | b | rows, as left by PDF-to-Markdown converters; |---| separators skipped."""
        return self._delimited_rows(start, PIPE_ROW, _pipe_cells)

    def _delimited_rows(
        self, start: int, kind: str, split: Callable[[str], list[tuple[int, str]]]
    ) -> tuple[Table, int]:
        """Consecutive lines of one kind, each a row; page footers between them are skipped."""
        cells: list[Cell] = []
        append = cells.append
        row = 0
        i = start
        lines, kinds = self.lines, self.kinds
        n = len(lines)
        while i < n and (line_kind := kinds[i]) in (kind, FOOTER):
            if line_kind == kind:
                parts = split(lines[i])
                line = i + 1
                for col, (offset, part) in enumerate(parts):
                    text = part.lstrip()
                    # the column after the indent
                    append(Cell(text.rstrip(), row, col, Location(line, offset + len(part) - len(text) + 1)))
                row += 1 if parts else 0
            i += 1
        return Table(cells, Location(line=start + 1, column=1), in_order=True), i

    # ---------------------------------------------------------------- cell lines

    def _cell_lines(self, start: int) -> tuple[Table, int]:
        cells: list[Cell] = []
        append = cells.append
        row = col = 0
        i = start
        lines, kinds = self.lines, self.kinds
        n = len(lines)
        while i < n:
            kind = kinds[i]
            if kind == CELL_LINE:
                text = lines[i]  # its tab goes with the strip below
                first_line = i + 1
                i += 1
                if i < n and kinds[i] == TEXT:
                    # wrapped text of the same cell follows without a tab
                    parts = [text]
                    while i < n and kinds[i] == TEXT and not _SECTION_HEADING.match(lines[i]):
                        parts.append(lines[i])
                        i += 1
                    text = "\n".join(parts)
                append(Cell(text.strip(), row, col, Location(first_line, 2)))
                col += 1
            elif kind == BLANK:
                if col:
                    row += 1
                    col = 0
                i += 1
            elif kind == FOOTER:
                i += 1
            else:
                break
        # blank lines that closed the table belong to the text that follows
        while i > start and kinds[i - 1] == BLANK:
            i -= 1
        return Table(cells, Location(line=start + 1, column=1), in_order=True), i


def _tab_cells(line: str) -> list[tuple[int, str]]:
    """(offset, text) of each tab-separated cell; empty cells kept."""
    return _offsets(line.split("\t"), 0)


def _pipe_cells(line: str) -> list[tuple[int, str]]:
    """(offset, text) of each cell between the pipes; none for a |---| separator row."""
    if _PIPE_SEPARATOR.match(line):
        return []
    first = line.index("|")
    body = line[first + 1 :]
    if body.rstrip().endswith("|"):
        body = body.rstrip()[:-1]
    return _offsets(body.split("|"), first + 1)


def _offsets(parts: list[str], start: int) -> list[tuple[int, str]]:
    out = []
    for part in parts:
        out.append((start, part))
        start += len(part) + 1
    return out
