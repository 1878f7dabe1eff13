"""The store's settings: DATABASE_URL, the data directory, SQLite's journal mode."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.db import connection

from nianbao.errors import SettingsError
from nianbao.web.database_url import parse_database_url
from nianbao.web.store.services.cells import stored_value


def test_postgres_urls() -> None:
    assert parse_database_url("postgres://clerk:p%40ss@db.example:6543/nianbao") == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "nianbao",
        "USER": "clerk",
        "PASSWORD": "p@ss",
        "HOST": "db.example",
        "PORT": "6543",
    }
    assert parse_database_url("postgresql://postgres@127.0.0.1/x")["PORT"] == ""


def test_sqlite_urls() -> None:
    assert parse_database_url("sqlite:////srv/nianbao/db.sqlite3")["NAME"] == "/srv/nianbao/db.sqlite3"
    assert parse_database_url("sqlite:///db.sqlite3")["NAME"] == "db.sqlite3"


@pytest.mark.parametrize("url", ["mysql://u@h/db", "postgres://u@h/", "sqlite://", "nonsense"])
def test_other_urls_stop_with_one_line(url: str) -> None:
    with pytest.raises(SettingsError, match="DATABASE_URL"):
        parse_database_url(url)


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_a_cell_value_is_stored_exactly_or_refused() -> None:
    assert str(stored_value("table4.x.y", 12.5)) == "12.5"
    assert stored_value("table4.x.y", None) is None
    with pytest.raises(Exception, match="原样保存"):
        stored_value("table4.x.y", 1e15)
    with pytest.raises(Exception, match="原样保存"):
        stored_value("table4.x.y", 0.1234567)


def test_the_cli_imports_django_only_when_a_store_command_runs() -> None:
    import subprocess
    import sys

    code = "import sys, nianbao.cli, nianbao.pipeline; print(any(m.split('.')[0] == 'django' for m in sys.modules))"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "False"


@pytest.mark.django_db
def test_a_migration_not_recorded_is_pending() -> None:
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    from nianbao.web import _all_recorded, _pending_migrations

    assert _all_recorded(connection) and _pending_migrations() == []
    (latest,) = MigrationLoader(connection).graph.leaf_nodes("store")  # the store's newest migration
    MigrationRecorder(connection).record_unapplied(*latest)
    assert not _all_recorded(connection)
    pending: list[Any] = [step[0] for step in cast(list[Any], _pending_migrations())]
    assert [(migration.app_label, migration.name) for migration in pending] == [latest]
