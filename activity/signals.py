"""Logins, failed logins, logouts (Django's auth signals) and downloads of issued documents
(``core.downloads.document_downloaded``, sent by the report and certificate PDF downloads) become
activity records."""

from django.contrib.auth import signals as auth_signals

from core.downloads import document_downloaded
from core.net import axes_client_address

from . import services
from .models import ActivityKind


def _address(request):
    if request is None:
        return None
    # None for "unknown": the column is an inet in PostgreSQL, which refuses other text.
    return axes_client_address(request)


def on_login(sender, request=None, user=None, **kwargs):
    services.activity_record(kind=ActivityKind.LOGIN, by=user, address=_address(request))


def on_login_failed(sender, credentials=None, request=None, **kwargs):
    username = str((credentials or {}).get("username", "")).replace("\x00", "")
    services.activity_record(kind=ActivityKind.LOGIN_FAILED, username=username, address=_address(request))


def on_logout(sender, request=None, user=None, **kwargs):
    if user is not None and user.is_authenticated:
        services.activity_record(kind=ActivityKind.LOGOUT, by=user, address=_address(request))


def on_download(sender, request=None, record=None, filename="", **kwargs):
    user = getattr(request, "user", None)
    services.activity_record(
        kind=ActivityKind.DOWNLOAD,
        by=user if user is not None and user.is_authenticated else None,
        address=_address(request),
        record=record,
        detail=filename,
    )


def connect():
    auth_signals.user_logged_in.connect(on_login, dispatch_uid="activity.login")
    auth_signals.user_login_failed.connect(on_login_failed, dispatch_uid="activity.login_failed")
    auth_signals.user_logged_out.connect(on_logout, dispatch_uid="activity.logout")
    document_downloaded.connect(on_download, dispatch_uid="activity.download")
