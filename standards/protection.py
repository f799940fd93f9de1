"""Reference data in use is not deleted: a standard, a clause or a technical-area code that any
record refers to (a client's scope codes, an auditor's competence codes, a plan's clauses, a
report template's clause links, ...) stays, so no record silently loses it.

Foreign keys to reference data are PROTECT, but many-to-many links are not (Django deletes the
link rows of a deleted object without a history row), so ``uses_of`` reads every relation, links
included, and ``refuse_deleting_in_use`` (a pre_delete receiver for the three models) refuses the
delete, whoever attempts it: the admin (which shows the reason, standards/admin.py), the
importer (standards/importer/applying.py) or the shell."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import ProtectedError
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext as _

from .models import Clause, Standard, TechnicalArea

# The catalogue's own structure, which goes with the deleted object rather than using it.
_STRUCTURE = {(Clause, "standard"), (Clause, "parent"), (TechnicalArea, "parent")}


def _direct_uses(obj: models.Model) -> dict[str, int]:
    uses: dict[str, int] = {}
    for rel in obj._meta.related_objects:
        model = rel.related_model
        if (model, rel.field.name) in _STRUCTURE or model._meta.label.split(".")[1].startswith("Historical"):
            continue
        count = model._default_manager.filter(**{rel.field.name: obj}).count()
        if count:
            name = str(model._meta.verbose_name_plural)
            uses[name] = uses.get(name, 0) + count
    return uses


def uses_of(obj: models.Model) -> dict[str, int]:
    """What refers to ``obj``: {records' name (plural): how many}; for a standard, also what
    refers to its clauses; for a clause or a code, also what refers to the ones below it."""
    uses = _direct_uses(obj)
    below: list[Any] = []
    if isinstance(obj, Standard):
        below = list(Clause.objects.filter(standard=obj))
    elif isinstance(obj, Clause | TechnicalArea):
        below = list(type(obj).objects.filter(parent=obj))
    for child in below:
        for name, count in (_direct_uses(child) if isinstance(obj, Standard) else uses_of(child)).items():
            uses[name] = uses.get(name, 0) + count
    return uses


def in_use_reason(obj: models.Model) -> str:
    """Why ``obj`` cannot be deleted, or "" when nothing refers to it."""
    uses = uses_of(obj)
    if not uses:
        return ""
    return _("“%(object)s” is in use and cannot be deleted: %(uses)s.") % {
        "object": obj,
        "uses": ", ".join(f"{name} ({count})" for name, count in sorted(uses.items())),
    }


@receiver(pre_delete, sender=Standard, dispatch_uid="standards.protect_standard")
@receiver(pre_delete, sender=Clause, dispatch_uid="standards.protect_clause")
@receiver(pre_delete, sender=TechnicalArea, dispatch_uid="standards.protect_technical_area")
def refuse_deleting_in_use(sender: Any, instance: models.Model, **kwargs: Any) -> None:
    reason = in_use_reason(instance)
    if reason:
        raise ProtectedError(reason, {instance})
