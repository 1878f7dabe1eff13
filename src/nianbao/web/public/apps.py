from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "nianbao.web.public"
    label = "public"
    verbose_name = "公众服务"
    default_auto_field = "django.db.models.BigAutoField"
