"""The figures page, its CSVs and the digest preference (included under figures/)."""

from django.urls import path

from . import chart_views

app_name = "figures"

urlpatterns = [
    path("", chart_views.figures_page, name="figures"),
    path("<slug:name>.csv", chart_views.figure_csv, name="figure_csv"),
    path("digest/", chart_views.digest_preference, name="digest_preference"),
]
