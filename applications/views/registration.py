"""A new organisation registers itself (no login): the public page, rate-limited per network
address as the public complaint form (``REGISTRATION_RATE``, django-ratelimit in Django's cache);
beyond it the answer is 429. A registered user is logged in and sent to the application form."""

from django.conf import settings
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited

from core.access import PUBLIC, access
from core.net import client_address
from core.views import perform

from .. import services
from ..forms import RegistrationForm

RATE_GROUP = "applications.registration"


def registration_allowed(request):
    return not is_ratelimited(
        request,
        group=RATE_GROUP,
        key=lambda group, req: client_address(req),
        rate=lambda group, req: settings.REGISTRATION_RATE,
        increment=True,
    )


@access(PUBLIC)
@never_cache
def register(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        if not registration_allowed(request):
            response = render(request, "applications/registration/rate_limited.html", status=429)
            response["Retry-After"] = "3600"
            return response
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("website", "password_again")}
            created = []
            if perform(
                request,
                lambda: created.append(services.organisation_register(**data)),
                success=_("Your organisation is registered. We sent you an e-mail to confirm your address."),
                form=form,
            ):
                login(request, created[0].user, backend="core.backends.ModelBackend")
                return redirect("applications:new")
    response = render(request, "applications/registration/form.html", {"form": form})
    response["X-Robots-Tag"] = "noindex"
    return response


@access(PUBLIC)
@never_cache
def registration_confirm(request, token):
    confirmed = []
    perform(request, lambda: confirmed.append(services.registration_confirm(token=token)))
    return render(request, "applications/registration/confirmed.html", {"confirmed": bool(confirmed)})
