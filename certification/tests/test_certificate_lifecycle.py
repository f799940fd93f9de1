"""The certificate's lifecycle (certification.lifecycle.CERTIFICATE_MACHINE, the regulator's
status codes 01–05): every move from every status, by a decision-maker and by the system (the
daily job, nobody); each move writes its status-change row with its own facts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from certification import services
from certification.lifecycle import CERTIFICATE_MACHINE
from certification.models import CertificateStatus, CertificateStatusChange

from .factories import CertificateFactory, committee_user, suspension_reason, withdrawal_reason

pytestmark = pytest.mark.django_db
C = CertificateStatus
STATUSES = [C.VALID, C.SUSPENDED, C.WITHDRAWN, C.CANCELLED, C.EXPIRED]

# action, the statuses it moves from, the status it leads to, who takes it
MOVES = [
    ("suspend", {C.VALID}, C.SUSPENDED, "person"),
    ("restore", {C.SUSPENDED}, C.VALID, "person"),
    ("withdraw", {C.VALID, C.SUSPENDED}, C.WITHDRAWN, "person"),
    ("cancel", {C.VALID, C.SUSPENDED, C.EXPIRED}, C.CANCELLED, "person"),
    ("expire", {C.VALID, C.SUSPENDED}, C.EXPIRED, "system"),
]
CASES = [
    (action, start, end, actor, "denied" if actor != who else ("allowed" if start in sources else "wrong_status"))
    for action, sources, end, who in MOVES
    for start in STATUSES
    for actor in ("person", "system")
]


def today():
    return timezone.localdate()


def certificate_in(status):
    suspended = status == C.SUSPENDED
    return CertificateFactory(
        status=status, suspended_until=today() + datetime.timedelta(days=30) if suspended else None
    )


def do(end, certificate, user):
    reasons = {C.SUSPENDED: suspension_reason, C.WITHDRAWN: withdrawal_reason, C.CANCELLED: withdrawal_reason}
    return services.certificate_status_change(
        certificate=certificate,
        to_status=end,
        by=user,
        reason=reasons[end]() if end in reasons else None,
        effective_on=today(),
        suspension_ends_on=today() + datetime.timedelta(days=60) if end == C.SUSPENDED else None,
        note="测试",
    )


def test_the_matrix_covers_every_move_of_the_machine():
    declared = {(action, source, target) for action, source, target, _who in CERTIFICATE_MACHINE.table()}
    assert declared == {(a, str(s), str(e)) for a, sources, e, _who in MOVES for s in sources}


@pytest.mark.parametrize(
    "action,start,end,actor,outcome", CASES, ids=[f"{a}-from-{s}-by-{actor}-{o}" for a, s, _e, actor, o in CASES]
)
def test_move_per_status_and_actor(action, start, end, actor, outcome):
    certificate = certificate_in(start)
    user = committee_user() if actor == "person" else None
    before = CertificateStatusChange.objects.filter(certificate=certificate).count()
    if outcome == "allowed":
        do(end, certificate, user)
        certificate.refresh_from_db()
        assert certificate.status == end and certificate.status_since == today()
        assert certificate.suspended_until == (today() + datetime.timedelta(days=60) if end == C.SUSPENDED else None)
        last = CertificateStatusChange.objects.filter(certificate=certificate).order_by("-pk").first()
        assert (last.action, last.from_status, last.to_status, last.by, last.effective_on, last.note) == (
            action,
            start,
            end,
            user,
            today(),
            "测试",
        )
        return
    if outcome == "denied":
        with pytest.raises(PermissionDenied):
            do(end, certificate, user)
    else:
        with pytest.raises(ValidationError) as refused:
            do(end, certificate, user)
        assert refused.value.error_list[0].code == "wrong_status"
    certificate.refresh_from_db()
    assert certificate.status == start
    assert CertificateStatusChange.objects.filter(certificate=certificate).count() == before


@pytest.mark.parametrize("end", [C.SUSPENDED, C.WITHDRAWN, C.CANCELLED])
def test_a_move_needs_a_reason_of_its_list(end):
    certificate = certificate_in(C.VALID)
    wrong = withdrawal_reason() if end == C.SUSPENDED else suspension_reason()
    for reason in (None, wrong):
        with pytest.raises(ValidationError) as refused:
            services.certificate_status_change(
                certificate=certificate,
                to_status=end,
                by=committee_user(),
                reason=reason,
                effective_on=today(),
                suspension_ends_on=today() + datetime.timedelta(days=60),
            )
        assert refused.value.error_list[0].code == "reason_required"
    certificate.refresh_from_db()
    assert certificate.status == C.VALID


def test_a_suspension_needs_its_end():
    certificate = certificate_in(C.VALID)
    with pytest.raises(ValidationError) as refused:
        services.certificate_status_change(
            certificate=certificate,
            to_status=C.SUSPENDED,
            by=committee_user(),
            reason=suspension_reason(),
            effective_on=today(),
        )
    assert refused.value.error_list[0].code == "suspension_end_missing"


def test_only_the_status_fields_of_a_stored_certificate_change():
    from certification.models.certificate import Certificate, ImmutableCertificateError

    certificate = Certificate.objects.get(pk=certificate_in(C.VALID).pk)
    certificate.status = C.SUSPENDED
    certificate.suspended_until = today()
    certificate.save()  # the machine saves the whole row: only status fields differ
    certificate.scope_zh = "改过的范围"
    with pytest.raises(ImmutableCertificateError):
        certificate.save()
    # A row never read from the database may not be saved over a stored one, even unchanged.
    copy = Certificate(**{f.attname: getattr(certificate, f.attname) for f in Certificate._meta.concrete_fields})
    copy._state.adding = False
    with pytest.raises(ImmutableCertificateError):
        copy.save()
