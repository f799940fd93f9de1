"""The public complaint form, mounted at ``complain/`` (namespace ``complain``)."""

from django.urls import path

from . import public_views

app_name = "complain"

urlpatterns = [path("", public_views.complaint_public, name="new")]
