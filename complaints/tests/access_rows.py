"""Who may open the complaint and appeal pages (collected by auditbody/tests/access_table.py). A
staff user gets a complaint or appeal it handles; a client user a decision on its organisation.
The object-level rules are tested in test_services.py and test_views.py."""

from accounts.tests.factories import UserFactory
from certification.tests.factories import DecisionFactory
from complaints.models import Appeal, Complaint
from core.access import Role
from core.testing import PUBLIC, STAFF, Page

ADMIN = frozenset({Role.CB_ADMIN})
CLIENT = frozenset({Role.CLIENT})


def _handler(user):
    return user if user is not None and user.role not in (Role.CB_ADMIN, Role.CLIENT) else None


def _complaint(user):
    from complaints.tests.factories import public_complaint

    complaint = public_complaint()
    Complaint.objects.filter(pk=complaint.pk).update(investigator=_handler(user))
    return {"pk": complaint.pk}


def _decision(user):
    if user is not None and user.role == Role.CLIENT:
        return DecisionFactory(client=user.client, approved=True)
    return DecisionFactory(approved=True)


def _appeal(user):
    from complaints import services

    decision = _decision(user)
    client_user = UserFactory(role=Role.CLIENT, client=decision.client)
    appeal = services.appeal_submit(decision=decision, grounds="不同意", by=client_user)
    Appeal.objects.filter(pk=appeal.pk).update(reviewer=_handler(user))
    return {"pk": appeal.pk}


PAGES = [
    Page("complain:new", PUBLIC),
    Page("complaints:complaint_register", STAFF),
    Page("complaints:complaint_new", ADMIN),
    Page("complaints:complaint_detail", STAFF, kwargs=_complaint),
    Page("complaints:complaint_act", STAFF, kwargs=_complaint, method="post", ok_status=302),
    Page(
        "complaints:complaint_link",
        ADMIN,
        kwargs=lambda user: {**_complaint(user), "kind": "suspension"},
        method="post",
        ok_status=302,
    ),
    Page("complaints:appeal_register", STAFF),
    Page("complaints:appeal_detail", STAFF, kwargs=_appeal),
    Page("complaints:appeal_act", STAFF, kwargs=_appeal, method="post", ok_status=302),
    Page("complaints:figures", ADMIN),
    Page("complaints:portal_index", CLIENT),
    Page("complaints:portal_complaint", CLIENT),
    Page("complaints:portal_appeal", CLIENT, kwargs=lambda user: {"decision_pk": _decision(user).pk}),
]


def _meeting(user):
    from django.core.files.base import ContentFile

    from complaints.models import CommitteeMeeting

    meeting = CommitteeMeeting(
        held_on="2026-01-05",
        summary="年度会议",
        created_by=UserFactory(role=Role.CB_ADMIN),
        minutes_name="m.pdf",
        minutes_type="application/pdf",
    )
    meeting.minutes.save("m.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    meeting.save()
    return {"pk": meeting.pk}


PAGES += [
    Page("complaints:impartiality", ADMIN),
    Page("complaints:impartiality_act", ADMIN, method="post", ok_status=302),
    Page("complaints:minutes", ADMIN, kwargs=_meeting),
    Page("complaints:declaration", STAFF),
]
