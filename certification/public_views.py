"""The public certificate register: no login, no list of certificates, only public fields.

* ``/verify/?number=…&holder=…`` shows the certificate of that number when the holder's name
  (Chinese or English) matches too — the current one of the number (its highest reissue).
* ``/verify/<token>/`` opens the certificate the QR code printed on it names (its
  unguessable ``public_token``), whatever its status now.
* ``/verify/suspended/`` lists the current suspensions and the withdrawals of the last
  ``VERIFY_WITHDRAWN_LISTED_MONTHS`` months, as CBs must publish them.

What a page may show is ONE whitelist, ``PUBLIC_FIELDS``: the queries read only those columns
(``.values(*PUBLIC_FIELDS)``), so no model instance — and none of its private fields or
relations — ever reaches a template. certification/tests/test_public_fields.py fails when the
Certificate model gains a field nobody classified as public or private.

Every miss (unknown number, wrong holder, unknown or malformed token, malformed input) renders
the same page with the same text, so the answer never tells whether a number exists.
Lookups (a query with a number or holder, and token pages) count against a per-address rate
(``VERIFY_RATE``, django-ratelimit in Django's cache); beyond it the answer is 429.
"""

import re
import unicodedata

from django import forms
from django.conf import settings
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_ratelimit.core import is_ratelimited

from audits.models import CertificationBody
from audits.programme_rules import add_months
from core.access import PUBLIC, access
from core.dates import local_today
from core.i18n import pick
from core.net import client_address
from core.views import paginate

from .models import Certificate, CertificateStatus

# The Certificate fields the public may see — the only ones any public query reads.
PUBLIC_FIELDS = (
    "number",
    "status",
    "status_since",  # shown as the date of a suspension, withdrawal, cancellation or expiry
    "suspended_until",
    "holder_name_zh",
    "holder_name_en",
    "address_zh",
    "address_en",
    "standard_label",  # standard and edition, e.g. GB/T 19001-2016/ISO 9001:2015
    "scope_zh",
    "scope_en",
    "issued_on",
    "expires_on",
)
# The columns of the suspension and withdrawal list (a subset of PUBLIC_FIELDS).
SUSPENDED_LIST_FIELDS = (
    "number",
    "holder_name_zh",
    "holder_name_en",
    "standard_label",
    "status",
    "status_since",
    "suspended_until",
)
assert set(SUSPENDED_LIST_FIELDS) <= set(PUBLIC_FIELDS)

RATE_GROUP = "certification.verify"
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_SPACES = re.compile(r"\s+")


# --- Matching -------------------------------------------------------------------------------


def normalise_name(text):
    """A holder's name as compared: NFKC (full-width （） and letters become (), ASCII), spaces
    trimmed and collapsed, case folded (Latin)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text or "")).strip().casefold()


def normalise_number(text):
    """A certificate number as typed: NFKC (full-width digits), all whitespace removed."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text or ""))


def holder_matches(row, holder):
    wanted = normalise_name(holder)
    names = (row["holder_name_zh"], row["holder_name_en"])
    return bool(wanted) and any(name and normalise_name(name) == wanted for name in names)


def certificate_by_number(*, number, holder):
    """The public fields of the current certificate of ``number`` when ``holder`` names its
    holder, else None. The current one is the highest reissue of that number (a reissue
    replaces the previous one; a renewed certificate keeps its own number and shows as
    cancelled). One query, whether the number exists or not."""
    number = normalise_number(number)
    if not number:
        return None
    row = (
        Certificate.objects.released()
        .filter(number__in={number, number.upper()})
        .order_by("-reissue")
        .values(*PUBLIC_FIELDS)
        .first()
    )
    if row is None or not holder_matches(row, holder):
        return None
    return row


def certificate_by_token(token):
    """The public fields of the certificate whose QR code carries ``token``, else None."""
    if not TOKEN_RE.match(token or ""):
        return None
    return Certificate.objects.released().filter(public_token=token).values(*PUBLIC_FIELDS).first()


def public_certificate(row):
    """What the page shows, built from the whitelisted row only."""
    status = CertificateStatus(row["status"])
    return {
        "number": row["number"],
        "status_code": status.value,
        "status_label": status.label,
        "is_valid": status == CertificateStatus.VALID,
        "status_changed_on": None if status == CertificateStatus.VALID else row["status_since"],
        "suspended_until": row["suspended_until"] if status == CertificateStatus.SUSPENDED else None,
        "holder_name_zh": row["holder_name_zh"],
        "holder_name_en": row["holder_name_en"],
        "address_zh": row["address_zh"],
        "address_en": row["address_en"],
        "standard_label": row["standard_label"],
        "scope_zh": row["scope_zh"],
        "scope_en": row["scope_en"],
        "issued_on": row["issued_on"],
        "expires_on": row["expires_on"],
    }


