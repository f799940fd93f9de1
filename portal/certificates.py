"""The client portal's "My certificates": the organisation's certificates, their status and
dates, and their issued PDFs to download (served by certification's download view, which checks
``CertificateVersion.objects.restrict`` again).

Routed by ``portal/certificate_urls.py`` at the path and name it always had
(``certification:portal_certificates``, ``/certification/certificates/mine/``)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from certification import selectors as certification_selectors
from core.access import CLIENT_USER, access
from core.views import paginate

CERTIFICATE_COLUMNS = [
    _("Certificate No."),
    _("Standard"),
    _("Status"),
    pgettext_lazy("certificate", "Issue date"),
    pgettext_lazy("certificate", "Valid until"),
    _("Documents"),
]


@access(CLIENT_USER)
def portal_certificates(request: HttpRequest) -> HttpResponse:
    # An organisation holds a handful of certificates: the page is cut from the loaded list, so
    # the certificates and their PDFs take one query each (no COUNT).
    certificates = list(certification_selectors.portal_certificates(user=request.user))
    return render(
        request,
        "portal/certificates.html",
        {"page": paginate(request, certificates), "columns": CERTIFICATE_COLUMNS},
    )
