"""Certificates: the list and one certificate with its history, decisions and flags."""

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core.access import CB_STAFF, COMMITTEE_AND_ADMIN, access
from core.autocomplete import choices_response
from core.dates import local_today
from core.views import filtered_list

from .. import selectors
from ..filters import CertificateFilter
from ..models.access import sees_decisions
from ..models.certificate import LIVE_STATUSES, Certificate
from .committee import DECISION_COLUMNS

CERTIFICATE_COLUMNS = [
    _("Certificate number"),
    _("Holder"),
    _("Standard"),
    _("Scope"),
    _("Issue date"),
    _("Expiry date"),
    _("Status"),
]


@access(CB_STAFF)
def certificate_list(request: HttpRequest) -> HttpResponse:
    return filtered_list(
        request,
        queryset=selectors.certificate_list(user=request.user),
        filterset_class=CertificateFilter,
        filterset_kwargs={"request": request},
        template_name="certification/certificate_list.html",
        context={"columns": CERTIFICATE_COLUMNS, "today": local_today()},
    )


@access(CB_STAFF)
def certificate_list_choices(request: HttpRequest, field: str) -> HttpResponse:
    """The certificate list filter's search-as-you-type choices (JSON)."""
    return choices_response(request, CertificateFilter(request=request, queryset=Certificate.objects.none()), field)


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
            "decision_columns": DECISION_COLUMNS,
            "flags": selectors.certificate_flags(user=user, certificate=certificate),
            "can_decide": COMMITTEE_AND_ADMIN.allows(user) and certificate.status in LIVE_STATUSES,
            "today": local_today(),
        },
    )
