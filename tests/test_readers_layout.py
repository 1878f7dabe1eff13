"""The page layout shared by the PDF and OCR readers (``readers/layout/``), on pages built in code."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import pytest

from nianbao.document import Table
from nianbao.readers.layout.assembly import assemble
from nianbao.readers.layout.content import Edge, Fragment, PageContent
from nianbao.readers.layout.geometry import TOLERANCES, Tolerances
from nianbao.readers.layout.lattice import DisjointSets, find_lattices
from nianbao.readers.layout.lines import group_lines, join_fragments

READERS = Path(__file__).resolve().parents[1] / "src" / "nianbao" / "readers"
GLYPH = 10.0  # points


def grid(table: Table) -> list[list[str]]:
    rows: dict[int, dict[int, str]] = {}
    for cell in table.cells:
        rows.setdefault(cell.row, {})[cell.col] = cell.text
    return [[row[c] for c in sorted(row)] for _, row in sorted(rows.items())]


def word(text: str, x0: float, top: float, score: float | None = None) -> Fragment:
    """One fragment per character, as a text layer gives them."""
    return Fragment(text, x0, top, x0 + GLYPH * len(text), top + GLYPH, score=score)


def ruled_page(number: int, top: float, rows: list[list[str]], xs: tuple[float, ...] = (100, 300, 450)) -> PageContent:
    """A page holding one fully ruled table whose first rule is at ``top``."""
    height = 24.0
    ys = [top + height * k for k in range(len(rows) + 1)]
    edges = [Edge("h", y, xs[0], xs[-1]) for y in ys] + [Edge("v", x, ys[0], ys[-1]) for x in xs]
    fragments = [word(text, xs[c] + 4, ys[r] + 7) for r, row in enumerate(rows) for c, text in enumerate(row) if text]
    return PageContent(number, 595, 842, fragments, edges)


# ---------------------------------------------------------------------------- tolerances


def test_tolerances_are_named_and_the_defaults_are_valid() -> None:
    assert TOLERANCES.snap == 3.0 and TOLERANCES.min_borderless_rows == 3
    wider = TOLERANCES.replace(snap=4.0)
    assert wider.snap == 4.0 and TOLERANCES.snap == 3.0  # frozen: replace gives a new one


@pytest.mark.parametrize(
    "change",
    [
        {"snap": -1.0},
        {"touch": 0},
        {"join": math.nan},
        {"column_gap": math.inf},
        {"word_gap": True},
        {"rule_cover": 1.5},
        {"margin_zone": 0.5},
        {"min_borderless_rows": 1},
        {"min_borderless_rows": 2.5},
    ],
)
def test_a_bad_tolerance_raises(change: dict[str, object]) -> None:
    (name,) = change
    with pytest.raises(ValueError, match=name):
        Tolerances(**change)  # type: ignore[arg-type]


def test_touching_rules() -> None:
    h = Edge("h", 100, 50, 200)
    assert TOLERANCES.touches(h, Edge("v", 202, 100, 150))  # ends within 3 pt
    assert not TOLERANCES.touches(h, Edge("v", 204, 100, 150))
    assert TOLERANCES.replace(touch=5).touches(h, Edge("v", 204, 100, 150))


# ---------------------------------------------------------------------------- union-find and lattices


def test_disjoint_sets() -> None:
    sets = DisjointSets(6)
    sets.union(0, 1)
    sets.union(4, 5)
    sets.union(1, 5)
    assert sets.find(0) == sets.find(4) != sets.find(2)
    assert sorted(sorted(members) for members in sets.groups().values()) == [[0, 1, 4, 5], [2], [3]]


def test_a_missing_rule_merges_cells_into_a_span() -> None:
    # 2×2 grid whose middle vertical rule stops after the first row: the second row is one cell
    edges = [Edge("h", y, 0, 200) for y in (0, 20, 40)]
    edges += [Edge("v", 0, 0, 40), Edge("v", 200, 0, 40), Edge("v", 100, 0, 20)]
    (lattice,) = find_lattices(edges)
    spans = sorted((c.row, c.col, c.rowspan, c.colspan) for c in lattice.cells)
    assert spans == [(0, 0, 1, 1), (0, 1, 1, 1), (1, 0, 1, 2)]
    assert lattice.cell_at(150, 30) == lattice.cell_at(50, 30)


def test_rules_that_do_not_touch_make_no_table() -> None:
    edges = [Edge("h", 0, 0, 100), Edge("h", 20, 0, 100), Edge("v", 110, 30, 60), Edge("v", 130, 30, 60)]
    assert find_lattices(edges) == []


# ---------------------------------------------------------------------------- lines


def test_fragments_on_one_baseline_form_a_line_left_to_right() -> None:
    fragments = [
        word("续", 121, 101),  # a point lower: the same line
        word("主动", 100, 100),
        word("公开", 100, 130),  # the next line
    ]
    first, second = group_lines(fragments, 1)
    assert [f.text for f in first.fragments] == ["主动", "续"] and first.text == "主动续"
    assert second.text == "公开" and second.em == GLYPH


def test_wide_gaps_and_text_layer_spaces_become_one_space() -> None:
    glued = [word("规章", 0, 0), word("3", 20.5, 0)]
    assert join_fragments(glued, GLYPH) == "规章3"
    apart = [word("规章", 0, 0), word("3", 24, 0)]  # 4 pt > 0.3 em
    assert join_fragments(apart, GLYPH) == "规章 3"
    spaced = [word("of", 0, 0), Fragment("x", 21, 0, 26, 10, space_before=True)]
    assert join_fragments(spaced, GLYPH) == "of x"


# ---------------------------------------------------------------------------- across pages


def test_a_table_continued_on_the_next_page_is_one_table() -> None:
    header = ["项目", "数量"]
    first = ruled_page(1, 600, [header, ["甲", "1"], ["乙", "2"]])
    second = ruled_page(2, 80, [header, ["丙", "3"]])  # the header repeated at the top
    notes: list[str] = []
    document = assemble([first, second], "x.pdf", "pdf", notes)
    (table,) = document.tables()
    assert grid(table) == [header, ["甲", "1"], ["乙", "2"], ["丙", "3"]]
    assert [c.location.page for c in table.cells if c.text == "丙"] == [2]
    assert notes == ["跨页表格已接续（第2页）"]


def test_a_row_broken_by_the_page_break_is_one_row() -> None:
    first = ruled_page(1, 600, [["事项", "数量"], ["甲", "1"], ["其他事项的", ""]])
    second = ruled_page(2, 80, [["处理结果", "5"], ["乙", "2"]], xs=(110, 310, 460))  # mirrored margins
    (table,) = assemble([first, second], "x.pdf", "pdf", []).tables()
    assert grid(table) == [["事项", "数量"], ["甲", "1"], ["其他事项的\n处理结果", "5"], ["乙", "2"]]


def test_a_table_with_other_columns_on_the_next_page_stays_apart() -> None:
    first = ruled_page(1, 600, [["项目", "数量"], ["甲", "1"]])
    second = ruled_page(2, 80, [["名称", "数", "备注"], ["乙", "2", ""]], xs=(100, 200, 300, 450))
    assert len(assemble([first, second], "x.pdf", "pdf", []).tables()) == 2


def test_a_cell_is_as_sure_as_its_least_sure_fragment() -> None:
    page = ruled_page(1, 100, [["项目", "数量"], ["甲", ""]])
    page.fragments += [word("1", 304, 131, score=0.93), word("2", 316, 131, score=0.61)]
    (table,) = assemble([page], "x.png", "ocr", []).tables()
    (cell,) = [c for c in table.cells if c.row == 1 and c.col == 1]
    assert cell.text == "12" and cell.confidence == 0.61


# ---------------------------------------------------------------------------- the import graph


def _imports(path: Path) -> set[str]:
    """Every module a file imports (also inside functions), relative imports resolved."""
    package = ["nianbao", *path.relative_to(READERS.parent).parent.parts]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def test_the_ocr_reader_does_not_import_the_pdf_reader() -> None:
    assert "nianbao.readers.pdf" not in _imports(READERS / "ocr.py")
    assert "nianbao.readers.layout.assembly" in _imports(READERS / "ocr.py")  # the resolution works


def test_the_layout_imports_neither_reader() -> None:
    for path in (READERS / "layout").glob("*.py"):
        imported = _imports(path)
        assert not imported & {"nianbao.readers.pdf", "nianbao.readers.ocr"}, path.name


def test_readers_take_their_settings_as_a_parameter() -> None:
    for path in READERS.rglob("*.py"):
        imported = _imports(path)
        assert "nianbao.config" not in imported, path.name
        assert "os.environ" not in path.read_text(encoding="utf-8") and "getenv" not in path.read_text(encoding="utf-8")
