from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "nianbao.web.accounts"
    label = "accounts"
    verbose_name = "用户与权限"
    default_auto_field = "django.db.models.BigAutoField"
