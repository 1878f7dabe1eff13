from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="public_index"),
    path("agencies/<int:agency_id>/", views.agency, name="public_agency"),
    path("agencies/<int:agency_id>/apply/", views.apply, name="public_apply"),
    path("reports/<int:published_id>/", views.report, name="public_report"),
    path("reports/<int:published_id>/file/<str:fmt>", views.report_file, name="public_report_file"),
    path("status/", views.status, name="public_status"),
]
