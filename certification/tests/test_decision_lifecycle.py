"""The decision's lifecycle (certification.lifecycle.DECISION_MACHINE): opened, evaluated by the
committee, approved or not — every move, allowed and refused, per actor; each move writes its
event row; nothing moves from the wrong status."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from certification import services
from certification.lifecycle import DECISION_MACHINE
from certification.models import DecisionEvent, DecisionStatus, DecisionType
from certification.tests.factories import pass_review

from .lifecycle_cast import ACTORS, ALLOWED, DENIED, expected, people

pytestmark = pytest.mark.django_db
S = DecisionStatus


@pytest.fixture
def actors():
    return people()


def decision_in(status, actors):
    """A grant decision on the cast's audit brought to ``status`` through the services (evaluated
    by ``evaluator``, approved or not by ``approver``)."""
    cast = actors
    review = pass_review(type("Cast", (), cast))
    decision = services.decision_open(
        decision_type=DecisionType.GRANT,
        client=cast["audit"].client,
        audit=cast["audit"],
        review=review,
        by=cast["admin"],
    )
    if status != S.AWAITING_EVALUATION:
        do("evaluate", decision, cast["evaluator"])
    if status == S.APPROVED:
        do("approve", decision, cast["approver"])
    elif status == S.NOT_APPROVED:
        do("not_approve", decision, cast["approver"])
    decision.refresh_from_db()
    assert decision.status == status
    return decision


def do(action, decision, user):
    today = services._today()
    if action == "evaluate":
        return services.decision_evaluate(
            decision=decision, conclusion="agree", remarks="同意注册", evaluated_on=today, by=user
        )
    conclusion, remarks = ("approve", "批准") if action == "approve" else ("not_approve", "需补充审核")
    return services.decision_approve(
        decision=decision, conclusion=conclusion, remarks=remarks, approved_on=today, by=user
    )


# action, status it starts from, status it leads to, the actors allowed
MOVES = [
    ("evaluate", S.AWAITING_EVALUATION, S.AWAITING_APPROVAL, {"reviewer", "evaluator", "approver"}),
    ("approve", S.AWAITING_APPROVAL, S.APPROVED, {"approver"}),
    ("not_approve", S.AWAITING_APPROVAL, S.NOT_APPROVED, {"approver"}),
]
CASES = [
    (action, start, end, actor, expected(actor, allowed)) for action, start, end, allowed in MOVES for actor in ACTORS
]


def test_the_matrix_covers_every_move_of_the_machine():
    assert {(a, str(s), str(e)) for a, s, e, _allowed in MOVES} == {
        (action, source, target) for action, source, target, _who in DECISION_MACHINE.table()
    }


@pytest.mark.parametrize(
    "action,start,end,actor,outcome", CASES, ids=[f"{a}-from-{s}-by-{actor}-{o}" for a, s, _e, actor, o in CASES]
)
def test_move_per_actor(actors, action, start, end, actor, outcome):
    decision = decision_in(start, actors)
    before = DecisionEvent.objects.filter(decision=decision).count()
    user = actors[actor]
    if outcome == ALLOWED:
        do(action, decision, user)
        decision.refresh_from_db()
        assert decision.status == end
        last = DecisionEvent.objects.filter(decision=decision).order_by("-pk").first()
        assert (last.action, last.from_status, last.to_status, last.by) == (action, start, end, user)
        return
    if outcome == DENIED:
        with pytest.raises(PermissionDenied):
            do(action, decision, user)
    else:
        with pytest.raises(ValidationError) as refused:
            do(action, decision, user)
        assert refused.value.error_list[0].code == "not_independent"
    decision.refresh_from_db()
    assert decision.status == start
    assert DecisionEvent.objects.filter(decision=decision).count() == before


WRONG_STATUS = [
    ("evaluate", S.AWAITING_APPROVAL, "evaluator"),
    ("evaluate", S.APPROVED, "evaluator"),
    ("evaluate", S.NOT_APPROVED, "evaluator"),
    ("approve", S.AWAITING_EVALUATION, "approver"),
    ("approve", S.APPROVED, "approver"),
    ("not_approve", S.NOT_APPROVED, "approver"),
]


@pytest.mark.parametrize("action,status,actor", WRONG_STATUS, ids=[f"{a}-from-{s}" for a, s, _ in WRONG_STATUS])
def test_move_refused_from_the_wrong_status(actors, action, status, actor):
    decision = decision_in(status, actors)
    before = DecisionEvent.objects.filter(decision=decision).count()
    with pytest.raises(ValidationError) as refused:
        do(action, decision, actors[actor])
    assert refused.value.error_list[0].code == "wrong_status"
    decision.refresh_from_db()
    assert decision.status == status
    assert DecisionEvent.objects.filter(decision=decision).count() == before


def test_every_step_of_a_decision_is_an_event_row(actors):
    decision = decision_in(S.APPROVED, actors)
    events = [(e.action, e.from_status, e.to_status, e.by) for e in decision.events.order_by("pk")]
    assert events == [
        ("create", "", S.AWAITING_EVALUATION, actors["admin"]),
        ("evaluate", S.AWAITING_EVALUATION, S.AWAITING_APPROVAL, actors["evaluator"]),
        ("approve", S.AWAITING_APPROVAL, S.APPROVED, actors["approver"]),
    ]


def test_an_approved_disagreement_is_not_approved(actors):
    """The approver confirms the committee's disagreement: the decision does not take effect."""
    decision = decision_in(S.AWAITING_EVALUATION, actors)
    services.decision_evaluate(
        decision=decision,
        conclusion="disagree",
        remarks="范围不清",
        evaluated_on=services._today(),
        by=actors["evaluator"],
    )
    services.decision_approve(
        decision=decision, conclusion="approve", remarks="", approved_on=services._today(), by=actors["approver"]
    )
    last = decision.events.order_by("-pk").first()
    assert (last.action, last.to_status) == ("not_approve", S.NOT_APPROVED)
