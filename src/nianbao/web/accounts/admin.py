"""People in the admin: a user's role and place edited on the user's own page."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from . import models


class ProfileInline(admin.StackedInline[models.Profile, User]):
    model = models.Profile
    can_delete = False
    autocomplete_fields = ("agency",)
    verbose_name = verbose_name_plural = "角色与所属"


class PersonAdmin(UserAdmin[User]):
    inlines = (ProfileInline,)
    list_display = ("username", "role", "place", "is_active", "last_login")

    @admin.display(description="角色")
    def role(self, user: User) -> str:
        profile = models.Profile.objects.filter(user=user).first()
        return profile.get_role_display() if profile else ("系统管理员" if user.is_superuser else "—")

    @admin.display(description="所属")
    def place(self, user: User) -> str:
        profile = models.Profile.objects.filter(user=user).first()
        if profile is None:
            return "—"
        return profile.agency.name if profile.agency else (profile.region_code or "全部")


admin.site.unregister(User)
admin.site.register(User, PersonAdmin)


@admin.register(models.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[models.ApiToken]):
    list_display = ("user", "name", "created_at", "last_used_at")
    readonly_fields = ("digest", "created_at", "last_used_at")
