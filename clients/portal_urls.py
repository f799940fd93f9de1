"""URLs of the client portal, included in clients/urls.py under ``portal/`` (names ``clients:portal_*``)."""

from django.urls import path

from . import portal_views

urlpatterns = [
    path("", portal_views.portal_home, name="portal_home"),
    path("audits/", portal_views.portal_audits, name="portal_audits"),
    path("audits/<int:pk>/", portal_views.portal_audit, name="portal_audit"),
    path("nonconformities/", portal_views.portal_ncs, name="portal_ncs"),
    path("nonconformities/<int:pk>/", portal_views.portal_nc, name="portal_nc"),
    path("reports/", portal_views.portal_reports, name="portal_reports"),
]
