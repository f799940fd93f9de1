"""The management-system documents of a stage 1 audit, each with its versions (ISO/IEC 17021-1 9.3.1.2)."""

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audits.models.scope import audit_scoped
from clients.models import DocumentKind
from core.access import RestrictedQuerySet, Role


class Stage1DocumentQuerySet(RestrictedQuerySet):
    """Who sees whom: the audit's rule. ``view``: whoever may see the audit (its client's users
    included); ``upload``: the audit's team and CB administrators (``change`` on the audit), and
    the audited organisation's users; ``review``: the team and CB administrators."""

    def restrict(self, user, action="view"):
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if action == "view":
            return audit_scoped(self, user, "view")
        if action == "upload" and user.role == Role.CLIENT:
            return self.filter(audit__client_id=user.client_id)
        if action in ("upload", "review"):
            return audit_scoped(self, user, "change")
        return self.none()


def stage1_document_path(instance, filename):
    """Outside any public URL; the uploader's file name is kept in ``original_name`` only."""
    ext = os.path.splitext(filename)[1].lower()
    return f"private/stage1/{instance.document.audit_id}/{uuid.uuid4().hex}{ext}"


class Stage1Document(models.Model):
    audit = models.ForeignKey(
        "audits.Audit", on_delete=models.CASCADE, related_name="stage_1_documents", verbose_name=_("audit")
    )
    kind = models.CharField(_("kind of document"), max_length=30, choices=DocumentKind.choices)
    title = models.CharField(_("document title"), max_length=200)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = Stage1DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("stage 1 document")
        verbose_name_plural = _("stage 1 documents")
        ordering = ["audit", "kind", "title"]

    def __str__(self):
        return self.title


class DocumentVersion(models.Model):
    """One uploaded file of a document; versions are kept, never replaced."""

    document = models.ForeignKey(Stage1Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=stage1_document_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="stage1_version_number_unique")]

    def __str__(self):
        return f"{self.document.title} v{self.number}"
