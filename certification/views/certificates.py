"""Certificates: the list and one certificate with its history, decisions and flags."""

from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.access import CB_STAFF, COMMITTEE_AND_ADMIN, access

from .. import selectors
from ..filters import CertificateFilter
from ..models.access import sees_decisions
from ..models.certificate import LIVE_STATUSES

PAGE_SIZE = 50


@access(CB_STAFF)
def certificate_list(request: HttpRequest) -> HttpResponse:
    cert_filter = CertificateFilter(
        request.GET or None, queryset=selectors.certificate_list(user=request.user), request=request
    )
    page = Paginator(cert_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "certification/certificate_list.html",
        {"filter": cert_filter, "page": page, "today": timezone.localdate()},
    )


@access(CB_STAFF)
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    try:
        certificate = selectors.certificate_detail(user=user, pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    return render(
        request,
        "certification/certificate_detail.html",
        {
            "certificate": certificate,
            # Prefetched or computed by selectors.certificate_detail.
            "sub_certificates": list(certificate.sub_certificates.all()),
            "replaced_by": certificate.replacement,
            "status_changes": list(certificate.status_changes.all()),
            "after_expiry": certificate.requirement,
            "sees_decisions": sees_decisions(user),
            "decisions": selectors.certificate_decisions(user=user, certificate=certificate),
            "flags": selectors.certificate_flags(user=user, certificate=certificate),
            "can_decide": COMMITTEE_AND_ADMIN.allows(user) and certificate.status in LIVE_STATUSES,
            "today": timezone.localdate(),
        },
    )
