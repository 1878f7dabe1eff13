"""Creating people: the one function ``nianbao createuser`` (and the demo site) call."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from .. import StoreError
from ..store.models import AuditEntry
from ..store.services.reports import find_agency
from .models import AGENCY_ROLES, ApiToken, Profile, Role


@dataclass(frozen=True)
class Created:
    password: str
    token: str | None
    place: str  # the agency or region, as shown to people


def create_user(
    username: str,
    role: str,
    *,
    agency: str | None = None,
    region: str | None = None,
    password: str | None = None,
    token: bool = False,
    stages: tuple[str, ...] = (),
    who: str = "cli",
) -> Created:
    """A new person with a role and place; a password is generated when none is given."""
    User = get_user_model()
    if Role(role) in AGENCY_ROLES and not agency:
        raise StoreError("机关经办人员和机关审核人员须用 --agency 指定所属机关")
    if User.objects.filter(username=username).exists():
        raise StoreError(f"用户 {username} 已存在")
    if stages and Role(role) != Role.APPROVER:
        raise StoreError("只有机关审核人员有审核环节（--stage）")
    found = find_agency(agency) if agency else None
    password = password if password is not None else secrets.token_urlsafe(12)
    try:
        validate_password(password)
    except ValidationError as exc:
        raise StoreError("密码不符合要求：" + "；".join(exc.messages)) from None
    with transaction.atomic():
        user = User.objects.create_user(
            username=username, password=password, is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN
        )
        Profile.objects.create(
            user=user, role=role, agency=found, region_code=(region or "").strip(), stages=list(dict.fromkeys(stages))
        )
        issued = ApiToken.issue(user, "createuser") if token else None
        AuditEntry.objects.create(
            who=who,
            action="user_create",
            object_type="user",
            object_id=str(user.pk),
            detail={
                "username": username,
                "role": role,
                "agency": found.pk if found else None,
                "region": region,
                "stages": list(stages),
            },
        )
    place = found.name if found else (f"行政区划 {region}" if region else "")
    return Created(password, issued, place)
