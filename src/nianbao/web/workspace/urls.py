from django.urls import path

from . import views

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("applications/", views.add_application, name="add_application"),
    path("applications/<str:number>/close/", views.close_application, name="close_application"),
    path("import/", views.import_ledger, name="import_ledger"),
    path("export.xlsx", views.export_ledger, name="export_ledger"),
    path("registers/", views.registers, name="registers"),
    path("registers/<str:kind>/", views.add_record, name="add_record"),
    path("records/<str:kind>/<str:key>/remove/", views.remove_record, name="remove_record"),
    path("report/", views.draft, name="draft"),
    path("report/file/<str:fmt>", views.draft_file, name="draft_file"),
    path("report/sections/", views.save_sections, name="save_sections"),
    path("report/submit/", views.submit_draft, name="submit_draft"),
    path("drafts/<int:draft_id>/sign/", views.sign_draft, name="sign_draft"),
    path("published/<int:published_id>/<str:fmt>", views.published_file, name="published_file"),
]
