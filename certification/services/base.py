"""What every unit of the certification services shares: today's date (one place, so tests set
it once), saving with the acting user for the history, the CB's policy and profile, reason codes,
and the who-check through ``restrict()``."""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from audits.models import CertificationBody
from core import dates
from core.access import restricted
from core.history import set_history_user
from standards.models import code_covers

from ..models import CertificationPolicy, Decision, ReasonKind, StatusReason, TechnicalReview
from ..rules import invalid

M = TypeVar("M", bound=models.Model)
# The records edited under optimistic concurrency here (each carries a ``version``).
Versioned = TypeVar("Versioned", Decision, TechnicalReview)


def today() -> datetime.date:
    """The services' today (tests set it here: ``certification.services.base.today``)."""
    return dates.local_today()


def day_text(value: datetime.date | datetime.datetime | None) -> str:
    return dates.day_text(value)


def save(obj: M, by: Any, **kwargs: Any) -> M:
    """Save with the acting user recorded for django-simple-history."""
    set_history_user(obj, by)
    obj.save(**kwargs)
    return obj


def bump(obj: Versioned, by: Any) -> Versioned:
    """Save an edit of a versioned record (optimistic concurrency: the next version)."""
    obj.version += 1
    return save(obj, by)


def check_version(obj: Decision | TechnicalReview, version: Any) -> None:
    """Refuse an edit made on an older version than the stored one."""
    if version is not None and version != "" and obj.version != int(version):
        raise invalid(
            _("Someone else changed this record since you opened it. Reload the page and make your changes again."),
            code="stale",
        )


def require(model: type[models.Model], user: Any, action: str, obj: models.Model, message: str) -> None:
    """Refuse (``PermissionDenied``) a user whom ``model.objects.restrict(user, action)`` does not
    give ``obj``: the same rule the pages use."""
    if not restricted(model, user, action).filter(pk=obj.pk).exists():
        raise PermissionDenied(message)


def policy() -> CertificationPolicy:
    return CertificationPolicy.objects.current()


def certification_body() -> CertificationBody | None:
    return CertificationBody.objects.current()


def reason(kind: str, code: str) -> StatusReason:
    """A reason code of the reference data the services need (e.g. 0120, replaced)."""
    row = StatusReason.objects.filter(kind=kind, code=code).first()
    if row is None:
        raise invalid(
            _("The %(kind)s reason code %(code)s is missing from the reference data.")
            % {"kind": ReasonKind(kind).label, "code": code},
            code="reason_missing",
        )
    return row


def client_codes(client: Any) -> list[str]:
    return sorted(client.technical_areas.values_list("code", flat=True))


def uncovered(profile_codes: list[str], required: list[str]) -> list[str]:
    """The required technical codes none of ``profile_codes`` covers (33.02 covers 33.02.01)."""
    return [code for code in required if not any(code_covers(have, code) for have in profile_codes)]
