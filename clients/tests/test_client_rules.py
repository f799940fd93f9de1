"""Client validation, the stale-edit refusal and history, at the service level."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from clients import services
from clients.models import Client, ClientScope, Site, SiteKind
from clients.tests.factories import (
    ClientFactory,
    ClientScopeFactory,
    SiteFactory,
    StandardFactory,
    UserFactory,
    technical_area,
)
from core.access import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return UserFactory(role=Role.CB_ADMIN)


def test_new_client_is_saved_with_version_1_and_its_codes(admin_user):
    client = services.client_save(
        client=Client(name_zh="中食互联（北京）科技有限公司", headcount=15),
        by=admin_user,
        technical_areas=[technical_area("33.02.01")],
    )
    assert client.version == 1
    assert [a.code for a in client.technical_areas.all()] == ["33.02.01"]
    assert client.history.latest().history_user == admin_user


def test_each_save_moves_the_version_on_and_is_recorded(admin_user):
    client = ClientFactory()
    client.headcount = 16
    services.client_save(client=client, by=admin_user, expected_version=1)
    client.refresh_from_db()
    assert client.version == 2
    latest = client.history.latest()
    assert latest.headcount == 16 and latest.history_user == admin_user


def test_stale_edit_is_refused_and_nothing_is_written(admin_user):
    client = ClientFactory(headcount=15)
    # Someone else saves first (version 1 → 2).
    other = Client.objects.get(pk=client.pk)
    other.headcount = 20
    services.client_save(client=other, by=admin_user, expected_version=1)

    client.headcount = 99
    related_called = []
    with pytest.raises(ValidationError) as exc:
        services.client_save(client=client, by=admin_user, expected_version=1, save_related=related_called.append)
    assert exc.value.code == "stale"
    assert "were NOT saved" in exc.value.messages[0]
    assert related_called == []
    client.refresh_from_db()
    assert client.headcount == 20 and client.version == 2


def test_failure_in_related_rows_rolls_the_client_back(admin_user):
    client = ClientFactory(headcount=15)
    client.headcount = 30

    def boom(c):
        raise ValidationError("related rows refused")

    with pytest.raises(ValidationError):
        services.client_save(client=client, by=admin_user, expected_version=1, save_related=boom)
    client.refresh_from_db()
    assert client.headcount == 15 and client.version == 1


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("postal_code", "10002", "six digits"),
        ("postal_code", "10002A", "six digits"),
        ("phone", "call me", "telephone or fax number"),
        ("contact_phone", "1571143311x8abc", "telephone or fax number"),
        ("email", "not-an-email", "valid email address"),
    ],
)
def test_invalid_contact_fields_are_refused(admin_user, field, value, message):
    client = Client(name_zh="某公司", **{field: value})
    with pytest.raises(ValidationError, match=message):
        services.client_save(client=client, by=admin_user)
    assert not Client.objects.filter(name_zh="某公司").exists()


@pytest.mark.parametrize(
    "value", ["15711433118", "010-51095332", "010-5351 6258", "+86 10 8269 4672", "010-82694672转801"]
)
def test_usual_phone_numbers_are_accepted(admin_user, value):
    services.client_save(client=Client(name_zh="某公司", phone=value, fax=value, contact_phone=value), by=admin_user)
    saved = Client.objects.get(name_zh="某公司")
    assert (saved.phone, saved.fax, saved.contact_phone) == (value, value, value)


def test_headcount_cannot_be_negative(admin_user):
    with pytest.raises(ValidationError):
        services.client_save(client=Client(name_zh="某公司", headcount=-1), by=admin_user)


def test_client_name_is_unique(admin_user):
    ClientFactory(name_zh="中食互联（北京）科技有限公司")
    with pytest.raises(ValidationError):
        services.client_save(client=Client(name_zh="中食互联（北京）科技有限公司"), by=admin_user)


def test_one_scope_per_standard():
    scope = ClientScopeFactory()
    with pytest.raises(IntegrityError):
        ClientScope.objects.create(client=scope.client, standard=scope.standard, scope_zh="又一个")


def test_a_standard_in_a_scope_cannot_be_deleted():
    from django.db.models import ProtectedError

    scope = ClientScopeFactory(standard=StandardFactory(code="ISO 9999", edition="2020"))
    with pytest.raises(ProtectedError):
        scope.standard.delete()


def test_only_one_central_site_per_client():
    site = SiteFactory(is_central=True)
    with pytest.raises(IntegrityError):
        Site.objects.create(client=site.client, kind=SiteKind.OPERATING, address_zh="另一处", is_central=True)


def test_site_kind_must_be_known():
    client = ClientFactory()
    with pytest.raises(IntegrityError):
        Site.objects.create(client=client, kind="moon", address_zh="月球")


def test_client_fields_of_the_seed_report_round_trip(admin_user):
    client = services.client_save(
        client=Client(
            name_zh="中食互联（北京）科技有限公司",
            headcount=15,
            legal_representative="段进生",
            top_management="段进生",
            ms_contact="付微",
            contact_name="吴瑶",
            contact_phone="15711433118",
            system_implemented_on=datetime.date(2019, 5, 20),
            changes_since_last_audit="不适用",
        ),
        by=admin_user,
    )
    client.refresh_from_db()
    assert (client.headcount, client.ms_contact, client.system_implemented_on) == (
        15,
        "付微",
        datetime.date(2019, 5, 20),
    )
