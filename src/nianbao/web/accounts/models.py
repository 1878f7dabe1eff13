"""A person's role and place, their API tokens, and failed logins (for the throttle)."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models

from ..store.models import Agency


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    REVIEWER = "reviewer", "政务公开办审核人员"  # the agencies of its region and below
    CLERK = "clerk", "机关经办人员"  # its own agency's ledger and report
    APPROVER = "approver", "机关审核人员"  # the 审核 steps its agency names
    VIEWER = "viewer", "只读用户"  # reads what a reviewer of its region reads, changes nothing


AGENCY_ROLES = (Role.CLERK, Role.APPROVER)
REGION_ROLES = (Role.REVIEWER, Role.VIEWER)


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="profile")
    role = models.CharField("角色", max_length=16, choices=Role.choices)
    agency = models.ForeignKey(Agency, models.PROTECT, null=True, blank=True, related_name="staff")
    # a division code: the reviewer's (or viewer's) region and everything below it; blank: all
    region_code = models.CharField("行政区划代码", max_length=12, blank=True)
    # an approver's steps of the agency's 三审 (first, second, final): the agency names who signs each
    stages = models.JSONField("审核环节", default=list, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "用户角色"

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class ApiToken(models.Model):
    """A token for the JSON API; only its SHA-256 is kept, the token itself is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "API 令牌"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    @classmethod
    def issue(cls, user: object, name: str = "") -> str:
        """A new token for ``user``; returns the token (it cannot be read back later)."""
        token = "nb_" + secrets.token_urlsafe(32)
        cls.objects.create(user=user, name=name, digest=cls.digest_of(token))
        return token


class LoginFailure(models.Model):
    """One failed login, by the name tried and the address it came from."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
