"""``DATABASE_URL`` → Django's ``DATABASES["default"]``, for the two engines nianbao supports.

``postgres://user:password@host:port/name`` (or ``postgresql://``) and ``sqlite:///relative.db``
/ ``sqlite:////absolute/path.db``.  Anything else stops with one clear line: a typo must not fall
back silently to another database.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from ..errors import SettingsError


def parse_database_url(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///x.db → "x.db"; sqlite:////abs/x.db → "/abs/x.db" (the dj-database-url convention)
        name = unquote(url[len("sqlite://") :].removeprefix("/"))
        if not name:
            raise SettingsError(f"设置 DATABASE_URL={url!r} 无效：SQLite 地址应写成 sqlite:////绝对路径/文件名.sqlite3")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name}
    if parts.scheme in ("postgres", "postgresql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise SettingsError(f"设置 DATABASE_URL={url!r} 无效：PostgreSQL 地址中缺少数据库名")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
        }
    raise SettingsError(
        f"设置 DATABASE_URL={url!r} 无效：应为 postgres://用户@主机:端口/库名 或 sqlite:////路径（其他数据库不受支持）"
    )
