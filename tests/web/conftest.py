"""The store's tests run on whichever engine DATABASE_URL names (SQLite when unset).

The SQLite test database is a file, not Django's default in-memory one, so that a ``nianbao``
subprocess (the kill test) can open the same database the test reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

from nianbao.settings import Settings


@pytest.fixture(scope="session")
def django_db_modify_db_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    database = django_settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture
def home(tmp_path: Path, settings: Any) -> Iterator[Path]:
    """A fresh data directory; the in-process CLI uses it too."""
    home = tmp_path / "home"
    settings.NIANBAO = Settings(home=home)
    yield home


@pytest.fixture
def store_settings(home: Path) -> Settings:
    return Settings(home=home)
