"""Who may open the certificate-PDF pages (certification/certificate_pdfs/urls.py); merged into
the app's access rows (access_rows.py: ``PAGES += VERSION_PAGES``). Object-level refusals
(drafts, other clients' PDFs and certificates are 404 to client users) are tested in
test_versions.py. "My certificates" is the portal's (portal/tests/access_rows.py)."""

from core.access import Role
from core.testing import ALL_ROLES, STAFF, Page

CB_ADMIN_ONLY = frozenset({Role.CB_ADMIN})


def certificate_for(user):
    """A certificate the user may see: its own organisation's (client users), one of a client
    whose audit it is on (auditors, team leaders), any (administrators, committee)."""
    from audits.tests.factories import audit_for
    from certification.tests.factories import CertificateFactory

    if user is not None and user.role == Role.CLIENT:
        return CertificateFactory(client=user.client)
    certificate = CertificateFactory()
    if user is not None and user.role in (Role.AUDITOR, Role.TEAM_LEADER):
        audit_for(user, client=certificate.client)
    return certificate


def _certificate(user):
    return {"pk": certificate_for(user).pk}


def _issued_version(user):
    """An issued PDF of a certificate the user may see (a few bytes: the view serves the file)."""
    from django.core.files.base import ContentFile

    from certification.models import CertificateVersion
    from core.issued import VersionKind

    content = b"%PDF-1.7\n% access-table test\n"
    version = CertificateVersion(
        certificate=certificate_for(user),
        kind=VersionKind.ISSUED,
        language="zh-hans",
        sequence=1,
        sha256="0" * 64,
        size=len(content),
        pages=1,
        pdf_variant="pdf/a-3b",
        data={},
    )
    version.file.save("access.pdf", ContentFile(content), save=False)
    version.save()
    return {"pk": version.pk}


VERSION_PAGES = [
    Page("certification:certificate_pdfs", STAFF, kwargs=_certificate),
    Page("certification:certificate_pdf_render", CB_ADMIN_ONLY, kwargs=_certificate, method="post", ok_status=302),
    Page("certification:certificate_pdf_issue", CB_ADMIN_ONLY, kwargs=_certificate, method="post", ok_status=302),
    Page("certification:certificate_pdf_download", ALL_ROLES, kwargs=_issued_version),
]
PAGES = VERSION_PAGES
