"""The shape of a national format, as data.

A format version (``gov2021``, ``trial2019``) is one :class:`FormatSpec`: its six sections with
their heading variants, and tables 2–4 with every row and column label.  Readers never look at
these; extraction, rules, renderers and forms take their labels from here.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from .labels import label_key

# Values are decimals read into floats; two sums this close are the same printed number.
TOLERANCE = 1e-6

# How people name the three statistics tables (the contract's table2 … table4).
TABLE_TITLES = {"table2": "表二", "table3": "表三", "table4": "表四"}


def balances(left: Iterable[float], right: Iterable[float]) -> bool:
    """Σ left = Σ right, to float tolerance: the shape of every identity the tables print."""
    return abs(math.fsum(left) - math.fsum(right)) < TOLERANCE


def adds_up(total: float, parts: Iterable[float]) -> bool:
    """``total`` is the sum of ``parts`` (a total column, （七）总计, a table 4 group)."""
    return balances((total,), parts)


@dataclass(frozen=True)
class Label:
    """A row or column of a table: its contract key, the printed label, and known variants."""

    key: str
    label: str
    variants: tuple[str, ...] = ()
    short: str = ""  # a short Chinese name for messages ("自然人", "予以公开")
    # the keys the label and its variants are printed as, worked out on first use (extraction
    # asks for them in every report; a command that reads none should not pay at import)
    _keys: frozenset[str] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.short or self.label

    def match_keys(self) -> frozenset[str]:
        keys = self._keys
        if keys is None:
            keys = frozenset(label_key(text) for text in (self.label, *self.variants))
            object.__setattr__(self, "_keys", keys)  # a memo of the frozen fields, not a change
        return keys


@dataclass(frozen=True)
class SectionSpec:
    """One of a format's sections: its number, numeral, title and known variants."""

    number: int
    numeral: str  # 一 … 六
    title: str
    variants: tuple[str, ...] = ()

    @property
    def heading(self) -> str:
        return f"{self.numeral}、{self.title}"

    def title_keys(self) -> set[str]:
        """The keys of the title and its known wordings."""
        return {label_key(text) for text in (self.title, *self.variants)}


@dataclass(frozen=True)
class Table2Block:
    """One block of table 2, headed by the 条例 item it reports under."""

    anchor: str  # 第二十条第（一）项
    columns: tuple[Label, ...]
    rows: tuple[Label, ...]


@dataclass(frozen=True)
class Table2Spec:
    """A format's table 2 (proactive disclosure): its blocks of rows and columns."""

    title: str
    blocks: tuple[Table2Block, ...]
    header_labels: tuple[str, ...] = ("信息内容",)
    # columns whose values may carry a sign (+1036, −18): every other one is a count or an amount
    signed_columns: tuple[str, ...] = ()
    # (narrative figure kind, "row.column"): the cell a figure of the narrative states
    # (制发行政规范性文件N件 is 本年制发件数 of 行政规范性文件)
    narrative_cells: tuple[tuple[str, str], ...] = ()

    @property
    def rows(self) -> tuple[tuple[Table2Block, Label], ...]:
        return tuple((block, row) for block in self.blocks for row in block.rows)

    @property
    def anchors(self) -> tuple[str, ...]:
        """Printed labels that open the table: its header and the 条例 item of each block."""
        return (*self.header_labels, *(block.anchor for block in self.blocks))


