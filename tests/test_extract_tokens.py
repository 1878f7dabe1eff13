"""The token stream: paragraphs and cells in reading order, each with its label key and value."""

from __future__ import annotations

from helpers import grid, tokens_of


def test_cells_follow_paragraphs_row_by_row() -> None:
    tokens = tokens_of("标题", grid([["a", "1"], ["b", "2"]]), "结尾")
    assert [token.text for token in tokens] == ["标题", "a", "1", "b", "2", "结尾"]
    assert [token.index for token in tokens] == list(range(6))
    assert [token.is_cell for token in tokens] == [False, True, True, True, True, False]
    assert tokens[1].same_row(tokens[2]) and not tokens[2].same_row(tokens[3])
    assert (tokens[4].table, tokens[4].row, tokens[4].col) == (1, 1, 1)  # the table is block 1


def test_values_blanks_and_placeholders_are_told_apart() -> None:
    value, dash, empty, text = tokens_of(grid([["12", "—", "", "不适用"]]))
    assert (value.kind, value.parsed.number, value.empty) == ("value", 12, False)
    assert (dash.kind, dash.empty) == ("blank", False)  # a printed dash is a blank, not a placeholder
    assert (empty.kind, empty.empty) == ("blank", True)
    assert text.kind == "text"


def test_stacked_header_cells_are_joined_and_keyed() -> None:
    (stacked,) = tokens_of(grid([["结\n果\n维\n持"]]))
    assert stacked.text == "结果维持" and stacked.key == "结果维持" and stacked.raw == "结\n果\n维\n持"
    (numbered,) = tokens_of("（三）1．属于国家秘密")
    assert numbered.key == "(三)1.属于国家秘密"


def test_a_token_keeps_where_it_came_from() -> None:
    paragraph, cell = tokens_of("总体情况", grid([["7"]]))
    assert paragraph.location.line == 1
    assert (cell.location.row, cell.location.col) == (0, 0)
