"""The public certificate register, mounted at ``verify/`` (namespace ``verify``)."""

from django.urls import path

from . import public_views

app_name = "verify"

urlpatterns = [
    path("", public_views.verify, name="lookup"),
    path("suspended/", public_views.suspended, name="suspended"),
    # The QR code printed on a certificate opens this page.
    path("<str:token>/", public_views.verify_token, name="token"),
]
