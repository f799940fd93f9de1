"""One decision in progress per certificate, as per audit: a second one is refused with a message
naming the certificate, and the database itself refuses it when two requests pass the check at
the same moment."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from certification import services
from certification.models import Decision, DecisionType, OpenDecisionOnCertificate
from certification.services import decision as decision_module
from core.access import Role

from .factories import (
    UserFactory,
    approver_user,
    certified_client,
    committee_user,
    suspension_reason,
    today,
    withdrawal_reason,
)

pytestmark = pytest.mark.django_db


def _suspend(certified, by):
    return services.decision_open(
        decision_type=DecisionType.SUSPEND,
        client=certified.client,
        certificates=[certified.certificate],
        reason=suspension_reason("0116"),
        suspension_ends_on=today() + datetime.timedelta(days=30),
        by=by,
    )


def test_a_second_decision_on_a_certificate_with_one_in_progress_is_refused_with_a_message():
    certified = certified_client()
    admin = UserFactory(role=Role.CB_ADMIN)
    first = _suspend(certified, admin)
    with pytest.raises(ValidationError) as caught:
        _suspend(certified, committee_user())
    assert [e.code for e in caught.value.error_dict["certificates"]] == ["decision_in_progress"]
    message = " ".join(caught.value.messages)
    assert certified.certificate.number in message and "already has a decision in progress" in message
    assert list(Decision.objects.filter(certificates=certified.certificate)) == [first]
    # Another kind of decision on the same certificate is refused as well.
    with pytest.raises(ValidationError) as caught:
        services.decision_open(
            decision_type=DecisionType.WITHDRAW,
            client=certified.client,
            certificates=[certified.certificate],
            reason=withdrawal_reason(),
            by=admin,
        )
    assert list(caught.value.error_dict) == ["certificates"]


def test_a_double_submit_of_the_suspension_page_opens_one_decision(client, settings):
    settings.LANGUAGE_CODE = "en"
    certified = certified_client()
    admin = UserFactory(role=Role.CB_ADMIN)
    client.force_login(admin)
    url = reverse("certification:decision_open_certificate", args=[certified.certificate.pk])
    post = {
        "decision_type": DecisionType.SUSPEND,
        "certificates": [certified.certificate.pk],
        "reason": suspension_reason("0116").pk,
        "suspension_ends_on": (today() + datetime.timedelta(days=30)).isoformat(),
    }
    assert client.post(url, post).status_code == 302
    again = client.post(url, post)
    assert again.status_code == 200
    assert "already has a decision in progress" in again.content.decode()
    assert Decision.objects.filter(decision_type=DecisionType.SUSPEND).count() == 1


def test_the_database_refuses_a_second_open_decision_on_a_certificate():
    certified = certified_client()
    first = _suspend(certified, UserFactory(role=Role.CB_ADMIN))
    with pytest.raises(IntegrityError), transaction.atomic():
        OpenDecisionOnCertificate.objects.create(certificate=certified.certificate, decision=first)


def test_two_requests_passing_the_check_at_once_leave_one_decision(monkeypatch):
    """The second request's check ran before the first committed: the claim's unique
    certificate refuses it, with the same message, and nothing of it is stored."""
    certified = certified_client()
    _suspend(certified, UserFactory(role=Role.CB_ADMIN))
    monkeypatch.setattr(decision_module, "_check_no_decision_in_progress", lambda certificates, errors: None)
    with pytest.raises(ValidationError) as caught:
        _suspend(certified, committee_user())
    assert "already has a decision in progress" in " ".join(caught.value.messages)
    assert Decision.objects.filter(decision_type=DecisionType.SUSPEND).count() == 1


def test_once_decided_the_certificate_takes_its_next_decision():
    certified = certified_client()
    evaluator, approver = committee_user(), approver_user()
    decision = _suspend(certified, UserFactory(role=Role.CB_ADMIN))
    services.decision_evaluate(
        decision=decision, conclusion="agree", remarks="同意", evaluated_on=today(), by=evaluator
    )
    services.decision_approve(decision=decision, conclusion="approve", remarks="批准", approved_on=today(), by=approver)
    assert not OpenDecisionOnCertificate.objects.exists()
    restore = services.decision_open(
        decision_type=DecisionType.RESTORE,
        client=certified.client,
        certificates=[certified.certificate],
        by=UserFactory(role=Role.CB_ADMIN),
    )
    assert OpenDecisionOnCertificate.objects.get().decision == restore
