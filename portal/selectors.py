"""Reads of the client portal, each restricted to the user's own organisation."""

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import User
from audits.models import Audit
from findings import rules as nc_rules
from reports.models import Report, ReportVersion


def portal_reports(*, user: User) -> QuerySet[Report]:
    """Approved (issued) reports of the user's organisation, newest audit first, each with its
    issued PDF versions in force (``issued_versions``)."""
    return (
        Report.objects.restrict(user, "view")
        .select_related("audit__client")
        .order_by("-audit__end_date", "-pk")
        .prefetch_related(
            Prefetch(
                "pdf_versions",
                queryset=ReportVersion.objects.restrict(user, "view").order_by("language", "-issue"),
                to_attr="issued_versions",
            )
        )
    )


def portal_audits(*, user: User) -> QuerySet[Audit]:
    """The organisation's audits, newest first, with ``nc_count`` and ``nc_to_answer`` (the NCs
    waiting for the client)."""
    open_statuses = list(nc_rules.AWAITING_CLIENT)
    return (
        Audit.objects.restrict(user, "view")
        .select_related("client")
        .prefetch_related("standards")
        .annotate(
            nc_count=Count("nonconformities", distinct=True),
            nc_to_answer=Count("nonconformities", filter=Q(nonconformities__status__in=open_statuses), distinct=True),
        )
        .order_by("-start_date", "-pk")
    )
