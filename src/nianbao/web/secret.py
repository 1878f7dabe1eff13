"""The installation's secret key (it signs sessions and CSRF tokens), kept in the data directory.

``NIANBAO_SECRET_KEY`` overrides it (several servers sharing one database need the same key).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_FILE = "secret_key"


def read_secret_file(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text or None


def make_secret_file(path: Path) -> None:
    """Create the key file once, readable by its owner only; an existing one is kept."""
    if read_secret_file(path) is not None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it meanwhile
        return
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(50) + "\n")
