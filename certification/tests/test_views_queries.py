"""The certificate list and the committee's dashboard render in a fixed number of SQL queries,
whatever the number of certificates (each count below is the same at 3 and at 15)."""

import pytest
from django.urls import reverse

from .factories import CertificateFactory, CommitteeFlagFactory, committee_user

pytestmark = pytest.mark.django_db

# session + user (2), paginator count (1), the page of certificates with holder, standard,
# programme and main certificate (1), the filter's standard choices (1); the holder filter is
# search-as-you-type (core.autocomplete) and renders no choices.
CERTIFICATE_LIST_QUERIES = 5


def _certificates(n):
    for _i in range(n):
        CertificateFactory()


@pytest.mark.parametrize("count", [3, 15])
def test_the_certificate_list_renders_in_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    _certificates(count)
    client.force_login(committee_user())
    with django_assert_num_queries(CERTIFICATE_LIST_QUERIES):
        response = client.get(reverse("certification:certificate_list"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="certificate-row"') == count


@pytest.mark.parametrize("count", [3, 15])
def test_the_filtered_certificate_list_keeps_the_same_count(client, django_assert_num_queries, count):
    _certificates(count)
    client.force_login(committee_user())
    with django_assert_num_queries(CERTIFICATE_LIST_QUERIES):
        response = client.get(reverse("certification:certificate_list"), {"status": "01", "number": ""})
    assert response.status_code == 200


def _dashboard_queries(client, django_assert_num_queries, count, user):
    from certification.models import CommitteeFlag

    for _i in range(count):
        CommitteeFlagFactory()
    count = CommitteeFlag.objects.count()
    client.force_login(user)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("certification:dashboard"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="flag-row"') == count
    return ctx.captured_queries


def test_the_dashboard_does_not_grow_with_the_number_of_flags(client, django_assert_num_queries):
    user = committee_user()
    few = len(_dashboard_queries(client, django_assert_num_queries, 2, user))
    ctx_many = _dashboard_queries(client, django_assert_num_queries, 8, user)  # 10 flags now
    many = len(ctx_many)
    assert few == many, "\n".join(q["sql"][:200] for q in ctx_many)
