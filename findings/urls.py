"""URLs of the nonconformity pages, under ``audits/nc/`` (auditbody/urls.py), where they were
when they were part of the audits app."""

from django.urls import path

from . import views

app_name = "findings"

urlpatterns = [
    path("", views.nc_register, name="nc_register"),
    path("choices/<slug:field>/", views.nc_register_choices, name="nc_register_choices"),
    path("<int:pk>/", views.nc_detail, name="nc_detail"),
    path("<int:pk>/verify/", views.nc_verify, name="nc_verify"),
    path("<int:pk>/closure/", views.nc_closure, name="nc_closure"),
    path("evidence/<int:pk>/", views.nc_evidence_download, name="nc_evidence"),
    path("due-dates/", views.nc_due_rules, name="nc_due_rules"),
]
