"""Invoices per milestone of a signed agreement: amounts from the accepted quotation, numbers by
the CB's pattern, due dates by its payment terms; paid (who, when) or cancelled (why), never
changed once issued; overdue shown on the client and the programme pages; a client sees its own
invoices only."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.tests.factories import UserFactory
from clients.tests.factories import ClientFactory
from core.dates import local_today

from .. import services
from ..models import Invoice, InvoiceEvent, InvoiceStatus
from . import factories as f
from .invoicing import days_ago, invoice_settings, signed_contract

pytestmark = pytest.mark.django_db


def test_invoice_takes_the_quoted_amount_the_pattern_and_the_payment_terms():
    invoice_settings(number_pattern="INV{yy}-{serial:03d}", payment_days=15)
    admin = f.admin_user()
    contract = signed_contract(admin=admin)
    amounts = services.contract_milestones(contract)
    assert sum(amounts.values()) == contract.amount
    first = services.invoice_issue(contract=contract, milestone="application", by=admin, issued_on=days_ago(3))
    second = services.invoice_issue(contract=contract, milestone="initial", by=admin)
    year = local_today().year % 100
    assert first.number == f"INV{days_ago(3).year % 100:02d}-001"
    assert second.number == f"INV{year:02d}-{2 if days_ago(3).year == local_today().year else 1:03d}"
    assert first.amount == amounts["application"] == Decimal("500.00")
    assert first.currency == "CNY" and first.due_on == days_ago(3) + datetime.timedelta(days=15)
    assert InvoiceEvent.objects.filter(invoice=first, action="create", by=admin).exists()


def test_a_milestone_is_invoiced_once_and_only_on_a_signed_agreement():
    admin = f.admin_user()
    contract = signed_contract(admin=admin)
    services.invoice_issue(contract=contract, milestone="application", by=admin)
    with pytest.raises(ValidationError) as exc:
        services.invoice_issue(contract=contract, milestone="application", by=admin)
    assert exc.value.code == "exists"
    with pytest.raises(ValidationError) as exc:
        services.invoice_issue(contract=contract, milestone="no_such", by=admin)
    assert exc.value.code == "milestone"
    type(contract).objects.filter(pk=contract.pk).update(status="issued")
    contract.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.invoice_issue(contract=contract, milestone="initial", by=admin)
    assert exc.value.code == "wrong_status"


def test_only_a_cb_administrator_issues_and_marks_paid():
    admin = f.admin_user()
    contract = signed_contract(admin=admin)
    client_user = UserFactory(role="client", client=contract.application.client)
    with pytest.raises(PermissionDenied):
        services.invoice_issue(contract=contract, milestone="application", by=client_user)
    invoice = services.invoice_issue(contract=contract, milestone="application", by=admin)
    with pytest.raises(PermissionDenied):
        services.invoice_mark_paid(invoice=invoice, by=client_user)
    with pytest.raises(PermissionDenied):
        services.invoice_mark_paid(invoice=invoice, by=UserFactory(role="auditor"))


def test_paid_records_who_and_when_and_is_final():
    admin = f.admin_user()
    contract = signed_contract(admin=admin)
    invoice = services.invoice_issue(contract=contract, milestone="application", by=admin, issued_on=days_ago(10))
    with pytest.raises(ValidationError) as exc:
        services.invoice_mark_paid(invoice=invoice, by=admin, paid_on=local_today() + datetime.timedelta(days=1))
    assert exc.value.code == "future"
    with pytest.raises(ValidationError) as exc:
        services.invoice_mark_paid(invoice=invoice, by=admin, paid_on=days_ago(11))
    assert exc.value.code == "before_invoice"
    paid = services.invoice_mark_paid(invoice=invoice, by=admin, paid_on=days_ago(2), note="银行转账")
    assert paid.status == InvoiceStatus.PAID and paid.paid_by == admin and paid.paid_on == days_ago(2)
    assert paid.paid_recorded_at is not None
    assert InvoiceEvent.objects.filter(invoice=invoice, action="pay", note="银行转账").exists()
    with pytest.raises(ValidationError) as exc:
        services.invoice_cancel(invoice=paid, by=admin, reason="错开")
    assert exc.value.code == "wrong_status"


def test_an_issued_invoice_never_changes_a_correction_is_cancel_and_new():
    admin = f.admin_user()
    contract = signed_contract(admin=admin)
    invoice = services.invoice_issue(contract=contract, milestone="application", by=admin)
    invoice.amount = Decimal("1")
    with pytest.raises(ValidationError):
        invoice.save()
    with pytest.raises(ValidationError):
        Invoice.objects.get(pk=invoice.pk).delete()
    with pytest.raises(ValidationError) as exc:
        services.invoice_cancel(invoice=Invoice.objects.get(pk=invoice.pk), by=admin, reason="  ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # a different amount without a cancelled invoice
        services.invoice_issue(contract=contract, milestone="initial", by=admin, amount=Decimal("1"))
    assert exc.value.code == "amount_not_correction"
    cancelled = services.invoice_cancel(invoice=Invoice.objects.get(pk=invoice.pk), by=admin, reason="金额有误")
    assert cancelled.status == InvoiceStatus.CANCELLED and cancelled.cancel_reason == "金额有误"
    corrected = services.invoice_issue(
        contract=contract, milestone="application", by=admin, amount=Decimal("450"), replaces=cancelled
    )
    assert corrected.amount == Decimal("450") and corrected.replaces == cancelled
    assert corrected.number != cancelled.number
    assert Invoice.objects.get(pk=invoice.pk).amount == Decimal("500.00")


def test_overdue_shows_on_the_client_and_the_programme_pages(client):
    admin = f.admin_user()
    contract = signed_contract(admin=admin)
    invoice_settings(payment_days=30)
    overdue = services.invoice_issue(contract=contract, milestone="application", by=admin, issued_on=days_ago(40))
    services.invoice_issue(contract=contract, milestone="initial", by=admin)  # due in 30 days
    client.force_login(admin)
    page = client.get(reverse("clients:detail", args=[contract.application.client_id])).content.decode()
    assert 'data-testid="client-overdue-invoices"' in page and overdue.number in page
    page = client.get(reverse("audits:programme", args=[contract.application.client_id])).content.decode()
    assert 'data-testid="programme-overdue-badge"' in page
    assert page.count('data-testid="invoice-row"') == 2
    services.invoice_mark_paid(invoice=overdue, by=admin)
    page = client.get(reverse("clients:detail", args=[contract.application.client_id])).content.decode()
    assert 'data-testid="client-overdue-invoices"' not in page
    listing = client.get(reverse("applications:invoice_list") + "?overdue=on").content.decode()
    assert overdue.number not in listing


def test_a_client_sees_its_own_invoices_only(client):
    admin = f.admin_user()
    mine = signed_contract(admin=admin, client=ClientFactory(name_zh="甲公司"))
    other = signed_contract(admin=admin, client=ClientFactory(name_zh="乙公司"))
    own = services.invoice_issue(contract=mine, milestone="application", by=admin)
    foreign = services.invoice_issue(contract=other, milestone="application", by=admin)
    user = UserFactory(role="client", client=mine.application.client)
    client.force_login(user)
    page = client.get(reverse("applications:portal_invoices")).content.decode()
    assert own.number in page and foreign.number not in page
    assert client.get(reverse("applications:contract_invoices", args=[mine.pk])).status_code == 200
    assert client.get(reverse("applications:contract_invoices", args=[other.pk])).status_code == 404
    # A client cannot mark its invoice paid (the page is the CB administrators').
    assert client.post(reverse("applications:invoice_act", args=[own.pk]), {"action": "pay"}).status_code == 403


def test_pages_issue_pay_and_cancel(client):
    admin = f.admin_user()
    contract = signed_contract(admin=admin)
    client.force_login(admin)
    url = reverse("applications:contract_invoices", args=[contract.pk])
    assert 'data-testid="invoice-issue"' in client.get(url).content.decode()
    client.post(reverse("applications:invoice_issue", args=[contract.pk]), {"milestone": "application"})
    invoice = Invoice.objects.get(contract=contract)
    response = client.post(reverse("applications:invoice_issue", args=[contract.pk]), {"milestone": "bogus"})
    assert response.status_code == 302 and Invoice.objects.filter(contract=contract).count() == 1
    client.post(
        reverse("applications:invoice_act", args=[invoice.pk]),
        {"action": "pay", "paid_on": "not a date", "version": invoice.version},
    )
    assert Invoice.objects.get(pk=invoice.pk).status == InvoiceStatus.ISSUED
    client.post(
        reverse("applications:invoice_act", args=[invoice.pk]),
        {"action": "pay", "paid_on": local_today().isoformat(), "version": invoice.version},
    )
    assert Invoice.objects.get(pk=invoice.pk).status == InvoiceStatus.PAID
    assert "invoice-paid" in client.get(url).content.decode()
