"""Complaints and appeals, the rules besides the lifecycles: acknowledgement numbers, deadlines
(CB settings), who sees a complaint and its complainant, appeal windows."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from certification.models import Decision
from complaints import services
from complaints.models import Complaint, ComplaintPolicy

from .factories import cast, complaint_in, public_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return cast()


def test_a_public_complaint_gets_an_unguessable_number_and_deadlines_from_the_policy(people):
    policy = ComplaintPolicy.objects.current()
    policy.acknowledge_days, policy.complaint_days = 3, 20
    policy.save()
    first, second = public_complaint(people), public_complaint(people)
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", first.ack_number)
    assert first.ack_number != second.ack_number
    assert (first.reference[-4:], second.reference[-4:]) == ("0001", "0002")
    assert first.acknowledge_due_on == first.received_on + datetime.timedelta(days=3)
    assert first.answer_due_on == first.received_on + datetime.timedelta(days=20)
    # The certificate number the complainant gave links the certificate and its client.
    assert (first.certificate, first.client) == (people.certificate, people.client)
    assert first.events.get().action == "create"


def test_a_public_complaint_needs_a_way_to_answer(people):
    with pytest.raises(ValidationError) as refused:
        public_complaint(people, complainant_email="", complainant_phone="")
    assert "complainant_email" in refused.value.error_dict


def test_an_unknown_certificate_number_links_nothing(people):
    complaint = public_complaint(people, certificate_number_given="NO-SUCH-1")
    assert complaint.certificate is None and complaint.client is None


def test_only_admins_enter_complaints_as_staff(people):
    with pytest.raises(PermissionDenied):
        public_complaint(people, source="staff", by=people.other_staff)
    assert public_complaint(people, source="staff", by=people.admin).created_by == people.admin


def test_who_sees_a_complaint_and_its_complainant(people):
    complaint = complaint_in("validated", people)
    mine = public_complaint(people, source="client", by=people.client_user)
    for name, sees in [
        ("admin", {complaint, mine}),
        ("investigator", {complaint}),
        ("other_staff", set()),
        ("committee", set()),
        ("leader", set()),
        ("client_user", {mine}),
        ("other_client_user", set()),
    ]:
        assert set(Complaint.objects.restrict(people[name], "view")) == sees, name
        assert set(Complaint.objects.restrict(people[name], "identity")) == sees, name


def test_an_appeal_is_made_in_time_once_per_decision_by_the_clients_user(people):
    with pytest.raises(PermissionDenied):
        services.appeal_submit(decision=people.decision, grounds="x", by=people.other_client_user)
    appeal = services.appeal_submit(decision=people.decision, grounds="不同意", by=people.client_user)
    assert appeal.client == people.client
    with pytest.raises(ValidationError) as refused:
        services.appeal_submit(decision=people.decision, grounds="again", by=people.client_user)
    assert refused.value.error_dict["decision"][0].code == "already_appealed"
    Decision.objects.filter(pk=people.decision.pk).update(approved_on=datetime.date(2020, 1, 1))
    people.decision.refresh_from_db()
    appeal.delete()
    with pytest.raises(ValidationError) as refused:
        services.appeal_submit(decision=people.decision, grounds="late", by=people.client_user)
    assert refused.value.error_dict["decision"][0].code == "too_late"
