"""An application made through the public form, and the submissions counted against floods.

The application itself is in the agency's ledger (``workspace``); this row only ties its number to
the code the applicant was given (kept as a SHA-256 digest), so the status can be looked up
without a login and without showing anything personal.
"""

from __future__ import annotations

import hashlib

from django.db import models

from ..store.models import Agency


class PublicRequest(models.Model):
    agency = models.ForeignKey(Agency, models.CASCADE, related_name="public_requests")
    number = models.CharField("申请编号", max_length=40, unique=True)
    code_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "网上申请"

    @staticmethod
    def digest_of(code: str) -> str:
        return hashlib.sha256(code.strip().upper().encode("utf-8")).hexdigest()


class Submission(models.Model):
    """One use of the public form, by address: the flood limit counts these."""

    address = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
