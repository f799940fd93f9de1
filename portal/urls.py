"""URLs of the client portal, under ``clients/portal/``.

auditbody/urls.py mounts them in the ``clients`` namespace next to the clients app's own pages,
so the pages keep their paths and names (``clients:portal_*``) although clients does not
know the portal.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.portal_home, name="portal_home"),
    path("audits/", views.portal_audits, name="portal_audits"),
    path("audits/<int:pk>/", views.portal_audit, name="portal_audit"),
    path("nonconformities/", views.portal_ncs, name="portal_ncs"),
    path("nonconformities/<int:pk>/", views.portal_nc, name="portal_nc"),
    path("reports/", views.portal_reports, name="portal_reports"),
    path("concerns/", views.portal_concerns, name="portal_concerns"),
    path("concerns/<int:pk>/", views.portal_concern, name="portal_concern"),
]
# "My certificates" keeps its path and name under certification/: portal/certificate_urls.py.
