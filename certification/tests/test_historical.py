"""Historical records (a CB's past reviews, decisions and certificates): entered by CB
administrators only, with their real dates, marked as imported, through the machines'
``record_creation``; nothing dated today, no number from the counter unless asked; validations."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audits.models import Audit, AuditStatus, AuditTransition, AuditType
from certification import services
from certification.models import (
    Certificate,
    CertificateSerial,
    CertificateStatus,
    CertificateStatusChange,
    DecisionEvent,
    DecisionStatus,
    DecisionType,
    ReviewStatus,
    TechnicalReviewEvent,
)
from core.dates import local_date

from .factories import iso9001, review_cast, today, withdrawal_reason

pytestmark = pytest.mark.django_db

START, END = datetime.date(2020, 1, 7), datetime.date(2020, 1, 8)
REVIEWED, EVALUATED, APPROVED = datetime.date(2020, 1, 17), datetime.date(2020, 1, 20), datetime.date(2020, 1, 21)
ISSUED, EXPIRES = APPROVED, datetime.date(2023, 1, 20)


@pytest.fixture
def cast():
    return review_cast(start_date=START, end_date=END, audit_type=AuditType.STAGE_2)


def _review(cast, **kwargs):
    return services.review_import(
        audit=cast.audit, by=cast.admin, concluded_on=REVIEWED, reviewer_name="王评定", **kwargs
    )


def _decision(cast, review=None, **kwargs):
    values = {
        "client": cast.audit.client,
        "by": cast.admin,
        "decision_type": DecisionType.GRANT,
        "audit": cast.audit,
        "review": review,
        "standards": list(cast.audit.standards.all()),
        "evaluated_on": EVALUATED,
        "evaluator_name": "王评定",
        "approved_on": APPROVED,
        "approver_name": "王建国",
    }
    values.update(kwargs)
    return services.decision_import(**values)


def _certificate(decision, by, **kwargs):
    values = {
        "decision": decision,
        "standard": decision.standards.first(),
        "by": by,
        "issued_on": ISSUED,
        "expires_on": EXPIRES,
        "status": CertificateStatus.EXPIRED,
        "scope_zh": "基础软件服务",
        "number": "16820Q10001R0S",
    }
    values.update(kwargs)
    return services.certificate_import(**values)


def _dates_of(record):
    """Every date and datetime field of a record except the import marks."""
    found = {}
    for field in record._meta.concrete_fields:
        value = getattr(record, field.attname)
        if field.name != "imported_at" and isinstance(value, datetime.date):
            found[field.name] = value.date() if isinstance(value, datetime.datetime) else value
    return found


def test_a_past_cycle_keeps_its_real_dates_and_is_marked_imported(cast):
    review = _review(cast)
    decision = _decision(cast, review=review)
    certificate = _certificate(decision, cast.admin)

    assert review.status == ReviewStatus.PASSED and decision.status == DecisionStatus.APPROVED
    assert certificate.status == CertificateStatus.EXPIRED
    assert certificate.status_since == EXPIRES + datetime.timedelta(days=1)
    for record in (review, decision, certificate):
        record.refresh_from_db()
        assert (record.imported, record.imported_by) == (True, cast.admin)
        assert local_date(record.imported_at) == today()  # the CB's day, not UTC's
        # No date of today anywhere but in the import marks.
        assert {k: v for k, v in _dates_of(record).items() if v >= datetime.date(2024, 1, 1)} == {}
    assert (decision.evaluator_name, decision.approver_name) == ("王评定", "王建国")
    # Created in their state through the machines' record_creation: one event row each.
    assert [(e.action, e.from_status, e.to_status) for e in TechnicalReviewEvent.objects.filter(review=review)] == [
        ("import", "", "passed")
    ]
    assert [(e.action, e.to_status) for e in DecisionEvent.objects.filter(decision=decision)] == [
        ("import", "approved")
    ]
    change = CertificateStatusChange.objects.get(certificate=certificate)
    assert (change.action, change.to_status, change.effective_on) == ("import", "05", certificate.status_since)
    assert "imported" in change.note
    # The audit followed through its own machine.
    cast.audit.refresh_from_db()
    assert cast.audit.status == AuditStatus.DECIDED
    assert list(AuditTransition.objects.filter(audit=cast.audit).values_list("action", flat=True))[-2:] == [
        "review_opened",
        "decided",
    ]


def test_no_number_is_taken_from_the_counter_unless_asked(cast):
    decision = _decision(cast, review=_review(cast))
    _certificate(decision, cast.admin)
    assert not CertificateSerial.objects.filter(year=2020).exists()
    second = _certificate(decision, cast.admin, number="", allocate_number=True, status=CertificateStatus.EXPIRED)
    assert CertificateSerial.objects.get(year=2020).last == 1
    assert second.serial == 1 and second.number != "16820Q10001R0S"


@pytest.mark.parametrize("who", ["leader", "auditor", "reviewer", "evaluator", "approver"])
def test_only_a_cb_administrator_enters_historical_records(cast, who):
    with pytest.raises(PermissionDenied):
        services.review_import(audit=cast.audit, by=getattr(cast, who), concluded_on=REVIEWED, reviewer_name="王评定")
    with pytest.raises(PermissionDenied):
        _decision(cast, by=getattr(cast, who))
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"expires_on": ISSUED}, "expires_on"),
        ({"issued_on": APPROVED - datetime.timedelta(days=1)}, "issued_on"),
        ({"status": CertificateStatus.VALID}, "status"),  # expired by its dates
        ({"status": CertificateStatus.WITHDRAWN, "status_since": datetime.date(2021, 5, 1)}, "reason"),
        ({"number": "", "allocate_number": False}, "number"),
        ({"first_issued_on": ISSUED + datetime.timedelta(days=1)}, "first_issued_on"),
        (
            # Days from today, counted when the test runs (not when it is collected: the two may
            # fall on either side of the CB's midnight).
            {"issued_on": +1, "expires_on": +900, "status": CertificateStatus.VALID},
            "issued_on",
        ),
    ],
)
def test_a_certificate_with_dates_out_of_order_or_a_wrong_status_is_refused(cast, kwargs, field):
    kwargs = {
        key: today() + datetime.timedelta(days=value) if isinstance(value, int) and key.endswith("_on") else value
        for key, value in kwargs.items()
    }
    decision = _decision(cast, review=_review(cast))
    with pytest.raises(ValidationError) as refused:
        _certificate(decision, cast.admin, **kwargs)
    assert field in refused.value.message_dict
    assert not Certificate.objects.exists()


def test_a_withdrawn_certificate_carries_its_reason_and_date(cast):
    decision = _decision(cast, review=_review(cast))
    certificate = _certificate(
        decision,
        cast.admin,
        status=CertificateStatus.WITHDRAWN,
        status_since=datetime.date(2021, 5, 1),
        reason=withdrawal_reason(),
    )
    change = CertificateStatusChange.objects.get(certificate=certificate)
    assert (change.to_status, change.effective_on, change.reason) == (
        "03",
        datetime.date(2021, 5, 1),
        withdrawal_reason(),
    )


def test_a_valid_certificate_expired_by_its_dates_is_refused_but_an_unexpired_one_is_valid(cast):
    decision = _decision(cast, review=_review(cast))
    later = datetime.date(today().year - 1, 1, 10)
    certificate = _certificate(
        decision, cast.admin, issued_on=later, expires_on=later.replace(year=later.year + 3), status="01"
    )
    assert certificate.status == CertificateStatus.VALID


def test_duplicates_are_refused(cast):
    review = _review(cast)
    with pytest.raises(ValidationError) as twice:
        _review(cast)
    assert twice.value.code == "duplicate"
    decision = _decision(cast, review=review)
    with pytest.raises(ValidationError) as again:
        _decision(cast, review=review)
    assert again.value.code == "duplicate"
    _certificate(decision, cast.admin)
    with pytest.raises(ValidationError) as same_number:
        _certificate(decision, cast.admin)
    assert "number" in same_number.value.message_dict


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"approved_on": EVALUATED - datetime.timedelta(days=1)}, "approved_on"),
        ({"evaluated_on": END - datetime.timedelta(days=1), "approved_on": END}, "evaluated_on"),
        ({"approver_name": "王评定"}, "approver_name"),
        ({"evaluator_name": ""}, "evaluator_name"),
    ],
)
def test_a_decision_out_of_order_or_without_its_decision_makers_is_refused(cast, kwargs, field):
    with pytest.raises(ValidationError) as refused:
        _decision(cast, **kwargs)
    assert field in refused.value.message_dict


def test_a_review_before_the_audit_ended_is_refused(cast):
    with pytest.raises(ValidationError) as refused:
        services.review_import(audit=cast.audit, by=cast.admin, concluded_on=START, reviewer_name="王评定")
    assert "review_on" in refused.value.message_dict


def test_a_whole_past_cycle_is_entered_at_once(cast):
    client = cast.audit.client
    cycle = services.HistoricalCycle(
        client=client,
        audit_type=AuditType.STAGE_2,
        standards=[iso9001()],
        start_date=datetime.date(2017, 3, 1),
        end_date=datetime.date(2017, 3, 2),
        leader_name="张老组长",
        review_on=datetime.date(2017, 3, 10),
        reviewer_name="李评定",
        evaluated_on=datetime.date(2017, 3, 12),
        evaluator_name="李评定",
        approved_on=datetime.date(2017, 3, 15),
        approver_name="赵总",
        programme=cast.audit.programme,
        certificates=[
            services.HistoricalCertificate(
                standard=iso9001(),
                issued_on=datetime.date(2017, 3, 15),
                expires_on=datetime.date(2020, 3, 14),
                status=CertificateStatus.EXPIRED,
                scope_zh="软件开发",
                number="16817Q10099R0S",
            )
        ],
        source="2017年纸质档案",
    )
    decision = services.historical_cycle_import(cycle=cycle, by=cast.admin)
    audit = Audit.objects.get(pk=decision.audit_id)
    assert (audit.imported, audit.imported_leader_name, audit.status) == (True, "张老组长", AuditStatus.DECIDED)
    assert audit.import_source == "2017年纸质档案"
    assert decision.issued_certificates.get().number == "16817Q10099R0S"


def test_a_cycle_refused_at_its_certificate_leaves_nothing(cast):
    audits_before = Audit.objects.count()
    cycle = services.HistoricalCycle(
        client=cast.audit.client,
        audit_type=AuditType.SURVEILLANCE_1,
        standards=[iso9001()],
        start_date=datetime.date(2018, 3, 1),
        end_date=datetime.date(2018, 3, 2),
        leader_name="张老组长",
        review_on=datetime.date(2018, 3, 10),
        reviewer_name="李评定",
        evaluated_on=datetime.date(2018, 3, 12),
        evaluator_name="李评定",
        approved_on=datetime.date(2018, 3, 15),
        approver_name="赵总",
        programme=cast.audit.programme,
        certificates=[
            services.HistoricalCertificate(
                standard=iso9001(),
                issued_on=datetime.date(2018, 3, 15),
                expires_on=datetime.date(2018, 3, 15),
                status=CertificateStatus.EXPIRED,
                scope_zh="软件开发",
                number="X1",
            )
        ],
    )
    with pytest.raises(ValidationError):
        services.historical_cycle_import(cycle=cycle, by=cast.admin)
    assert Audit.objects.count() == audits_before


def test_the_command_enters_past_cycles_and_lists_what_it_refuses(cast, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    cast.admin.username = "histadmin"
    cast.admin.save()
    client = cast.audit.client.name_zh
    standard = f"{iso9001().code}:{iso9001().edition}"
    path = tmp_path / "cycles.yaml"
    path.write_text(
        f"""
