"""Historical records: what a certification body did before it used this product, entered with
its real dates and marked as imported.

A CB moving onto the product brings years of audits, technical reviews, decisions and
certificates. They are entered through each app's import services (never through today's
lifecycle, which would stamp today's date on them) and carry the marks of this mixin: that the
row was imported, who imported it, when, and from what source (a paper file, a spreadsheet).
Pages, the admin and the history show these marks, so an imported fact is never read as work
the product did.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportedRecord(models.Model):
    """The marks of a record entered as history (see the module docstring)."""

    imported = models.BooleanField(
        _("imported historical record"),
        default=False,
        editable=False,
        help_text=_("Entered from the CB's past records with its real dates; not done in this product."),
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True, editable=False)
    import_source = models.CharField(
        _("source of the imported record"),
        max_length=200,
        blank=True,
        editable=False,
        help_text=_("Where the record comes from, e.g. the paper file or the workbook it was read from."),
    )

    class Meta:
        abstract = True


def import_marks(*, by: Any, source: str = "") -> dict[str, Any]:
    """The field values that mark a record being created now as imported by ``by``."""
    return {"imported": True, "imported_by": by, "imported_at": timezone.now(), "import_source": (source or "")[:200]}


def on_day(day: datetime.date) -> datetime.datetime:
    """A moment of ``day`` (noon, the current time zone) for the time stamp of an imported fact
    whose source gives the day only."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))