@dataclass(frozen=True)
class Table3Spec:
    """A format's table 3 (applications): its columns, rows and the identities between them."""

    title: str
    identity_note: str
    columns: tuple[Label, ...]
    rows: tuple[Label, ...]  # data rows in printed order
    result_rows: tuple[str, ...]  # keys summed by （七）总计
    groups: tuple[Label, ...]  # labels that only group rows (三、本年度办理结果, （三）不予公开 …)
    header_labels: tuple[str, ...]  # every label printed in the column header
    total_column: str = "total"
    # Keys of the rows that the single 勾稽 identity relates: 一 + 二 = 三（七） + 四
    received_new: str = "received_new"
    carried_over_in: str = "carried_over_in"
    results_total: str = "results_total"
    carried_over_out: str = "carried_over_out"
    # Rows a 2021 table may print as one row instead (（六）其他处理 without sub-items): the
    # collapsed row's key → the keys of the sub-rows it stands for, and its printed label
    collapsed_rows: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    collapsed_labels: tuple[Label, ...] = ()

    @property
    def applicant_columns(self) -> tuple[Label, ...]:
        return tuple(col for col in self.columns if col.key != self.total_column)

    @property
    def all_rows(self) -> tuple[Label, ...]:
        """Every row a table may print: the data rows and the collapsed rows."""
        return (*self.rows, *(label for label in self.collapsed_labels if label.key not in self._rows_by_key))

    def row(self, key: str) -> Label:
        """A data row or a collapsed row by its key."""
        return self._rows_by_key.get(key) or {label.key: label for label in self.collapsed_labels}[key]

    def column(self, key: str) -> Label:
        return {col.key: col for col in self.columns}[key]

    @cached_property
    def _rows_by_key(self) -> dict[str, Label]:
        return {row.key: row for row in self.rows}

    # ------------------------------------------------------------ anchors

    @property
    def anchors(self) -> tuple[str, ...]:
        """Printed labels that open the table: the identity note, the header's first cell and
        the first row with its variants."""
        first = self.row(self.received_new)
        return (self.identity_note, self.header_labels[0], first.label, *first.variants)

    # ------------------------------------------------------------ identities (勾稽关系)

    @property
    def balance(self) -> tuple[tuple[str, str], tuple[str, str]]:
        """The identity the table prints, per column: 一＋二＝三（七）＋四 as row keys."""
        return (self.received_new, self.carried_over_in), (self.results_total, self.carried_over_out)

    def summed_rows(self, printed: Collection[str] = ()) -> tuple[str, ...]:
        """The rows （七）总计 sums, in printed order; a collapsed row among ``printed`` stands
        where its sub-rows would."""
        rows = list(self.result_rows)
        for collapsed, sub_rows in self.collapsed_rows.items():
            if collapsed in printed:
                first = rows.index(sub_rows[0])
                rows = [row for row in rows if row not in sub_rows]
                rows.insert(first, collapsed)
        return tuple(rows)

    def row_adds_up(self, values: Sequence[float]) -> bool:
        """One row's values in column order: the total column is the sum of the applicants."""
        return _total_adds_up(self.columns, self.total_column, values)

    def columns_consistent(self, values: Mapping[str, Sequence[float | None]], printed: Collection[str] = ()) -> bool:
        """Rows of values in column order (None: unknown): no column breaks 一＋二＝三（七）＋四
        or （七）＝Σ results where all its terms are known."""
        (new, carried_in), (total, carried_out) = self.balance
        summed = self.summed_rows(printed)
        for column in range(len(self.columns)):

            def at(row: str, column: int = column) -> float | None:
                row_values = values.get(row)
                return None if row_values is None or len(row_values) <= column else row_values[column]

            left, right = [at(new), at(carried_in)], [at(total), at(carried_out)]
            if _all_known(left + right) and not balances(_known(left), _known(right)):
                return False
            parts = [at(row) for row in summed]
            results_total = at(total)
            if results_total is not None and _all_known(parts) and not adds_up(results_total, _known(parts)):
                return False
        return True


@dataclass(frozen=True)
class Table4Spec:
    """A format's table 4 (reviews and lawsuits): its column groups and columns."""

    title: str
    groups: tuple[Label, ...]
    columns: tuple[Label, ...]
    header_labels: tuple[str, ...]
    total_column: str = "total"

    @property
    def part_columns(self) -> tuple[Label, ...]:
        """The columns a group's total sums: 结果维持, 结果纠正, 其他结果, 尚未审结."""
        return tuple(col for col in self.columns if col.key != self.total_column)

    @property
    def top_header(self) -> tuple[str, ...]:
        """The header's first row, which opens the table: 行政复议 over its own columns, then the
        label over the litigation groups (行政诉讼)."""
        known = {group.label for group in self.groups} | {col.label for col in self.columns}
        return (self.groups[0].label, *(label for label in self.header_labels if label not in known))

    def group_adds_up(self, values: Sequence[float]) -> bool:
        """One group's values in column order: its total is the sum of the other columns."""
        return _total_adds_up(self.columns, self.total_column, values)

    def groups_add_up(self, values: Sequence[float]) -> bool:
        """The whole data row (every group's columns, group after group): each group adds up."""
        width = len(self.columns)
        return all(self.group_adds_up(values[start : start + width]) for start in range(0, len(values), width))


