"""Faults and recovery: the database fails mid-way through a multi-row action.

``test_services_atomic.py`` proves every service action all-or-nothing by failing its *last*
write. The actions below write many rows to many tables at once, so they are also failed at
*every* write in turn — the first, each one in the middle, the last — with the error a real
database raises when its connection drops (``OperationalError``), and every row of every table
(history and many-to-many tables included) must be as before. The same call then succeeds and
the named rows appear, counted, so each case is known to reach the writes it claims to.

* an NC round: the client's response (round row, its evidence files, the NC's move, history);
* an approved grant: the decision, certificates and sub-certificates with their first status
  rows, the serial counter, the audit programme's anchor dates and standards;
* a certificate reissue (scope reduction): the decision, the new certificate under the same
  number, the old one cancelled with its reason.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import OperationalError, connection, transaction

from audits.models import AuditProgramme
from audits.models import AuditStatus as FindingsAuditStatus
from certification import services as certification
from certification.models import (
    Certificate,
    CertificateSerial,
    CertificateStatus,
    CertificateStatusChange,
    Decision,
    DecisionStatus,
    DecisionType,
)
from certification.tests.factories import (
    SiteFactory,
    UserFactory,
    approver_user,
    certified_client,
    committee_user,
    pass_review,
    review_cast,
    today,
)
from clients.models import SiteKind
from core.access import Role
from core.tests.atomicity import count_writes, is_write, snapshot, stored_files
from findings import services as findings
from findings.models import Nonconformity, NonconformityEvidence, NonconformityResponse, NonconformityTransition
from findings.tests.factories import cast as findings_cast
from findings.tests.factories import make_nc, pdf_file, png_file

pytestmark = pytest.mark.django_db


@contextmanager
def database_fails_at_write(n: int) -> Iterator[None]:
    """The n-th row-writing statement fails as a lost connection does."""
    seen = 0

    def fail(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal seen
        if is_write(sql):
            seen += 1
            if seen == n:
                raise OperationalError(f"injected: server closed the connection at write {n}: {sql[:60]}")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail):
        yield


def counts(*models: Any) -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in models}


def fail_at_every_write(call: Callable[[], Any]) -> int:
    """Fail ``call`` at each of its writes in turn: the error reaches the caller and every row of
    every table is as before. Returns how many writes the call makes."""
    before = snapshot()
    writes = count_writes(call)
    assert snapshot() == before
    for n in range(1, writes + 1):
        with pytest.raises(OperationalError, match=f"at write {n}:"), database_fails_at_write(n):
            call()
        # As in production: the request's connection is not left inside a broken transaction.
        transaction.set_rollback(False)
        after = snapshot()
        changed = [label for label, rows in before.items() if after.get(label) != rows]
        assert not changed, f"failing at write {n} of {writes} left rows written in {changed}"
    return writes


# --- an NC round ------------------------------------------------------------------------------------


def test_a_failure_anywhere_in_an_nc_round_leaves_no_round_no_evidence_row_and_the_nc_open():
    people = findings_cast(status=FindingsAuditStatus.APPROVED)
    nc = make_nc(people.audit, raised_by=people.member)
    models = (NonconformityResponse, NonconformityEvidence, NonconformityTransition)
    before = counts(*models)

    def respond():
        return findings.nonconformity_respond(
            nc=Nonconformity.objects.get(pk=nc.pk),
            by=people.client_user,
            correction="已收回旧版手册",
            root_cause="发放记录未更新",
            corrective_action="修订文件控制程序，月度核查",
            files=[pdf_file(), png_file()],
            version=1,
        )

    files_before = stored_files()
    writes = fail_at_every_write(respond)
    assert writes >= 5  # the round, two evidence rows, the NC's move and their history
    assert counts(*models) == before
    assert Nonconformity.objects.get(pk=nc.pk).status == "open"
    # Evidence files are stored before their rows (documented: findings/tests/atomic_scenarios.py);
    # a failed round leaves at most such unreferenced files, never a row pointing to a missing one.
    assert not NonconformityEvidence.objects.exists()
    left = stored_files() - files_before
    assert all(path.endswith((".pdf", ".png")) for path in left)

    response = respond()
    after = counts(*models)
    assert after["findings.NonconformityResponse"] == before["findings.NonconformityResponse"] + 1
    assert after["findings.NonconformityEvidence"] == before["findings.NonconformityEvidence"] + 2
    assert after["findings.NonconformityTransition"] == before["findings.NonconformityTransition"] + 1
    assert response.round == 1 and Nonconformity.objects.get(pk=nc.pk).status != "open"


# --- an approved grant: decision, certificates, programme dates -------------------------------------


def test_a_failure_anywhere_in_approving_a_grant_leaves_no_certificate_and_the_programme_undated():
    cast = review_cast()
    SiteFactory(client=cast.audit.client, kind=SiteKind.BRANCH, address_zh="上海市浦东新区分部路2号")
    review = pass_review(cast)
    decision = certification.decision_open(
        decision_type=DecisionType.GRANT, client=cast.audit.client, audit=cast.audit, review=review, by=cast.admin
    )
    certification.decision_evaluate(
        decision=decision, conclusion="agree", remarks="同意", evaluated_on=today(), by=cast.evaluator
    )
    programme = cast.audit.programme
    AuditProgramme.objects.filter(pk=programme.pk).update(decision_on=None, certificate_issued_on=None, expires_on=None)
    models = (Certificate, CertificateStatusChange, CertificateSerial, Decision.history.model)
    before = counts(*models)

    def approve():
        return certification.decision_approve(
            decision=Decision.objects.get(pk=decision.pk),
            conclusion="approve",
            remarks="批准",
            approved_on=today(),
            by=cast.approver,
        )

    writes = fail_at_every_write(approve)
    assert writes >= 8
    assert counts(*models) == before
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.AWAITING_APPROVAL
    unchanged = AuditProgramme.objects.get(pk=programme.pk)
    assert (unchanged.decision_on, unchanged.certificate_issued_on, unchanged.expires_on) == (None, None, None)

    approve()
    after = counts(*models)
    # One main certificate and one sub-certificate for the branch, each with its "issued" row.
    assert after["certification.Certificate"] == before["certification.Certificate"] + 2
    assert after["certification.CertificateStatusChange"] == before["certification.CertificateStatusChange"] + 2
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.APPROVED
    dated = AuditProgramme.objects.get(pk=programme.pk)
    assert dated.decision_on == today() and dated.certificate_issued_on == today() and dated.expires_on


# --- a certificate reissue (scope reduction) -------------------------------------------------------


def test_a_failure_anywhere_in_a_reissue_leaves_the_old_certificate_valid_and_no_new_one():
    certified = certified_client()
    SiteFactory(client=certified.client, kind=SiteKind.REGISTERED)
    admin, evaluator, approver = UserFactory(role=Role.CB_ADMIN), committee_user(), approver_user()
    decision = certification.decision_open(
        decision_type=DecisionType.REDUCE_SCOPE,
        client=certified.client,
        certificates=[certified.certificate],
        scopes={certified.certificate.standard_id: ("软件开发", "")},
        by=admin,
    )
    certification.decision_evaluate(
        decision=decision, conclusion="agree", remarks="同意", evaluated_on=today(), by=evaluator
    )
    models = (Certificate, CertificateStatusChange)
    before = counts(*models)

    def approve():
        return certification.decision_approve(
            decision=Decision.objects.get(pk=decision.pk),
            conclusion="approve",
            remarks="批准",
            approved_on=today(),
            by=approver,
        )

    writes = fail_at_every_write(approve)
    assert writes >= 5
    assert counts(*models) == before
    assert Certificate.objects.get(pk=certified.certificate.pk).status == CertificateStatus.VALID

    approve()
    after = counts(*models)
    assert after["certification.Certificate"] == before["certification.Certificate"] + 1
    # The new certificate's "issued" row and the old one's "cancelled (replaced)" row.
    assert after["certification.CertificateStatusChange"] == before["certification.CertificateStatusChange"] + 2
    old = Certificate.objects.get(pk=certified.certificate.pk)
    new = Certificate.objects.get(replaces=old)
    assert old.status == CertificateStatus.CANCELLED and (new.number, new.reissue) == (old.number, 1)


def test_the_injected_failure_is_the_databases_own_error_not_a_test_exception():
    # The failure the tests above inject is what a dropped connection raises; it is not caught
    # and turned into success anywhere on the way (the action's caller sees it).
    certified = certified_client(issued_on=datetime.date(2020, 1, 6))
    with pytest.raises(OperationalError), database_fails_at_write(1):
        certification.certification_daily(today=today())
    transaction.set_rollback(False)
    assert Certificate.objects.get(pk=certified.certificate.pk).status == CertificateStatus.VALID
