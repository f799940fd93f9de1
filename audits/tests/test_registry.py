"""The programme schedule reads the certificates' state only through audits.registry, which the
higher app fills: without a provider it follows the programme rules alone; a provider's
annotations reach the programmes and its adjustment reaches the schedule."""

import datetime

import pytest
from django.db.models import Value

from audits import registry
from audits.models import AuditProgramme, AuditType
from audits.selectors import ScheduleEntry, programme_schedule, programmes_with_audits

from .factories import ProgrammeFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def no_providers(monkeypatch):
    monkeypatch.setattr(registry, "_programme_certificate_state", [])


@pytest.fixture
def programme():
    return ProgrammeFactory(rule_set="cnca", decision_on=D(2025, 3, 10), certificate_issued_on=D(2025, 3, 15))


def test_without_a_provider_the_schedule_follows_the_programme_rules_alone(no_providers, programme):
    assert registry.programme_certificate_annotations() == {}
    (loaded,) = programmes_with_audits(AuditProgramme.objects.filter(pk=programme.pk))
    kinds = [entry.kind for entry in programme_schedule(programme=loaded, on_date=D(2026, 1, 1))]
    assert kinds == [
        AuditType.STAGE_1,
        AuditType.STAGE_2,
        AuditType.SURVEILLANCE_1,
        AuditType.SURVEILLANCE_2,
        AuditType.RECERTIFICATION,
    ]


def test_a_providers_annotations_and_adjustment_reach_the_schedule(no_providers, programme):
    seen = []

    def adjust(*, programme, entries, on_date, cb, audits):
        seen.append((programme.marker, on_date, len(entries)))
        return [ScheduleEntry(kind=AuditType.SPECIAL, label="first", status="due"), *entries]

    registry.register_programme_certificate_state(annotations=lambda: {"marker": Value("x")}, adjust_schedule=adjust)
    (loaded,) = programmes_with_audits(AuditProgramme.objects.filter(pk=programme.pk))
    entries = programme_schedule(programme=loaded, on_date=D(2026, 1, 1))
    assert seen == [("x", D(2026, 1, 1), 5)]
    assert [e.kind for e in entries][:2] == [AuditType.SPECIAL, AuditType.STAGE_1]


def test_registering_the_same_provider_twice_keeps_one(no_providers):
    def annotations():
        return {}

    def adjust(**kwargs):
        return kwargs["entries"]

    registry.register_programme_certificate_state(annotations=annotations, adjust_schedule=adjust)
    registry.register_programme_certificate_state(annotations=annotations, adjust_schedule=adjust)
    assert len(registry._programme_certificate_state) == 1
