"""make_data generates a consistent data set the pages can open, the same for the same seed, and
adds nothing on a second run: reports, NC response rounds and lifecycle events included."""

import itertools

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audits.models import Audit, AuditStatus, AuditTransition, TeamAssignment
from audits.models.audit import ON_SITE_DONE_STATUSES
from certification.models import Certificate, CertificateStatusChange, Decision, DecisionEvent
from clients.models import Client
from core.access import Role
from findings.models import Nonconformity, NonconformityResponse, NonconformityTransition
from reports.models import Report, ReportEvent, TemplateTopic, TopicComment, TopicContent

pytestmark = pytest.mark.django_db

COUNTED = [
    Client,
    Audit,
    Nonconformity,
    Certificate,
    Report,
    TopicContent,
    TopicComment,
    ReportEvent,
    NonconformityResponse,
    NonconformityTransition,
    AuditTransition,
    DecisionEvent,
    CertificateStatusChange,
]


def _counts():
    return {model.__name__: model.objects.count() for model in COUNTED} | {
        "leaders": TeamAssignment.objects.filter(role="leader").count()
    }


def test_demo_size_has_the_promised_rows_and_a_second_run_adds_nothing(client):
    call_command("make_data", "--size", "demo")
    counts = _counts()
    assert [counts[name] for name in ("Client", "Audit", "Nonconformity", "Certificate")] == [40, 100, 400, 60]
    assert counts["leaders"] == counts["Audit"]  # every audit has its team leader
    done = Audit.objects.filter(status__in=ON_SITE_DONE_STATUSES).count()
    assert 0.5 * counts["Audit"] < done < counts["Audit"]  # the rest are planned or under way
    assert counts["Report"] == done  # a report for every audit past the on-site audit
    assert counts["TopicContent"] == done * TemplateTopic.objects.filter(part__template__is_default=True).count()
    assert counts["AuditTransition"] >= 2 * counts["Audit"]  # planned and started at least, mostly more
    past_open = Nonconformity.objects.exclude(status="open").count()
    assert past_open < counts["NonconformityResponse"] <= 3 * past_open  # 1 to 3 rounds, some more than 1
    assert counts["DecisionEvent"] == 3 * Decision.objects.count()
    assert counts["CertificateStatusChange"] >= counts["Certificate"]
    call_command("make_data", "--size", "demo")
    assert _counts() == counts
    admin = User.objects.create_user("bench-admin", password="x", role=Role.CB_ADMIN)
    client.force_login(admin)
    for name in ("findings:nc_register", "audits:list", "audits:programme_list", "certification:certificate_list"):
        assert client.get(reverse(name)).status_code == 200, name


class _Rollback(Exception):
    def __init__(self, rows):
        self.rows = rows


def _generated(seed):
    """The NCs ``make_data --seed`` generates, the database left as it was."""
    try:
        with transaction.atomic():
            call_command("make_data", "--size", "demo", "--seed", str(seed))
            raise _Rollback(
                list(
                    Nonconformity.objects.order_by("audit__client__name_zh", "audit__start_date", "number").values_list(
                        "audit__client__name_zh", "number", "grade", "status", "statement", "due_date"
                    )
                )
            )
    except _Rollback as done:
        return done.rows


def _in_order(*moments):
    return all(a < b for a, b in itertools.pairwise(moments))


def test_demo_reports_rounds_and_events_are_consistent():
    call_command("make_data", "--size", "demo")
    now = timezone.now()
    # Reports: their status follows the audit's; topics written by the audit's team.
    expected = {AuditStatus.REPORT_DRAFTED: {"draft", "returned"}, AuditStatus.SUBMITTED: {"submitted"}}
    for report in Report.objects.select_related("audit"):
        assert report.status in expected.get(report.audit.status, {"approved"}), report.audit.status
        assert (report.approved_at is not None) == (report.status == "approved")
    assert not TopicContent.objects.exclude(assignee__audit_id=F("report__audit_id")).exists()
    written = TopicContent.objects.exclude(text="")
    assert written.count() > TopicContent.objects.count() / 3
    assert all("查" in text or "询问" in text or "交流" in text for text in written.values_list("text", flat=True)[:50])
    # NC rounds: open NCs have none, others 1 to 3 in order, the last one deciding the status.
    last_round = {"responded": ("pending", ""), "verified": ("accepted", "pending"), "closed": ("accepted", "approved")}
    rejected_before_accepted = 0
    for nc in Nonconformity.objects.prefetch_related("responses"):
        rounds = list(nc.responses.all())
        assert (not rounds) == (nc.status == "open")
        if not rounds:
            continue
        assert [r.round for r in rounds] == list(range(1, len(rounds) + 1)) and len(rounds) <= 3
        if nc.status in last_round:
            assert (rounds[-1].verification, rounds[-1].closure) == last_round[nc.status]
        else:  # returned: rejected by the auditor or the closure refused by the leader
            assert "rejected" in (rounds[-1].verification, rounds[-1].closure)
        for r in rounds[:-1]:
            assert r.verification == "rejected" or r.closure == "rejected"
        rejected_before_accepted += len(rounds) > 1 and rounds[-1].verification == "accepted"
        moments = [nc.raised_at]
        for r in rounds:
            moments += [m for m in (r.submitted_at, r.verified_at, r.closure_at) if m is not None]
        assert _in_order(*moments, now), nc
    assert rejected_before_accepted > 0
    # Lifecycle events: each record's moves chain from its creation to its status, in time order.
    for model, subject, first in (
        (AuditTransition, "audit", ""),
        (ReportEvent, "report", ""),
        (NonconformityTransition, "nc", "open"),
    ):
        chains = {}
        for event in model.objects.order_by(f"{subject}_id", "at", "pk"):
            chains.setdefault(getattr(event, f"{subject}_id"), []).append(event)
        statuses = dict(model._meta.get_field(subject).related_model.objects.values_list("pk", "status"))
        for pk, events in chains.items():
            assert [e.from_status for e in events] == [first] + [e.to_status for e in events[:-1]], (model, pk)
            assert events[-1].to_status == statuses[pk], (model, pk)
            assert _in_order(*[e.at for e in events], now), (model, pk)
    assert len(chains) == Nonconformity.objects.exclude(status="open").count()
    for model in (Audit, Nonconformity):  # version: 1, +1 per move
        moves = model.objects.annotate(n=Count("transitions"))
        assert all(row.version == row.n + (model is Nonconformity) for row in moves), model


def test_generated_pages_open(client):
    """The pages showing a report, an NC's rounds and an audit's history open on the data."""
    call_command("make_data", "--size", "demo")
    nc = Nonconformity.objects.filter(status="closed").annotate(n=Count("responses")).filter(n__gt=1).first()
    report = Report.objects.filter(audit=nc.audit).first()
    leader = nc.audit.team.get(role="leader").profile.user
    client.force_login(leader)
    for url in (
        reverse("reports:editor", args=[report.pk]),
        reverse("reports:preview", args=[report.pk]),
        reverse("findings:nc_detail", args=[nc.pk]),
        reverse("audits:detail", args=[nc.audit_id]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    first = _generated(7)
    assert first == _generated(7)
    assert first != _generated(8)
    assert {row[2] for row in first} == {"major", "minor", "observation"}
