"""The invoice pages read in a fixed number of queries, whatever the number of invoices: the CB's
list, an agreement's invoices (with their history) and the client's portal list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory

from .. import services
from . import factories as f
from .invoicing import signed_contract

pytestmark = pytest.mark.django_db


def _count(call):
    with CaptureQueriesContext(connection) as ctx:
        assert call().status_code == 200
    return len(ctx.captured_queries)


def test_invoice_pages_in_fixed_queries(client):
    admin = f.admin_user()
    contract = signed_contract(admin=admin)
    user = UserFactory(role="client", client=contract.application.client)
    first = services.invoice_issue(contract=contract, milestone="application", by=admin)
    services.invoice_mark_paid(invoice=first, by=admin)
    pages = [
        (admin, reverse("applications:invoice_list")),
        (admin, reverse("applications:contract_invoices", args=[contract.pk])),
        (user, reverse("applications:portal_invoices")),
    ]

    def counts():
        out = []
        for who, url in pages:
            client.force_login(who)
            out.append(_count(lambda url=url: client.get(url)))
        return out

    few = counts()
    for milestone in ("initial", "certificate", "surveillance_1"):
        services.invoice_issue(contract=contract, milestone=milestone, by=admin)
    services.invoice_cancel(invoice=contract.invoices.get(milestone="initial"), by=admin, reason="金额有误")
    assert counts() == few
