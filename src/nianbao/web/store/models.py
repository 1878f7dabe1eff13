"""The store's tables (docs/storage.md draws them).

A report is keyed by (agency, year) and keeps the ``nianbao.report/1`` JSON it was read into;
every file it was read from is a :class:`SourceFile`, content-addressed by SHA-256; every table
cell is also a row of :class:`Cell`, so statistics are plain SQL (and the cells ``nianbao stats``
reads are kept once more per report, :class:`StatsVector`).  An :class:`ImportItem`'s
status is the truth about a file in a batch.
"""

from __future__ import annotations

import hashlib

from django.db import models


class Level(models.TextChoices):
    """Administrative level and kind of the agency (governments and departments have different
    statutory publication dates)."""

    PROVINCE_GOVERNMENT = "province_government", "省级人民政府"
    PROVINCE_DEPARTMENT = "province_department", "省级部门"
    CITY_GOVERNMENT = "city_government", "市级人民政府"
    CITY_DEPARTMENT = "city_department", "市级部门"
    COUNTY_GOVERNMENT = "county_government", "县级人民政府"
    COUNTY_DEPARTMENT = "county_department", "县级部门"
    TOWNSHIP_GOVERNMENT = "township_government", "乡镇人民政府（街道办事处）"
    OTHER = "other", "其他"
    UNKNOWN = "", "未知"


