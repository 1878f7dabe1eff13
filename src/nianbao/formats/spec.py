"""The shape of a national format, as data.

A format version (``gov2021``, ``trial2019``) is one :class:`FormatSpec`: its six sections with
their heading variants, and tables 2–4 with every row and column label.  Readers never look at
these; extraction, rules, renderers and forms take their labels from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from .labels import label_key


@dataclass(frozen=True)
class Label:
    """A row or column of a table: its contract key, the printed label, and known variants."""

    key: str
    label: str
    variants: tuple[str, ...] = ()
    short: str = ""  # a short Chinese name for messages ("自然人", "予以公开")

    @property
    def name(self) -> str:
        return self.short or self.label

    def match_keys(self) -> set[str]:
        return {label_key(text) for text in (self.label, *self.variants)}


@dataclass(frozen=True)
class SectionSpec:
    number: int
    numeral: str  # 一 … 六
    title: str
    variants: tuple[str, ...] = ()

    @property
    def heading(self) -> str:
        return f"{self.numeral}、{self.title}"


@dataclass(frozen=True)
class Table2Block:
    """One block of table 2, headed by the 条例 item it reports under."""

    anchor: str  # 第二十条第（一）项
    columns: tuple[Label, ...]
    rows: tuple[Label, ...]


@dataclass(frozen=True)
class Table2Spec:
    title: str
    blocks: tuple[Table2Block, ...]
    header_labels: tuple[str, ...] = ("信息内容",)

    @property
    def rows(self) -> tuple[tuple[Table2Block, Label], ...]:
        return tuple((block, row) for block in self.blocks for row in block.rows)


@dataclass(frozen=True)
class Table3Spec:
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
    # Rows a 2021 table may print as one row instead (（六）其他处理 without sub-items)
    collapsed_rows: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)

    @property
    def applicant_columns(self) -> tuple[Label, ...]:
        return tuple(col for col in self.columns if col.key != self.total_column)

    def row(self, key: str) -> Label:
        return self._rows_by_key[key]

    def column(self, key: str) -> Label:
        return {col.key: col for col in self.columns}[key]

    @cached_property
    def _rows_by_key(self) -> dict[str, Label]:
        return {row.key: row for row in self.rows}


@dataclass(frozen=True)
class Table4Spec:
    title: str
    groups: tuple[Label, ...]
    columns: tuple[Label, ...]
    header_labels: tuple[str, ...]
    total_column: str = "total"


@dataclass(frozen=True)
class FormatSpec:
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
