"""Fixtures shared by the tests (plain helpers are in helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import SEEDS


@pytest.fixture(params=SEEDS, ids=lambda p: p.stem[:3])
def seed(request: pytest.FixtureRequest) -> Path:
    return request.param