def suspended_list(*, today=None):
    """Current suspensions (status 02) and the withdrawals (03) of the last
    VERIFY_WITHDRAWN_LISTED_MONTHS months, newest change first. One query."""
    today = today or local_today()
    withdrawn_since = add_months(day=today, months=-settings.VERIFY_WITHDRAWN_LISTED_MONTHS)
    rows = (
        Certificate.objects.released()
        .filter(
            Q(status=CertificateStatus.SUSPENDED)
            | Q(status=CertificateStatus.WITHDRAWN, status_since__gte=withdrawn_since),
            replaced_by__isnull=True,
        )
        .order_by("-status_since", "number", "-reissue")
        .values(*SUSPENDED_LIST_FIELDS)
    )
    return [
        {
            "number": row["number"],
            "holder_name": pick(row["holder_name_zh"], row["holder_name_en"]),
            "standard_label": row["standard_label"],
            "status_code": row["status"],
            "status_label": CertificateStatus(row["status"]).label,
            "status_since": row["status_since"],
            "suspended_until": row["suspended_until"] if row["status"] == CertificateStatus.SUSPENDED else None,
        }
        for row in rows
    ]


def cb_name():
    cb = CertificationBody.objects.current()
    return pick(cb.name_zh, cb.name_en) if cb else ""


# --- Rate limit -----------------------------------------------------------------------------


def lookup_allowed(request):
    """Count one lookup for the client's address; False once it is over VERIFY_RATE."""
    return not is_ratelimited(
        request,
        group=RATE_GROUP,
        key=lambda group, req: client_address(req),
        rate=lambda group, req: settings.VERIFY_RATE,
        increment=True,
    )


def _rate_seconds():
    match = re.match(r"^\s*\d+\s*/\s*(\d*)\s*([smhd]?)", settings.VERIFY_RATE)
    if not match:
        return 60
    multiplier, unit = match.groups()
    return int(multiplier or 1) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit or "s"]


def too_many_lookups(request):
    response = render(
        request,
        "certification/public/rate_limited.html",
        {"cb_name": cb_name(), "retry_after": _rate_seconds()},
        status=429,
    )
    response["Retry-After"] = str(_rate_seconds())
    return response


def _no_index(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- Views ----------------------------------------------------------------------------------


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=60)
    holder = forms.CharField(
        label=_("Certificate holder"),
        max_length=200,
        help_text=_("The organisation's name as printed on the certificate, in Chinese or English."),
    )


def _verify_page(request, *, form, certificate, looked_up):
    return render(
        request,
        "certification/public/verify.html",
        {
            "form": form,
            "certificate": public_certificate(certificate) if certificate else None,
            "looked_up": looked_up,
            "cb_name": cb_name(),
        },
    )


@access(PUBLIC)
@require_GET
@never_cache
def verify(request):
    """The lookup form and, when a number or holder is given, its answer."""
    if "number" not in request.GET and "holder" not in request.GET:
        return _verify_page(request, form=VerifyForm(), certificate=None, looked_up=False)
    if not lookup_allowed(request):
        return _no_index(too_many_lookups(request))
    form = VerifyForm(request.GET)
    certificate = None
    if form.is_valid():
        certificate = certificate_by_number(number=form.cleaned_data["number"], holder=form.cleaned_data["holder"])
    # Invalid input answers like a miss: the same page and text, without field errors.
    form = VerifyForm(initial={key: request.GET.get(key, "")[:200] for key in ("number", "holder")})
    return _no_index(_verify_page(request, form=form, certificate=certificate, looked_up=True))


@access(PUBLIC)
@require_GET
@never_cache
def verify_token(request, token):
    """The page the certificate's QR code opens."""
    if not lookup_allowed(request):
        return _no_index(too_many_lookups(request))
    certificate = certificate_by_token(token)
    return _no_index(_verify_page(request, form=VerifyForm(), certificate=certificate, looked_up=True))


SUSPENDED_COLUMNS = [
    _("Certificate holder"),
    _("Certificate number"),
    _("Standard"),
    _("Status"),
    _("Date of the change"),
    _("Suspended until"),
]


@access(PUBLIC)
@require_GET
def suspended(request):
    """Current suspensions and recent withdrawals, which CBs must publish."""
    rows = suspended_list()  # whitelisted dicts, already loaded: the page is cut without a COUNT
    return render(
        request,
        "certification/public/suspended.html",
        {
            "rows": rows,
            "page": paginate(request, rows),
            "columns": SUSPENDED_COLUMNS,
            "withdrawn_months": settings.VERIFY_WITHDRAWN_LISTED_MONTHS,
            "cb_name": cb_name(),
        },
    )
