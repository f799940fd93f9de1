"""Uploading a document of a stage 1 audit: a new document, or a new version of one."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.models import User
from audits.models import Audit, AuditType
from core.access import Role

from ..models import DocumentVersion, Stage1Document
from ..uploads import check_stage1_document


def may_upload(user: User, audit: Audit) -> bool:
    """The audited organisation's users, the audit's team and CB administrators."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.role == Role.CLIENT:
        return audit.client_id == user.client_id
    return Audit.objects.restrict(user, "change").filter(pk=audit.pk).exists()


@transaction.atomic
def stage1_document_upload(
    *,
    audit: Audit,
    uploaded_file: UploadedFile,
    by: User,
    kind: str = "manual",
    title: str = "",
    document: Stage1Document | None = None,
) -> DocumentVersion:
    """Store an upload as version 1 of a new document, or as the next version of ``document``.
    The file is checked (type, size, readable) before anything is written."""
    if document is not None:
        audit = document.audit
    if not may_upload(by, audit):
        raise PermissionDenied(_("Only the audited organisation and the audit team may upload its documents."))
    if audit.audit_type != AuditType.STAGE_1:
        raise ValidationError(_("Documents are reviewed at stage 1: this is not a stage 1 audit."), code="not_stage_1")
    try:
        checked = check_stage1_document(uploaded_file)
    except ValidationError as refused:
        raise ValidationError({"file": refused.error_list}) from None
    if document is None:
        document = Stage1Document.objects.create(audit=audit, kind=kind, title=title or checked.name[:200])
    else:
        document = Stage1Document.objects.select_for_update().get(pk=document.pk)
    last = document.versions.aggregate(last=Max("number"))["last"] or 0
    version = DocumentVersion(
        document=document,
        number=last + 1,
        original_name=checked.name[:255],
        size=checked.size,
        content_type=checked.content_type,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    version.file.save(checked.name, ContentFile(checked.data), save=False)
    version.save()
    return version
