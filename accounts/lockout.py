"""The page django-axes answers a locked-out login with (settings.AXES_LOCKOUT_CALLABLE), on the
site's login and the admin login alike: what happened, for how long, and who can unlock."""

from django.conf import settings
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    return render(
        request,
        "registration/locked_out.html",
        {"failure_limit": settings.LOGIN_FAILURE_LIMIT, "lockout_minutes": settings.LOGIN_LOCKOUT_MINUTES},
        status=429,
    )
