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


class Stage(models.TextChoices):
    """先审查、后公开: the three reviews a report passes before it is published."""

    FIRST = "first", "初审"
    SECOND = "second", "复审"
    FINAL = "final", "终审"


STAGES = (Stage.FIRST, Stage.SECOND, Stage.FINAL)


class DraftStatus(models.TextChoices):
    EDITING = "editing", "编辑中"
    IN_REVIEW = "in_review", "审核中"
    REJECTED = "rejected", "已退回"
    PUBLISHED = "published", "已发布"


class ReportDraft(models.Model):
    """The year's report on its way to publication: the narrative as the clerk edited it, and,
    once submitted, the report frozen as the approvers see it."""

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="drafts")
    year = models.IntegerField("年度")
    sections = models.JSONField("正文", default=dict, blank=True)  # "1"…"6" → text, where edited
    status = models.CharField("状态", max_length=12, choices=DraftStatus.choices, default=DraftStatus.EDITING)
    stage = models.CharField("当前环节", max_length=8, choices=Stage.choices, blank=True)
    contract = models.JSONField("报告数据", null=True, blank=True)  # frozen at submission
    created_by = models.CharField(max_length=150)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "年报草稿"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year"],
                condition=models.Q(status__in=["editing", "in_review"]),
                name="draft_one_open_per_year",
            )
        ]


class ApprovalStep(models.Model):
    """One signature in the kept log: a submission, an approval or a rejection with its reason."""

    draft = models.ForeignKey(ReportDraft, models.CASCADE, related_name="steps")
    stage = models.CharField(max_length=8, choices=Stage.choices, blank=True)  # blank: the submission
    decision = models.CharField(max_length=12)  # submitted, approved, rejected
    reason = models.TextField(blank=True)
    who = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]


class PublishedReport(models.Model):
    """A published version, frozen; a correction after publication is a new version beside it."""

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="published_reports")
    year = models.IntegerField("年度")
    version = models.IntegerField("版本")
    contract = models.JSONField("报告数据")
    draft = models.OneToOneField(ReportDraft, models.PROTECT, related_name="published")
    published_by = models.CharField(max_length=150)
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "已发布年报"
        constraints = [models.UniqueConstraint(fields=["agency", "year", "version"], name="published_unique_version")]
