"""Reads for the application pages, with a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from .models import Application, Quotation


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
