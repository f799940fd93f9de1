"""URLs of the certificate PDFs, included in certification/urls.py (namespace "certification")."""

from django.urls import path

from . import version_views

urlpatterns = [
    path("certificates/<int:pk>/pdf/", version_views.certificate_pdfs, name="certificate_pdfs"),
    path("certificates/<int:pk>/pdf/render/", version_views.render_draft, name="certificate_pdf_render"),
    path("certificates/<int:pk>/pdf/issue/", version_views.issue, name="certificate_pdf_issue"),
    path("certificates/pdf/<int:pk>/download/", version_views.version_download, name="certificate_pdf_download"),
    path("certificates/mine/", version_views.portal_certificates, name="portal_certificates"),
]
