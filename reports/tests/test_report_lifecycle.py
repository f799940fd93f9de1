"""The report lifecycle (reports/lifecycle.py): every action from every status by every actor —
allowed moves happen with their event row and the audit follows; anyone else is refused
(``PermissionDenied``) and a move from the wrong status is refused (``ValidationError``,
``wrong_status``), nothing changed either way. The pages show the refusal's words."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.tests.factories import UserFactory
from audits.models import AuditTransition
from core.access import Role
from reports import services
from reports.lifecycle import REPORT_MACHINE
from reports.models import ReportEvent, ReportStatus

from .factories import ReportSetup, fill_report

pytestmark = pytest.mark.django_db

ACTORS = ["member", "leader", "outsider", "admin", "committee", "client_user"]
STATUSES = [s.value for s in ReportStatus]

# action, the statuses it starts from, the status it leads to, the actors allowed
TRANSITIONS = [
    ("submit", {"draft", "returned", "reopened"}, "submitted", {"member", "leader"}),
    ("return", {"submitted"}, "returned", {"leader"}),
    ("approve", {"submitted"}, "approved", {"leader"}),
    ("reopen", {"approved"}, "reopened", {"leader"}),
]
# the audit's status after each move of the report (audits.services.audit_follow)
AUDIT_AFTER = {
    "submitted": "submitted",
    "returned": "report_drafted",
    "approved": "approved",
    "reopened": "report_drafted",
}


class Cast:
    """A report in progress and one user per kind of actor."""

    def __init__(self):
        self.setup = ReportSetup()
        self.report = self.setup.report
        self.users = {
            "member": self.setup.auditor_user,
            "leader": self.setup.leader_user,
            "outsider": UserFactory(role=Role.AUDITOR),
            "admin": UserFactory(role=Role.CB_ADMIN),
            "committee": UserFactory(role=Role.COMMITTEE),
            "client_user": UserFactory(role=Role.CLIENT, client=self.setup.audit.client),
        }

    def __getitem__(self, actor):
        return self.users[actor]


def do(action, cast, user):
    report = cast.report
    if action == "submit":
        return services.report_submit(report=report, by=user)
    if action == "return":
        content = cast.setup.content("context_of_organization")
        return services.report_return(report=report, by=user, comments={content: "请补充证据"})
    if action == "approve":
        return services.report_approve(report=report, by=user)
    if action == "reopen":
        return services.report_reopen(report=report, by=user, reason="客户补交了证据")
    raise AssertionError(action)


# The path to each status, through the services as the leader.
PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "returned": ["submit", "return"],
    "approved": ["submit", "approve"],
    "reopened": ["submit", "approve", "reopen"],
}


def report_in(status):
    cast = Cast()
    fill_report(cast.setup)
    for action in PATHS[status]:
        do(action, cast, cast["leader"])
    if status == "returned":  # the returned topic is revised, so the report can be submitted again
        content = cast.setup.content("context_of_organization")
        services.topic_save(content=content, text=content.text + "。", version=content.version, by=cast["leader"])
    cast.report.refresh_from_db()
    assert cast.report.status == status
    return cast


CASES = [
    (action, status, actor)
    for action, _sources, _target, _allowed in TRANSITIONS
    for status in STATUSES
    for actor in ACTORS
]


def _expected(action, status, actor):
    sources, target, allowed = next((s, t, a) for name, s, t, a in TRANSITIONS if name == action)
    if actor not in allowed:
        return "who", None
    if status not in sources:
        return "wrong_status", None
    return "moved", target


def test_the_matrix_is_the_machine():
    """The table below is read by the test; it must say what the machine says."""
    declared = {(action, source, target) for action, source, target, _who in REPORT_MACHINE.table()}
    listed = {(action, source, target) for action, sources, target, _allowed in TRANSITIONS for source in sources}
    assert declared == listed


@pytest.mark.parametrize(
    "action,status,actor",
    CASES,
    ids=[f"{a}-from-{s}-by-{actor}-{_expected(a, s, actor)[0]}" for a, s, actor in CASES],
)
def test_every_action_from_every_status_by_every_actor(action, status, actor):
    cast = report_in(status)
    user = cast[actor]
    outcome, target = _expected(action, status, actor)
    events_before = ReportEvent.objects.filter(report=cast.report).count()
    audit_before = list(AuditTransition.objects.filter(audit=cast.setup.audit).values_list("pk", flat=True))
    if outcome == "moved":
        do(action, cast, user)
        cast.report.refresh_from_db()
        assert cast.report.status == target
        event = ReportEvent.objects.filter(report=cast.report).latest("pk")
        assert (event.action, event.from_status, event.to_status, event.by) == (action, status, target, user)
        cast.setup.audit.refresh_from_db()
        assert cast.setup.audit.status == AUDIT_AFTER[target]
        return
    if outcome == "who":
        with pytest.raises(PermissionDenied):
            do(action, cast, user)
    else:
        with pytest.raises(ValidationError) as refused:
            do(action, cast, user)
        assert refused.value.code == "wrong_status"
    cast.report.refresh_from_db()
    assert cast.report.status == status
    assert ReportEvent.objects.filter(report=cast.report).count() == events_before
    assert list(AuditTransition.objects.filter(audit=cast.setup.audit).values_list("pk", flat=True)) == audit_before


def test_the_event_rows_cannot_be_changed_or_deleted():
    cast = report_in("submitted")
    event = ReportEvent.objects.filter(report=cast.report).latest("pk")
    event.note = "改写"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_the_leaders_comment_on_a_return_is_the_events_note_with_the_topic_comments():
    cast = report_in("submitted")
    content = cast.setup.content("policy")
    services.report_return(report=cast.report, by=cast["leader"], comments={content: "方针未覆盖EMS"}, comment="请修改")
    event = ReportEvent.objects.filter(report=cast.report).latest("pk")
    assert (event.action, event.note) == ("return", "请修改")
    assert [(c.content, c.text) for c in event.comments.all()] == [(content, "方针未覆盖EMS")]


# --- the pages show the refusal -------------------------------------------------------------------


EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.mark.parametrize("name,status", [("submit", "submitted"), ("approve", "draft"), ("approve", "approved")])
def test_a_button_pressed_in_the_wrong_status_shows_why(client, name, status):
    cast = report_in(status)
    client.force_login(cast["leader"])
    response = client.post(reverse(f"reports:{name}", args=[cast.report.pk]), follow=True, **EN)
    assert response.status_code == 200
    assert "is not possible" in response.content.decode()
    cast.report.refresh_from_db()
    assert cast.report.status == status


@pytest.mark.parametrize(
    "name,status,data",
    [
        ("return", "draft", {"comment": "x"}),
        ("reopen", "draft", {"reason": "x"}),
        ("reopen", "returned", {"reason": "x"}),
    ],
)
def test_a_form_sent_in_the_wrong_status_shows_why(client, name, status, data):
    cast = report_in(status)
    client.force_login(cast["leader"])
    response = client.post(reverse(f"reports:{name}", args=[cast.report.pk]), data, **EN)
    assert response.status_code == 200
    assert "is not possible" in response.content.decode()
    cast.report.refresh_from_db()
    assert cast.report.status == status


def test_writing_someone_elses_topic_without_htmx_shows_why_on_the_editor(client):
    cast = Cast()
    content = cast.setup.content("interested_parties")  # the leader's
    client.force_login(cast["member"])
    response = client.post(reverse("reports:topic_save", args=[content.pk]), {"text": "x", "version": 0}, **EN)
    assert response.status_code == 302
    page = client.get(response.url, **EN).content.decode()
    assert "assigned to another team member" in page
    content.refresh_from_db()
    assert content.text == ""


def test_a_non_leader_asking_to_issue_sees_why_in_the_panel(client):
    cast = report_in("approved")
    client.force_login(cast["member"])
    response = client.post(
        reverse("reports:issue", args=[cast.report.pk]), {"language": "en"}, HTTP_HX_REQUEST="true", **EN
    )
    assert response.status_code == 200
    assert "Only the audit&#x27;s team leader may issue the report." in response.content.decode()
