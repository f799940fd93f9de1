from django.urls import path

from . import views

app_name = "regulator"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/month/", views.export_month, name="export_month"),
    path("export/plans/", views.export_plans, name="export_plans"),
    path("export/certsearch/", views.export_certsearch, name="export_certsearch"),
    path("submissions/<int:pk>/download/", views.submission_download, name="submission_download"),
    path("data/<str:kind>/<int:pk>/", views.record_edit, name="edit"),
    path("audits/<int:pk>/plan-number/", views.plan_number, name="plan_number"),
    path("import/", views.import_workbook, name="import"),
    path("import/auditors/", views.import_auditors, name="import_auditors"),
    path("import/plans/", views.import_plans, name="import_plans"),
]
