"""Applications (17021-1 9.1.1): a draft saved incomplete, attachments, submitted (the machine's
guard says what is missing), returned, withdrawn; the review opened by a CB administrator."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.uploads import check_document
from core.access import Role

from ..lifecycle import APPLICATION_MACHINE
from ..models import (
    Application,
    ApplicationAttachment,
    ApplicationReview,
    ApplicationSite,
    ApplicationStandard,
    ApplicationStatus,
)

APPLICATION_FIELDS = (
    "kind",
    "name_zh",
    "name_en",
    "address_zh",
    "address_en",
    "legal_representative",
    "contact_name",
    "contact_phone",
    "contact_email",
    "headcount",
    "temporary_staff",
    "part_time_staff",
    "integrated",
    "outsourced_processes",
    "consultancy",
    "consultancy_ended_on",
    "existing_cb",
    "existing_certificate_number",
    "existing_certificate_expires_on",
    "language",
    "preferred_from",
    "preferred_until",
    "notes",
)


@dataclass(frozen=True)
class StandardRow:
    standard: Any
    scope_zh: str = ""
    scope_en: str = ""
    complexity: str = ""


@dataclass(frozen=True)
class SiteRow:
    kind: str
    address_zh: str
    address_en: str = ""
    name: str = ""
    is_central: bool = False
    headcount: int | None = None
    shifts: int = 1


def _may_apply(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in (Role.CB_ADMIN, Role.CLIENT))


def _require_draft(application: Application) -> None:
    if application.status != ApplicationStatus.DRAFT:
        raise ValidationError(
            _("This application is “%(status)s”: only a draft can be changed.")
            % {"status": application.get_status_display()},
            code="wrong_status",
        )


def _lock(application: Application, by: Any, version: int | None) -> Application:
    if not Application.objects.restrict(by, "edit").filter(pk=application.pk).exists():
        raise PermissionDenied(_("Only the applicant or a CB administrator may change a draft application."))
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if version is not None and int(version) != locked.version:
        raise ValidationError(
            _("Someone else changed this application since you opened it. Nothing was saved; reload the page."),
            code="stale",
        )
    _require_draft(locked)
    return locked


@transaction.atomic
def application_save(
    *,
    by: Any,
    fields: dict[str, Any],
    application: Application | None = None,
    client: Any = None,
    standards: Iterable[StandardRow] | None = None,
    sites: Iterable[SiteRow] | None = None,
    technical_areas: Iterable[Any] | None = None,
    version: int | None = None,
) -> Application:
    """Create or change a draft; nothing is required yet (the submission checks completeness).
    A client user applies for its own organisation; a CB administrator for any client or for a new
    organisation (``client`` None)."""
    if not _may_apply(by):
        raise PermissionDenied(_("Only a client user or a CB administrator may apply."))
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"application_save does not change {sorted(unknown)}")
    if application is None:
        if by.role == Role.CLIENT:
            client = by.client
        application = Application(created_by=by, client=client, reference=f"tmp-{uuid.uuid4().hex[:12]}")
        for name, value in fields.items():
            setattr(application, name, value)
        if client is not None:
            _prefill_from_client(application, client)
        application.full_clean(exclude=["reference", "created_by"])
        application.save()
        application.reference = f"SQ{application.created_at:%Y}-{application.pk:05d}"
        application.save(update_fields=["reference"])
        APPLICATION_MACHINE.record_creation(application, by=by)
    else:
        application = _lock(application, by, version)
        for name, value in fields.items():
            setattr(application, name, value)
        application.version += 1
        application.full_clean(exclude=["created_by"])
        application.save()
    if standards is not None:
        rows = list(standards)
        if len({row.standard.pk for row in rows}) != len(rows):
            raise ValidationError({"standards": _("Each standard may appear only once.")})
        application.standards.all().delete()
        ApplicationStandard.objects.bulk_create(
            ApplicationStandard(
                application=application,
                standard=row.standard,
                scope_zh=row.scope_zh.strip(),
                scope_en=row.scope_en.strip(),
                complexity=row.complexity,
            )
            for row in rows
        )
    if sites is not None:
        application.sites.all().delete()
        ApplicationSite.objects.bulk_create(ApplicationSite(application=application, **row.__dict__) for row in sites)
    if technical_areas is not None:
        application.technical_areas.set(list(technical_areas))
    return application


def _prefill_from_client(application: Application, client: Any) -> None:
    """An existing client's data, where the application leaves it empty (nothing retyped)."""
    defaults = {
        "name_zh": client.name_zh,
        "name_en": client.name_en,
        "legal_representative": client.legal_representative,
        "contact_name": client.contact_name,
        "contact_phone": client.contact_phone or client.phone,
        "contact_email": client.contact_email or client.email,
        "headcount": client.headcount,
    }
    for name, value in defaults.items():
        if not getattr(application, name) and value:
            setattr(application, name, value)


@transaction.atomic
def attachment_add(*, application: Application, title: str, file: UploadedFile, by: Any) -> ApplicationAttachment:
    """Join a file to a draft, checked as every client document (type, content, size)."""
    application = _lock(application, by, None)
    checked = check_document(file)
    attachment = ApplicationAttachment(
        application=application,
        title=title.strip() or checked.name,
        original_name=checked.name[:255],
        size=checked.size,
        content_type=checked.content_type,
        uploaded_by=by,
    )
    attachment.file.save(checked.name, file, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def application_move(
    *, application: Application, action: str, by: Any, version: int | None = None, note: str = ""
) -> Application:
    """Submit, withdraw, start the review, return for more information (the review's result:
    ``review_conclude``; the contract: ``contract_sign``)."""
    if action not in ("submit", "withdraw", "start_review", "return"):
        raise ValueError(f"application_move does not take {action!r}")
    changes: dict[str, Any] = {}
    if action == "submit":
        changes["submitted_at"] = timezone.now()
    locked, _row = APPLICATION_MACHINE.move(application, action, by=by, version=version, note=note, changes=changes)
    if action == "start_review":
        ApplicationReview.objects.get_or_create(application=locked)
    return locked
