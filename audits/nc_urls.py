"""URLs of the nonconformity pages, included in audits/urls.py under ``nc/``."""

from django.urls import path

from . import nc_views

urlpatterns = [
    path("", nc_views.nc_register, name="nc_register"),
    path("<int:pk>/", nc_views.nc_detail, name="nc_detail"),
    path("<int:pk>/verify/", nc_views.nc_verify, name="nc_verify"),
    path("<int:pk>/closure/", nc_views.nc_closure, name="nc_closure"),
    path("evidence/<int:pk>/", nc_views.nc_evidence_download, name="nc_evidence"),
    path("due-dates/", nc_views.nc_due_rules, name="nc_due_rules"),
]
