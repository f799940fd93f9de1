"""The invoice machine (applications/lifecycle.py ``INVOICE_MACHINE``): for every move, every
allowed actor succeeds from every source and writes its event row, every other actor gets
``PermissionDenied``, every other status is refused with ``wrong_status``."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.tests.factories import UserFactory
from clients.tests.factories import ClientFactory

from .. import services
from ..lifecycle import INVOICE_MACHINE
from . import factories as f
from .invoicing import signed_contract
from .test_lifecycle import _try_all

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("action", "allowed"), [("pay", {"admin"}), ("cancel", {"admin"})])
def test_invoice_machine(action, allowed):
    client = ClientFactory(name_zh="发票矩阵有限公司")
    admin = f.admin_user()
    people = {
        "admin": admin,
        "other_staff": UserFactory(role="auditor"),
        "committee": UserFactory(role="committee"),
        "client_user": UserFactory(role="client", client=client),
        "other_client_user": UserFactory(role="client"),
        "anonymous": AnonymousUser(),
    }
    contract = signed_contract(client=client, admin=admin)
    invoice = services.invoice_issue(contract=contract, milestone="application", by=admin)
    _try_all(INVOICE_MACHINE, invoice, action, allowed, people)


def test_the_invoice_machine_is_registered():
    from core.lifecycle import machines

    assert "applications.invoice" in machines()
