"""The Django project: the store (``web/store/``), later the pages and the JSON API.

The CLI calls :func:`setup` before touching the database; nothing here is imported by the core.
"""

from __future__ import annotations

import os
from typing import Any

from ..errors import NianbaoError


class StoreError(NianbaoError):
    """The database cannot be used as asked (not migrated, unknown report or agency …)."""


_ready = False


def setup(*, migrate: bool | None = None) -> None:
    """Configure Django for command-line use, once per process.

    A fresh SQLite database in the data directory is created and migrated on first use, as a
    clerk expects of a desktop tool.  A PostgreSQL database is shared by several machines, so its
    schema changes only when someone runs ``nianbao db migrate`` (``migrate=True``); until then
    every command stops with one line saying so.
    """
    global _ready
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nianbao.web.settings")
    import django
    from django.apps import apps
    from django.conf import settings

    if not apps.ready:
        django.setup()
    if _ready and not migrate:
        return
    database = settings.DATABASES["default"]
    embedded = database["ENGINE"].endswith("sqlite3")
    if embedded and database["NAME"] != ":memory:":
        os.makedirs(os.path.dirname(os.path.abspath(database["NAME"])), exist_ok=True)
    pending = _pending_migrations()
    if pending and (migrate or (migrate is None and embedded)):
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    elif pending:
        raise StoreError("数据库尚未初始化或需要升级，请先运行 nianbao db migrate")
    _ready = True


def _pending_migrations() -> list[object]:
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor
    from django.db.utils import OperationalError

    try:
        if _all_recorded(connections[DEFAULT_DB_ALIAS]):
            return []
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    except OperationalError as exc:
        raise StoreError(f"无法连接数据库（{str(exc).strip().splitlines()[0]}）") from None
    return list(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _all_recorded(connection: Any) -> bool:
    """Every migration file of every app is recorded as applied, so none is pending: one query
    and a listing of the migrations folders, where building Django's migration graph imports
    every migration (a third of a second, in every command).  False sends the caller to Django's
    own check (a squashed migration, a folder not found …)."""
    import pkgutil
    from importlib import import_module

    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    on_disk: set[tuple[str, str]] = set()
    for config in apps.get_app_configs():
        name, _explicit = MigrationLoader.migrations_module(config.label)
        if name is None:
            continue
        try:
            package = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is not None and name.startswith(exc.name):
                continue  # an app without migrations
            return False
        paths = getattr(package, "__path__", None)
        if paths is None:
            return False
        on_disk |= {
            (config.label, info.name)
            for info in pkgutil.iter_modules(paths)
            if info.name[0] not in "_~" and not info.ispkg
        }
    recorder = MigrationRecorder(connection)
    return recorder.has_table() and on_disk <= set(recorder.applied_migrations())
