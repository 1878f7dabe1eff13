"""One set of dataset variables over the 2019 and 2021 formats (docs/dataset.md is generated
from here).

Every cell a format may print is placed on exactly one :class:`Variable`.  A row or column that
means the same thing in both formats (FORMAT.md §2.2) is one variable with a cell in each
format; one that differs is kept apart under a name that says its format (``t2_2019_…``,
``t2_2021_…``) with a note on why.  Nothing is summed or derived: a variable is always one
printed cell of one report, so a researcher who merges the years compares like with like and
decides any bridging (for example 2021's three （六）其他处理 sub-rows against 2019's one row)
in the open.

What is shared and why:

- Table 3: the header (自然人 … 总计) and every row but （六）其他处理's sub-rows are printed
  with the same labels in both formats; the 2021 sub-rows exist only there.  （六）其他处理 as
  one row (the 2019 row, and the row a 2021 table prints when it leaves out the sub-rows) is
  one variable.
- Table 4: identical in both formats.
- Table 2: only the 处理决定数量 of 行政许可, 行政处罚 and 行政强制 — the count of decisions
  of the year in both (2019 “处理决定数量”, 2021 “本年处理决定数量”).  The other columns count
  different things (新制作/新公开/对外公开总数 against 制发/废止/现行有效; project counts
  against a fee amount) and 2019's 其他对外管理服务事项 and 政府集中采购 are gone in 2021.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from . import FORMATS, FormatSpec
from .gov2021 import GOV2021
from .spec import Label
from .trial2019 import TRIAL2019

TABLES = ("table2", "table3", "table4")

# Table 2 cells that mean the same thing in both formats, by (row key, column key).
_TABLE2_SHARED = {
    ("licensing", "decisions"),
    ("punishment", "decisions"),
    ("coercion", "decisions"),
}

# Why a table 2 row of one format has no counterpart in the other, by (format, row key).
_TABLE2_APART = {
    (
        "trial2019",
        "regulations",
    ): "2019 counts 新制作/新公开/对外公开总数, 2021 counts 制发/废止/现行有效: different counts.",
    ("trial2019", "normative_documents"): "As 规章: the 2019 columns count other things than the 2021 ones.",
    (
        "gov2021",
        "regulations",
    ): "2021 columns 制发/废止/现行有效 have no 2019 counterpart (2019: 新制作/新公开/对外公开总数).",
    ("gov2021", "normative_documents"): "As 规章 (2021 also prints 行政规范性文件 where 2019 printed 规范性文件).",
    ("trial2019", "licensing"): "上一年项目数量 and 本年增/减 exist only in 2019; 处理决定数量 is shared.",
    ("trial2019", "punishment"): "上一年项目数量 and 本年增/减 exist only in 2019; 处理决定数量 is shared.",
    ("trial2019", "coercion"): "上一年项目数量 and 本年增/减 exist only in 2019; 处理决定数量 is shared.",
    ("trial2019", "other_services"): "其他对外管理服务事项 was dropped in 2021.",
    ("trial2019", "fees"): "2019 counts fee items (上一年项目数量, 本年增/减); 2021 reports the amount in 万元.",
    ("gov2021", "fees"): "2021 reports the fee amount in 万元; 2019 counted fee items instead.",
    ("trial2019", "procurement"): "第二十条第（九）项 政府集中采购 was dropped in 2021.",
}

_TABLE3_APART = "（六）其他处理 is split into three sub-rows only in 2021; 2019 prints one row (see t3_other_*)."


@dataclass(frozen=True)
class Variable:
    """A column of the merged dataset: one printed cell per report, whichever format it used."""

    id: str  # stable English name: t3_granted_natural_person
    label: str  # Chinese: 表三 （一）予以公开 · 自然人
    table: str
    cells: tuple[tuple[str, str], ...]  # (format key, cell id) for every format that prints it
    note: str = ""  # why it is kept apart, for a variable only one format has

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(fmt for fmt, _ in self.cells)

    @property
    def shared(self) -> bool:
        return len(self.cells) > 1

    def cell(self, format_key: str) -> str | None:
        return dict(self.cells).get(format_key)


def _table2() -> Iterator[Variable]:
    done: set[tuple[str, str]] = set()
    for spec in (TRIAL2019, GOV2021):
        other = GOV2021 if spec is TRIAL2019 else TRIAL2019
        year = spec.key[-4:]
        for block, row in spec.table2.rows:
            for col in block.columns:
                if (row.key, col.key) in done:
                    continue
                label = f"表二 {block.anchor} {row.label} · {col.name}"
                cell_id = f"table2.{row.key}.{col.key}"
                if (row.key, col.key) in _TABLE2_SHARED:
                    if cell_id not in format_cell_ids(other):
                        raise ValueError(f"{cell_id} is shared but {other.key} does not print it")
                    done.add((row.key, col.key))
                    cells = tuple((fmt.key, cell_id) for fmt in (TRIAL2019, GOV2021))
                    yield Variable(f"t2_{row.key}_{col.key}", label, "table2", cells)
                    continue
                note = _TABLE2_APART[(spec.key, row.key)]
                yield Variable(f"t2_{year}_{row.key}_{col.key}", label, "table2", ((spec.key, cell_id),), note)


def _table3() -> Iterator[Variable]:
    shared_rows = {row.key for row in TRIAL2019.table3.all_rows} & {row.key for row in GOV2021.table3.all_rows}
    rows: list[Label] = list(GOV2021.table3.rows)
    # the collapsed （六）其他处理 stands before its sub-rows, as the 2019 table prints it
    other = GOV2021.table3.row("other")
    rows.insert(rows.index(GOV2021.table3.row("other_no_correction")), other)
    for row in rows:
        for col in GOV2021.table3.columns:
            label = f"表三 {row.name} · {col.label}"
            cell_id = f"table3.{row.key}.{col.key}"
            if row.key in shared_rows:
                cells = tuple((spec.key, cell_id) for spec in (TRIAL2019, GOV2021))
                yield Variable(f"t3_{row.key}_{col.key}", label, "table3", cells)
            else:
                yield Variable(f"t3_2021_{row.key}_{col.key}", label, "table3", (("gov2021", cell_id),), _TABLE3_APART)


def _table4() -> Iterator[Variable]:
    if TRIAL2019.table4 != GOV2021.table4:
        raise ValueError("table 4 differs between the formats: the crosswalk must say how")
    for group in GOV2021.table4.groups:
        for col in GOV2021.table4.columns:
            cell_id = f"table4.{group.key}.{col.key}"
            yield Variable(
                f"t4_{group.key}_{col.key}",
                f"表四 {group.name} · {col.label}",
                "table4",
                tuple((spec.key, cell_id) for spec in (TRIAL2019, GOV2021)),
            )


@cache
def variables() -> tuple[Variable, ...]:
    """Every dataset variable, table by table in printed order."""
    return (*_table2(), *_table3(), *_table4())


@cache
def _by_cell() -> dict[tuple[str, str], Variable]:
    out: dict[tuple[str, str], Variable] = {}
    for variable in variables():
        for placed in variable.cells:
            if placed in out:
                raise ValueError(f"{placed} is placed on {out[placed].id} and on {variable.id}")
            out[placed] = variable
    return out


def variable_for(format_key: str | None, cell_id: str) -> Variable | None:
    """The variable a cell of a report in ``format_key`` belongs to (None: a format without
    tables, or a cell no format prints)."""
    return _by_cell().get((format_key or "", cell_id))


def format_cell_ids(spec: FormatSpec) -> frozenset[str]:
    """Every cell id a report in ``spec`` may print (collapsed table 3 rows included)."""
    ids = {f"table2.{row.key}.{col.key}" for block, row in spec.table2.rows for col in block.columns}
    ids |= {f"table3.{row.key}.{col.key}" for row in spec.table3.all_rows for col in spec.table3.columns}
    ids |= {f"table4.{group.key}.{col.key}" for group in spec.table4.groups for col in spec.table4.columns}
    return frozenset(ids)


def unplaced() -> dict[str, frozenset[str]]:
    """Cells of a format that no variable places (empty when the crosswalk is complete)."""
    placed = _by_cell()
    return {
        key: frozenset(cell for cell in format_cell_ids(spec) if (key, cell) not in placed)
        for key, spec in FORMATS.items()
    }


_TABLE_TITLES = {
    "table2": "Table 2 — 主动公开政府信息情况",
    "table3": "Table 3 — 收到和处理政府信息公开申请情况",
    "table4": "Table 4 — 政府信息公开行政复议、行政诉讼情况",
}

_INTRO = """\
# The research dataset (`nianbao export`)

