from django.contrib import admin

from . import models


@admin.register(models.ReportDraft)
class ReportDraftAdmin(admin.ModelAdmin[models.ReportDraft]):
    list_display = ("agency", "year", "status", "stage", "created_by", "updated_at")
    list_filter = ("status", "year")
    readonly_fields = ("contract",)


@admin.register(models.PublishedReport)
class PublishedReportAdmin(admin.ModelAdmin[models.PublishedReport]):
    list_display = ("agency", "year", "version", "published_by", "published_at")
    readonly_fields = ("agency", "year", "version", "contract", "draft", "published_by", "published_at")

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False  # a published version is never changed; a correction is a new one
