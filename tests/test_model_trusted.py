"""Extraction's unvalidated constructors (CellValue.trusted and read, constructed) must give what
validation and model_construct give."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest
from pydantic import BaseModel, Field

from nianbao.document import Location
from nianbao.model import CellValue, DatedFact, Heading, NarrativeFigure, Note, Report, Section, constructed

CASES: list[dict[str, Any]] = [
    {"value": 3, "raw": "3", "status": "value", "location": Location(line=4, column=2), "confidence": None},
    {"value": 2.5, "raw": "2.5", "status": "value", "location": Location(page=1, bbox=(1.0, 2.0, 3.0, 4.0))},
    {"raw": "—", "status": "blank", "location": Location(table=0, row=1, col=2), "confidence": 0.91},
    {"raw": "见附件", "status": "unreadable", "location": None, "note": "“见附件”不是数字", "reason": "not_a_number"},
    {
        "raw": "8",
        "status": "unreadable",
        "note": "识别置信度低",
        "confidence": 0.42,
        "reason": "ocr_low_confidence",
        "threshold": 0.8,
    },
    {},  # every default: a field added with a default_factory would need handling in trusted()
]


@pytest.mark.parametrize("fields", CASES)
def test_trusted_equals_validated(fields: dict[str, Any]) -> None:
    trusted, validated = CellValue.trusted(**fields), CellValue(**fields)
    assert trusted == validated
    assert trusted.model_fields_set == validated.model_fields_set
    assert trusted.model_dump() == validated.model_dump()
    assert trusted.model_dump_json() == validated.model_dump_json()
    assert repr(trusted) == repr(validated)
    assert pickle.loads(pickle.dumps(trusted)) == validated
    assert copy.deepcopy(trusted) == validated
    assert trusted.model_copy(update={"note": "x"}) == validated.model_copy(update={"note": "x"})


READ_CASES: list[tuple[Any, ...]] = [
    ("value", "3", Location(line=4, column=2), None, 3),
    ("value", "2.5", Location(page=1, bbox=(1.0, 2.0, 3.0, 4.0)), 0.93, 2.5),
    ("blank", "—", Location(table=0, row=1, col=2), None),
    ("blank", "", None, 0.91),
]


@pytest.mark.parametrize("args", READ_CASES)
def test_read_equals_validated(args: tuple[Any, ...]) -> None:
    status, raw, location, confidence, *value = args
    fields = {"status": status, "raw": raw, "location": location, "confidence": confidence}
    read, validated = CellValue.read(*args), CellValue(**fields, **({"value": value[0]} if value else {}))
    assert read == validated
    assert read.model_fields_set == validated.model_fields_set
    assert read.model_dump_json() == validated.model_dump_json()
    assert repr(read) == repr(validated)


CONSTRUCT_CASES: list[tuple[type[BaseModel], dict[str, Any]]] = [
    (Note, {"kind": "missing_row", "message": "表三缺少“（一）予以公开”行"}),  # the lists from their factories
    (Note, {"kind": "extra_row", "table": "table3", "message": "m", "cells": ["table3.a.b"], "locations": []}),
    (Section, {"heading": "一、总体情况", "text": "", "location": Location(line=3, column=1)}),
    (Heading, {"number": 2, "text": "二、主动公开", "numbering": "二、", "printed_number": 2, "canonical": True}),
    (DatedFact, {"how": "title", "text": "2023年度报告"}),
    (NarrativeFigure, {"kind": "fee_yuan", "value": 0, "unit": "元", "text": "未收取信息处理费", "section": 6}),
    (Report, {"format_version": "gov2021", "agency": "某局", "year": 2023}),
    (Report, {}),
]


@pytest.mark.parametrize(("cls", "fields"), CONSTRUCT_CASES, ids=lambda case: getattr(case, "__name__", ""))
def test_constructed_equals_model_construct(cls: type[BaseModel], fields: dict[str, Any]) -> None:
    made, reference = constructed(cls, **fields), cls.model_construct(**fields)
    assert made == reference
    assert made.model_fields_set == reference.model_fields_set
    assert list(made.__dict__) == list(reference.__dict__)  # the fields in their order
    assert repr(made) == repr(reference)
    assert made.__pydantic_extra__ is None and made.__pydantic_private__ is None
    for name, value in made.__dict__.items():
        if isinstance(value, (list, dict)) and name not in fields:
            assert value is not constructed(cls, **fields).__dict__[name], "a new container each time"


def test_constructed_refuses_what_it_cannot_reproduce() -> None:
    class Aliased(BaseModel):
        name: str = Field(alias="名称")

    class MutableDefault(BaseModel):
        cells: list[str] = []  # pydantic copies it; constructed would share it

    for cls in (Aliased, MutableDefault):
        with pytest.raises(TypeError):
            constructed(cls)
