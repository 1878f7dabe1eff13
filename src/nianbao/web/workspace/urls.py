from django.urls import path

from . import views

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("applications/", views.add_application, name="add_application"),
    path("applications/<str:number>/close/", views.close_application, name="close_application"),
    path("import/", views.import_ledger, name="import_ledger"),
    path("report/", views.draft, name="draft"),
    path("report/file/<str:fmt>", views.draft_file, name="draft_file"),
]
