"""The technical review's lifecycle (certification.lifecycle.REVIEW_MACHINE): every move, allowed
and refused, per actor; each move writes its event row; nothing moves from a concluded review."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from certification import services
from certification.lifecycle import REVIEW_MACHINE
from certification.models import ReviewStatus, TechnicalReviewEvent
from certification.models.review import CHECKLIST_KEYS

from .lifecycle_cast import ACTORS, ALLOWED, DENIED, expected, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def actors():
    return people()


def review_in(status, actors):
    """A review of the cast's audit brought to ``status`` through the services, every checklist
    point answered "yes" by the assigned reviewer."""
    review = services.review_open(audit=actors["audit"], by=actors["admin"])
    services.reviewer_assign(review=review, reviewer=actors["reviewer"], by=actors["admin"])
    for key in CHECKLIST_KEYS:
        services.review_answer(review=review, point=key, answer="yes", remark="已核查", by=actors["reviewer"])
    if status == ReviewStatus.PASSED:
        services.review_conclude(review=review, passed=True, remark="通过", by=actors["reviewer"])
    elif status == ReviewStatus.NOT_PASSED:
        services.review_conclude(review=review, passed=False, remark="证据不足", by=actors["reviewer"])
    review.refresh_from_db()
    assert review.status == status
    return review


def do(action, review, user):
    passed = action == "pass"
    return services.review_conclude(review=review, passed=passed, remark="" if passed else "不通过", by=user)


# action, status it starts from, status it leads to, the actors allowed
MOVES = [
    ("pass", ReviewStatus.OPEN, ReviewStatus.PASSED, {"reviewer"}),
    ("not_pass", ReviewStatus.OPEN, ReviewStatus.NOT_PASSED, {"reviewer"}),
]
CASES = [
    (action, start, end, actor, expected(actor, allowed)) for action, start, end, allowed in MOVES for actor in ACTORS
]


def test_the_matrix_covers_every_move_of_the_machine():
    assert {(a, str(s), str(e)) for a, s, e, _allowed in MOVES} == {
        (action, source, target) for action, source, target, _who in REVIEW_MACHINE.table()
    }


@pytest.mark.parametrize(
    "action,start,end,actor,outcome", CASES, ids=[f"{a}-from-{s}-by-{actor}-{o}" for a, s, _e, actor, o in CASES]
)
def test_move_per_actor(actors, action, start, end, actor, outcome):
    review = review_in(start, actors)
    before = TechnicalReviewEvent.objects.filter(review=review).count()
    user = actors[actor]
    if outcome == ALLOWED:
        do(action, review, user)
        review.refresh_from_db()
        assert review.status == end and review.concluded_by == user
        last = TechnicalReviewEvent.objects.filter(review=review).order_by("-pk").first()
        assert (last.action, last.from_status, last.to_status, last.by) == (action, start, end, user)
        return
    if outcome == DENIED:
        with pytest.raises(PermissionDenied):
            do(action, review, user)
    else:
        with pytest.raises(ValidationError) as refused:
            do(action, review, user)
        assert refused.value.error_list[0].code == "not_independent"
    review.refresh_from_db()
    assert review.status == start
    assert TechnicalReviewEvent.objects.filter(review=review).count() == before


WRONG_STATUS = [
    (action, start)
    for action, _start, _end, _allowed in MOVES
    for start in (ReviewStatus.PASSED, ReviewStatus.NOT_PASSED)
]


@pytest.mark.parametrize("action,status", WRONG_STATUS, ids=[f"{a}-from-{s}" for a, s in WRONG_STATUS])
def test_a_concluded_review_does_not_move(actors, action, status):
    review = review_in(status, actors)
    with pytest.raises(ValidationError) as refused:
        do(action, review, actors["reviewer"])
    assert refused.value.error_list[0].code == "wrong_status"
    assert "concluded" in refused.value.messages[0]
    review.refresh_from_db()
    assert review.status == status


def test_opening_writes_the_first_event_and_each_move_its_own(actors):
    review = review_in(ReviewStatus.PASSED, actors)
    events = list(TechnicalReviewEvent.objects.filter(review=review).order_by("pk"))
    assert [(e.action, e.from_status, e.to_status, e.by) for e in events] == [
        ("create", "", ReviewStatus.OPEN, actors["admin"]),
        ("pass", ReviewStatus.OPEN, ReviewStatus.PASSED, actors["reviewer"]),
    ]
    assert events[1].note == "通过"


def test_a_stale_version_is_refused(actors):
    review = review_in(ReviewStatus.OPEN, actors)
    seen = review.version
    services.review_issue_raise(
        review=review, text="请补充", by=actors["reviewer"]
    )  # the review moves on (version + 1)
    with pytest.raises(ValidationError) as refused:
        services.review_conclude(review=review, passed=False, remark="x", by=actors["reviewer"], version=seen)
    assert refused.value.error_list[0].code == "stale"
