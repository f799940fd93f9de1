"""Read-side helpers about auditors: conflicts of interest, qualifications, competence codes.

The audits app calls these when it builds a team; none of them writes.
"""

import datetime
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from clients.models import Client
from core.dates import local_today
from standards.models import TechnicalArea

from .models import AuditorProfile, ConflictOfInterest, QualificationLevel

# Levels that may audit, by the level asked for. A lead auditor may act as auditor; a
# technical expert advises the team but does not audit.
_LEVELS_SATISFYING = {
    QualificationLevel.LEAD_AUDITOR: {QualificationLevel.LEAD_AUDITOR},
    QualificationLevel.AUDITOR: {QualificationLevel.LEAD_AUDITOR, QualificationLevel.AUDITOR},
    QualificationLevel.TECHNICAL_EXPERT: {QualificationLevel.TECHNICAL_EXPERT},
    None: {QualificationLevel.LEAD_AUDITOR, QualificationLevel.AUDITOR},
}


def _today() -> datetime.date:
    return local_today()


def auditor_has_conflict(
    *, profile: AuditorProfile, client: Client, on_date: datetime.date | None = None
) -> ConflictOfInterest | None:
    """The conflict of interest that keeps ``profile`` from auditing ``client`` on ``on_date``
    (today when omitted), or None. A conflict lasts until its ``until`` date (inclusive);
    without one it never ends."""
    on_date = on_date or _today()
    return (
        ConflictOfInterest.objects.filter(profile=profile, client=client)
        .filter(Q(until__isnull=True) | Q(until__gte=on_date))
        .order_by("-declared_on", "-pk")
        .first()
    )


def auditor_qualified_for(
    *, profile: AuditorProfile, family: str, level: str | None = None, on_date: datetime.date | None = None
) -> bool:
    """Whether ``profile`` holds a valid qualification in ``family`` (QMS/EMS/OHSMS) on
    ``on_date`` (today when omitted) at ``level``:

    * ``level=None`` or ``"auditor"``: auditor or lead auditor (a lead auditor may audit);
    * ``"lead_auditor"``: lead auditor only (may lead the team);
    * ``"technical_expert"``: technical expert only.

    An inactive profile is qualified for nothing.
    """
    if not profile.active:
        return False
    on_date = on_date or _today()
    levels = _LEVELS_SATISFYING[QualificationLevel(level) if level else None]
    return (
        profile.qualifications.filter(family=family, level__in=levels, valid_from__lte=on_date)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on_date))
        .exists()
    )


def code_covers(competence_code: str, required_code: str) -> bool:
    """A competence in 33.02 covers 33.02.01; 33 covers every 33.x; 33.01 does not cover 33.02.01.
    The rule is ``standards.models.TechnicalArea.covers``, applied to code strings."""
    return TechnicalArea(code=competence_code).covers(TechnicalArea(code=required_code))


def _code_of(value: str | TechnicalArea) -> str:
    return value if isinstance(value, str) else value.code


def auditor_covers_codes(*, profiles: Iterable[AuditorProfile], codes: Iterable[str | TechnicalArea]) -> set[str]:
    """The codes (strings or TechnicalArea objects) that no active profile in ``profiles``
    covers with its competence codes: an empty set means the team is competent for the client.
    One query whatever the number of profiles."""
    required = {_code_of(code) for code in codes}
    if not required:
        return set()
    profile_ids = [profile.pk for profile in profiles]
    competences = set(
        AuditorProfile.technical_areas.through.objects.filter(
            auditorprofile_id__in=profile_ids, auditorprofile__active=True
        ).values_list("technicalarea__code", flat=True)
    )
    return {code for code in required if not any(code_covers(c, code) for c in competences)}


def auditor_profiles_for_team() -> QuerySet[AuditorProfile]:
    """Active profiles with everything a team-selection page shows, in a fixed number of queries."""
    return (
        AuditorProfile.objects.filter(active=True)
        .select_related("user")
        .prefetch_related("qualifications", "technical_areas")
    )


def holds_qualification(
    *, profile: AuditorProfile, family: str, level: str | None = None, on_date: datetime.date
) -> bool:
    """``auditor_qualified_for`` read from ``profile.qualifications.all()`` (prefetch them: lists of
    many auditors then need no query per auditor)."""
    if not profile.active:
        return False
    levels = _LEVELS_SATISFYING[QualificationLevel(level) if level else None]
    return any(
        q.family == family
        and q.level in levels
        and q.valid_from <= on_date
        and (q.valid_until is None or q.valid_until >= on_date)
        for q in profile.qualifications.all()
    )
