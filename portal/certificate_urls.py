"""The portal's "My certificates" keeps the path and the name it had in certification:
auditbody/urls.py mounts these patterns under ``certification/``, in the ``certification``
namespace (``certification:portal_certificates``), as it mounts the portal's other pages in
``clients``."""

from django.urls import path

from . import certificates

urlpatterns = [
    path("certificates/mine/", certificates.portal_certificates, name="portal_certificates"),
]
