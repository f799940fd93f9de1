"""Issued PDFs: the one mechanism behind stored PDF versions (audit reports, certificates).

A stored PDF is written once and never changed: a row of a concrete ``IssuedPdf`` model (the
file in private storage, its SHA-256, size and pages, the JSON data it was rendered from, who
asked and when), either a *draft* (carries the DRAFT mark, may be deleted with its file) or
*issued* (PDF/A with its data attached, never deleted). A correction is a new issued row whose
``replaces`` names the one it replaces (``replaced_by`` from the other side); what is "in force"
is the issued row nobody replaces.

    class ReportVersion(IssuedPdf):
        report = models.ForeignKey(...)
        file = models.FileField(_("PDF file"), upload_to=version_file_path, max_length=300)
        objects = ReportVersionQuerySet.as_manager()   # an IssuedPdfQuerySet

    version = ReportVersion(report=..., kind=VersionKind.ISSUED, sha256=result.sha256, ...)
    with storing(version, result.pdf):                 # file written; one transaction
        ...check the rules again on locked rows...
        version.save()                                 # a failure deletes the file again

The render itself runs in a Celery task built on ``run_with_retries``: a failure that may pass
raises ``RetryLater`` and is tried again with exponential back-off (at once, in turn, when tasks
run eagerly); the last attempt reports its failure instead.

The model's own fields (its record's foreign key, ``file`` with its storage path, numbers of
its own) and its rules (who renders, when it may be issued) stay in the app.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import RestrictedQuerySet

#: What issued PDFs are: PDF/A-3b, so the data can travel attached to the document.
ISSUED_PDF_VARIANT = "pdf/a-3b"


class VersionKind(models.TextChoices):
    DRAFT = "draft", _("Draft PDF")
    ISSUED = "issued", _("Issued PDF")


class ImmutablePdfError(ValidationError):
    """A stored PDF was about to be changed, or an issued one deleted."""


def pdf_languages() -> list[str]:
    """The languages a PDF may be rendered in (the site's languages)."""
    return [code for code, _name in settings.LANGUAGES]


# --- hashing the data ----------------------------------------------------------------------------


def canonical_json(data: Any) -> bytes:
    """``data`` as the bytes its hash is taken of: sorted keys, no spaces, UTF-8, dates as ISO."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def data_hash(data: Any) -> str:
    """The SHA-256 (hex) of ``data``'s canonical JSON: stored with a version, attached to issued PDFs."""
    return hashlib.sha256(canonical_json(data)).hexdigest()


# --- the model -----------------------------------------------------------------------------------


class IssuedPdfQuerySet(RestrictedQuerySet):
    """Bulk changes cannot go around the model's guard: no ``update``; ``delete`` only of drafts."""

    def update(self, **kwargs: Any) -> int:
        raise ImmutablePdfError(cast("type[IssuedPdf]", self.model).changed_message, code="immutable")

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(kind=VersionKind.ISSUED).exists():
            raise ImmutablePdfError(cast("type[IssuedPdf]", self.model).deleted_message, code="immutable")
        return super().delete()

    delete.queryset_only = True  # type: ignore[attr-defined]  # Django's flag: not copied to the manager

    def in_force(self) -> IssuedPdfQuerySet:
        """Issued PDFs that no correction replaces."""
        return self.filter(kind=VersionKind.ISSUED, replaced_by__isnull=True)


class IssuedPdf(models.Model):
    """One rendered PDF, stored: written once, never changed; an issued one never deleted.

    A concrete model adds the record it belongs to and ``file`` (a ``FileField`` whose
    ``upload_to`` puts it under ``private/``), and may override the messages below."""

    kind = models.CharField(_("kind"), max_length=8, choices=VersionKind.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    sequence = models.PositiveIntegerField(_("version"))
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    pages = models.PositiveIntegerField(_("pages"))
    pdf_variant = models.CharField(_("PDF variant"), max_length=12, blank=True)
    data = models.JSONField(_("data rendered"))
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rendered for"),
    )
    created_at = models.DateTimeField(_("rendered at"), default=timezone.now)

    file: Any  # the concrete model's FileField

    changed_message: ClassVar[Any] = _("A stored PDF cannot be changed.")
    deleted_message: ClassVar[Any] = _("An issued PDF cannot be deleted.")

    class Meta:
        abstract = True

    @property
    def is_issued(self) -> bool:
        return self.kind == VersionKind.ISSUED

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutablePdfError(self.changed_message, code="immutable")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """A draft goes with its file (once the deletion is committed); an issued PDF stays."""
        if self.is_issued:
            raise ImmutablePdfError(self.deleted_message, code="immutable")
        storage, name = self.file.storage, self.file.name
        result = super().delete(*args, **kwargs)
        if name:
            transaction.on_commit(lambda: storage.delete(name))
        return result


@contextmanager
def storing(version: IssuedPdf, pdf: bytes) -> Iterator[None]:
    """Write ``pdf`` as ``version``'s file, then run the body in one transaction, which checks
    the rules again on locked rows and saves ``version``. If the body fails, the file is deleted:
    every stored file has its row."""
    version.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        version.file.storage.delete(version.file.name)
        raise


# --- the render job's retries --------------------------------------------------------------------


class RetryLater(Exception):
    """An attempt failed for a reason that may pass (a font cache busy, storage unreachable).

    ``task_kwargs``: the task's keyword arguments for the next attempt (default: the same)."""

    def __init__(self, reason: str = "", *, task_kwargs: dict[str, Any] | None = None) -> None:
        super().__init__(reason)
        self.task_kwargs = task_kwargs


def retry_countdown(base_seconds: float, retries: int) -> float:
    """Seconds before retry number ``retries`` + 1: ``base_seconds`` × 2^retries."""
    return base_seconds * (2**retries)


def run_with_retries(task: Any, attempt: Callable[[bool], object], *, base_seconds: float) -> None:
    """Run ``attempt(final_attempt)`` as the bound Celery ``task`` (with ``max_retries``).

    An attempt that raises ``RetryLater`` is tried again: by a worker after
    ``retry_countdown(base_seconds, n)`` seconds (``task.retry``, so the message survives a
    worker restart); in eager mode (no broker: development, the default set-up) at once, in
    turn, since there is no worker to wait in. ``final_attempt`` is true on the last attempt,
    which must report its failure rather than raise ``RetryLater``."""
    if task.request.is_eager:
        for number in range(task.max_retries + 1):
            try:
                attempt(number == task.max_retries)
            except RetryLater:
                continue
            return
        return
    try:
        attempt(task.request.retries >= task.max_retries)
    except RetryLater as exc:
        raise task.retry(
            exc=exc, kwargs=exc.task_kwargs, countdown=retry_countdown(base_seconds, task.request.retries)
        ) from exc
