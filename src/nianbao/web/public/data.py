"""What the public pages show (their JSON twins return the same): nothing personal, ever."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404

from ..store.models import Agency
from ..workspace.models import PublishedReport


def agency_column(agency_id: int) -> dict[str, Any]:
    """The agency's 政府信息公开年报 column: every published version, newest first."""
    agency = get_object_or_404(Agency, pk=agency_id)
    return {
        "agency": {"id": agency.pk, "name": agency.name, "region": agency.region_name or None},
        "published": [
            {"id": p.pk, "year": p.year, "version": p.version, "published_at": p.published_at.date().isoformat()}
            for p in PublishedReport.objects.filter(agency=agency).order_by("-year", "-version")
        ],
    }
