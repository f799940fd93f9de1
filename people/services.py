"""Writes about auditor profiles. Views, forms, admin and the demo call these."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from clients.models import Client
from core.access import AUDITING_ROLES
from core.history import set_history_user
from standards.models import TechnicalArea

from .models import AuditorProfile, ConflictOfInterest


def auditor_profile_check_user(*, user: User) -> None:
    if user.role not in AUDITING_ROLES:
        raise ValidationError(
            {"user": _("Only auditors and team leaders have an auditor profile.")}, code="not_auditor"
        )


@transaction.atomic
def auditor_user_create(*, username: str, full_name: str, email: str, role: str, by: User | None = None) -> User:
    """A new auditor or team leader's login, made with their profile on the auditor page (no trip
    to the admin site). No password is typed for them: the user has an unusable password until
    they set one through the link of ``accounts.invitations.password_set_path``."""
    user = User(username=username.strip(), full_name=full_name.strip(), email=email.strip(), role=role)
    auditor_profile_check_user(user=user)
    user.set_unusable_password()
    user.full_clean()
    if by is not None:
        set_history_user(user, by)
    user.save()
    return user


@transaction.atomic
def auditor_profile_save(
    *, profile: AuditorProfile, technical_areas: Iterable[TechnicalArea] | None = None, by: User | None = None
) -> AuditorProfile:
    """Create or update a profile after checking the rules (role, registration format, uniqueness)."""
    auditor_profile_check_user(user=profile.user)
    profile.full_clean()
    if by is not None:
        set_history_user(profile, by)
    profile.save()
    if technical_areas is not None:
        current = set(profile.technical_areas.values_list("pk", flat=True))
        wanted = {area.pk for area in technical_areas}
        if current != wanted:
            profile.technical_areas.set(technical_areas)
    return profile


@transaction.atomic
def conflict_declare(
    *,
    profile: AuditorProfile,
    client: Client,
    description: str,
    declared_on: datetime.date,
    until: datetime.date | None = None,
    consulting_ended_on: datetime.date | None = None,
    by: User | None = None,
) -> ConflictOfInterest:
    """Record a conflict of interest. For consulting give ``consulting_ended_on``: the conflict
    then lasts two years after it (``until`` computed by the model); otherwise ``until`` (or
    none: no end)."""
    conflict = ConflictOfInterest(
        profile=profile,
        client=client,
        description=description,
        declared_on=declared_on,
        until=until,
        consulting_ended_on=consulting_ended_on,
    )
    conflict.full_clean()
    if by is not None:
        set_history_user(conflict, by)
    conflict.save()
    return conflict
