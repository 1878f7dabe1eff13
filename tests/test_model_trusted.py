"""CellValue.trusted (extraction's unvalidated constructor) must give what validation gives."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest

from nianbao.document import Location
from nianbao.model import CellValue

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
