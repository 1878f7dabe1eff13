"""Extraction builds the report's records without any checking (plain dataclasses, from its own
parts): every one of them must be exactly what validating the same fields gives, so a report
read from a file and one read from its JSON hold the same types."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from nianbao import parse_bytes
from nianbao.document import Location
from nianbao.model import CellValue, Heading, NarrativeFigure, Note

FIXTURES = Path(__file__).parent / "fixtures"
FILES = sorted(
    path
    for folder, pattern in [("seeds", "*.txt"), *(("corpus", f"*.{ext}") for ext in ("txt", "md", "html", "docx"))]
    for path in (FIXTURES / folder).glob(pattern)
    if path.name != "README.md"
)


def _records(value: Any) -> Iterator[Any]:
    """Every record inside ``value`` (a record, or containers of them), the outer ones first."""
    if dataclasses.is_dataclass(value) and not isinstance(value, (type, Location)):
        yield value
        for field in dataclasses.fields(value):
            yield from _records(getattr(value, field.name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _records(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _records(item)


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def _validate(cls: type, fields: dict[str, Any]) -> Any:
    adapter = _ADAPTERS.get(cls) or _ADAPTERS.setdefault(cls, TypeAdapter(cls))
    return adapter.validate_python(fields)


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_extracted_records_validate_to_themselves(path: Path) -> None:
    report = parse_bytes(path.read_bytes(), path.name)
    kinds: set[str] = set()
    for record in _records(report):
        cls = type(record)
        fields = {field.name: getattr(record, field.name) for field in dataclasses.fields(record)}
        validated = _validate(cls, fields)
        assert validated == record, cls.__name__
        for name, value in fields.items():  # of the declared types, never converted
            assert type(getattr(validated, name)) is type(value), f"{cls.__name__}.{name}"
        kinds.add(cls.__name__)
    assert {"Report", "Section", "Heading", "CellValue"} <= kinds


@pytest.mark.parametrize(
    ("cls", "fields"),
    [
        (CellValue, {"status": "value", "value": "3"}),  # a number is never read from a string
        (CellValue, {"status": "value", "value": True}),
        (CellValue, {"status": "bogus"}),
        (CellValue, {"location": {"line": "3"}}),
        (Heading, {"number": 2, "text": "二、", "numbering": "二、", "canonical": 1}),
        (NarrativeFigure, {"kind": "fee_yuan", "value": "0", "unit": "元", "text": "0元"}),
        (Note, {"kind": "no_such_kind", "message": "m"}),
        (Note, {"kind": "missing_row", "message": "m", "cells": "table3.a.b"}),
    ],
)
def test_records_refuse_what_is_not_their_type(cls: type, fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        _validate(cls, fields)


def test_records_are_written_without_their_unset_fields() -> None:
    note = Note(kind="missing_row", message="m", locations=[Location(line=3)])
    assert TypeAdapter(Note).dump_python(note, mode="json") == {
        "kind": "missing_row",
        "message": "m",
        "cells": [],
        "locations": [{"line": 3}],
    }
