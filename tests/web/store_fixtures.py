"""Helpers shared by the store's tests (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from helpers import CORPUS, FIXTURES, SEEDS

__all__ = ["CORPUS", "FIXTURES", "NIANBAO", "SEEDS", "database_url", "subprocess_env"]

NIANBAO = Path(sys.executable).with_name("nianbao")


def database_url() -> str:
    """The test database as a DATABASE_URL, for subprocesses."""
    from django.db import connection

    database = connection.settings_dict
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{database['NAME']}"
    user = database.get("USER") or ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or "5432"
    return f"postgres://{user}@{host}:{port}/{database['NAME']}"


def subprocess_env(home: Path) -> dict[str, str]:
    return {**os.environ, "NIANBAO_HOME": str(home), "DATABASE_URL": database_url(), "PYTHONIOENCODING": "utf-8"}
