"""An agency's ledger, one document per agency.

The ledger is the core's :class:`nianbao.ledger.Ledger` as JSON: the deadlines, the status and the
report are computed by the same core functions the command line calls on a workbook.  Every
change adds one to ``revision``; a change made from an older revision is refused (two clerks,
or a clerk and the public form, never overwrite each other).
"""

from __future__ import annotations

from django.db import models

from ..store.models import Agency


class AgencyLedger(models.Model):
    agency = models.OneToOneField(Agency, models.CASCADE, primary_key=True, related_name="ledger")
    data = models.JSONField(default=dict)  # Ledger.model_dump(mode="json")
    revision = models.IntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "机关台账"
