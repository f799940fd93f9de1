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

**Team assignments.** ``register_team_assignment_listener(fn)``: ``fn(assignment_id)`` is called
after the commit of every ``team_assignment_add`` (scheduling mails the assignment with an .ics).

**Audit page panels.** ``register_audit_panel(fn)``: ``fn(request=, audit=, stage_1=)`` returns
``(template_name, context)`` for a panel of the audit's page, or None when it has nothing to show
(stage1 shows the stage 1 documents and the open areas of concern); the page renders every panel
in the order they registered, without knowing their app.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.db import transaction
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

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


# --- team assignment listeners -------------------------------------------------------------------
# **Team assignments.** Someone put on a team is told (scheduling mails the assignment with an
# ``.ics`` attachment). A listener gets the new assignment's id once the transaction that made it
# commits; a listener's failure is its own business (it must not undo the assignment).

_team_assignment_listeners: list[Callable[[int], None]] = []


def register_team_assignment_listener(listener: Callable[[int], None]) -> None:
    """Add a listener (registering the same one again changes nothing)."""
    if listener not in _team_assignment_listeners:
        _team_assignment_listeners.append(listener)


def team_assignment_added(assignment_id: int) -> None:
    """Tell every listener, after the commit, that an assignment was made."""
    for listener in _team_assignment_listeners:
        transaction.on_commit(functools.partial(listener, assignment_id))


# --- panels of the audit page --------------------------------------------------------------------

AuditPanel = Callable[..., "tuple[str, Mapping[str, Any]] | None"]

_audit_panels: list[AuditPanel] = []


def register_audit_panel(panel: AuditPanel) -> None:
    """Add a panel of the audit page (registering the same one again changes nothing).
    ``panel(request=, audit=, stage_1=)`` returns ``(template_name, context)`` or None; ``stage_1``
    is the audit itself for a stage 1, the stage 1 a stage 2 follows, or None."""
    if panel not in _audit_panels:
        _audit_panels.append(panel)


def audit_panels(*, request: Any, audit: Audit, stage_1: Audit | None) -> list[SafeString]:
    """Every registered panel rendered as HTML, in the order they registered."""
    rendered = []
    for panel in _audit_panels:
        spec = panel(request=request, audit=audit, stage_1=stage_1)
        if spec is not None:
            template_name, context = spec
            rendered.append(render_to_string(template_name, dict(context), request=request))
    return rendered
