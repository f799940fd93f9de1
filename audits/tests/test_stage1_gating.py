"""Stage 2 follows a completed stage 1 concluded "ready for stage 2" (ISO/IEC 17021-1
9.3.1.1–9.3.1.2), within the CB's interval (policy, default six months)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.tests.factories import UserFactory
from audits import rules, services
from audits.calculation import StandardInput
from audits.models import AuditStatus, AuditType, Stage1Conclusion, Stage1Outcome, TeamRole
from audits.tests.factories import (
    AuditFactory,
    CertificationBodyFactory,
    ProgrammeFactory,
    TeamAssignmentFactory,
    concluded_stage_1,
    qualified_profile,
)
from core.access import Role

pytestmark = pytest.mark.django_db

STAGE_1_END = datetime.date(2030, 2, 1)
LAST_DAY = datetime.date(2030, 8, 1)  # six months after the last day of stage 1


def _stage_2(start=datetime.date(2030, 3, 4), **kwargs):
    CertificationBodyFactory()
    audit = AuditFactory(start_date=start, end_date=start, on_site_days=Decimal(1), **kwargs)
    leader = UserFactory(role=Role.TEAM_LEADER)
    TeamAssignmentFactory(audit=audit, profile=qualified_profile(user=leader), role=TeamRole.LEADER)
    return audit, leader


def _start_refused(audit, leader):
    with pytest.raises(ValidationError) as exc:
        services.audit_start(audit=audit, by=leader)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.PLANNED
    return " ".join(exc.value.messages)


def test_a_stage_2_without_a_stage_1_cannot_start():
    audit, leader = _stage_2()
    message = _start_refused(audit, leader)
    assert "ISO/IEC 17021-1 9.3.1" in message and "no stage 1 audit" in message


def test_a_stage_2_cannot_start_while_the_stage_1_report_is_not_approved():
    audit, leader = _stage_2()
    concluded_stage_1(audit.programme, status=AuditStatus.SUBMITTED, outcome=None)
    message = _start_refused(audit, leader)
    assert "2030-02-01" in message and "must be approved" in message


def test_a_stage_2_cannot_start_after_a_stage_1_concluded_not_ready():
    audit, leader = _stage_2()
    concluded_stage_1(audit.programme, outcome=Stage1Outcome.NOT_READY, remark="内审未实施")
    message = _start_refused(audit, leader)
    assert "not ready for stage 2" in message and "内审未实施" in message and "repeated" in message


def test_an_approved_stage_1_without_its_conclusion_does_not_open_stage_2():
    audit, leader = _stage_2()
    concluded_stage_1(audit.programme, outcome=None)
    assert "no conclusion" in _start_refused(audit, leader)


def test_the_machine_itself_guards_the_start_whatever_calls_it():
    audit, leader = _stage_2()
    with pytest.raises(ValidationError) as exc:
        services.audit_move(audit=audit, action="start", by=leader)
    assert [e.code for e in exc.value.error_list] == ["stage_1_not_ready"]


def test_a_stage_2_starting_on_the_last_day_of_the_interval_starts():
    audit, leader = _stage_2(start=LAST_DAY)
    concluded_stage_1(audit.programme, end_date=STAGE_1_END)
    services.audit_start(audit=audit, by=leader)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS


def test_a_stage_2_starting_the_day_after_the_interval_is_refused_with_the_dates():
    audit, leader = _stage_2(start=LAST_DAY + datetime.timedelta(days=1))
    concluded_stage_1(audit.programme, end_date=STAGE_1_END)
    message = _start_refused(audit, leader)
    assert "6 months" in message
    assert "2030-02-01" in message and "2030-08-01" in message and "2030-08-02" in message


def test_the_interval_is_the_cbs_policy():
    audit, leader = _stage_2(start=datetime.date(2030, 5, 2))
    concluded_stage_1(audit.programme, end_date=STAGE_1_END)
    cb = CertificationBodyFactory()
    cb.stage_2_interval_months = 3
    cb.save()
    assert "3 months" in _start_refused(audit, leader)


def test_the_latest_stage_1_counts_so_a_repeated_stage_1_reopens_stage_2():
    audit, leader = _stage_2(start=datetime.date(2030, 12, 1))
    concluded_stage_1(audit.programme, end_date=datetime.date(2030, 1, 10))
    assert "2030-07-10" in _start_refused(audit, leader)
    concluded_stage_1(audit.programme, end_date=datetime.date(2030, 11, 20))
    services.audit_start(audit=audit, by=leader)


def test_a_stage_2_of_a_programme_without_an_initial_audit_needs_no_stage_1():
    audit, leader = _stage_2()
    audit.programme.starts_with_initial_audit = False
    audit.programme.save()
    services.audit_start(audit=audit, by=leader)


def test_a_stage_1_and_a_surveillance_start_without_any_stage_1_rule():
    for audit_type in (AuditType.STAGE_1, AuditType.SURVEILLANCE_1):
        audit, leader = _stage_2(audit_type=audit_type)
        services.audit_start(audit=audit, by=leader)


def test_the_latest_start_is_the_same_day_months_later_clamped_to_the_month_end():
    assert rules.stage_2_latest_start(stage_1_end=datetime.date(2030, 2, 1), months=6) == LAST_DAY
    assert rules.stage_2_latest_start(stage_1_end=datetime.date(2030, 8, 31), months=6) == datetime.date(2031, 2, 28)


# --- planning a stage 2 against the programme's stage 1 ---------------------------------------------


def _plan_stage_2(programme, start, admin):
    return services.audit_plan(
        by=admin,
        client=programme.client,
        programme=programme,
        audit_type=AuditType.STAGE_2,
        standards=[StandardInput(programme.standards.get())],
        start_date=start,
        end_date=start + datetime.timedelta(days=1),
        on_site_days=Decimal(2),
        planned_man_days=Decimal(2),
    )


def test_a_stage_2_plan_beyond_the_interval_is_refused_and_the_last_day_is_accepted():
    CertificationBodyFactory()
    admin = UserFactory(role=Role.CB_ADMIN)
    programme = concluded_stage_1(ProgrammeFactory(), end_date=STAGE_1_END).programme
    with pytest.raises(ValidationError) as exc:
        _plan_stage_2(programme, LAST_DAY + datetime.timedelta(days=1), admin)
    assert "start_date" in exc.value.message_dict
    assert "2030-08-01" in " ".join(exc.value.message_dict["start_date"])
    assert _plan_stage_2(programme, LAST_DAY, admin).pk


def test_a_stage_2_plan_before_stage_1_ends_is_refused():
    CertificationBodyFactory()
    admin = UserFactory(role=Role.CB_ADMIN)
    programme = concluded_stage_1(ProgrammeFactory(), end_date=STAGE_1_END).programme
    with pytest.raises(ValidationError) as exc:
        _plan_stage_2(programme, STAGE_1_END - datetime.timedelta(days=1), admin)
    assert "before stage 1 has ended" in " ".join(exc.value.message_dict["start_date"])


# --- the conclusion ----------------------------------------------------------------------------------


def _stage_1_with_leader():
    stage_1 = AuditFactory(audit_type=AuditType.STAGE_1, purpose="stage1")
    leader = UserFactory(role=Role.TEAM_LEADER)
    TeamAssignmentFactory(audit=stage_1, profile=qualified_profile(user=leader), role=TeamRole.LEADER)
    return stage_1, leader


def test_not_ready_needs_a_remark_and_an_outcome_is_required():
    stage_1, leader = _stage_1_with_leader()
    with pytest.raises(ValidationError) as exc:
        services.stage_1_conclude(audit=stage_1, outcome=Stage1Outcome.NOT_READY, remark=" ", by=leader)
    assert "stage_1_remark" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.stage_1_conclude(audit=stage_1, outcome="", remark="", by=leader)
    assert "9.3.1.2" in " ".join(exc.value.message_dict["stage_1_outcome"])
    assert not Stage1Conclusion.objects.exists()


def test_only_the_leader_concludes_and_only_on_a_stage_1():
    stage_1, leader = _stage_1_with_leader()
    with pytest.raises(PermissionDenied):
        services.stage_1_conclude(
            audit=stage_1, outcome=Stage1Outcome.READY, remark="", by=UserFactory(role=Role.TEAM_LEADER)
        )
    stage_2 = AuditFactory()
    TeamAssignmentFactory(audit=stage_2, profile=leader.auditor_profile, role=TeamRole.LEADER)
    with pytest.raises(ValidationError):
        services.stage_1_conclude(audit=stage_2, outcome=Stage1Outcome.READY, remark="", by=leader)
    conclusion = services.stage_1_conclude(audit=stage_1, outcome=Stage1Outcome.READY, remark="", by=leader)
    assert conclusion.is_ready and conclusion.concluded_by == leader


# --- the pages ---------------------------------------------------------------------------------------


def test_the_audit_page_says_why_a_stage_2_cannot_start_and_shows_the_stage_1_conclusion(client):
    audit, leader = _stage_2()
    client.force_login(leader)
    page = client.get(reverse("audits:detail", args=[audit.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="stage-2-refusals"' in page and "9.3.1" in page
    response = client.post(reverse("audits:start", args=[audit.pk]), follow=True)
    assert "9.3.1" in response.content.decode()
    concluded_stage_1(audit.programme, end_date=STAGE_1_END, remark="文件齐全")
    page = client.get(reverse("audits:detail", args=[audit.pk])).content.decode()
    assert 'data-testid="stage-2-refusals"' not in page
    assert 'data-testid="stage-1-conclusion"' in page and "文件齐全" in page
