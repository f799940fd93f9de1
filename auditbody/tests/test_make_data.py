"""make_data generates a consistent data set the pages can open, the same for the same seed, and
adds nothing on a second run."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from audits.models import Audit, TeamAssignment
from certification.models import Certificate
from clients.models import Client
from core.access import Role
from findings.models import Nonconformity

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Client.objects.count(),
        Audit.objects.count(),
        Nonconformity.objects.count(),
        Certificate.objects.count(),
        TeamAssignment.objects.filter(role="leader").count(),
    )


def test_demo_size_has_the_promised_rows_and_a_second_run_adds_nothing(client):
    call_command("make_data", "--size", "demo")
    clients, audits, ncs, certificates, leaders = _counts()
    assert (clients, audits, ncs, certificates) == (40, 100, 400, 60)
    assert leaders == audits  # every audit has its team leader
    call_command("make_data", "--size", "demo")
    assert _counts() == (clients, audits, ncs, certificates, leaders)
    admin = User.objects.create_user("bench-admin", password="x", role=Role.CB_ADMIN)
    client.force_login(admin)
    for name in ("findings:nc_register", "audits:list", "audits:programme_list", "certification:certificate_list"):
        assert client.get(reverse(name)).status_code == 200, name


class _Rollback(Exception):
    def __init__(self, rows):
        self.rows = rows


def _generated(seed):
    """The NCs ``make_data --seed`` generates, the database left as it was."""
    try:
        with transaction.atomic():
            call_command("make_data", "--size", "demo", "--seed", str(seed))
            raise _Rollback(
                list(
                    Nonconformity.objects.order_by("audit__client__name_zh", "audit__start_date", "number").values_list(
                        "audit__client__name_zh", "number", "grade", "status", "statement", "due_date"
                    )
                )
            )
    except _Rollback as done:
        return done.rows


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    first = _generated(7)
    assert first == _generated(7)
    assert first != _generated(8)
    assert {row[2] for row in first} == {"major", "minor", "observation"}
