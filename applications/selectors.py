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


def audits_to_review_for_headcount(*, change: Any, user: Any) -> QuerySet[Any]:
    """For an approved headcount change: the client's planned (not yet started) audits whose time
    was calculated with the old headcount, for the CB to review (IAF MD 5: the effective number
    of personnel determines audit time). Nothing for another kind or before approval."""
    from audits.models import Audit, AuditStatus

    from .models import ChangeKind, ChangeStatus

    if change.kind != ChangeKind.HEADCOUNT or change.status != ChangeStatus.APPROVED:
        return Audit.objects.none()
    old = change.previous.get("headcount")
    audits = Audit.objects.restrict(user, "view").filter(client_id=change.client_id, status=AuditStatus.PLANNED)
    # With no headcount on record before, every audit not already using the new one.
    audits = (
        audits.filter(effective_personnel=old)
        if old is not None
        else audits.exclude(effective_personnel=change.headcount)
    )
    return audits.order_by("start_date", "pk")