<!-- generated by `python -m nianbao.formats.crosswalk` (make docs); edit
src/nianbao/formats/crosswalk.py, not this file -->

`nianbao export --year Y -o dataset.csv|jsonl|xlsx` writes every stored table cell of every
report as one row (long format).  CSV is UTF-8 with a byte order mark (Excel opens it as is),
JSONL has one JSON object per line, XLSX has one sheet `数据1` (a dataset of more than 1,048,575
rows continues on `数据2` …).  `--region` keeps one region (a division code prefix or part of its
name); without `--year` every year is written.

## Columns

| column | meaning |
|---|---|
| `report_id` | the report's number in the store (`nianbao reports`) |
| `agency` | the agency (as the office's list names it; the printed name while it waits for a decision) |
| `region_code`, `region_name` | its administrative division (empty when not known) |
| `level` | 省级人民政府 … 乡镇人民政府（街道办事处）, as the list gives it (empty when not known) |
| `agency_type` | 政府 or 部门 (from the level) |
| `year` | the year reported on |
| `format_version` | `trial2019` (国办公开办函〔2019〕60号, reports on 2019–2020) or `gov2021` (〔2021〕30号) |
| `variable`, `label` | the dataset variable below: one name for a cell that means the same in both formats (empty for a report in no national format, before 2019) |
| `table`, `row`, `col` | the cell as the report's own format names it (`nianbao.report/1` keys) |
| `value` | the number as read; empty when the cell has no value |
| `status` | `value` (a number was printed), `blank` (the cell was empty, `/`, `—` …; the tables' rules count it as 0), `unreadable` (something was printed that is not a number), `missing` (the report does not have the cell) |
| `raw` | the text the cell printed |

A blank, unreadable or missing cell never becomes 0 in `value`: decide in the open how to treat
it (the statistics count `blank` as 0 and the other two as unknown).  Table 2's 本年增/减 may be
negative; 收费金额 (2021) is in 万元 and may have decimals; 采购总金额 (2019) has no printed unit.

## How the formats are merged

A variable is always one printed cell; nothing is summed or derived.  Where a row and column
mean the same thing in both formats (same label, same definition in the 2019 and 2021 formats)
the cells of both share one variable (`t3_granted_total`); where they do not, each format keeps
its own variable, named with its year (`t2_2019_…`, `t2_2021_…`, `t3_2021_…`) and the reason is
given.  In short:

- **Table 3** is shared except （六）其他处理: 2021 splits it into three sub-rows
  (`t3_2021_other_no_correction_*`, `t3_2021_other_no_fee_*`, `t3_2021_other_other_*`), 2019 prints
  one row (`t3_other_*`), which a 2021 table may also print when it leaves out the sub-rows.
  Summing the sub-rows to compare with 2019 is the researcher's step, not the dataset's.
- **Table 4** is identical in both formats: every variable is shared.
- **Table 2** shares only the 处理决定数量 of 行政许可, 行政处罚 and 行政强制
  (2019 “处理决定数量”, 2021 “本年处理决定数量”).  The 2019 columns 本年新制作/本年新公开/
  对外公开总数量 are not 2021's 本年制发/本年废止/现行有效; 2019 counts fee *items*, 2021 reports the
  fee *amount*; 其他对外管理服务事项 and 政府集中采购 exist only in 2019.
"""


def markdown() -> str:
    """docs/dataset.md: the columns, the merging rules and every variable with its cells."""
    lines = [_INTRO]
    for table in TABLES:
        lines += [
            "",
            f"## {_TABLE_TITLES[table]}",
            "",
            "| variable | label | 2019 cell | 2021 cell | kept apart because |",
            "|---|---|---|---|---|",
        ]
        for variable in variables():
            if variable.table != table:
                continue
            cells = [f"`{variable.cell(fmt)}`" if variable.cell(fmt) else "—" for fmt in ("trial2019", "gov2021")]
            lines.append(f"| `{variable.id}` | {variable.label} | {cells[0]} | {cells[1]} | {variable.note} |")
    shared = sum(variable.shared for variable in variables())
    lines += ["", f"{len(variables())} variables, {shared} of them shared by both formats.", ""]
    return "\n".join(lines)


__all__ = ["TABLES", "Variable", "format_cell_ids", "markdown", "unplaced", "variable_for", "variables"]


if __name__ == "__main__":
    print(markdown(), end="")
