from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "nianbao.web.workspace"
    label = "workspace"
    verbose_name = "机关台账"
    default_auto_field = "django.db.models.BigAutoField"
