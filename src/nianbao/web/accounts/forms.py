"""The login form with the throttle in front of the password check."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from . import throttle


def client_address(request: Any) -> str:
    # REMOTE_ADDR only: a forwarded-for header is whatever the client chose to send
    return str(request.META.get("REMOTE_ADDR") or "unknown")


class LoginForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.error_messages = {"invalid_login": "用户名或密码不正确", "inactive": "该账号已停用"}

    def clean(self) -> dict[str, Any]:
        username = str(self.data.get("username") or "")
        address = client_address(self.request)
        if throttle.locked(username, address):
            raise forms.ValidationError(throttle.LOCKED_MESSAGE, code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.failed(username, address)
            raise
        throttle.succeeded(username)
        return cleaned
