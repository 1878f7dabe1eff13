"""The login throttle: too many failed logins for one name, or from one address, lock further
attempts for a while.  Kept in the database, so every process of the server (and every server
on one PostgreSQL) counts the same failures."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import LoginFailure

WINDOW = dt.timedelta(minutes=15)
PER_NAME = 5  # failures of one user name inside the window
PER_ADDRESS = 20  # failures from one address, whatever the names tried

LOCKED_MESSAGE = "登录失败次数过多，请15分钟后再试"


def locked(username: str, address: str) -> bool:
    since = timezone.now() - WINDOW
    recent = LoginFailure.objects.filter(at__gte=since)
    return (
        recent.filter(username=username.lower()).count() >= PER_NAME
        or recent.filter(address=address).count() >= PER_ADDRESS
    )


def failed(username: str, address: str) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], address=address[:64])
    LoginFailure.objects.filter(at__lt=timezone.now() - WINDOW).delete()  # old ones count no more


def succeeded(username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()
