"""Whose data a query may return: everything, one region and its sub-divisions, or one agency.

The store's services take a :class:`Scope` and filter with it, so the web app's permission
checks (``web/accounts``) and the command line (which sees everything) go through the same
queries.  The scope knows nothing of users or roles; ``accounts.access.scope_of`` maps a person
to one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from ....stats import region_prefix
from ..models import Agency


@dataclass(frozen=True)
class Scope:
    region: str | None = None  # an administrative division code: it and everything below it
    agency_id: int | None = None  # one agency only
    nothing: bool = False  # a person with no place yet (a clerk whose agency is not set)

    @property
    def everything(self) -> bool:
        return not self.nothing and self.region is None and self.agency_id is None

    def agencies(self, path: str = "") -> Q:
        """The condition on agencies (``path`` leads from the queried model to its agency:
        ``"agency__"`` for reports, ``"report__agency__"`` for findings and cells)."""
        if self.nothing:
            return Q(pk__in=[])
        condition = Q()
        if self.agency_id is not None:
            condition &= Q(**{f"{path}pk" if path else "pk": self.agency_id})
        if self.region is not None:
            condition &= Q(**{f"{path}region_code__startswith": region_prefix(self.region)})
        return condition

    def reports(self, path: str = "") -> Q:
        """The condition on reports (``path`` leads to the report: ``"report__"`` for findings).
        A report still waiting for its agency is only in the scope that holds everything."""
        if self.everything:
            return Q()
        return self.agencies(f"{path}agency__") & Q(**{f"{path}agency__isnull": False})

    def holds(self, agency: Agency | None) -> bool:
        """Whether one agency (None: a report waiting for one) is in the scope."""
        if self.everything:
            return True
        if agency is None or self.nothing:
            return False
        if self.agency_id is not None and agency.pk != self.agency_id:
            return False
        return self.covers(agency.region_code)

    def covers(self, region_code: str) -> bool:
        """Whether a division lies in the scope's region (every division, for no region)."""
        return self.region is None or region_code.startswith(region_prefix(self.region))


EVERYTHING = Scope()


def region_condition(region: str, path: str = "") -> Q:
    """Agencies of a region a person names: a division code means it and everything below it
    (910000: the whole province), anything else part of the region's name (``path`` leads from
    the queried model to its agency)."""
    text = region.strip()
    if text.isdigit():
        return Q(**{f"{path}region_code__startswith": region_prefix(text)})
    return Q(**{f"{path}region_code__startswith": text}) | Q(**{f"{path}region_name__contains": text})
