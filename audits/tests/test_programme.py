"""The programme page's statuses come from audits/programme_rules.py applied to the stored
anchors and the programme's audits (the date arithmetic itself is tested in
test_programme_rules.py; these tests check the integration, at the boundaries)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from audits import programme_rules, services
from audits.models import AuditStatus, AuditType
from audits.rule_texts import TEXTS
from audits.selectors import programme_schedule, programmes_needing_attention
from core.access import Role

from .factories import AuditFactory, CertificationBodyFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def entry(programme, kind, on_date):
    return next(e for e in programme_schedule(programme=programme, on_date=on_date) if e.kind == kind)


@pytest.fixture
def cnca():
    # Decision 2025-03-10, certificate issued 2025-03-15: CNCA anchors on the issue date.
    return ProgrammeFactory(rule_set="cnca", decision_on=D(2025, 3, 10), certificate_issued_on=D(2025, 3, 15))


@pytest.fixture
def iso():
    return ProgrammeFactory(rule_set="iso_17021_1", decision_on=D(2025, 3, 10), certificate_issued_on=D(2025, 3, 15))


@pytest.mark.parametrize(
    "on_date,status",
    [
        (D(2026, 1, 13), "upcoming"),  # 61 days before the due date
        (D(2026, 1, 14), "due"),  # 60 days before (the CB's default window)
        (D(2026, 3, 15), "due"),  # the due date itself
        (D(2026, 3, 16), "overdue"),
    ],
)
def test_cnca_first_surveillance_status_at_its_boundaries(cnca, on_date, status):
    e = entry(cnca, AuditType.SURVEILLANCE_1, on_date)
    assert e.due_by == D(2026, 3, 15)
    assert e.status == status


def test_iso_anchors_on_the_decision_date(iso):
    assert entry(iso, AuditType.SURVEILLANCE_1, D(2026, 3, 11)).status == "overdue"
    assert entry(iso, AuditType.SURVEILLANCE_1, D(2026, 3, 10)).status == "due"


def test_iso_second_surveillance_waits_for_its_calendar_year(iso):
    AuditFactory(
        programme=iso,
        client=iso.client,
        audit_type=AuditType.SURVEILLANCE_1,
        start_date=D(2026, 2, 1),
        end_date=D(2026, 2, 2),
        status=AuditStatus.CLOSED,
    )
    e = entry(iso, AuditType.SURVEILLANCE_2, D(2026, 12, 1))
    assert e.window_opens == D(2027, 1, 1)
    assert e.status == "upcoming"


def test_the_cbs_due_window_is_used(cnca):
    CertificationBodyFactory(due_soon_days=90)
    assert entry(cnca, AuditType.SURVEILLANCE_1, D(2025, 12, 15)).status == "due"


def test_done_surveillance_moves_the_second_and_is_done(cnca):
    AuditFactory(
        programme=cnca,
        client=cnca.client,
        audit_type=AuditType.SURVEILLANCE_1,
        start_date=D(2026, 4, 1),
        end_date=D(2026, 4, 2),
        status=AuditStatus.REPORT_DRAFTED,
    )
    s1 = entry(cnca, AuditType.SURVEILLANCE_1, D(2026, 5, 1))
    s2 = entry(cnca, AuditType.SURVEILLANCE_2, D(2026, 5, 1))
    assert s1.status == "done"
    assert s2.due_by == D(2027, 4, 2)  # CNCA: 12 months after the previous surveillance's last day


def test_planned_but_not_yet_done_audit_does_not_count_as_done(cnca):
    AuditFactory(
        programme=cnca,
        client=cnca.client,
        audit_type=AuditType.SURVEILLANCE_1,
        start_date=D(2026, 3, 20),
        end_date=D(2026, 3, 21),
        status=AuditStatus.IN_PROGRESS,
    )
    e = entry(cnca, AuditType.SURVEILLANCE_1, D(2026, 3, 20))
    assert e.status == "overdue" and len(e.audits) == 1


def test_overdue_item_says_what_follows_if_missed(cnca):
    e = entry(cnca, AuditType.SURVEILLANCE_1, D(2026, 3, 16))
    expected = programme_rules.consequence_if_missed(rule_set="cnca", kind=programme_rules.DueKind.SURVEILLANCE_1)
    assert str(e.consequence) == expected


def test_expired_recertification_says_what_is_required(cnca, iso):
    on_date = D(2028, 3, 20)  # both certificates expired (2028-03-14 / 2028-03-09)
    assert "initial certification" in str(entry(cnca, AuditType.RECERTIFICATION, on_date).note)
    assert "restored" in str(entry(iso, AuditType.RECERTIFICATION, on_date).note)


def test_without_anchors_dates_wait_for_the_certificate():
    programme = ProgrammeFactory()
    kinds = [(e.kind, e.status) for e in programme_schedule(programme=programme, on_date=D(2026, 1, 1))]
    assert kinds == [
        ("stage_1", "not_planned"),
        ("stage_2", "not_planned"),
        ("surveillance_1", "awaiting_certificate"),
        ("surveillance_2", "awaiting_certificate"),
        ("recertification", "awaiting_certificate"),
    ]


def test_stage_audits_show_planned_and_done():
    programme = ProgrammeFactory()
    AuditFactory(programme=programme, client=programme.client, audit_type=AuditType.STAGE_1, status=AuditStatus.CLOSED)
    AuditFactory(programme=programme, client=programme.client, audit_type=AuditType.STAGE_2)
    statuses = {e.kind: e.status for e in programme_schedule(programme=programme)}
    assert statuses["stage_1"] == "done" and statuses["stage_2"] == "planned"


def test_cancelled_audits_do_not_count():
    programme = ProgrammeFactory()
    AuditFactory(
        programme=programme, client=programme.client, audit_type=AuditType.STAGE_1, status=AuditStatus.CANCELLED
    )
    assert entry(programme, AuditType.STAGE_1, D(2026, 1, 1)).status == "not_planned"


def test_attention_list_has_overdue_first(cnca, make_user, monkeypatch):
    later = ProgrammeFactory(rule_set="cnca", decision_on=D(2025, 4, 1), certificate_issued_on=D(2025, 4, 1))
    admin = make_user(role=Role.CB_ADMIN)
    found, total = programmes_needing_attention(user=admin, on_date=D(2026, 3, 20))
    assert [(p.pk, e.status) for p, e in found] == [(cnca.pk, "overdue"), (later.pk, "due")]
    assert total == 2
    # The database picks the first ones; the rest are counted, not loaded.
    found, total = programmes_needing_attention(user=admin, on_date=D(2026, 3, 20), limit=1)
    assert total == 2 and {p.pk for p, _e in found} == {cnca.pk}


def test_every_rule_sentence_is_translatable():
    sentences = set(programme_rules.CONSEQUENCES.values())
    sentences |= set(programme_rules._SOURCES.values()) | set(programme_rules._RECERT_MESSAGES.values())
    sentences |= set(programme_rules._RECERT_SOURCES.values())
    assert sentences <= set(TEXTS)


def test_programme_anchors_are_validated(make_user):
    admin = make_user(role=Role.CB_ADMIN)
    programme = ProgrammeFactory()
    with pytest.raises(ValidationError) as exc:
        services.programme_update(
            programme=programme, by=admin, decision_on=D(2025, 3, 10), certificate_issued_on=D(2025, 3, 1)
        )
    assert "certificate_issued_on" in exc.value.message_dict
    services.programme_update(
        programme=programme, by=admin, decision_on=D(2025, 3, 10), certificate_issued_on=D(2025, 3, 12)
    )
    programme.refresh_from_db()
    assert programme.history.first().history_user == admin
