"""Extraction builds its models without validation (``constructed``) and its cells as plain
records: every one of them must be exactly what validating the same fields gives."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter

from nianbao import parse_bytes
from nianbao.model import CellValue

FIXTURES = Path(__file__).parent / "fixtures"
FILES = sorted(
    path
    for folder, pattern in [("seeds", "*.txt"), *(("corpus", f"*.{ext}") for ext in ("txt", "md", "html", "docx"))]
    for path in (FIXTURES / folder).glob(pattern)
    if path.name != "README.md"
)


def _models(value: Any) -> Iterator[BaseModel]:
    """Every model inside ``value`` (a model, or containers of them), the outer ones first."""
    if isinstance(value, BaseModel):
        yield value
        for name in type(value).model_fields:
            yield from _models(getattr(value, name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _models(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _models(item)


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_extracted_models_validate_to_themselves(path: Path) -> None:
    report = parse_bytes(path.read_bytes(), path.name)
    checked = 0
    for model in _models(report):
        given = {name: getattr(model, name) for name in model.model_fields_set}
        validated = type(model).model_validate(given)
        assert validated == model, type(model).__name__
        assert validated.model_fields_set == model.model_fields_set, type(model).__name__
        # containers of the same types: validation would have copied them, never converted them
        for name in type(model).model_fields:
            assert type(getattr(validated, name)) is type(getattr(model, name)), f"{type(model).__name__}.{name}"
        checked += 1
    assert checked > 10  # the report, its sections, headings, notes …


# validation of a cell given as a mapping, as a report's tables validate one from JSON
_CELL = TypeAdapter(CellValue)


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_extracted_cells_validate_to_themselves(path: Path) -> None:
    report = parse_bytes(path.read_bytes(), path.name)
    cells = report.iter_cells()
    for cell_id, cell in cells:
        fields = {name: getattr(cell, name) for name in CellValue.__dataclass_fields__}
        validated = _CELL.validate_python(fields, strict=False)
        assert validated == cell, cell_id
        for name, value in fields.items():  # of the declared types, never converted
            assert type(getattr(validated, name)) is type(value), f"{cell_id}.{name}"
    assert len(cells) > 100
