"""The plain-text report view of ``nianbao parse`` (drawn without rich)."""

from __future__ import annotations

from helpers import SEEDS
from nianbao.cli.plain import Column, box_table, report_lines, text_width
from nianbao.pipeline import load_report

CORPUS_TRIAL = SEEDS[0].parents[1] / "corpus" / "002_pingtan_2019.txt"  # trial format: long table-2 rows


def test_cjk_characters_take_two_columns() -> None:
    assert text_width("abc") == 3 and text_width("表三") == 4 and text_width("（一）1.") == 8


def test_every_table_line_has_the_same_width_and_fits_the_terminal() -> None:
    for path in (*SEEDS, CORPUS_TRIAL):
        report = load_report(path.read_bytes(), path.name)
        for width in (80, 120):
            lines = report_lines(report, width)
            boxed = [line for line in lines if line[:1] in "┏┃┡│└"]
            assert boxed, path
            tables = {text_width(line) for line in boxed}
            assert max(tables) <= width, (path, width)


def test_a_wide_cell_wraps_at_spaces_and_a_long_label_ends_in_an_ellipsis() -> None:
    lines = box_table(
        "表", [Column("", max_width=6), Column("数值", wrap=True)], [["一二三四五", "甲 乙 丙 丁"]], width=18
    )
    assert lines[4] == "│ 一二 … │ 甲 乙 │" and lines[5] == "│        │ 丙 丁 │"
    assert len({text_width(line) for line in lines[1:]}) == 1
