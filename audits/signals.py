"""Keep each programme's stored next due date true (``services.programme_next_due_refresh``;
the programme list sorts on it): after every save of a programme or an audit, and every delete of
an audit. Certificates (a higher app) connect their own save in ``CertificationConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

DERIVED_FIELDS = frozenset({"next_due_on", "next_due_window_opens", "has_pending"})


def _refresh(programme_id: int | None) -> None:
    from .services import programme_next_due_refresh

    if programme_id is not None:
        programme_next_due_refresh(programme_ids=[programme_id])


def programme_saved(sender: Any, instance: Any, raw: bool = False, update_fields: Any = None, **kwargs: Any) -> None:
    if raw or (update_fields is not None and set(update_fields) <= DERIVED_FIELDS):
        return
    _refresh(instance.pk)


def audit_changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _refresh(instance.programme_id)


def connect() -> None:
    from .models import Audit, AuditProgramme

    post_save.connect(programme_saved, sender=AuditProgramme, dispatch_uid="audits.programme_next_due")
    post_save.connect(audit_changed, sender=Audit, dispatch_uid="audits.audit_next_due")
    post_delete.connect(audit_changed, sender=Audit, dispatch_uid="audits.audit_deleted_next_due")
