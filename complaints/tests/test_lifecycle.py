"""The complaint and appeal lifecycles (complaints/lifecycle.py): every move per actor, allowed or
refused (``PermissionDenied``); every other status refused as ``wrong_status``; the event rows."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from complaints import services
from complaints.lifecycle import APPEAL_MACHINE, COMPLAINT_MACHINE
from complaints.models import AppealEvent, ComplaintEvent

from .factories import appeal_in, cast, complaint_in

pytestmark = pytest.mark.django_db

ACTORS = [
    "admin",
    "investigator",
    "reviewer",
    "other_staff",
    "committee",
    "leader",
    "client_user",
    "other_client_user",
    "anonymous",
    "system",
]
NOBODY = {"anonymous": AnonymousUser(), "system": None}


@pytest.fixture
def people():
    return cast()


def actor(people, name):
    return NOBODY[name] if name in NOBODY else people[name]


def do_complaint(action, complaint, user):
    return {
        "acknowledge": lambda: services.complaint_acknowledge(complaint=complaint, by=user),
        "validate": lambda: services.complaint_validate(complaint=complaint, by=user, note="属于认证活动"),
        "reject": lambda: services.complaint_reject(complaint=complaint, by=user, note="与认证无关"),
        "investigate": lambda: services.complaint_investigate(complaint=complaint, by=user),
        "decide": lambda: services.complaint_decide(
            complaint=complaint, by=user, findings="属实", outcome="upheld", decision_text="暂停"
        ),
        "answer": lambda: services.complaint_answer(complaint=complaint, by=user, answer_text="已告知"),
        "close": lambda: services.complaint_close(complaint=complaint, by=user),
    }[action]()


def do_appeal(action, appeal, user):
    return {
        "review": lambda: services.appeal_review(appeal=appeal, by=user),
        "decide": lambda: services.appeal_decide(appeal=appeal, by=user, outcome="upheld", findings="维持"),
        "answer": lambda: services.appeal_answer(appeal=appeal, by=user, answer_text="维持原决定"),
        "close": lambda: services.appeal_close(appeal=appeal, by=user),
    }[action]()


ADMIN = {"admin"}
COMPLAINT_TRANSITIONS = [
    ("acknowledge", "received", "acknowledged", ADMIN),
    ("validate", "acknowledged", "validated", ADMIN),
    ("reject", "acknowledged", "rejected", ADMIN),
    ("investigate", "validated", "investigation", ADMIN),
    ("decide", "investigation", "decided", {"investigator"}),
    ("answer", "decided", "answered", ADMIN),
    ("answer", "rejected", "answered", ADMIN),
    ("close", "answered", "closed", ADMIN),
]
APPEAL_TRANSITIONS = [
    ("decide", "review", "decided", {"reviewer"}),
    ("answer", "decided", "answered", ADMIN),
    ("close", "answered", "closed", ADMIN),
]
COMPLAINT_STATUSES = [
    "received",
    "acknowledged",
    "validated",
    "rejected",
    "investigation",
    "decided",
    "answered",
    "closed",
]
APPEAL_STATUSES = ["received", "review", "decided", "answered", "closed"]


def _cases(transitions):
    return [(a, s, e, who, who in allowed) for a, s, e, allowed in transitions for who in ACTORS]


def _ids(cases):
    return [f"{a}-from-{s}-by-{who}-{'allowed' if ok else 'refused'}" for a, s, _e, who, ok in cases]


C_CASES = _cases(COMPLAINT_TRANSITIONS)
A_CASES = _cases(APPEAL_TRANSITIONS)


def test_the_tables_here_are_the_machines_tables():
    assert {(a, s, e) for a, s, e, _w in COMPLAINT_TRANSITIONS} == {
        (str(a), str(s), str(e)) for a, s, e, _w in COMPLAINT_MACHINE.table()
    }
    # The appeal's "review" move is tested on its own below (it needs its reviewer assigned first).
    assert {(a, s, e) for a, s, e, _w in APPEAL_TRANSITIONS} | {("review", "received", "review")} == {
        (str(a), str(s), str(e)) for a, s, e, _w in APPEAL_MACHINE.table()
    }
    assert set(COMPLAINT_MACHINE.statuses()) == set(COMPLAINT_STATUSES)
    assert set(APPEAL_MACHINE.statuses()) == set(APPEAL_STATUSES)


@pytest.mark.parametrize("action,start,end,who,allowed", C_CASES, ids=_ids(C_CASES))
def test_complaint_move_per_actor(people, action, start, end, who, allowed):
    complaint = complaint_in(start, people)
    before = ComplaintEvent.objects.filter(complaint=complaint).count()
    if allowed:
        do_complaint(action, complaint, actor(people, who))
        complaint.refresh_from_db()
        assert complaint.status == end
        last = ComplaintEvent.objects.filter(complaint=complaint).order_by("-pk").first()
        assert (last.action, last.from_status, last.to_status, last.by) == (action, start, end, actor(people, who))
    else:
        with pytest.raises(PermissionDenied):
            do_complaint(action, complaint, actor(people, who))
        complaint.refresh_from_db()
        assert complaint.status == start
        assert ComplaintEvent.objects.filter(complaint=complaint).count() == before


@pytest.mark.parametrize("action,start,end,who,allowed", A_CASES, ids=_ids(A_CASES))
def test_appeal_move_per_actor(people, action, start, end, who, allowed):
    appeal = appeal_in(start, people)
    before = AppealEvent.objects.filter(appeal=appeal).count()
    if allowed:
        do_appeal(action, appeal, actor(people, who))
        appeal.refresh_from_db()
        assert appeal.status == end
        last = AppealEvent.objects.filter(appeal=appeal).order_by("-pk").first()
        assert (last.action, last.from_status, last.to_status, last.by) == (action, start, end, actor(people, who))
    else:
        with pytest.raises(PermissionDenied):
            do_appeal(action, appeal, actor(people, who))
        appeal.refresh_from_db()
        assert appeal.status == start
        assert AppealEvent.objects.filter(appeal=appeal).count() == before


@pytest.mark.parametrize("who", ACTORS)
def test_appeal_review_starts_by_the_admin_once_a_reviewer_is_assigned(people, who):
    appeal = appeal_in("received", people)
    with pytest.raises(ValidationError) as refused:
        services.appeal_review(appeal=appeal, by=people.admin)
    assert refused.value.code == "no_handler"
    services.appeal_assign(appeal=appeal, reviewer=people.reviewer, by=people.admin)
    if who == "admin":
        services.appeal_review(appeal=appeal, by=people.admin)
        appeal.refresh_from_db()
        assert appeal.status == "review"
    else:
        with pytest.raises(PermissionDenied):
            services.appeal_review(appeal=appeal, by=actor(people, who))


def test_investigation_needs_an_investigator(people):
    complaint = complaint_in("acknowledged", people)
    services.complaint_validate(complaint=complaint, by=people.admin, note="属实")
    with pytest.raises(ValidationError) as refused:
        services.complaint_investigate(complaint=complaint, by=people.admin)
    assert refused.value.code == "no_handler"


ALLOWED_ACTOR = {"decide": "investigator"}
C_WRONG = [
    (action, status)
    for action in ["acknowledge", "validate", "reject", "investigate", "decide", "answer", "close"]
    for status in COMPLAINT_STATUSES
    if status not in {s for a, s, _e, _w in COMPLAINT_TRANSITIONS if a == action}
]
A_WRONG = [
    (action, status)
    for action in ["review", "decide", "answer", "close"]
    for status in APPEAL_STATUSES
    if status
    not in {s for a, s, _e, _w in APPEAL_TRANSITIONS if a == action} | ({"received"} if action == "review" else set())
]


@pytest.mark.parametrize("action,status", C_WRONG, ids=[f"{a}-from-{s}" for a, s in C_WRONG])
def test_complaint_move_refused_from_the_wrong_status(people, action, status):
    complaint = complaint_in(status, people)
    if status in ("received", "acknowledged", "rejected"):
        complaint.investigator = people.investigator  # so that only the status refuses
        complaint.save()
    with pytest.raises(ValidationError) as refused:
        do_complaint(action, complaint, people[ALLOWED_ACTOR.get(action, "admin")])
    assert refused.value.code == "wrong_status"
    complaint.refresh_from_db()
    assert complaint.status == status


@pytest.mark.parametrize("action,status", A_WRONG, ids=[f"{a}-from-{s}" for a, s in A_WRONG])
def test_appeal_move_refused_from_the_wrong_status(people, action, status):
    appeal = appeal_in(status, people)
    if status == "received":
        services.appeal_assign(appeal=appeal, reviewer=people.reviewer, by=people.admin)
    with pytest.raises(ValidationError) as refused:
        do_appeal(action, appeal, people["reviewer" if action == "decide" else "admin"])
    assert refused.value.code == "wrong_status"
    appeal.refresh_from_db()
    assert appeal.status == status
