"""URLs of the report PDFs, included in reports/urls.py (namespace "reports")."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/pdf/", views.versions, name="versions"),
    path("<int:pk>/pdf/panel/", views.versions_panel, name="versions_panel"),
    path("<int:pk>/pdf/render/", views.render_draft, name="render_draft"),
    path("<int:pk>/pdf/issue/", views.issue, name="issue"),
    path("pdf/issued/", views.issued_list, name="issued_list"),
    path("pdf/<int:pk>/download/", views.version_download, name="version_download"),
]
