"""What the store benchmarks share: running the CLI, and a store of their own per engine.

SQLite in ``home/store-sqlite`` unless DATABASE_URL names a PostgreSQL database (then
``home/store-postgresql`` keeps the originals, and the database is the one named).  Each engine
has its own directory, so a run on one never removes the other's store.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

NIANBAO = Path(sys.executable).with_name("nianbao")


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(NIANBAO), *args], env=env, check=True, capture_output=True, text=True)


def engine() -> str:
    return "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"


def store_env(home: Path) -> dict[str, str]:
    """The environment of a CLI run on this engine's store under ``home``."""
    return {**os.environ, "NIANBAO_HOME": str(home / f"store-{engine().lower()}")}


def fresh_store(home: Path) -> dict[str, str]:
    """An empty, migrated store (a PostgreSQL database is dropped and created again)."""
    env = store_env(home)
    shutil.rmtree(env["NIANBAO_HOME"], ignore_errors=True)
    if engine() == "PostgreSQL":
        server, name = os.environ["DATABASE_URL"].rsplit("/", 1)
        admin = f"{server}/postgres"
        subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True, capture_output=True)
        subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True, capture_output=True)
    run(env, "db", "migrate")
    return env


def database_megabytes(env: dict[str, str]) -> float:
    if engine() == "PostgreSQL":
        server, name = os.environ["DATABASE_URL"].rsplit("/", 1)
        size = subprocess.run(
            ["psql", f"{server}/postgres", "-Atc", f"SELECT pg_database_size('{name}')"],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        return int(size) / 1024 / 1024
    return sum(path.stat().st_size for path in Path(env["NIANBAO_HOME"]).glob("db.sqlite3*")) / 1024 / 1024