class Agency(models.Model):
    name = models.CharField("名称", max_length=200)
    normalized_name = models.CharField("规范化名称", max_length=200, db_index=True)
    aliases = models.JSONField("别名", default=list, blank=True)  # other printed names, as given
    region_code = models.CharField("行政区划代码", max_length=12, blank=True)
    region_name = models.CharField("行政区划", max_length=100, blank=True)
    level = models.CharField("层级", max_length=24, choices=Level.choices, blank=True)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")
    # True when it came from the office's own list (`nianbao agencies load`); False when it was
    # created from an imported report because no list had been loaded.
    from_list = models.BooleanField("来自名录", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "机关"
        constraints = [models.UniqueConstraint(fields=["normalized_name", "region_code"], name="agency_unique_name")]
        indexes = [models.Index(fields=["region_code"])]

    def __str__(self) -> str:
        return self.name


class Report(models.Model):
    # Null while the agency is waiting for a decision (`nianbao agencies match`).
    agency = models.ForeignKey(Agency, models.PROTECT, null=True, blank=True, related_name="reports")
    agency_name = models.CharField("报告所署机关", max_length=200, blank=True)  # as printed
    year = models.IntegerField("年度", null=True, blank=True)
    contract = models.JSONField("报告数据")  # nianbao.report/1, from Report.to_contract()
    format_version = models.CharField("格式版本", max_length=24, blank=True)
    published = models.DateField("发布日期", null=True, blank=True)
    # True while the checks against the neighbouring year and the agency's list entry are due
    # (services/crosscheck.py); every mark adds one to the revision, so a check computed from
    # what a newer mark superseded is not written.
    needs_check = models.BooleanField("待跨年度核查", default=False)
    check_revision = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度报告"
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="report_unique_agency_year")]
        indexes = [
            models.Index(fields=["year"]),
            models.Index(fields=["year", "id"], condition=models.Q(needs_check=True), name="report_check_due"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_name or '（未署名）'} {self.year or '？'}年"


class SourceFile(models.Model):
    report = models.ForeignKey(Report, models.CASCADE, related_name="sources")
    sha256 = models.CharField(max_length=64, unique=True)
    original_name = models.CharField("原文件名", max_length=500)
    size = models.BigIntegerField("字节数")
    kind = models.CharField("文件类型", max_length=16, blank=True)  # text, html, docx, pdf, ocr …
    stored_path = models.CharField(max_length=200)  # originals/<sha[:2]>/<sha>.<ext>, under NIANBAO_HOME
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "来源文件"

    def __str__(self) -> str:
        return self.original_name


class Cell(models.Model):
    """One table cell of a report, the long form statistics query.

    ``value`` is a decimal: the cells are counts, but some are amounts with decimals
    (收费金额 in 万元); a decimal sums them exactly on PostgreSQL and never shows 0.30000000000000004
    in a total.  20 digits with 6 places hold every value the readers produce exactly.
    """

    report = models.ForeignKey(Report, models.CASCADE, related_name="cells")
    table = models.CharField(max_length=8)  # table2, table3, table4
    row = models.CharField(max_length=48)
    col = models.CharField(max_length=48)
    value = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    status = models.CharField(max_length=12)  # value, blank, unreadable, missing
    raw = models.TextField(null=True, blank=True)
    location = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "单元格"
        constraints = [models.UniqueConstraint(fields=["report", "table", "row", "col"], name="cell_unique_position")]
        indexes = [models.Index(fields=["table", "row", "col"], name="cell_position")]


class StatsVector(models.Model):
    """The cells statistics read (``STATS_CELLS``) of one report, in one row, so that
    ``nianbao stats`` reads 10,000 rows for 10,000 reports instead of 480,000 :class:`Cell` rows.

    A copy derived from the report's cells, written with them at import (cells never change
    afterwards; the long table stays the dataset for plain SQL).  ``cells`` names the cell set
    it was made for (``STATS_CELLS_KEY``): a vector of another set is not read.
    """

    report = models.OneToOneField(Report, models.CASCADE, primary_key=True, related_name="stats_vector")
    cells = models.CharField(max_length=16)
    vector = models.JSONField()  # nianbao.stats.rows.stats_vector: values, blank, unknown

    class Meta:
        verbose_name = verbose_name_plural = "统计向量"


class Finding(models.Model):
    report = models.ForeignKey(Report, models.CASCADE, related_name="findings")
    code = models.CharField(max_length=32)
    severity = models.CharField(max_length=8)  # error, warning, info
    message = models.TextField()
    cells = models.JSONField(default=list, blank=True)
    locations = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "核查发现"
        indexes = [models.Index(fields=["code"]), models.Index(fields=["severity"])]


class Decision(models.TextChoices):
    CONFIRMED = "confirmed", "确认"
    DISMISSED = "dismissed", "驳回"


class FindingDecision(models.Model):
    """A reviewer's decision on a finding.  Kept by what the finding says (rule and message) rather
    than by its row, because a report's findings are written again when it is checked again: a
    decision holds as long as the same finding comes back, and the audit log keeps every one."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="decisions")
    code = models.CharField(max_length=32)
    message = models.TextField()
    # SHA-256 of code and message: what identifies the finding (a long message cannot be a key)
    digest = models.CharField(max_length=64)
    decision = models.CharField("审核结论", max_length=12, choices=Decision.choices)
    reason = models.TextField("理由", blank=True)
    who = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "审核结论"
        constraints = [
            models.UniqueConstraint(fields=["report", "digest"], name="decision_unique_finding"),
        ]


def finding_digest(code: str, message: str) -> str:
    return hashlib.sha256(f"{code}\n{message}".encode()).hexdigest()


class ImportJob(models.Model):
    requested_by = models.CharField(max_length=100, blank=True)
    paths = models.JSONField(default=list)  # the arguments, absolute; a rerun with the same ones resumes
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "导入批次"


class ItemStatus(models.TextChoices):
    QUEUED = "queued", "等待处理"
    PROCESSING = "processing", "处理中"  # a worker holds it until lease_until
    IMPORTED = "imported", "已导入"
    IMPORTED_WITH_FINDINGS = "imported_with_findings", "已导入（有错误）"
    DUPLICATE = "duplicate", "重复文件"
    FAILED = "failed", "失败"
    WAITING_FOR_AGENCY = "waiting_for_agency", "待确认机关"


FINAL_STATUSES = frozenset(ItemStatus) - {ItemStatus.QUEUED, ItemStatus.PROCESSING}


class ImportItem(models.Model):
    job = models.ForeignKey(ImportJob, models.CASCADE, related_name="items")
    name = models.CharField(max_length=800)  # the path, or archive path + "!/" + member name
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=24, choices=ItemStatus.choices, default=ItemStatus.QUEUED)
    reason = models.TextField(blank=True)  # why it failed or waits, in Chinese
    report = models.ForeignKey(Report, models.SET_NULL, null=True, blank=True, related_name="import_items")
    attempts = models.IntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)  # the worker queue claims items with a lease
    # `import --queue` keeps the bytes at originals/… under NIANBAO_HOME before queueing, so a
    # worker (on any machine sharing that directory) reads them there; empty for in-process imports
    stored_path = models.CharField(max_length=200, blank=True)
    worker = models.CharField(max_length=100, blank=True)  # host:pid of the worker that claimed it last
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "导入文件"
        constraints = [models.UniqueConstraint(fields=["job", "name"], name="import_item_unique_name")]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["sha256"])]


class AuditEntry(models.Model):
    who = models.CharField(max_length=100)
    action = models.CharField(max_length=40)  # import, duplicate, agency_load, agency_match …
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "操作记录"
