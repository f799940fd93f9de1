"""The NC lifecycle (findings/lifecycle.py, moved by findings/services): every transition, allowed
and refused, per actor; every other (status, action) refused as ``wrong_status``; rounds kept,
nothing overwritten; the audit moves on when its NCs allow."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from audits.models import Audit, AuditStatus, AuditTransition
from findings import services as nc_services
from findings.lifecycle import NC_MACHINE
from findings.models import (
    NonconformityAction,
    NonconformityEvidence,
    NonconformityResponse,
    NonconformityStatus,
    NonconformityTransition,
)

from .factories import answer, cast, exe_file, make_nc, pdf_file

pytestmark = pytest.mark.django_db

ACTORS = [
    "client_user",
    "other_client_user",
    "member",
    "leader",
    "expert",
    "outsider",
    "admin",
    "committee",
    "anonymous",
    "system",
]
NOBODY = {"anonymous": AnonymousUser(), "system": None}


def actor(people, name):
    return NOBODY[name] if name in NOBODY else people[name]


@pytest.fixture
def people():
    return cast()


def nc_in(status, people, grade="minor"):
    """An NC brought to ``status`` through the services."""
    nc = make_nc(people.audit, grade=grade)
    if status == "open":
        return nc
    answer(nc, people.client_user)
    if status == "responded":
        return nc
    if status == "returned":
        nc_services.nonconformity_reject(nc=nc, by=people.member, reason="证据不足")
        return nc
    nc_services.nonconformity_accept(nc=nc, by=people.member, method="documents")
    if status == "verified":
        return nc
    nc_services.nonconformity_close(nc=nc, by=people.leader)
    assert status == "closed"
    return nc


def do(action, nc, user):
    if action == "respond":
        return answer(nc, user)
    if action == "accept":
        return nc_services.nonconformity_accept(nc=nc, by=user, method="documents")
    if action == "reject":
        return nc_services.nonconformity_reject(nc=nc, by=user, reason="根本原因分析不充分")
    if action == "close":
        return nc_services.nonconformity_close(nc=nc, by=user)
    if action == "reject_closure":
        return nc_services.nonconformity_reject_closure(nc=nc, by=user, reason="纠正措施未覆盖其他部门")
    if action == "record_past_closure":
        # A past closure is of a past audit (the factories plan audits in the future).
        day = datetime.date(2020, 1, 8)
        Audit.objects.filter(pk=nc.audit_id).update(start_date=day, end_date=day)
        nc.audit.refresh_from_db()
        return nc_services.nonconformity_record_past_closure(
            nc=nc,
            by=user,
            correction="已纠正",
            root_cause="原因",
            corrective_action="措施",
            responded_on=day,
            verified_on=day,
            closed_on=day,
        )
    raise AssertionError(action)


# action, status it starts from, status it leads to, the actors allowed
TRANSITIONS = [
    ("respond", "open", "responded", {"client_user"}),
    ("respond", "returned", "responded", {"client_user"}),
    ("accept", "responded", "verified", {"member", "leader"}),
    ("reject", "responded", "returned", {"member", "leader"}),
    ("close", "verified", "closed", {"leader"}),
    ("reject_closure", "verified", "returned", {"leader"}),
    ("record_past_closure", "open", "closed", {"admin"}),
]
CASES = [(action, start, end, who, who in allowed) for action, start, end, allowed in TRANSITIONS for who in ACTORS]


@pytest.mark.parametrize(
    "action,start,end,who,allowed",
    CASES,
    ids=[f"{a}-from-{s}-by-{who}-{'allowed' if ok else 'refused'}" for a, s, _e, who, ok in CASES],
)
def test_transition_per_role(people, action, start, end, who, allowed):
    nc = nc_in(start, people)
    before = NonconformityTransition.objects.filter(nc=nc).count()
    if allowed:
        do(action, nc, actor(people, who))
        nc.refresh_from_db()
        assert nc.status == end
        last = NonconformityTransition.objects.filter(nc=nc).order_by("-pk").first()
        assert (last.action, last.from_status, last.to_status, last.by) == (action, start, end, actor(people, who))
    else:
        with pytest.raises(PermissionDenied):
            do(action, nc, actor(people, who))
        nc.refresh_from_db()
        assert nc.status == start
        assert NonconformityTransition.objects.filter(nc=nc).count() == before


# Every (status, action) the machine has no arrow for, taken by an actor the action allows.
ALLOWED_ACTOR = {"respond": "client_user", "accept": "member", "reject": "member", "record_past_closure": "admin"}
STATUSES = ["open", "responded", "returned", "verified", "closed"]
WRONG_STATUS = [
    (action, status, ALLOWED_ACTOR.get(action, "leader"))
    for action in ["respond", "accept", "reject", "close", "reject_closure", "record_past_closure"]
    for status in STATUSES
    if status not in {start for a, start, _end, _who in TRANSITIONS if a == action}
]


def test_the_table_here_is_the_machines_table():
    declared = {(action, start, end) for action, start, end, _who in TRANSITIONS}
    assert declared == {(str(a), str(s), str(e)) for a, s, e, _who in NC_MACHINE.table()}
    assert set(NC_MACHINE.statuses()) == set(STATUSES)


@pytest.mark.parametrize("action,status,who", WRONG_STATUS, ids=[f"{a}-from-{s}" for a, s, _ in WRONG_STATUS])
def test_transition_refused_from_the_wrong_status(people, action, status, who):
    nc = nc_in(status, people)
    before = NonconformityTransition.objects.filter(nc=nc).count()
    with pytest.raises(ValidationError) as refused:
        do(action, nc, actor(people, who))
    assert refused.value.code == "wrong_status"
    assert "is not possible" in str(refused.value)
    nc.refresh_from_db()
    assert nc.status == status
    assert NonconformityTransition.objects.filter(nc=nc).count() == before


def test_each_round_is_kept_and_nothing_is_overwritten(people):
    nc = make_nc(people.audit)
    first = answer(nc, people.client_user, correction="第一次纠正")
    nc_services.nonconformity_reject(nc=nc, by=people.member, reason="未提供证据")
    second = answer(nc, people.client_user, correction="第二次纠正", files=[pdf_file()])
    nc_services.nonconformity_accept(nc=nc, by=people.member, method="documents", note="证据充分")
    nc_services.nonconformity_close(nc=nc, by=people.leader, note="同意关闭")

    rounds = list(NonconformityResponse.objects.filter(nc=nc).order_by("round"))
    assert [(r.round, r.correction, r.verification, r.verification_note) for r in rounds] == [
        (1, "第一次纠正", "rejected", "未提供证据"),
        (2, "第二次纠正", "accepted", "证据充分"),
    ]
    assert (first.pk, second.pk) == (rounds[0].pk, rounds[1].pk)
    assert rounds[1].closure == "approved" and rounds[1].closure_by == people.leader
    assert rounds[0].closure == ""
    assert [t.action for t in NonconformityTransition.objects.filter(nc=nc).order_by("pk")] == [
        "respond",
        "reject",
        "respond",
        "accept",
        "close",
    ]
    assert [t.response.round for t in NonconformityTransition.objects.filter(nc=nc).order_by("pk")] == [1, 1, 2, 2, 2]
    assert NonconformityEvidence.objects.filter(response=rounds[1]).count() == 1
    nc.refresh_from_db()
    assert nc.status == "closed"
    # django-simple-history keeps every status the NC went through, with who did it.
    statuses = [h.status for h in nc.history.order_by("history_date", "history_id")]
    assert statuses == ["open", "responded", "returned", "responded", "verified", "closed"]
    assert nc.history.order_by("-history_date", "-history_id").first().history_user == people.leader


def test_rejected_closure_goes_back_to_the_client_who_answers_in_a_new_round(people):
    nc = nc_in("verified", people)
    nc_services.nonconformity_reject_closure(nc=nc, by=people.leader, reason="请补充培训记录")
    nc.refresh_from_db()
    assert nc.status == "returned"
    first = NonconformityResponse.objects.get(nc=nc, round=1)
    assert (first.verification, first.closure, first.closure_note) == ("accepted", "rejected", "请补充培训记录")
    answer(nc, people.client_user)
    assert NonconformityResponse.objects.filter(nc=nc).count() == 2


@pytest.mark.parametrize("field", ["correction", "root_cause", "corrective_action"])
def test_response_needs_correction_root_cause_and_corrective_action(people, field):
    nc = make_nc(people.audit)
    with pytest.raises(ValidationError) as refused:
        answer(nc, people.client_user, **{field: "  "})
    assert field in refused.value.message_dict
    nc.refresh_from_db()
    assert nc.status == "open" and not NonconformityResponse.objects.filter(nc=nc).exists()


def test_rejections_need_a_reason_the_client_reads(people):
    nc = nc_in("responded", people)
    with pytest.raises(ValidationError) as refused:
        nc_services.nonconformity_reject(nc=nc, by=people.member, reason=" ")
    assert "reason" in refused.value.message_dict
    nc_services.nonconformity_accept(nc=nc, by=people.member, method="documents")
    with pytest.raises(ValidationError) as refused:
        nc_services.nonconformity_reject_closure(nc=nc, by=people.leader, reason="")
    assert "reason" in refused.value.message_dict


def test_accepting_needs_a_verification_method(people):
    nc = nc_in("responded", people)
    with pytest.raises(ValidationError) as refused:
        nc_services.nonconformity_accept(nc=nc, by=people.member, method="")
    assert "method" in refused.value.message_dict


def test_a_major_cannot_be_left_to_the_next_audit_but_a_minor_can(people):
    major = nc_in("responded", people, grade="major")
    with pytest.raises(ValidationError) as refused:
        nc_services.nonconformity_accept(nc=major, by=people.member, method="next_audit")
    assert "major" in str(refused.value)
    minor = nc_in("responded", people, grade="minor")
    nc_services.nonconformity_accept(nc=minor, by=people.member, method="next_audit")
    minor.refresh_from_db()
    assert minor.status == "verified"


def test_a_stale_version_is_refused_not_overwritten(people):
    nc = nc_in("responded", people)
    seen = nc.version
    nc_services.nonconformity_reject(nc=nc, by=people.member, reason="证据不足", version=seen)
    with pytest.raises(ValidationError) as refused:
        nc_services.nonconformity_accept(nc=nc, by=people.leader, method="documents", version=seen)
    assert refused.value.code == "stale"
    nc.refresh_from_db()
    assert nc.status == "returned"


def test_evidence_files_are_checked_on_type_and_content(people):
    nc = make_nc(people.audit)
    with pytest.raises(ValidationError) as refused:
        answer(nc, people.client_user, files=[exe_file()])
    assert "Windows program" in str(refused.value)
    nc.refresh_from_db()
    assert nc.status == "open" and not NonconformityResponse.objects.filter(nc=nc).exists()


def test_at_most_ten_files_per_round(people):
    nc = make_nc(people.audit)
    with pytest.raises(ValidationError) as refused:
        answer(nc, people.client_user, files=[pdf_file(f"e{i}.pdf") for i in range(11)])
    assert "files" in refused.value.message_dict


def test_allowed_actions_match_the_rules(people):
    nc = nc_in("responded", people)
    assert nc_services.allowed_actions(people.member, nc) == {NonconformityAction.ACCEPT, NonconformityAction.REJECT}
    assert nc_services.allowed_actions(people.client_user, nc) == set()
    assert nc_services.allowed_actions(people.expert, nc) == set()
    nc_services.nonconformity_accept(nc=nc, by=people.member, method="documents")
    assert nc_services.allowed_actions(people.leader, nc) == {
        NonconformityAction.CLOSE,
        NonconformityAction.REJECT_CLOSURE,
    }
    assert nc_services.allowed_actions(people.member, nc) == set()


# --- the audit moves on ------------------------------------------------------------------------


def _approved(people):
    people.audit.status = AuditStatus.APPROVED
    people.audit.save()
    return people.audit


def test_audit_becomes_ncs_closed_when_majors_are_closed_and_minors_accepted(people):
    audit = _approved(people)
    major = make_nc(audit, grade="major")
    minor = make_nc(audit, grade="minor")
    make_nc(audit, grade="observation")  # observations do not hold the audit back
    answer(minor, people.client_user)
    nc_services.nonconformity_accept(nc=minor, by=people.member, method="next_audit")
    answer(major, people.client_user)
    nc_services.nonconformity_accept(nc=major, by=people.member, method="on_site")
    audit.refresh_from_db()
    assert audit.status == AuditStatus.APPROVED  # the major is accepted, not yet closed
    nc_services.nonconformity_close(nc=major, by=people.leader)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.NCS_CLOSED
    move = AuditTransition.objects.filter(audit=audit).order_by("-pk").first()
    assert (move.from_status, move.to_status, move.by) == (AuditStatus.APPROVED, AuditStatus.NCS_CLOSED, people.leader)


def test_audit_whose_report_is_not_approved_does_not_move(people):
    audit = people.audit  # planned
    nc = nc_in("closed", people)
    audit.refresh_from_db()
    assert nc.status == NonconformityStatus.CLOSED and audit.status == AuditStatus.PLANNED
