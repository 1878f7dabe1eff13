"""URLs of the web app: the pages, their JSON twins under /api/, and the admin."""

from django.contrib import admin
from django.urls import include, path

from .api import api

# The admin registrations are loaded here, when the site serves pages, rather than by
# django.setup() in every command line run (SimpleAdminConfig in settings.py).
admin.autodiscover()

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("workspace/", include("nianbao.web.workspace.urls")),
    path("public/", include("nianbao.web.public.urls")),
    path("", include("nianbao.web.pages.urls")),
]
