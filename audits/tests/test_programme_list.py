"""The programme list is ordered and paged by the database on each programme's stored next due
date; the stored date follows the programme and its audits."""

import datetime
import random

import pytest
from django.urls import reverse

from audits import selectors, services
from audits.models import AuditProgramme, AuditStatus, AuditType
from core.access import Role

from .factories import AuditFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, make_user):
    user = make_user(role=Role.CB_ADMIN)
    client.force_login(user)
    return user


def _stored(programme):
    programme.refresh_from_db()
    return programme.next_due_on, programme.next_due_window_opens, programme.has_pending


def _certified(issued=datetime.date(2020, 1, 2), **kwargs):
    return ProgrammeFactory(decision_on=issued - datetime.timedelta(days=1), certificate_issued_on=issued, **kwargs)


@pytest.mark.parametrize("rows", [3, 60])
def test_programme_list_query_count_is_fixed_and_pages_in_the_database(client, admin, django_assert_num_queries, rows):
    for _ in range(rows):
        programme = _certified()
        AuditFactory(programme=programme, client=programme.client, audit_type=AuditType.SURVEILLANCE_1)
    # session, user, CB, count, the page, its programmes with the certificates' state, standards, audits
    with django_assert_num_queries(8):
        response = client.get(reverse("audits:programme_list"))
    assert response.content.decode().count("<tr") - 1 == min(rows, 50)


def test_next_due_follows_the_programme_and_its_audits(admin):
    programme = ProgrammeFactory(starts_with_initial_audit=False)
    assert _stored(programme) == (None, None, True)  # dates follow the certificate

    services.programme_update(
        programme=programme,
        by=admin,
        decision_on=datetime.date(2020, 1, 1),
        certificate_issued_on=datetime.date(2020, 1, 2),
    )
    assert _stored(programme) == (datetime.date(2021, 1, 2), None, True)  # surveillance 1, CNCA

    s1 = AuditFactory(
        programme=programme,
        client=programme.client,
        audit_type=AuditType.SURVEILLANCE_1,
        start_date=datetime.date(2020, 12, 1),
        end_date=datetime.date(2020, 12, 2),
        status=AuditStatus.CLOSED,
    )
    assert _stored(programme) == (datetime.date(2021, 12, 2), None, True)  # surveillance 2

    s1.status = AuditStatus.PLANNED
    s1.save()
    assert _stored(programme)[0] == datetime.date(2021, 1, 2)
    s1.status = AuditStatus.CLOSED
    s1.save()
    s1.delete()
    assert _stored(programme)[0] == datetime.date(2021, 1, 2)


def test_the_database_order_is_the_schedules_order(client, admin):
    """Random programmes: the page lists overdue, then due, then the others by due date, then
    those without a date, then those expecting nothing — as the computed schedules show."""
    rnd = random.Random(23)
    today = selectors.today()
    for _ in range(30):
        kind = rnd.choice(["initial", "certified", "certified", "recert"])
        if kind == "initial":
            ProgrammeFactory()
            continue
        issued = today - datetime.timedelta(days=rnd.randint(10, 1200))
        programme = _certified(issued=issued, rule_set=rnd.choice(["cnca", "iso_17021_1"]))
        if rnd.random() < 0.5:
            day = issued + datetime.timedelta(days=rnd.randint(100, 360))
            AuditFactory(
                programme=programme,
                client=programme.client,
                audit_type=AuditType.SURVEILLANCE_1,
                start_date=day,
                end_date=day,
                status=AuditStatus.CLOSED,
            )
    cb = selectors.certification_body()
    page = list(selectors.programme_list(user=admin))
    rows = selectors.programme_list_rows(page, cb=cb)
    order = {"overdue": 0, "due": 1}
    ranks = [(order.get(entry.status, 2) if entry else 3) for _, entry in rows]
    assert ranks == sorted(ranks)
    dated = [entry.due_by for _, entry in rows if entry and entry.due_by]
    assert dated == sorted(dated)
    assert len(rows) == AuditProgramme.objects.filter(active=True).count()


def test_a_certified_programme_without_its_initial_audits_expects_its_surveillance():
    """Moved from an earlier system without its audits: the certificate is issued, so the initial
    audit it stood for is over; the next expected audit is surveillance 1, with its date."""
    programme = ProgrammeFactory(
        rule_set="cnca", decision_on=datetime.date(2020, 1, 1), certificate_issued_on=datetime.date(2020, 1, 2)
    )
    due_on, _window, pending = _stored(programme)
    assert pending and due_on is not None and due_on.year == 2021
    assert ProgrammeFactory().next_due_on is None  # not certified: the initial audit, not dated yet
