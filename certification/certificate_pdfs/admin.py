"""Certificate PDFs in the admin: a read-only list (the PDFs are immutable; they are rendered
from the certificate's page or on approval). Registered by certification/admin.py."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from ..models import CertificateVersion


@admin.register(CertificateVersion)
class CertificateVersionAdmin(ReadOnlyAdmin):
    list_display = ("certificate", "kind", "language", "sequence", "size", "created_at")
    list_filter = ("kind", "language")
    list_select_related = ("certificate",)
