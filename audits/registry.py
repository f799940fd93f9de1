"""What the audits app reads from apps above it, filled in by those apps in their
``AppConfig.ready()``: audits never imports a higher app (the layers of DESIGN.md).

**Programme certificate state.** A programme's expected audits (``selectors.programme_schedule``)
depend on its certificates: a suspended certificate calls first for a special audit to lift the
suspension, a withdrawn one for nothing more. The certification app knows certificates; it
registers one provider with

* ``annotations()``: annotations of an ``AuditProgramme`` queryset carrying that state, so the
  schedules of N programmes need no query each (``selectors.programmes_with_audits``);
* ``adjust_schedule(programme=, entries=, on_date=, cb=, audits=)``: the schedule's entries
  changed by that state.

Without a provider (an installation without certification) the schedule follows the programme
rules alone.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .models import Audit, AuditProgramme, CertificationBody
    from .selectors import ScheduleEntry


class ScheduleAdjuster(Protocol):
    def __call__(
        self,
        *,
        programme: AuditProgramme,
        entries: list[ScheduleEntry],
        on_date: datetime.date,
        cb: CertificationBody,
        audits: Sequence[Audit],
    ) -> list[ScheduleEntry]: ...


@dataclass(frozen=True)
class ProgrammeCertificateState:
    annotations: Callable[[], Mapping[str, Any]]
    adjust_schedule: ScheduleAdjuster


_programme_certificate_state: list[ProgrammeCertificateState] = []


def register_programme_certificate_state(
    *, annotations: Callable[[], Mapping[str, Any]], adjust_schedule: ScheduleAdjuster
) -> None:
    """Add a provider (registering the same one again changes nothing)."""
    provider = ProgrammeCertificateState(annotations=annotations, adjust_schedule=adjust_schedule)
    if provider not in _programme_certificate_state:
        _programme_certificate_state.append(provider)


def programme_certificate_annotations() -> dict[str, Any]:
    """Every provider's annotations of an ``AuditProgramme`` queryset."""
    merged: dict[str, Any] = {}
    for provider in _programme_certificate_state:
        merged.update(provider.annotations())
    return merged


def programme_schedule_adjust(
    *,
    programme: AuditProgramme,
    entries: list[ScheduleEntry],
    on_date: datetime.date,
    cb: CertificationBody,
    audits: Sequence[Audit],
) -> list[ScheduleEntry]:
    """The schedule's entries as every provider adjusts them, in the order they registered."""
    for provider in _programme_certificate_state:
        entries = provider.adjust_schedule(programme=programme, entries=entries, on_date=on_date, cb=cb, audits=audits)
    return entries
