"""URLs of the web app: the admin for now; the pages and the JSON API come with the web issue."""

from django.contrib import admin
from django.urls import path

# The admin registrations are loaded here, when the site serves pages, rather than by
# django.setup() in every command line run (SimpleAdminConfig in settings.py).
admin.autodiscover()

urlpatterns = [path("admin/", admin.site.urls)]
