"""URLs of the web app: the admin for now; the pages and the JSON API come with the web issue."""

from django.contrib import admin
from django.urls import path

urlpatterns = [path("admin/", admin.site.urls)]
