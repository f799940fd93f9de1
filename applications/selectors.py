"""Reads for the application pages, with a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from .models import Application, Invoice, Quotation


def application_list(*, user: Any) -> QuerySet[Application]:
    return Application.objects.restrict(user, "view").select_related("client", "created_by")


def application_detail(*, user: Any) -> QuerySet[Application]:
    """The restricted queryset a detail page fetches one application from, with what it shows."""
    return (
        Application.objects.restrict(user, "view")
        .select_related("client", "created_by")
        .prefetch_related(
            "standards__standard",
            "sites",
            "technical_areas",
            "attachments",
            Prefetch("quotations", queryset=Quotation.objects.order_by("-issued_at", "-pk")),
            "events__by",
        )
    )


def invoice_list(*, user: Any) -> QuerySet[Invoice]:
    """Invoices the user may see, with the agreement and the organisation (one query a page)."""
    return (
        Invoice.objects.restrict(user, "view")
        .select_related("contract__application__client", "paid_by")
        .order_by("due_on", "number")
    )


def client_invoices(*, user: Any, client: Any) -> QuerySet[Invoice]:
    return invoice_list(user=user).filter(contract__application__client=client)


def programme_invoices(*, user: Any, programme: Any) -> QuerySet[Invoice]:
    return invoice_list(user=user).filter(contract__programme=programme)
