"""The public complaint form, beside the public certificate register (17021-1 9.8.1: a complaint
may come from anyone). No login. Submissions count against a per-address rate (``COMPLAINT_RATE``,
django-ratelimit in Django's cache, as the register's lookups); beyond it the answer is 429.

The answer to a submission shows its acknowledgement number and nothing else: no page takes a
number or an id, so nothing about any complaint — this one or another — can be looked up here."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited

from audits.models import CertificationBody
from core.access import PUBLIC, access
from core.i18n import pick
from core.net import client_address
from core.views import perform

from . import services
from .forms import PublicComplaintForm
from .models import ComplaintSource

RATE_GROUP = "complaints.public"


def _cb_name():
    body = CertificationBody.objects.current()
    return pick(body.name_zh, body.name_en) if body is not None else ""


def submission_allowed(request):
    return not is_ratelimited(
        request,
        group=RATE_GROUP,
        key=lambda group, req: client_address(req),
        rate=lambda group, req: settings.COMPLAINT_RATE,
        increment=True,
    )


@access(PUBLIC)
@never_cache
def complaint_public(request):
    context = {"cb_name": _cb_name()}
    form = PublicComplaintForm(request.POST or None)
    if request.method == "POST":
        if not submission_allowed(request):
            response = render(request, "complaints/public/rate_limited.html", context, status=429)
            response["Retry-After"] = "3600"
            return response
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
            created = []
            if perform(
                request,
                lambda: created.append(services.complaint_submit(source=ComplaintSource.PUBLIC, **data)),
                form=form,
            ):
                return render(
                    request, "complaints/public/received.html", {**context, "ack_number": created[0].ack_number}
                )
    response = render(request, "complaints/public/form.html", {**context, "form": form})
    response["X-Robots-Tag"] = "noindex"
    return response