- client: {client}
  audit_type: stage_2
  standards: ["{standard}"]
  start_date: 2017-03-01
  end_date: 2017-03-02
  leader_name: 张组长
  review_on: 2017-03-10
  reviewer_name: 李评定
  evaluated_on: 2017-03-12
  evaluator_name: 李评定
  approved_on: 2017-03-15
  approver_name: 赵总
  certificates:
    - standard: "{standard}"
      number: 16817Q10099R0S
      issued_on: 2017-03-15
      expires_on: 2020-03-14
      status: "05"
      scope_zh: 软件开发
- client: {client}
  audit_type: surveillance_1
  standards: ["{standard}"]
  start_date: 2018-03-01
  end_date: 2018-03-01
  leader_name: 张组长
  review_on: 2018-03-10
  reviewer_name: 李评定
  evaluated_on: 2018-03-12
  evaluator_name: 赵总
  approved_on: 2018-03-15
  approver_name: 赵总
  decision_type: maintain
""",
        encoding="utf-8",
    )
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 2"):
        call_command("import_history", str(path), by="histadmin", stdout=out)
    assert "refused" in out.getvalue().splitlines()[1]
    assert Certificate.objects.get(number="16817Q10099R0S").imported
    assert not Audit.objects.filter(audit_type=AuditType.SURVEILLANCE_1, client=cast.audit.client).exists()
