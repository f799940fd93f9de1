"""The nightly safety net: a bulk ``update()`` sends no signal, so a programme's stored next due
date can go stale; the beat task ``audits.tasks.refresh_programme_next_due`` corrects every
active programme, in batches."""

import datetime

import pytest
from django_celery_beat.models import PeriodicTask

from audits import services
from audits.models import AuditProgramme, AuditStatus, AuditType
from audits.tasks import refresh_programme_next_due

from .factories import AuditFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

DUE = datetime.date(2021, 1, 2)  # surveillance 1 of a certificate issued on 2 January 2020 (CNCA)


def _certified():
    return ProgrammeFactory(
        starts_with_initial_audit=False,
        decision_on=datetime.date(2020, 1, 1),
        certificate_issued_on=datetime.date(2020, 1, 2),
    )


def _stored(programme):
    programme.refresh_from_db()
    return programme.next_due_on, programme.has_pending


def test_the_task_corrects_a_next_due_date_a_bulk_update_left_stale():
    programme = _certified()
    assert _stored(programme) == (DUE, True)
    # A bulk update: no save(), no signal, the stored value is now wrong.
    AuditProgramme.objects.filter(pk=programme.pk).update(next_due_on=datetime.date(2035, 1, 1), has_pending=False)
    assert _stored(programme) == (datetime.date(2035, 1, 1), False)

    assert refresh_programme_next_due.apply().get() == {"programmes": 1}
    assert _stored(programme) == (DUE, True)


def test_a_closed_audit_written_by_a_bulk_update_moves_the_date_on_at_night():
    programme = _certified()
    audit = AuditFactory(
        programme=programme,
        client=programme.client,
        audit_type=AuditType.SURVEILLANCE_1,
        start_date=datetime.date(2020, 12, 1),
        end_date=datetime.date(2020, 12, 2),
        status=AuditStatus.PLANNED,
    )
    assert _stored(programme)[0] == DUE
    type(audit).objects.filter(pk=audit.pk).update(status=AuditStatus.CLOSED)
    assert _stored(programme)[0] == DUE  # stale: no signal

    refresh_programme_next_due.apply()
    assert _stored(programme)[0] == datetime.date(2021, 12, 2)  # surveillance 2 now


def test_every_active_programme_is_refreshed_in_batches_and_inactive_ones_are_left(monkeypatch):
    programmes = [_certified() for _ in range(5)]
    inactive = _certified()
    AuditProgramme.objects.filter(pk=inactive.pk).update(active=False)
    AuditProgramme.objects.update(next_due_on=None, has_pending=False)
    batches = []
    real = services.programme_next_due_refresh

    def counting(*, programme_ids):
        batches.append(list(programme_ids))
        return real(programme_ids=programme_ids)

    monkeypatch.setattr("audits.services.programme.programme_next_due_refresh", counting)
    assert services.programme_next_due_refresh_all(batch_size=2) == 5
    assert [len(batch) for batch in batches] == [2, 2, 1]
    assert all(_stored(programme) == (DUE, True) for programme in programmes)
    assert _stored(inactive) == (None, False)


def test_the_nightly_refresh_is_in_beats_schedule():
    task = PeriodicTask.objects.get(task="audits.tasks.refresh_programme_next_due")
    assert task.enabled and (task.crontab.hour, task.crontab.minute) == ("2", "30")
    assert str(task.crontab.timezone) == "Asia/Shanghai"
