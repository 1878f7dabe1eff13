import django_stubs_ext
from django.contrib import admin

from . import models

# ModelAdmin[Model] at run time, as the type stubs write it; here, not in settings, so a command
# line run (which never loads the admin) does not pay for it
django_stubs_ext.monkeypatch()


@admin.register(models.Agency)
class AgencyAdmin(admin.ModelAdmin[models.Agency]):
    list_display = ("name", "region_name", "level", "parent", "from_list")
    search_fields = ("name", "normalized_name", "region_name", "region_code")
    list_filter = ("level", "from_list")


class SourceInline(admin.TabularInline[models.SourceFile, models.Report]):
    model = models.SourceFile
    extra = 0
    readonly_fields = ("sha256", "original_name", "size", "kind", "stored_path", "uploaded_at")


@admin.register(models.Report)
class ReportAdmin(admin.ModelAdmin[models.Report]):
    list_display = ("agency_name", "agency", "year", "format_version", "published")
    list_filter = ("year", "format_version")
    search_fields = ("agency_name",)
    inlines = (SourceInline,)


@admin.register(models.Finding)
class FindingAdmin(admin.ModelAdmin[models.Finding]):
    list_display = ("report", "code", "severity", "message")
    list_filter = ("severity", "code")


@admin.register(models.ImportJob)
class ImportJobAdmin(admin.ModelAdmin[models.ImportJob]):
    list_display = ("id", "requested_by", "created_at", "finished_at")


@admin.register(models.ImportItem)
class ImportItemAdmin(admin.ModelAdmin[models.ImportItem]):
    list_display = ("name", "status", "reason", "report", "attempts", "worker", "lease_until", "updated_at")
    list_filter = ("status",)
    search_fields = ("name", "sha256")


@admin.register(models.AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[models.AuditEntry]):
    list_display = ("at", "who", "action", "object_type", "object_id")
    list_filter = ("action",)
