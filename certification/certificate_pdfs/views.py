"""Certificate PDFs in the browser: the PDFs panel of a certificate (staff: list, download;
CB administrators: render a draft, issue the PDFs) and the download view. The client portal's
"My certificates" is the portal's (portal/certificates.py).

Renders never run in a request: ``services.pdf_request`` queues the Celery task on commit.
Files are only served by ``version_download``, after ``CertificateVersion.objects.restrict``
(client users: issued PDFs in force of their own organisation's certificates; anything else 404).
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import CB_ADMIN, CB_STAFF, Role, access, roles
from core.downloads import private_file_response
from core.issued import VersionKind
from core.views import perform

from ..models import Certificate, CertificateVersion
from . import services

EVERY_ROLE = roles(*Role.values)

VERSION_COLUMNS = [gettext_lazy("Version"), gettext_lazy("Language"), gettext_lazy("Rendered"), "SHA-256", ""]


def _certificate(request, pk):
    return get_object_or_404(
        Certificate.objects.restrict(request.user, "view").select_related("standard", "client"), pk=pk
    )


def panel_context(user, certificate):
    """What the PDFs panel shows ``user`` for ``certificate`` (also used by the include tag in
    ``certification.templatetags.certificate_pdfs`` on the certificate page)."""
    versions = list(
        CertificateVersion.objects.restrict(user, "view")
        .filter(certificate=certificate)
        .select_related("created_by", "replaces")
        .order_by("-sequence")
    )
    replaced = {v.replaces_id for v in versions if v.replaces_id}
    for version in versions:
        version.is_replaced = version.pk in replaced
    in_force = {}
    for version in versions:
        if version.is_issued and not version.is_replaced:
            in_force.setdefault(version.language, version)
    languages = [(code, name) for code, name in settings.LANGUAGES]
    is_admin = CB_ADMIN.allows(user)
    return {
        "certificate": certificate,
        "versions": versions,
        "version_columns": VERSION_COLUMNS,
        "in_force": [in_force[code] for code, _name in languages if code in in_force],
        "all_issued": all(code in in_force for code, _name in languages),
        "languages": languages,
        "can_render": is_admin,
        "can_issue": is_admin,
        "issue_refusal": services.issue_refusal(certificate=certificate),
    }


@access(CB_STAFF)
def certificate_pdfs(request, pk):
    """The certificate's PDFs: issued ones, drafts, who rendered them; render and issue (CB admin)."""
    certificate = _certificate(request, pk)
    return render(request, "certification/versions/pdfs.html", panel_context(request.user, certificate))


def _queue(request, certificate, *, kind, languages, replace=False):
    queued = []

    def request_pdfs():
        queued.append(
            services.pdf_request(
                certificate=certificate, kind=kind, by=request.user, languages=languages, replace=replace
            )
        )

    if perform(request, request_pdfs):
        if queued[0]:
            messages.success(request, _("The PDFs are being produced; reload this page in a moment to download them."))
        else:
            messages.info(request, _("These PDFs are already being produced; they were not asked for a second time."))
    return redirect("certification:certificate_pdfs", pk=certificate.pk)


def _languages(request):
    language = request.POST.get("language") or ""
    if language and language not in services.pdf_languages():
        return None
    return [language] if language else services.pdf_languages()


@access(CB_ADMIN)
@require_POST
def render_draft(request, pk):
    """Queue draft PDFs (one language, or all when none is chosen)."""
    certificate = _certificate(request, pk)
    languages = _languages(request)
    if languages is None:
        messages.error(request, _("Unknown language for the PDF."))
        return redirect("certification:certificate_pdfs", pk=certificate.pk)
    return _queue(request, certificate, kind=VersionKind.DRAFT, languages=languages)


@access(CB_ADMIN)
@require_POST
def issue(request, pk):
    """Queue the issued PDFs (every language not issued yet; with ``replace``, new issued PDFs
    that replace those in force)."""
    certificate = _certificate(request, pk)
    return _queue(
        request,
        certificate,
        kind=VersionKind.ISSUED,
        languages=services.pdf_languages(),
        replace=request.POST.get("replace") == "1",
    )


@access(EVERY_ROLE)
def version_download(request, pk):
    """A stored certificate PDF, to whoever may see that version (anyone else: 404)."""
    version = get_object_or_404(
        CertificateVersion.objects.restrict(request.user, "view").select_related("certificate"), pk=pk
    )
    return private_file_response(
        version.file,
        filename=version.download_name,
        content_type="application/pdf",
        sha256=version.sha256,
        request=request,
        record=version,
    )
