"""The CB's release policy (``InvoiceSettings.release_only_when_paid``): with it on, a grant still
records and numbers its certificates, but they are withheld — not the client's to see or
download, not on the public register — until the certificate-fee invoice of the agreement is
paid; marking it paid releases them. Off, or paid before, or a programme without an agreement:
nothing is withheld."""

import pytest
from django.utils import translation

from accounts.tests.factories import UserFactory
from certification.models import Certificate, DecisionStatus
from certification.public_views import certificate_by_number
from certification.tests.factories import grant, review_cast

from .. import services
from ..models import Contract
from . import factories as f
from .invoicing import invoice_settings, signed_contract

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _cast_with_contract():
    cast = review_cast()
    contract = signed_contract(client=cast.audit.client, admin=cast.admin)
    # The agreement's programme is the one audited (the builders plan their own programme rows).
    Contract.objects.filter(pk=contract.pk).update(programme=cast.audit.programme)
    contract.refresh_from_db()
    return cast, contract


def _client_sees(cast):
    user = UserFactory(role="client", client=cast.audit.client)
    return list(Certificate.objects.restrict(user, "view"))


def test_policy_off_releases_at_once():
    invoice_settings(release_only_when_paid=False)
    cast, _contract = _cast_with_contract()
    decision = grant(cast)
    certificates = list(decision.issued_certificates.all())
    assert certificates and not any(c.withheld for c in certificates)
    assert _client_sees(cast) == certificates


def test_policy_on_withholds_until_the_certificate_fee_is_paid():
    invoice_settings(release_only_when_paid=True)
    cast, contract = _cast_with_contract()
    services.invoice_issue(contract=contract, milestone="application", by=cast.admin)
    decision = grant(cast)
    assert decision.status == DecisionStatus.APPROVED  # the decision records
    certificates = list(decision.issued_certificates.all())
    assert certificates and all(c.withheld for c in certificates)
    assert contract.number in certificates[0].withheld_reason
    assert _client_sees(cast) == []
    holder = cast.audit.client.name_zh
    assert certificate_by_number(number=certificates[0].number, holder=holder) is None
    assert set(Certificate.objects.restrict(cast.admin, "view")) >= set(certificates)  # the CB sees them
    # Another milestone paid changes nothing.
    other = contract.invoices.get(milestone="application")
    services.invoice_mark_paid(invoice=other, by=cast.admin)
    assert _client_sees(cast) == []
    fee = services.invoice_issue(contract=contract, milestone="certificate", by=cast.admin)
    services.invoice_mark_paid(invoice=fee, by=cast.admin)
    released = Certificate.objects.get(pk=certificates[0].pk)
    assert not released.withheld and released.released_by == cast.admin and released.released_at is not None
    assert set(_client_sees(cast)) == set(certificates)
    assert certificate_by_number(number=certificates[0].number, holder=holder) is not None


def test_policy_on_but_fee_already_paid_releases_at_once():
    invoice_settings(release_only_when_paid=True)
    cast, contract = _cast_with_contract()
    fee = services.invoice_issue(contract=contract, milestone="certificate", by=cast.admin)
    services.invoice_mark_paid(invoice=fee, by=cast.admin)
    decision = grant(cast)
    assert not any(c.withheld for c in decision.issued_certificates.all())


def test_policy_on_without_an_agreement_withholds_nothing():
    invoice_settings(release_only_when_paid=True)
    cast = review_cast()
    decision = grant(cast)
    assert not any(c.withheld for c in decision.issued_certificates.all())


def test_policy_on_without_a_certificate_fee_withholds_nothing():
    invoice_settings(release_only_when_paid=True)
    f.price_list(certificate_fee=0)
    cast, _contract = _cast_with_contract()
    decision = grant(cast)
    assert not any(c.withheld for c in decision.issued_certificates.all())
