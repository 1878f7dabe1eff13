"""Tables 2–4 by template-guided alignment.

For each table the format gives the row labels, the column labels and how many values each
row holds.  A row is found by its label (after normalisation); its values are the tokens that
follow it — in the same table row when the source has rows, otherwise the following
paragraphs up to the next label.  The values are then fitted to the template's columns:

* exactly as many printed cells as columns → read in order (empty placeholders are ignored);
* otherwise, when exactly one way of dropping leading/trailing empty placeholders leaves as
  many slots as columns → read by position, blanks kept blank;
* otherwise the row is **unreadable**: its cells are null and a note says why.

Nothing is ever moved from one row or column to another to make it fit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import pairwise
from operator import attrgetter

from ..document import Location
from ..formats.labels import label_key, misprint_of, parse_value
from ..formats.spec import Label, Table2Spec, Table3Spec, Table4Spec
from ..model import CellValue, Note, NoteKind, TableData
from ..settings import DEFAULT_SETTINGS, Settings
from .glued import split_candidates
from .tokens import TEXT, Token, make_token

# a cell or a line of digits alone, where table 4's data row should be: cells that ran together
_DIGIT_RUN = re.compile(r"[0-9]{2,}")
# said of a glued run whose cuts were not all listed (glued.split_candidates returned None)
_TOO_MANY_CUTS = "；连写数字的拆分方式过多，超出搜索上限，未逐一比对"


@dataclass
class Region:
    """The tokens a table is read from: ``start`` up to ``end``."""

    start: int
    end: int  # exclusive

    def __iter__(self) -> Iterator[int]:
        return iter(range(self.start, self.end))


@dataclass
class TableResult:
    """One table as read: its cells, its notes, the tokens it used and where its rows are printed."""

    data: TableData
    notes: list[Note] = field(default_factory=list)
    consumed: set[int] = field(default_factory=set)
    row_labels: dict[str, Location] = field(default_factory=dict)


_INDEX_OF = attrgetter("index")
_KEY_OF = attrgetter("key")

# Label roles inside one table
ROW, GROUP, HEADER, ANCHOR = "row", "group", "header", "anchor"


@dataclass(frozen=True)
class _Role:
    """What a printed label is in one table: a row, a group, a header or an anchor."""

    kind: str
    label: Label | None = None
    text: str = ""  # the printed label, for a label given as text (an anchor, a header label)

    @property
    def printed(self) -> str:
        return self.label.label if self.label is not None else self.text


# per table and spec: the spec, its label index, and what a printed key not in the index is a
# misprint of (misprint_of over the index: the same for every report; reports print the same
# headers and notes, so most keys are met again)
_INDEX: dict[tuple[str, int], tuple[object, dict[str, _Role], dict[str, _Role | None]]] = {}
_MISPRINT_MEMO_SIZE = 4096


class _Aligner:
    """Shared machinery: classify tokens of a region, collect and fit a row's values."""

    def __init__(self, table_name: str, tokens: list[Token], region: Region, settings: Settings) -> None:
        self.table_name = table_name
        self.settings = settings
        self.tokens = tokens
        self.region = region
        self.roles: dict[str, _Role] = {}
        self.notes: list[Note] = []
        self.consumed: set[int] = set()
        self.row_labels: dict[str, Location] = {}
        # (label, values) of the rows read without doubt, for read_by_geometry: most tables never
        # need them, so their geometry is only worked out there
        self.read_cleanly: list[tuple[Token, list[Token]]] = []
        self._rows: dict[tuple[int | None, int | None], list[Token]] | None = None
        self._labelled: list[tuple[int, _Role]] | None = None  # once the index is built (labelled)
        self.misprints: dict[str, str] = {}  # a misprinted label's key → the key of the label it stands for
        self._misprint_memo: dict[str, _Role | None] = {}  # shared through _INDEX (see index)
        self.glued_rows: list[str] = []  # names of rows whose glued digits were cut
        self.undecided_rows: list[str] = []  # names of those left with cells no single cut decides
        self.arithmetic_cuts: list[tuple[str, list[str]]] = []  # (name, cells) of rows cut by the identities
        self.signed_columns: frozenset[str] = frozenset()  # the only columns a glued cut may start with + or −

    # ------------------------------------------------------------ label index

    def index(self, spec: object, build: Callable[[], None]) -> None:
        """Run ``build`` (the add… calls) once per table and spec: the index depends only on the
        labels, and later aligners start from a copy of it."""
        cached = _INDEX.get((self.table_name, id(spec)))
        if cached is not None and cached[0] is spec:
            self.roles = dict(cached[1])
            self._misprint_memo = cached[2]
            return
        build()
        assert "" not in self.roles, "a label with an empty key would take every empty cell for a label"
        if len(_INDEX) >= 16:
            _INDEX.clear()  # only specs made on the fly (tests) come and go
        # the spec held: its id stays its own
        _INDEX[(self.table_name, id(spec))] = (spec, dict(self.roles), self._misprint_memo)

    def add(self, kind: str, label: Label | str) -> None:
        if isinstance(label, str):
            self.roles.setdefault(label_key(label), _Role(kind, text=label))
            return
        for key in label.match_keys():
            self.roles.setdefault(key, _Role(kind, label))

    def add_unprefixed_variants(self, labels: Iterable[Label]) -> None:
        """Also accept a row label printed without its numbering, where that stays unique."""
        stripped: dict[str, list[Label]] = {}
        for label in labels:
            key = _strip_numbering(label_key(label.label))
            if len(key) >= 3 and key != label_key(label.label):
                stripped.setdefault(key, []).append(label)
        for key, owners in stripped.items():
            if len(owners) == 1 and key not in self.roles:
                self.roles[key] = _Role(ROW, owners[0])

    def adopt_misprints(self, *kinds: str) -> None:
        """Tokens of the region printing a misprint of one of the table's labels of these
        kinds (an anchor, a group, a header label: 行政复复议, 钩稽) take that label's role,
        with a note quoting them; a misprint that two labels of the table fit is left alone.
        Called right after :meth:`index`, whose roles the memo of misprints is about."""
        roles, tokens = self.roles, self.tokens
        known: dict[str, _Role] | None = None  # every label of the table (the index): a misprint must fit only one
        memo = self._misprint_memo
        for i in self.region:
            token = tokens[i]
            if token.key in roles or token.parsed.kind != TEXT:
                continue
            if token.key in memo:
                role = memo[token.key]
            else:
                if known is None:  # the roles as indexed, without the misprints adopted so far
                    known = {key: role for key, role in roles.items() if key not in self.misprints}
                role = misprint_of(token.key, known)
                if len(memo) >= _MISPRINT_MEMO_SIZE:
                    memo.clear()
                memo[token.key] = role
            if role is None or role.kind not in kinds:
                continue
            self.roles[token.key] = role
            self.misprints[token.key] = label_key(role.printed)
            self.note(
                "label_variant",
                f"{self.table_title}的“{token.text}”疑为“{role.printed}”的印误，已按后者读取",
                [],
                [token],
            )

    def standard_key(self, token: Token) -> str:
        """The key of the label a token prints, a misprint taken for its label."""
        return self.misprints.get(token.key, token.key)

    def role(self, token: Token) -> _Role | None:
        return self.roles.get(token.key)  # none for an empty cell: no role has the key ""

    def labelled(self) -> list[tuple[int, _Role]]:
        """(index, role) of each token of the region that prints one of the table's labels."""
        if self._labelled is None:
            roles, tokens = self.roles, self.tokens
            self._labelled = [(i, roles[key]) for i in self.region if (key := tokens[i].key) in roles]  # never ""
        return self._labelled

    def positions(self, kind: str) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for i, role in self.labelled():
            if role.kind == kind and role.label is not None:
                found.setdefault(role.label.key, []).append(i)
        return found

    def fuzzy_find(self, label: Label, taken: set[int]) -> int | None:
        """A printed label with a typo (其他法律行政止公开): best close match, numbering equal."""
        target = label_key(label.label)
        prefix = _numbering_prefix(target)
        best: int | None = None
        best_ratio = 0.0
        for i in self.region:
            token = self.tokens[i]
            if i in taken or token.kind != TEXT or self.role(token) is not None:
                continue
            if _numbering_prefix(token.key) != prefix or abs(len(token.key) - len(target)) > max(2, len(target) // 4):
                continue
            ratio = SequenceMatcher(None, token.key, target).ratio()
            if ratio > best_ratio:
                best, best_ratio = i, ratio
        if best is None or best_ratio < 0.8:
            return None
        token = self.tokens[best]
        self.note(
            "label_variant",
            f"{self.table_title}行标题“{token.text}”与标准“{label.label}”不同，按“{label.label}”读取",
            [],
            [token],
        )
        return best

    # ------------------------------------------------------------ values

    def slots_after(self, index: int, stop: Callable[[Token], bool] | None = None) -> list[Token]:
        """The value tokens that follow a label: same row for cells, following paragraphs otherwise."""
        tokens, roles = self.tokens, self.roles
        label = tokens[index]
        in_cells, table, row = label.is_cell, label.table, label.row
        slots: list[Token] = []
        for i in range(index + 1, self.region.end):
            token = tokens[i]
            if in_cells and (token.table != table or token.row != row):  # not token.same_row(label)
                break
            if token.key in roles or (stop is not None and stop(token)):  # a label (no role has the key "")
                break
            if token.parsed.kind == TEXT and not (in_cells and token.is_cell):
                break
            slots.append(token)
        return slots

    def read_row(self, row_key: str, label_index: int, columns: tuple[Label, ...]) -> dict[str, CellValue] | None:
        """Fit the slots after a label to the columns; None when they do not fit."""
        slots = self.slots_after(label_index)
        reading = fit(slots, len(columns))
        if reading is None:
            return None
        label = self.tokens[label_index]
        if label.is_cell and all(map(_KEY_OF, reading)):  # none empty
            self.read_cleanly.append((label, reading))
        return self._accept(row_key, label_index, slots, reading, columns)

    def read_by_geometry(
        self, row_key: str, label_index: int, columns: tuple[Label, ...]
    ) -> dict[str, CellValue] | None:
        """Read a row whose empty cells are ambiguous by the columns its sibling rows use.

        Text flattened from a web page drops some empty cells and keeps others, so a row's own
        cells cannot tell a blank value from a placeholder.  Rows of the same table with the
        label in the same column and the same number of cells were read without doubt; when
        they all carry their values in the same columns, this row does too.
        """
        label = self.tokens[label_index]
        if not label.is_cell:
            return None
        # the value columns of the rows read without doubt that have this row's geometry
        geometry = self._geometry(label)
        learned = {
            tuple(token.col for token in reading)
            for seen, reading in self.read_cleanly
            if self._geometry(seen) == geometry
        }
        if len(learned) != 1:
            return None
        by_col = {token.col: token for token in self._row_tokens(label)}
        value_cols = next(iter(learned))
        if any(col not in by_col for col in value_cols):
            return None
        reading = [by_col[col] for col in value_cols]
        slots = self.slots_after(label_index)
        if any(token not in slots for token in reading) or any(
            not token.empty for token in slots if token not in reading
        ):
            return None
        return self._accept(row_key, label_index, slots, reading, columns)

    def glued_row(
        self, row: Label, label_index: int, columns: tuple[Label, ...], slots: list[Token] | None = None
    ) -> GluedRow | None:
        """The ways to cut a row's glued digits into its columns (None when it has none).

        ``slots``: the row's values, taken for glued by the caller, when they are not those after
        its label (table 4's data row, which may be runs of digits no flattened line was cut into).
        """
        if slots is None:
            slots = self.slots_after(label_index)
            if not any(token.glued for token in slots):
                return None
        slots = [token for token in slots if not token.empty]
        if not slots:
            return None
        cuts = split_candidates([token.text for token in slots], len(columns))
        # a sign starts a cell of a signed column (本年增/减): 20+1737 is 20|+17|37 or 20|+1|737 …,
        # never 2|0|+1737, whose 处理决定数量 would carry it
        signed = [column.key in self.signed_columns for column in columns]
        candidates = [
            _locate_parts(slots, parts)
            for parts in cuts or []
            if all(may or part[:1] not in "+-" for part, may in zip(parts, signed, strict=True))
        ]
        return GluedRow(row, label_index, columns, slots, candidates, too_many=cuts is None)

    def accept_glued(
        self, glued: GluedRow, choices: list[list[tuple[Token, int, str]]], *, record_label: bool = True
    ) -> dict[str, CellValue]:
        """Cells of a glued row: a cell is read where every remaining cut agrees on it."""
        self.consumed.add(glued.label_index)
        self.consumed.update(map(_INDEX_OF, glued.slots))
        printed = "".join(token.text for token in glued.slots)
        location = self.tokens[glued.label_index].location
        if record_label:
            self.row_labels[f"{self.table_name}.{glued.row.key}"] = location
        cells: dict[str, CellValue] = {}
        doubtful = []
        for position, column in enumerate(glued.columns):
            texts = {choice[position][2] for choice in choices}
            if len(texts) == 1:
                token, offset, text = choices[0][position]
                cells[column.key] = cell_from_token(_part_token(token, offset, text), self.settings)
            else:
                doubtful.append(column)
                note = f"连写数字“{printed}”可拆分为{len(texts)}种不同的值（{'、'.join(sorted(texts)[:4])}…），无法确定"
                # raw: the row's run, chunks apart, so a later step can cut it again (glued.resolve_by_previous)
                cells[column.key] = CellValue(
                    raw=" ".join(token.text for token in glued.slots),
                    status="unreadable",
                    location=location,
                    note=note,
                    reason="glued_ambiguous",
                )
        if doubtful:
            self.undecided_rows.append(glued.row.name)
            self.note(
                "unreadable_row",
                f"{self.table_title}“{glued.row.name}”行的数字连写为“{printed}”，表格自身的勾稽关系不足以唯一拆分，"
                f"{'、'.join(column.name for column in doubtful)}无法确定",
                [glued.cell_id(self.table_name, column) for column in doubtful],
                [self.tokens[glued.label_index]],
            )
        self.glued_rows.append(glued.row.name)
        if len({id(choice) for choice in choices}) < len(glued.candidates):
            # the table's arithmetic ruled out cuts: its checks on this row are not independent
            self.arithmetic_cuts.append(
                (glued.row.name, [glued.cell_id(self.table_name, col) for col in glued.columns])
            )
        return cells

    def note_glued(self) -> None:
        """One note per table on its rows whose digits ran together; the cells are those of the
        rows whose cut the table's own arithmetic chose (their 勾稽 checks cannot fail)."""
        if not self.glued_rows:
            return
        message = f"{self.table_title}有{len(self.glued_rows)}行数字连写（如网页被压成一行），已拆分为各列"
        if self.arithmetic_cuts:
            chosen = "、".join(f"“{name}”" for name, _cells in self.arithmetic_cuts)
            message += (
                f"；其中{len(self.arithmetic_cuts)}行（{chosen}）的拆法由表格自身的勾稽关系选定，"
                "这些行的勾稽核查不具独立性，需对照原件核对"
            )
        elif not self.undecided_rows:
            message += "，每行只有一种拆法"
        if self.undecided_rows:
            names = "、".join(f"“{name}”" for name in self.undecided_rows)
            message += f"；{len(self.undecided_rows)}行（{names}）有多种拆法，不能确定的单元格未读取"
        cells = [cell for _name, row_cells in self.arithmetic_cuts for cell in row_cells]
        self.note("glued_split", message, cells, [])

    def _row_tokens(self, label: Token) -> list[Token]:
        if self._rows is None:
            self._rows = {}
            for token in self.tokens[self.region.start : self.region.end]:
                if token.is_cell:
                    self._rows.setdefault((token.table, token.row), []).append(token)
        return self._rows.get((label.table, label.row), [])

    def _geometry(self, label: Token) -> tuple[int | None, int | None, int]:
        return label.table, label.col, len(self._row_tokens(label))

    def _accept(
        self, row_key: str, label_index: int, slots: list[Token], reading: list[Token], columns: tuple[Label, ...]
    ) -> dict[str, CellValue]:
        self.consumed.add(label_index)
        self.consumed.update(map(_INDEX_OF, slots))
        location = self.tokens[label_index].location
        if location is not None:
            self.row_labels[f"{self.table_name}.{row_key}"] = location
        return dict(zip(map(_KEY_OF, columns), cells_from_tokens(reading, self.settings), strict=True))

    def unreadable_row(
        self, row: Label, label_index: int, columns: tuple[Label, ...], what: str, *, too_many: bool = False
    ) -> dict[str, CellValue]:
        label = self.tokens[label_index]
        slots = self.slots_after(label_index)
        printed = [token.text for token in slots if not token.empty]
        reason = (
            f"{what}后应有{len(columns)}个数值，实际读到{len(printed)}个"
            f"（{'、'.join(printed) if printed else '无'}）"
            + ("，且有空白单元格无法确定位置" if len(printed) < len(columns) and len(slots) > len(printed) else "")
            + (_TOO_MANY_CUTS if too_many else "")
        )
        self.consumed.add(label_index)
        self.consumed.update(map(_INDEX_OF, slots))
        cells = [f"{self.table_name}.{row.key}.{col.key}" for col in columns]
        self.note("unreadable_row", f"{self.table_title}“{row.name}”行无法可靠读取：{reason}", cells, [label, *slots])
        location = label.location
        return {
            col.key: CellValue(
                value=None, raw=None, status="unreadable", location=location, note=reason, reason="row_unfit"
            )
            for col in columns
        }

    def missing_row(self, row: Label, columns: tuple[Label, ...], message: str | None = None) -> dict[str, CellValue]:
        cells = [f"{self.table_name}.{row.key}.{col.key}" for col in columns]
        self.note("missing_row", message or f"{self.table_title}缺少“{row.label}”行", cells, [])
        return {col.key: CellValue(status="missing", note="未找到该行") for col in columns}

    # ------------------------------------------------------------ header

    def check_header(self, labels: Iterable[Label | str], before: int, what: str) -> None:
        """Report header labels that are not printed (allowing labels split over two cells)."""
        header_tokens = [self.tokens[i] for i in range(self.region.start, before) if self.tokens[i].key]
        keys = [token.key for token in header_tokens]
        printed_at: dict[str, list[int]] = {}  # where each key is printed in the header
        for token in header_tokens:
            printed_at.setdefault(token.key, []).append(token.index)
        key_set = printed_at.keys()
        for label in labels:
            text = label if isinstance(label, str) else label.label
            variants = {label_key(text)} if isinstance(label, str) else label.match_keys()
            found = variants & key_set
            if found:
                for key in found:
                    self.consumed.update(printed_at[key])
                if not isinstance(label, str) and label_key(text) not in key_set:
                    printed = next(t for t in header_tokens if t.key in variants)
                    self.note("label_variant", f"{what}列标题“{printed.text}”与标准“{text}”不同", [], [printed])
                continue
            if _split_over_cells(label_key(text), keys):
                continue
            close = _closest(label_key(text), header_tokens)
            if close is not None:
                self.consumed.add(close.index)
                self.note("label_variant", f"{what}列标题“{close.text}”与标准“{text}”不同", [], [close])
            else:
                self.note("header_label_missing", f"{what}表头缺少“{text}”", [], [])

    def consume_roles(self, *kinds: str) -> None:
        self.consumed.update(i for i, role in self.labelled() if role.kind in kinds)

    def report_extra_rows(self, width: int) -> None:
        """Rows the format does not have (a 小计 row, an invented item): a label nobody claimed,
        followed by a full row of values."""
        tokens, roles, consumed = self.tokens, self.roles, self.consumed
        for i in self.region:
            if i in consumed:
                continue
            token = tokens[i]
            if token.parsed.kind != TEXT or token.key in roles:  # a value or a blank, or a label
                continue
            slots = self.slots_after(i)
            if slots and any(slot.index in self.consumed for slot in slots):
                continue  # a piece of a label before a row read by the order of rows
            if fit(slots, width) is not None and any(not slot.empty for slot in slots):
                values = "、".join(slot.text for slot in slots if not slot.empty)
                self.note("extra_row", f"{self.table_title}有标准格式之外的行“{token.text}”（{values}）", [], [token])
                self.consumed.add(i)
                self.consumed.update(slot.index for slot in slots)

    # ------------------------------------------------------------ notes

    def note(self, kind: NoteKind, message: str, cells: list[str], tokens: list[Token]) -> None:
        locations = [loc for loc in (token.location for token in tokens) if loc]
        self.notes.append(Note(kind=kind, table=self.table_name, message=message, cells=cells, locations=locations))

    @property
    def table_title(self) -> str:
        return {"table2": "表二", "table3": "表三", "table4": "表四"}[self.table_name]

    def result(self, data: TableData) -> TableResult:
        return TableResult(data, self.notes, self.consumed, self.row_labels)


@dataclass
class GluedRow:
    """A row whose values are glued digits with more than one possible cut."""

    row: Label
    label_index: int
    columns: tuple[Label, ...]
    slots: list[Token]
    candidates: list[list[tuple[Token, int, str]]]  # each cut: (chunk token, offset, cell text) per column
    too_many: bool = False  # too many cuts to list, or the search hit its bound: none listed

    def cell_id(self, table: str, column: Label) -> str:
        # table 4's one data row carries "group.column" keys
        return f"{table}.{column.key}" if "." in column.key else f"{table}.{self.row.key}.{column.key}"

    def values(self, candidate: list[tuple[Token, int, str]]) -> list[float] | None:
        numbers = []
        for _token, _offset, text in candidate:
            parsed = parse_value(text)
            if parsed.kind != "value" or parsed.number is None:
                return None
            numbers.append(float(parsed.number))
        return numbers


def _locate_parts(slots: list[Token], parts: list[str]) -> list[tuple[Token, int, str]]:
    """Where each cut part sits: its chunk token and offset (cuts never cross chunks)."""
    located = []
    chunk, offset = 0, 0
    for part in parts:
        if offset >= len(slots[chunk].text):
            chunk, offset = chunk + 1, 0
        located.append((slots[chunk], offset, part))
        offset += len(part)
    return located


def _part_token(token: Token, offset: int, text: str) -> Token:
    location = token.location
    if location.line is not None and location.column is not None:
        location = Location(line=location.line, column=location.column + offset)
    return make_token(token.index, text, location, token.table, token.row, token.col, token.grid_reliable)


RowValues = dict[str, list[float | None]]


def _resolve_glued(
    aligner: _Aligner,
    data: TableData,
    glued: list[GluedRow],
    row_ok: Callable[[list[float]], bool] | None,
    table_ok: Callable[[RowValues], bool] | None,
) -> None:
    """Choose cuts for glued rows: those the row's own sum allows, then those the table's
    column identities allow jointly; a cell stays unreadable where readings still differ."""
    if not glued:
        return  # nothing to choose (the identities would only be evaluated on fixed rows)
    domains: dict[str, list[list[tuple[Token, int, str]]]] = {}
    numbers: dict[str, list[list[float]]] = {}
    for row in glued:
        kept = []
        for candidate in row.candidates:
            values = row.values(candidate)
            if values is not None and (row_ok is None or row_ok(values)):
                kept.append((candidate, values))
        domains[row.row.key] = [candidate for candidate, _ in kept]
        numbers[row.row.key] = [values for _, values in kept]

    solutions = None
    if table_ok is not None and all(domains.values()):
        fixed: RowValues = {
            key: [cell.number if cell.number is None else float(cell.number) for cell in cols.values()]
            for key, cols in data.items()
            if key not in domains
        }
        solutions = _search(numbers, fixed, table_ok)
    for row in glued:
        key = row.row.key
        if solutions:
            choices = [domains[key][solution[key]] for solution in solutions]
        else:
            choices = domains[key] or row.candidates
        data[key] = aligner.accept_glued(row, choices)


def _search(
    numbers: dict[str, list[list[float]]], fixed: RowValues, table_ok: Callable[[RowValues], bool]
) -> list[dict[str, int]] | None:
    """All joint choices (index per row) that satisfy the table's identities; None if too many."""
    keys = sorted(numbers, key=lambda key: len(numbers[key]))
    solutions: list[dict[str, int]] = []
    budget = [200_000]
    assignment: RowValues = dict(fixed)
    chosen: dict[str, int] = {}

    def walk(k: int) -> bool:
        budget[0] -= 1
        if budget[0] < 0 or len(solutions) > 500:
            return False
        if k == len(keys):
            if table_ok(assignment):
                solutions.append(dict(chosen))
            return True
        key = keys[k]
        for index, values in enumerate(numbers[key]):
            assignment[key] = list(values)
            chosen[key] = index
            if not walk(k + 1):
                return False
        del assignment[key], chosen[key]
        return True

    if not walk(0):
        return None
    return solutions


def fit(slots: list[Token], n: int) -> list[Token] | None:
    """Fit printed slots to ``n`` columns, or None when more than one reading is possible."""
    filled = list(filter(_KEY_OF, slots))  # the tokens that are not empty
    if len(filled) == n:
        return filled
    if len(filled) > n:
        return None
    if len(slots) == n:
        return slots
    lead = next((k for k, token in enumerate(slots) if not token.empty), len(slots))
    trail = next((k for k, token in enumerate(reversed(slots)) if not token.empty), len(slots))
    readings: dict[tuple[bool, ...], list[Token]] = {}
    for start in range(lead + 1):
        dropped_at_end = len(slots) - start - n
        if 0 <= dropped_at_end <= trail:
            reading = slots[start : start + n]
            readings.setdefault(tuple(token.empty for token in reading), reading)
    return next(iter(readings.values())) if len(readings) == 1 else None


def cell_from_token(token: Token, settings: Settings = DEFAULT_SETTINGS) -> CellValue:
    """The cell a token reads as; the decision to leave it unreadable is recorded with its reason."""
    location, confidence, parsed = token.location, token.confidence, token.parsed
    kind = parsed.kind
    threshold = settings.ocr_min_confidence
    if confidence is not None and confidence < threshold:
        # OCR is unsure of what is printed: say so instead of taking a value that may be wrong
        note = f"识别置信度低（{confidence:.2f}），读作“{token.text}”，需对照原件核对"
        return CellValue(
            raw=token.text,
            status="unreadable",
            location=location,
            note=note,
            confidence=confidence,
            reason="ocr_low_confidence",
            threshold=float(threshold),  # as validation would store a threshold given as an int
        )
    if kind == TEXT:
        note = f"“{token.text}”不是数字"
        return CellValue(
            raw=token.text,
            status="unreadable",
            location=location,
            note=note,
            confidence=confidence,
            reason="not_a_number",
        )
    return CellValue(kind, token.text, location, confidence=confidence, value=parsed.number)  # a value or a blank


def cells_from_tokens(tokens: Iterable[Token], settings: Settings = DEFAULT_SETTINGS) -> list[CellValue]:
    """:func:`cell_from_token` of each token; a value or a blank printed in text (not OCR'd),
    a row's usual cell, is built without the call."""
    return [
        CellValue(parsed.kind, token.text, token.location, value=parsed.number)
        if token.confidence is None and (parsed := token.parsed).kind != TEXT
        else cell_from_token(token, settings)
        for token in tokens
    ]


# ================================================================== table 2


def extract_table2(
    tokens: list[Token], region: Region, spec: Table2Spec, settings: Settings = DEFAULT_SETTINGS
) -> TableResult:
    aligner = _Aligner("table2", tokens, region, settings)
    aligner.signed_columns = frozenset(spec.signed_columns)

    def index() -> None:
        for block in spec.blocks:
            aligner.add(ANCHOR, block.anchor)
            for row in block.rows:
                aligner.add(ROW, row)
            for col in block.columns:
                aligner.add(HEADER, col)
        for header in spec.header_labels:
            aligner.add(HEADER, header)

    aligner.index(spec, index)
    aligner.adopt_misprints(ANCHOR)

    found = aligner.positions(ROW)
    data, glued = _read_rows(aligner, [(row, block.columns) for block, row in spec.rows], found)
    _resolve_glued(aligner, data, glued, None, None)  # table 2 has no arithmetic to choose a cut
    aligner.note_glued()
    printed = {
        aligner.standard_key(tokens[i]) for i, _role in aligner.labelled()
    }  # the anchors are labels of the index
    for block in spec.blocks:
        if label_key(block.anchor) not in printed:
            aligner.note("header_label_missing", f"表二缺少“{block.anchor}”标题行", [], [])
    # block headers stand between the rows, so the whole region is header territory
    aligner.check_header(_unique(col for block in spec.blocks for col in block.columns), region.end, "表二")
    aligner.consume_roles(ANCHOR, HEADER)
    return aligner.result(data)


def _unique(labels: Iterable[Label]) -> list[Label]:
    seen: dict[str, Label] = {}
    for label in labels:
        seen.setdefault(label.label, label)
    return list(seen.values())


def _read_rows(
    aligner: _Aligner, plan: list[tuple[Label, tuple[Label, ...]]], found: dict[str, list[int]]
) -> tuple[TableData, list[GluedRow]]:
    """Read every planned row; rows that do not fit get a second try by their siblings' columns.

    Rows whose values are glued digits with more than one possible cut are returned apart, for
    the table's own arithmetic to decide (:func:`_resolve_glued`).
    """
    data: TableData = {}
    pending: list[tuple[Label, list[int], tuple[Label, ...]]] = []
    glued: list[GluedRow] = []
    taken = {i for indices in found.values() for i in indices}
    placed: dict[str, int] = {}  # row key → where its label stands, for the rows printed with values
    unplaced: dict[str, int | None] = {}  # row key → its label, if printed, for rows without values
    for row, columns in plan:
        positions = found.get(row.key, [])
        if not positions:
            fuzzy = aligner.fuzzy_find(row, taken)
            positions = [fuzzy] if fuzzy is not None else []
        data[row.key] = {}
        if not positions:
            unplaced[row.key] = None
            continue
        if len(positions) > 1:
            aligner.note(
                "duplicate_row", f"{aligner.table_title}“{row.name}”行出现{len(positions)}次，取第一处可读的", [], []
            )
        for i in positions:  # the first place that reads
            cells = aligner.read_row(row.key, i, columns)
            if cells is not None:
                data[row.key], placed[row.key] = cells, i
                break
        else:
            pending.append((row, positions, columns))
    for row, positions, columns in pending:
        cells = next(
            (c for c in (aligner.read_by_geometry(row.key, i, columns) for i in positions) if c is not None), None
        )
        if cells is None:
            glued_row = aligner.glued_row(row, positions[0], columns)
            if glued_row is not None and len(glued_row.candidates) == 1:
                cells = aligner.accept_glued(glued_row, glued_row.candidates)
            elif glued_row is not None and glued_row.candidates:
                glued.append(glued_row)
                placed[row.key] = positions[0]
                continue
            elif glued_row is None and all(token.empty for token in aligner.slots_after(positions[0])):
                unplaced[row.key] = positions[0]  # a label alone: its values may stand apart
                continue
            else:
                too_many = glued_row is not None and glued_row.too_many
                cells = aligner.unreadable_row(row, positions[0], columns, "行标题", too_many=too_many)
        data[row.key], placed[row.key] = cells, positions[0]
    data.update(_read_by_order(aligner, plan, placed, set(unplaced)))
    for row, columns in plan:
        label = unplaced.get(row.key)
        if row.key in unplaced and data[row.key] and label is not None:
            aligner.consumed.add(label)  # the label printed apart from the values read by order
        elif row.key in unplaced and not data[row.key]:
            if label is None:
                data[row.key] = aligner.missing_row(row, columns)
            else:
                data[row.key] = aligner.unreadable_row(row, label, columns, "行标题")
    return data, glued


def _read_by_order(
    aligner: _Aligner, plan: list[tuple[Label, tuple[Label, ...]]], placed: dict[str, int], unplaced: set[str]
) -> TableData:
    """Rows whose values stand without their label (a converter scattered the label's pieces
    elsewhere) read by the format's fixed order of rows.

    Between two rows found in printed order, when every row the format puts between them has no
    values of its own and exactly as many unlabelled rows of values stand there, the k-th of those
    is the k-th row: the same reading as by position in a grid.  Any other value printed in the
    gap, a count that differs, a piece of text that is no part of the row's label, or a row that
    does not fit its columns leaves the whole gap unread.
    """
    region = aligner.region
    order = [row for row, _columns in plan]
    columns_of = {row.key: columns for row, columns in plan}
    bounds = [(-1, region.start - 1)]
    bounds += [(k, placed[row.key]) for k, row in enumerate(order) if row.key in placed]
    bounds.append((len(order), region.end))
    out: TableData = {}
    for (first, lo), (last, hi) in pairwise(bounds):
        between = order[first + 1 : last]
        if not between or hi <= lo or any(row.key not in unplaced for row in between):
            continue
        start = lo + 1 + (len(aligner.slots_after(lo)) if first >= 0 else 0)  # past the row's own values
        groups = _unlabelled_values(aligner, start, hi)
        if groups is None or len(groups) != len(between):
            continue
        readings = []
        for row, (texts, values) in zip(between, groups, strict=True):
            reading = fit(values, len(columns_of[row.key]))
            keys = row.match_keys()
            if reading is None or not all(any(text.key in key for key in keys) for text in texts):
                break
            readings.append((row, [*texts, *values], reading))
        else:
            before = f"“{order[first].name}”" if first >= 0 else ""
            after = f"“{order[last].name}”" if last < len(order) else ""
            where = f"{before}与{after}之间" if before and after else f"{before}之后" if before else f"{after}之前"
            for k, (row, tokens, reading) in enumerate(readings, start=1):
                aligner.consumed.update(map(_INDEX_OF, tokens))
                columns = columns_of[row.key]
                out[row.key] = dict(
                    zip(map(_KEY_OF, columns), cells_from_tokens(reading, aligner.settings), strict=True)
                )
                aligner.note(
                    "row_by_order",
                    f"{aligner.table_title}“{row.name}”行的数值前没有行标题，按标准格式的行序读取：{where}"
                    f"有{len(between)}行没有行标题的数值，标准格式在此处恰有{len(between)}行，此为第{k}行",
                    [f"{aligner.table_name}.{row.key}.{col.key}" for col in columns],
                    tokens[:1],
                )
    return out


def _unlabelled_values(aligner: _Aligner, start: int, end: int) -> list[tuple[list[Token], list[Token]]] | None:
    """The rows of values printed in [start, end) without a label of the table: (pieces of text
    before the values, the values) for each row of cells and each run of value paragraphs.  None
    when something else stands there: a label, a value already read, text after a value."""
    groups: list[tuple[list[Token], list[Token]]] = []
    tokens = aligner.tokens
    i = start
    while i < end:
        token = tokens[i]
        if token.is_cell:
            row = [t for t in tokens[i:end] if t.same_row(token)]
            i += len(row)
        elif token.kind != TEXT:
            row = []
            while i < end and not tokens[i].is_cell and tokens[i].kind != TEXT:
                row.append(tokens[i])
                i += 1
        else:
            i += 1  # a paragraph of text between the rows: a piece of some label, or a page footer
            continue
        printed = [t for t in row if not t.empty]
        if not any(t.kind != TEXT for t in printed):
            continue  # a row of text only
        if any(t.index in aligner.consumed or aligner.role(t) is not None for t in row):
            return None
        texts = [t for t in printed if t.kind == TEXT]
        first_value = next(k for k, t in enumerate(row) if not t.empty and t.kind != TEXT)
        if any(t.kind == TEXT for t in row[first_value:]):
            return None
        groups.append((texts, row[first_value:]))
    return groups


# ================================================================== table 3


def extract_table3(
    tokens: list[Token], region: Region, spec: Table3Spec, settings: Settings = DEFAULT_SETTINGS
) -> TableResult:
    aligner = _Aligner("table3", tokens, region, settings)

    def index() -> None:
        for row in spec.rows:
            aligner.add(ROW, row)
        for group in spec.groups:
            aligner.add(GROUP, group)
        aligner.add(ANCHOR, spec.identity_note)
        for header in spec.header_labels:
            aligner.add(HEADER, header)
        aligner.add_unprefixed_variants(spec.rows)  # after the headers: 总计 stays a header

    aligner.index(spec, index)
    aligner.adopt_misprints(ANCHOR, GROUP)  # misprinted headers are check_header's (label_variant)

    found = aligner.positions(ROW)
    collapsed = _collapsed_row(aligner, spec, found)
    skipped = spec.collapsed_rows[collapsed[0]] if collapsed else ()
    data, glued = _read_rows(aligner, [(row, spec.columns) for row in spec.rows if row.key not in skipped], found)
    printed = {collapsed[0]} if collapsed else set()
    _resolve_glued(aligner, data, glued, spec.row_adds_up, lambda values: spec.columns_consistent(values, printed))
    aligner.note_glued()
    if collapsed:
        key, cells = collapsed
        # keep the printed order: the single row stands where its sub-rows would
        ordered: TableData = {}
        for row in spec.rows:
            if row.key == spec.collapsed_rows[key][0]:
                ordered[key] = cells
            if row.key in data:
                ordered[row.key] = data[row.key]
        data = ordered

    first_row = min((min(v) for v in found.values()), default=region.end)
    aligner.check_header(spec.columns, first_row, "表三")
    aligner.consume_roles(GROUP, ANCHOR, HEADER)
    aligner.report_extra_rows(len(spec.columns))
    return aligner.result(data)


def _collapsed_row(
    aligner: _Aligner, spec: Table3Spec, found: dict[str, list[int]]
) -> tuple[str, dict[str, CellValue]] | None:
    """A 2021 table that still prints a row the format splits (the trial format's single row)."""
    for key, sub_rows in spec.collapsed_rows.items():
        if any(sub in found for sub in sub_rows):
            continue
        label = spec.row(key)
        group_keys = label.match_keys()
        for i in aligner.region:
            if aligner.tokens[i].key in group_keys:
                cells = aligner.read_row(key, i, spec.columns)
                if cells is not None:
                    parts = "、".join(spec.row(sub).name for sub in sub_rows)
                    aligner.note(
                        "collapsed_row",
                        f"表三将“{label.label}”印为一行，本格式应分为{len(sub_rows)}行：{parts}",
                        [f"table3.{key}.{col.key}" for col in spec.columns],
                        [aligner.tokens[i]],
                    )
                    return key, cells
    return None


# ================================================================== table 4


def extract_table4(
    tokens: list[Token], region: Region, spec: Table4Spec, settings: Settings = DEFAULT_SETTINGS
) -> TableResult:
    aligner = _Aligner("table4", tokens, region, settings)

    def index() -> None:
        for header in spec.header_labels:
            aligner.add(HEADER, header)

    aligner.index(spec, index)
    aligner.adopt_misprints(HEADER)
    columns = [(group, col) for group in spec.groups for col in spec.columns]
    header_positions = [i for i, _role in aligner.labelled()]
    if not header_positions:
        headless = _table4_without_header(aligner, spec)
        if headless is not None:
            return aligner.result(headless)
        return aligner.result(
            {
                group.key: aligner.missing_row(group, spec.columns, f"表四缺少“{group.label}”表头")
                for group in spec.groups
            }
        )
    aligner.consumed.update(header_positions)
    _check_table4_header(aligner, spec, header_positions)

    slots = data_slots = _table4_slots(aligner, header_positions[-1] + 1)
    reading = fit(slots, len(columns))
    if reading is None:
        # groups printed one after another, each header followed by its five values
        between = [
            tokens[i]
            for i in range(header_positions[0], header_positions[-1])
            if aligner.role(tokens[i]) is None and tokens[i].kind != TEXT and not tokens[i].empty
        ]
        if between:
            slots = between + slots
            reading = fit(slots, len(columns))
    data: TableData = {}
    if reading is None and _glued_data(data_slots):
        return aligner.result(_table4_glued(aligner, spec, header_positions[-1], data_slots))
    if reading is None:
        printed = [token.text for token in slots if not token.empty]
        reason = f"表头后应有{len(columns)}个数值，实际读到{len(printed)}个（{'、'.join(printed) or '无'}）"
        aligner.note(
            "unreadable_row",
            f"表四数据行无法可靠读取：{reason}",
            [f"table4.{group.key}.{col.key}" for group, col in columns],
            slots[:1],
        )
        for group in spec.groups:
            data[group.key] = {
                col.key: CellValue(status="unreadable", note=reason, reason="row_unfit") for col in spec.columns
            }
        return aligner.result(data)
    aligner.consumed.update(map(_INDEX_OF, slots))
    for (group, col), cell in zip(columns, cells_from_tokens(reading, aligner.settings), strict=True):
        data.setdefault(group.key, {})[col.key] = cell
    return aligner.result(data)


def _table4_without_header(aligner: _Aligner, spec: Table4Spec) -> TableData | None:
    """Table 4 whose header no label of it can be recognised in (a converter broke it into
    pieces: 结果结果其他尚未…): the table has one data row of fifteen columns in a fixed order,
    so the one row of values the section holds is read by position — or cut where it is one
    run of digits.  None when the section holds no such single row."""
    groups = _unlabelled_values(aligner, aligner.region.start, aligner.region.end)
    if groups is None or len(groups) != 1:
        return None
    _texts, slots = groups[0]
    width = len(spec.groups) * len(spec.columns)
    reading = fit(slots, width)
    if reading is None and not (_glued_data(slots) and split_candidates([t.text for t in slots if not t.empty], width)):
        return None
    printed = "、".join(token.text for token in slots if not token.empty)
    aligner.note(
        "header_label_missing",
        f"表四表头未能识别，按标准格式的列序读取该部分唯一的一行数值（{printed}）",
        [],
        slots[:1],
    )
    if reading is None:
        return _table4_glued(aligner, spec, slots[0].index, slots)
    aligner.consumed.update(map(_INDEX_OF, slots))
    data: TableData = {}
    columns = [(group, col) for group in spec.groups for col in spec.columns]
    for (group, col), cell in zip(columns, cells_from_tokens(reading, aligner.settings), strict=True):
        data.setdefault(group.key, {})[col.key] = cell
    return data


def _glued_data(slots: list[Token]) -> bool:
    """Table 4's data printed as runs of digits: cut from a flattened line, or one cell (one
    line) holding every digit, 000000000000000.  Several cells of digits are not taken for one
    run: a row of fourteen counts with a cell dropped would be cut at the wrong place."""
    printed = [token for token in slots if not token.empty]
    if any(token.glued for token in printed):
        return True
    return len(printed) == 1 and bool(_DIGIT_RUN.fullmatch(printed[0].text))


def _table4_glued(aligner: _Aligner, spec: Table4Spec, header_end: int, slots: list[Token]) -> TableData:
    """Table 4's fifteen values glued into one run: keep the cuts where each group adds up."""
    flat = tuple(
        Label(f"{group.key}.{col.key}", col.label, (), f"{group.name}“{col.name}”")
        for group in spec.groups
        for col in spec.columns
    )
    found = aligner.glued_row(Label("data", "数据行"), header_end, flat, slots)
    choices = []
    if found is not None and found.candidates:
        consistent = [c for c in found.candidates if (v := found.values(c)) is not None and spec.groups_add_up(v)]
        choices = consistent or found.candidates
        cells = aligner.accept_glued(found, choices, record_label=False)
    else:
        cells = {
            col.key: CellValue(
                status="unreadable",
                note="表四数据无法读取" + (_TOO_MANY_CUTS if found is not None and found.too_many else ""),
                reason="row_unfit",
            )
            for col in flat
        }
    aligner.note_glued()
    data: TableData = {}
    for key, cell in cells.items():
        group, col = key.split(".")
        data.setdefault(group, {})[col] = cell
    return data


def _table4_slots(aligner: _Aligner, start: int) -> list[Token]:
    """The data row after the two-level header; rows of empty placeholders are skipped."""
    tokens = aligner.tokens
    slots: list[Token] = []
    i = start
    while i < aligner.region.end:
        token = tokens[i]
        if token.is_cell:
            row = [t for t in tokens[i : aligner.region.end] if t.same_row(token)]
            i += len(row)
            if all(t.empty for t in row):
                continue
            if row and row[0].kind == TEXT and all(t.kind != TEXT for t in row[1:]):
                row = row[1:]  # a row label such as 件数
            if any(t.kind == TEXT for t in row) and slots:
                break
            slots.extend(row)
            continue
        if token.kind == TEXT:
            break
        slots.append(token)
        i += 1
    return slots


def _check_table4_header(aligner: _Aligner, spec: Table4Spec, positions: list[int]) -> None:
    counts: dict[str, int] = {}
    for i in positions:
        key = aligner.standard_key(aligner.tokens[i])
        counts[key] = counts.get(key, 0) + 1
    expected = {label_key(col.label): len(spec.groups) for col in spec.columns}
    expected.update({label_key(label): 1 for label in (*spec.top_header, *(group.label for group in spec.groups))})
    for key, count in expected.items():
        if counts.get(key, 0) < count:
            aligner.note(
                "header_label_missing", f"表四表头中“{key}”应出现{count}次，实际{counts.get(key, 0)}次", [], []
            )


# ================================================================== helpers

_PREFIX = re.compile(r"^(?:\d{1,2}\.|\([一二三四五六七八九十]{1,2}\)|[一二三四五六七八九十]{1,2},)")


def _numbering_prefix(key: str) -> str:
    match = _PREFIX.match(key)
    return match.group(0) if match else ""


def _strip_numbering(key: str) -> str:
    return _PREFIX.sub("", key)


def _split_over_cells(target: str, keys: list[str]) -> bool:
    """商业 | 企业 printed in two header rows still make the label 商业企业."""
    for i, first in enumerate(keys):
        if first and target.startswith(first) and len(first) < len(target):
            rest = target[len(first) :]
            if rest in keys[i + 1 :]:
                return True
    return False


def _closest(target: str, tokens: list[Token]) -> Token | None:
    best, best_ratio = None, 0.0
    for token in tokens:
        if token.kind == TEXT and abs(len(token.key) - len(target)) <= max(2, len(target) // 3):
            ratio = SequenceMatcher(None, token.key, target).ratio()
            if ratio > best_ratio:
                best, best_ratio = token, ratio
    return best if best_ratio >= 0.75 else None
