"""URLs of the report PDFs, included in reports/urls.py (namespace "reports")."""

from django.urls import path

from . import version_views

urlpatterns = [
    path("<int:pk>/pdf/", version_views.versions, name="versions"),
    path("<int:pk>/pdf/panel/", version_views.versions_panel, name="versions_panel"),
    path("<int:pk>/pdf/render/", version_views.render_draft, name="render_draft"),
    path("<int:pk>/pdf/issue/", version_views.issue, name="issue"),
    path("pdf/issued/", version_views.issued_list, name="issued_list"),
    path("pdf/<int:pk>/download/", version_views.version_download, name="version_download"),
]
