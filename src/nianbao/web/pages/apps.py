from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "nianbao.web.pages"
    label = "pages"
    verbose_name = "页面"
