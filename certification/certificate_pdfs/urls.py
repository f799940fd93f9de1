"""URLs of the certificate PDFs, included in certification/urls.py (namespace "certification")."""

from django.urls import path

from . import views

urlpatterns = [
    path("certificates/<int:pk>/pdf/", views.certificate_pdfs, name="certificate_pdfs"),
    path("certificates/<int:pk>/pdf/render/", views.render_draft, name="certificate_pdf_render"),
    path("certificates/<int:pk>/pdf/issue/", views.issue, name="certificate_pdf_issue"),
    path("certificates/pdf/<int:pk>/download/", views.version_download, name="certificate_pdf_download"),
]
