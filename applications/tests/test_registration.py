"""A new organisation registers itself: a prospective client and its user, logged in and sent to
the application form; the credit code is checked (GB 32100); a confirmation mail; the public page
is rate-limited; CB staff see prospective clients marked; an applicant sees only its own
applications; signing its first agreement makes the client no longer prospective."""

import re
import types

import django_ratelimit.core
import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from accounts.models import User
from clients.models import Client
from core.identifiers import credit_code_check_char

from .. import services
from ..models import Application, Registration
from . import factories as f

pytestmark = pytest.mark.django_db


def credit_code(first17="91110108MA01C0001"):
    return first17 + credit_code_check_char(first17)


def form(**changes):
    data = {
        "name_zh": "新注册科技有限公司",
        "name_en": "New Registrant Tech Co., Ltd.",
        "credit_code": credit_code(),
        "contact_name": "赵六",
        "email": "zhao@newreg.example",
        "phone": "010-88886666",
        "password": "Zhao-2026-secure!",
        "password_again": "Zhao-2026-secure!",
    }
    data.update(changes)
    return data


@pytest.fixture(autouse=True)
def _fresh_counters(monkeypatch):
    cache.clear()
    monkeypatch.setattr(django_ratelimit.core, "time", types.SimpleNamespace(time=lambda: 1_900_000_000.0))
    yield
    cache.clear()


def test_registration_creates_a_prospective_client_and_a_logged_in_user(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:register"), form(credit_code=credit_code().lower()))
    assert response.status_code == 302 and response["Location"] == reverse("applications:new")
    registration = Registration.objects.get()
    assert registration.credit_code == credit_code()  # upper-cased
    org = registration.client
    assert org.prospective and org.name_zh == "新注册科技有限公司" and org.contact_phone == "010-88886666"
    user = registration.user
    assert user.role == "client" and user.client == org and user.username == "zhao@newreg.example"
    assert user.check_password("Zhao-2026-secure!")
    # Logged in: the application form opens at once.
    assert client.get(reverse("applications:new")).status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["zhao@newreg.example"]
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = link[link.index("/applications/") :]
    assert 'data-testid="registration-confirmed"' in client.get(path).content.decode()
    registration.refresh_from_db()
    assert registration.email_confirmed_at is not None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"credit_code": "91110108MA01C00010"}, "credit_code"),  # wrong check character
        ({"credit_code": "9111010"}, "credit_code"),
        ({"password_again": "something-else-1"}, "password_again"),
        ({"password": "123", "password_again": "123"}, "password"),
        ({"email": "not-an-address"}, "email"),
        ({"phone": "call me"}, "phone"),
    ],
)
def test_bad_input_is_refused_with_a_message(client, changes, field):
    data = form(**changes)
    if field == "credit_code" and len(data["credit_code"]) == 18:
        data["credit_code"] = data["credit_code"][:17] + ("0" if data["credit_code"][17] != "0" else "1")
    response = client.post(reverse("applications:register"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Client.objects.exists() and not User.objects.filter(role="client").exists()


def test_a_known_organisation_or_address_is_refused(client):
    services.organisation_register(
        name_zh="已注册公司",
        name_en="",
        credit_code=credit_code(),
        contact_name="甲",
        email="a@known.example",
        phone="010-1",
        password="Known-2026-secure!",
    )
    response = client.post(reverse("applications:register"), form(email="A@known.example"))
    errors = response.context["form"].errors
    assert "credit_code" in errors and "email" in errors
    assert Client.objects.count() == 1


def test_registrations_beyond_the_rate_get_429(client, settings):
    settings.REGISTRATION_RATE = "2/h"
    for n in range(2):
        client.post(reverse("applications:register"), form(credit_code="bad", email=f"x{n}@example.com"))
    assert client.post(reverse("applications:register"), form()).status_code == 429
    assert not Registration.objects.exists()
    assert client.get(reverse("applications:register")).status_code == 200


def test_a_bad_confirmation_link_says_so(client):
    page = client.get(reverse("applications:registration_confirm", args=["forged"])).content.decode()
    assert 'data-testid="registration-not-confirmed"' in page


def _register(n):
    return services.organisation_register(
        name_zh=f"注册公司{n}",
        name_en="",
        credit_code=credit_code(f"91110108MA01C{n:04d}"),
        contact_name="联系人",
        email=f"user{n}@reg.example",
        phone="010-1",
        password="Registered-2026-secure!",
    )


def test_staff_see_prospective_clients_marked(client):
    prospective = _register(1).client
    Client.objects.create(name_zh="老客户有限公司")
    client.force_login(f.admin_user())
    page = client.get(reverse("clients:list")).content.decode()
    assert page.count('data-testid="prospective"') == 1
    listed = client.get(reverse("clients:list") + "?prospective=true").content.decode()
    assert prospective.name_zh in listed and "老客户有限公司" not in listed
    assert 'data-testid="prospective"' in client.get(reverse("clients:detail", args=[prospective.pk])).content.decode()


def test_an_applicant_sees_only_its_own_applications(client):
    mine, theirs = _register(1), _register(2)
    own = f.draft(by=mine.user)
    other = f.draft(by=theirs.user, name_zh="注册公司2")
    assert own.client == mine.client
    client.force_login(mine.user)
    assert client.get(reverse("applications:detail", args=[own.pk])).status_code == 200
    for name in ("applications:detail", "applications:edit"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404
    assert client.post(reverse("applications:act", args=[other.pk]), {"action": "submit"}).status_code == 404
    page = client.get(reverse("applications:portal_index")).content.decode()
    assert own.reference in page and other.reference not in page
    assert set(Application.objects.restrict(mine.user, "view")) == {own}


def test_signing_the_first_agreement_ends_the_prospective_state():
    registration = _register(1)
    admin = f.admin_user()
    application = f.accepted(f.draft(by=registration.user), admin=admin)
    f.price_list()
    quotation = services.quotation_issue(application=application, by=admin)
    services.quotation_respond(quotation=quotation, accept=True, by=registration.user)
    contract = services.contract_issue(application=application, by=admin)
    services.contract_client_accept(contract=contract, by=registration.user)
    contract.refresh_from_db()
    services.contract_sign(contract=contract, by=admin, version=contract.version)
    org = Client.objects.get(pk=registration.client_id)
    assert not org.prospective
    assert Client.objects.count() == 1  # the registered client, not a second one
