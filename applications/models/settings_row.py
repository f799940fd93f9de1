"""The CB's one-row settings tables of this app (agreements, invoices, transfers)."""

from typing import Any

from django.db import models


class SettingsRowManager(models.Manager):
    """A table of one row (``key`` 1), edited in the admin."""

    def current(self) -> Any:
        """The settings row, or the defaults (unsaved): opening a page never writes."""
        return self.filter(key=1).first() or self.model(key=1)

    def ensure(self) -> Any:
        row, _created = self.get_or_create(key=1)
        return row