def _total_adds_up(columns: Sequence[Label], total_column: str, values: Sequence[float]) -> bool:
    keys = [col.key for col in columns]
    at = keys.index(total_column)
    return adds_up(values[at], (value for k, value in enumerate(values) if k != at))


def _all_known(values: Iterable[float | None]) -> bool:
    return all(value is not None for value in values)


def _known(values: Iterable[float | None]) -> list[float]:
    return [value for value in values if value is not None]


@dataclass(frozen=True)
class FormatSpec:
    """One version of the national format: its years, sections and tables."""

    key: str  # gov2021 / trial2019
    name: str  # the document that set the format
    first_year: int
    last_year: int | None
    sections: tuple[SectionSpec, ...]
    table2: Table2Spec
    table3: Table3Spec
    table4: Table4Spec
    # Labels that only this version prints; detection counts them.
    signatures: tuple[str, ...]

    def section(self, number: int) -> SectionSpec:
        return self.sections[number - 1]

    def covers_year(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)

    # ------------------------------------------------------------ names for people

    def row_place(self, table: str, row: str) -> str:
        """Where a row is, as a reader looks for it: 表三“（一）予以公开”行, 表二“规章”行, 表四行政复议
        (table 4's groups are column groups over one row of figures)."""
        title = TABLE_TITLES.get(table, table)
        if table == "table4":
            group = {g.key: g.name for g in self.table4.groups}.get(row)
            return f"{title}{group}" if group else f"{title}{row}"
        name = self._row_names(table).get(row)
        return f"{title}“{name}”行" if name else f"{title}{row}"

    def cell_name(self, table: str, row: str, col: str) -> str:
        """A cell as messages name it: 表三“一、本年新收”行自然人列, 表四行政复议“总计”, 表二“规章”行“本年制发件数”."""
        if table == "table3" and row in self._row_names(table):
            return f"{self.row_place(table, row)}{self.table3.column(col).name}列"
        if table == "table4":
            column = {c.key: c.name for c in self.table4.columns}.get(col, col)
            return f"{self.row_place(table, row)}“{column}”"
        if table == "table2":
            for block, label in self.table2.rows:
                if label.key == row:
                    column = {c.key: c.name for c in block.columns}.get(col, col)
                    return f"{self.row_place(table, row)}“{column}”"
        return f"{TABLE_TITLES.get(table, table)}{row}.{col}"

    def printed_order(self, table: str) -> dict[str, tuple[str, ...]]:
        """Each row of a table (a group of table 4) in the order the format prints them, with its
        columns' keys in order; table 3's collapsed row stands where its first sub-row would."""
        if table == "table2":
            return {label.key: tuple(col.key for col in block.columns) for block, label in self.table2.rows}
        if table == "table3":
            spec = self.table3
            columns = tuple(col.key for col in spec.columns)
            order: dict[str, tuple[str, ...]] = {}
            for row in spec.rows:
                for collapsed, sub_rows in spec.collapsed_rows.items():
                    if sub_rows[0] == row.key:
                        order[collapsed] = columns
                order[row.key] = columns
            return order
        if table == "table4":
            columns = tuple(col.key for col in self.table4.columns)
            return {group.key: columns for group in self.table4.groups}
        return {}

    def _row_names(self, table: str) -> dict[str, str]:
        if table == "table2":
            return {label.key: label.label for _block, label in self.table2.rows}
        if table == "table3":
            return {label.key: label.name for label in self.table3.all_rows}
        return {}

    @cached_property
    def table_label_keys(self) -> frozenset[str]:
        """The key of every label tables 2–4 print (anchors, headers, rows, groups): a line
        printing one is part of a table, never a section heading (四、结转下年度继续办理)."""
        texts: list[str] = [*self.table2.anchors, self.table3.identity_note, *self.table3.header_labels]
        texts += self.table4.header_labels
        labels = [
            *(label for block in self.table2.blocks for label in (*block.columns, *block.rows)),
            *self.table3.all_rows,
            *self.table3.groups,
            *self.table4.groups,
            *self.table4.columns,
        ]
        return frozenset({label_key(text) for text in texts} | {key for label in labels for key in label.match_keys()})
