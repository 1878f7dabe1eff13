"""A small store for the web app's tests: two agencies in two regions, each with reports, and
one person of every role."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import User
from store_fixtures import SEEDS

from nianbao.settings import Settings
from nianbao.web.accounts.models import Profile, Role
from nianbao.web.store.models import Agency, Report
from nianbao.web.store.services.importer import import_paths

PASSWORD = "correct-horse-battery-9"


@dataclass
class Site:
    ours: Report  # the clerk's agency's report, in region 910100
    theirs: Report  # another agency's report, in region 920100
    users: dict[str, User]


def build_site(settings: Settings) -> Site:
    import_paths(SEEDS[:2], settings)
    ours, theirs = Report.objects.order_by("pk")[:2]
    place(ours.agency, "910100", "甲市")
    place(theirs.agency, "920100", "乙市")
    users = {
        "admin": person("admin", Role.ADMIN),
        "reviewer": person("reviewer", Role.REVIEWER, region="910000"),
        "other_reviewer": person("other_reviewer", Role.REVIEWER, region="920000"),
        "viewer": person("viewer", Role.VIEWER, region="910000"),
        "clerk": person("clerk", Role.CLERK, agency=ours.agency),
        "approver": person("approver", Role.APPROVER, agency=ours.agency),
    }
    return Site(Report.objects.get(pk=ours.pk), Report.objects.get(pk=theirs.pk), users)


def place(agency: Agency | None, code: str, name: str) -> None:
    assert agency is not None
    agency.region_code, agency.region_name = code, name
    agency.save()


def person(name: str, role: Role, *, region: str = "", agency: Agency | None = None) -> User:
    user = User.objects.create_user(
        name, password=PASSWORD, is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN
    )
    Profile.objects.create(user=user, role=role, region_code=region, agency=agency)
    return user


def seed_path(index: int) -> Path:
    return SEEDS[index]
