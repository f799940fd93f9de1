"""Reference data in use cannot be deleted (standards/protection.py): a technical-area code held
by a client and an auditor, a standard whose clauses a plan or a template links to. The admin
shows why; the shell is refused the same way; unused reference data can still be deleted."""

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse

from accounts.tests.factories import UserFactory
from clients.tests.factories import ClientFactory
from core.access import Role
from people.tests.factories import AuditorProfileFactory
from standards.models import Clause, Standard, TechnicalArea
from standards.tests.factories import ClauseFactory, StandardFactory, TechnicalAreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(role=Role.CB_ADMIN, is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def code_in_use():
    area = TechnicalAreaFactory(code="99.02.01")
    client = ClientFactory()
    client.technical_areas.add(area)
    profile = AuditorProfileFactory()
    profile.technical_areas.add(area)
    return area, client, profile


def test_the_admin_refuses_to_delete_a_code_in_use_and_says_why(admin_client, code_in_use):
    area, client, profile = code_in_use
    url = reverse("admin:standards_technicalarea_delete", args=[area.pk])
    page = admin_client.get(url)
    assert "in use and cannot be deleted" in page.content.decode() or "使用" in page.content.decode()
    admin_client.post(url, {"post": "yes"})
    assert TechnicalArea.objects.filter(pk=area.pk).exists()
    assert list(client.technical_areas.all()) == [area]
    assert list(profile.technical_areas.all()) == [area]


def test_the_delete_selected_action_refuses_too(admin_client, code_in_use):
    area, client, _ = code_in_use
    admin_client.post(
        reverse("admin:standards_technicalarea_changelist"),
        {"action": "delete_selected", "_selected_action": [area.pk], "post": "yes"},
    )
    assert TechnicalArea.objects.filter(pk=area.pk).exists()
    assert list(client.technical_areas.all()) == [area]


def test_the_shell_is_refused_a_code_in_use(code_in_use):
    area, client, _ = code_in_use
    with pytest.raises(ProtectedError), transaction.atomic():
        area.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        TechnicalArea.objects.filter(pk=area.pk).delete()
    assert list(client.technical_areas.all()) == [area]


def test_a_standard_whose_clause_a_template_links_to_is_kept():
    from reports.models import TemplateTopic
    from reports.tests.factories import build_template

    standard = StandardFactory(code="ISO 99999", edition="2030")
    clause = ClauseFactory(standard=standard, number="4.1")
    topic = TemplateTopic.objects.filter(part__template=build_template(topics=1, key="protection-test")).first()
    topic.clauses.add(clause)
    with pytest.raises(ProtectedError), transaction.atomic():
        standard.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        clause.delete()
    assert Clause.objects.filter(pk=clause.pk).exists()
    assert Standard.objects.filter(pk=standard.pk).exists()


def test_unused_reference_data_can_still_be_deleted(admin_client):
    area = TechnicalAreaFactory(code="99.03.01")
    admin_client.post(reverse("admin:standards_technicalarea_delete", args=[area.pk]), {"post": "yes"})
    assert not TechnicalArea.objects.filter(pk=area.pk).exists()
    standard = StandardFactory(code="ISO 99998", edition="2030")
    ClauseFactory(standard=standard, number="4.1")
    standard.delete()
    assert not Clause.objects.filter(standard_id=standard.pk).exists()
