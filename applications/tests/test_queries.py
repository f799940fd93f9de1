"""The pages' reads take a fixed number of queries, whatever the number of rows: the list, the
detail page and the code coverage of the review (one query for every auditor's codes)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from clients.tests.factories import technical_area
from people.tests.factories import AuditorProfileFactory

from .. import services
from . import factories as f

pytestmark = pytest.mark.django_db


def _count(call):
    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


def test_code_coverage_counts_in_fixed_queries():
    application = f.draft()
    area = technical_area("33.02")

    def add_auditors(n, role):
        for _ in range(n):
            AuditorProfileFactory(user=UserFactory(role=role)).technical_areas.add(area)

    add_auditors(1, "auditor")
    few = _count(lambda: services.code_coverage(application=application))
    add_auditors(3, "team_leader")
    many = _count(lambda: services.code_coverage(application=application))
    assert few == many == 2
    (row,) = services.code_coverage(application=application)
    assert (row.code, row.auditors, row.leaders) == ("33.02.01", 4, 3)


def test_list_and_detail_pages_in_fixed_queries(client):
    admin = f.admin_user()
    client.force_login(admin)
    first = f.draft(by=admin)
    few_list = _count(lambda: client.get(reverse("applications:list")))
    few_detail = _count(lambda: client.get(reverse("applications:detail", args=[first.pk])))
    for _ in range(3):
        f.draft(by=admin)
    assert _count(lambda: client.get(reverse("applications:list"))) == few_list
    assert _count(lambda: client.get(reverse("applications:detail", args=[first.pk]))) == few_detail
