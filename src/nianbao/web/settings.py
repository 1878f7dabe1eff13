"""Django settings for nianbao's store, read from the environment.

=========================  ===========================================================================
``NIANBAO_HOME``           the data directory (default ``~/.local/share/nianbao``): ``db.sqlite3`` and
                           ``originals/`` live there; resolved by :func:`nianbao.settings.resolve`
``DATABASE_URL``           unset: SQLite ``$NIANBAO_HOME/db.sqlite3`` (WAL mode);
                           ``postgres://user:password@host:5432/name``: PostgreSQL (several machines)
``NIANBAO_SECRET_KEY``     signs sessions of the web app; default: a key made once in
                           ``$NIANBAO_HOME/secret_key`` by ``nianbao serve``
``NIANBAO_ALLOWED_HOSTS``  host names the web app answers to (default ``localhost,127.0.0.1``)
``NIANBAO_MAX_UPLOAD_MB``  the largest upload of the web app, all files together (default 500)
``NIANBAO_DEBUG``          ``1`` turns on Django's debug pages as well
=========================  ===========================================================================

Importing this module creates nothing on disk; :func:`nianbao.web.setup` creates the data
directory when the database is first used.
"""

from __future__ import annotations

import os

from ..settings import resolve
from . import StoreError
from .database_url import parse_database_url
from .secret import SECRET_FILE, read_secret_file


def _megabytes(name: str, default: int) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default * 1024 * 1024
    if not text.isdigit() or int(text) == 0:
        raise StoreError(f"环境变量 {name} 应为正整数（MB），而不是 {text!r}")
    return int(text) * 1024 * 1024


NIANBAO = resolve(os.environ)  # the frozen core settings; the store hands these to the pipeline
NIANBAO_HOME = NIANBAO.home

# The key signing sessions: NIANBAO_SECRET_KEY, else the one `nianbao serve` makes once in the
# data directory; the fixed fallback only serves command-line runs, which sign nothing.
SECRET_KEY = (
    os.environ.get("NIANBAO_SECRET_KEY")
    or read_secret_file(NIANBAO_HOME / SECRET_FILE)
    or "nianbao-command-line-only-not-secret"
)
DEBUG = NIANBAO.debug
ALLOWED_HOSTS = [host for host in os.environ.get("NIANBAO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if host]

INSTALLED_APPS = [
    "django.contrib.admin.apps.SimpleAdminConfig",  # admin.py modules are loaded by urls.py, not by every command
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # its Swagger page from its own static files (not from a CDN)
    "nianbao.web.store",
    "nianbao.web.accounts",
    "nianbao.web.pages",
    "nianbao.web.workspace",
    "nianbao.web.public",
]

# The import queue (`nianbao import --queue`, `nianbao worker`): task rows in the same database,
# so nothing else has to run; docs/storage.md says how several machines share it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # the package's own static files, no CDN, no collectstatic
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "nianbao.web.pages.middleware.content_security_policy",
]

ROOT_URLCONF = "nianbao.web.urls"
WSGI_APPLICATION = "nianbao.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

_database_url = os.environ.get("DATABASE_URL", "").strip()
if _database_url:
    DATABASES = {"default": parse_database_url(_database_url)}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(NIANBAO_HOME / "db.sqlite3")}}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        # WAL: readers (the web app, `nianbao reports`) never block the importer, and a crash
        # mid-write leaves the last committed transaction intact.  IMMEDIATE takes the write lock
        # at BEGIN, so two writers queue on the timeout instead of failing with "database is locked".
        # A checkpoint every 20,000 pages (80 MB of WAL) instead of 1,000: an import writes about
        # 90 KB per report, and each checkpoint's fsync of pages scattered over the file cost more
        # than the rest of a commit (measured: 15 ms against 4.5 ms per commit over 1,500 reports).
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA wal_autocheckpoint=20000;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
WHITENOISE_USE_FINDERS = True  # serve from the apps' static/ folders inside the installed package
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Sessions end after 8 hours (a working day) or when the browser closes, whichever is first.
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# One upload request above this is refused before its body is read (files above the readers'
# own limit, NIANBAO_MAX_INPUT_MB, are refused one by one).
MAX_UPLOAD_BYTES = _megabytes("NIANBAO_MAX_UPLOAD_MB", 500)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
