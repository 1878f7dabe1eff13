from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/download/<str:what>", views.download, name="download"),
    path("agencies/<int:agency_id>/", views.agency, name="agency"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:report_id>/", views.report, name="report"),
    path("reports/<int:report_id>/sources/<int:source_id>/", views.source_file, name="source_file"),
    path("reports/<int:report_id>/sources/<int:source_id>/view/", views.source_view, name="source_view"),
    path("reports/<int:report_id>/sources/<int:source_id>/pages/<int:number>.png", views.page_png, name="source_page"),
    path("reports/<int:report_id>/findings/<int:finding_id>/decision/", views.decide, name="decide"),
    path("review/", views.review, name="review"),
    path("missing/", views.missing, name="missing"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:job_id>/", views.import_job, name="import_job"),
    path("audit/", views.audit, name="audit"),
]
