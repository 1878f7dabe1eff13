"""Extraction's unvalidated constructor (``constructed``) must give what model_construct gives."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, Field

from nianbao.document import Location
from nianbao.model import DatedFact, Heading, NarrativeFigure, Note, Report, Section, constructed

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
