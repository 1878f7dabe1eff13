"""Who may see and do what: a person's role, and the part of the store it reaches.

Every view and API call asks here, on the server; nothing is hidden only in the page.  An
object outside the person's scope answers 404 rather than 403, so ids cannot be probed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ..store.models import Agency
from ..store.services.scope import EVERYTHING, Scope
from .models import AGENCY_ROLES, REGION_ROLES, Profile, Role

User = AbstractBaseUser | AnonymousUser
View = TypeVar("View", bound=Callable[..., Any])

# what each role may do beyond reading its scope
CAN_IMPORT = (Role.ADMIN, Role.REVIEWER)
CAN_DECIDE = (Role.ADMIN, Role.REVIEWER)  # confirm or dismiss a finding
SEES_AUDIT = (Role.ADMIN,)


def profile_of(user: User) -> Profile | None:
    if not user.is_authenticated:
        return None
    # asked several times per request: read once per user object (one request's user)
    cached: Profile | bool | None = getattr(user, "_nianbao_profile", False)
    if cached is False:
        cached = Profile.objects.filter(user_id=user.pk).first()
        setattr(user, "_nianbao_profile", cached)  # noqa: B010 (not a declared attribute of the user model)
    return cached if isinstance(cached, Profile) else None


def role_of(user: User) -> Role | None:
    """The person's role; a Django superuser without a profile is an administrator."""
    profile = profile_of(user)
    if profile is not None:
        return Role(profile.role)
    if user.is_authenticated and getattr(user, "is_superuser", False):
        return Role.ADMIN
    return None


def scope_of(user: User) -> Scope:
    """The part of the store a person reads: everything, a region and below, or one agency."""
    role = role_of(user)
    profile = profile_of(user)
    if role == Role.ADMIN:
        return EVERYTHING
    if role in AGENCY_ROLES and profile is not None and profile.agency_id is not None:
        return Scope(agency_id=profile.agency_id)
    if role in REGION_ROLES and profile is not None:
        return Scope(region=profile.region_code) if profile.region_code else EVERYTHING
    return Scope(nothing=True)


def who_of(user: User) -> str:
    """How the audit log names a person of the web app."""
    return f"web:{user.get_username()}"


def region_within(user: User, wanted: str | None) -> str | None:
    """The region a statistics page shows: the one asked for when it lies inside the person's
    scope, else the scope's own region."""
    scope = scope_of(user)
    if scope.region is None or not wanted:
        return scope.region if scope.region is not None else (wanted or None)
    return wanted if scope.covers(wanted) else scope.region


def allowed(user: User, roles: tuple[Role, ...]) -> bool:
    return role_of(user) in roles


def require(*roles: Role) -> Callable[[View], View]:
    """A page for signed-in people (of ``roles``, when given); others are sent to log in or
    refused with 403."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: Any, *args: Any, **kwargs: Any) -> Any:
            from django.contrib.auth.views import redirect_to_login

            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            role = role_of(request.user)
            if role is None or (roles and role not in roles):
                raise PermissionDenied("您的角色无权访问此页面")
            return view(request, *args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate


def check_agency(user: User, agency: Agency | None) -> None:
    """404 unless the agency (None: a report waiting for one) is in the person's scope."""
    if not scope_of(user).holds(agency):
        raise Http404("没有找到")
