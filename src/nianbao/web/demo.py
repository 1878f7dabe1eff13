"""The demo site ``make run`` serves: a generated region's reports and the bundled real ones
imported into the data directory, and one account per role.

Made once: a second run finds the demo in place and only serves it (the passwords were printed
when the accounts were made; ``reset`` gives them new ones).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from ..sample import SampleParams, write_sample
from ..settings import Settings

# (user name, role, agency of the list, region code); the approver signs all three reviews
ACCOUNTS = (
    ("demo-admin", "admin", None, None),
    ("demo-reviewer", "reviewer", None, "910000"),
    ("demo-clerk", "clerk", "甲市教育局", None),
    ("demo-approver", "approver", "甲市教育局", None),
    ("demo-viewer", "viewer", None, "910100"),
)
SAMPLE = SampleParams(reports=300, seed=1, error_rate=0.1, kinds=("txt", "html"), first_year=2022, last_year=2024)


@dataclass(frozen=True)
class Demo:
    created: bool  # False: it was in place already
    passwords: dict[str, str]  # user name → password, for the accounts made (or reset) now
    reports: int


def build_demo(settings: Settings, files: list[Path], *, reset: bool = False, who: str = "demo") -> Demo:
    from django.contrib.auth import get_user_model

    from .accounts.services import create_user
    from .store.models import Report
    from .store.services.agencies import load_list, read_rows
    from .store.services.importer import import_paths

    User = get_user_model()
    created = not User.objects.filter(username=ACCOUNTS[0][0]).exists()
    passwords: dict[str, str] = {}
    if created:
        sample = settings.home / "demo-sample"
        settings.home.mkdir(parents=True, exist_ok=True)
        if not (sample / "manifest.json").exists():
            write_sample(SAMPLE, sample)
        load_list(read_rows(sample / "名录.csv"), who=who)
        import_paths([sample, *files], settings, who=who)
        for username, role, agency, region in ACCOUNTS:
            stages = ("first", "second", "final") if role == "approver" else ()
            made = create_user(username, role, agency=agency, region=region, stages=stages, who=who)
            passwords[username] = made.password
    elif reset:
        for username, *_rest in ACCOUNTS:
            user = User.objects.get(username=username)
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save()
            passwords[username] = password
    return Demo(created, passwords, Report.objects.count())
