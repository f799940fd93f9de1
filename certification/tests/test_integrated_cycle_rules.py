"""The integrated client's cycle (ISO 9001 + 14001 + 45001, 25 people) walked through the services
with the three shortcuts a hurried CB would take, each refused with a message naming its rule:
(a) stage 2 planned below the IAF MD 5 / MD 11 minimum, (b) stage 2 started before stage 1 is
approved "ready" (ISO/IEC 17021-1 9.3.1), (c) the decision evaluated or approved by a member of
the audit team (ISO/IEC 17021-1 9.5.1.2). Done right after each refusal, the path reaches three
certificates, one per standard with its own scope."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from audits.models import AuditStatus, AuditType
from certification.models import Certificate, CertificateStatus, DecisionStatus

from .integrated_cycle import SCOPES, IntegratedCycle

pytestmark = pytest.mark.django_db


def refusal(call):
    with pytest.raises(ValidationError) as exc:
        call()
    return " ".join(exc.value.messages)


def test_the_integrated_cycle_refuses_each_shortcut_by_its_rule_and_then_certifies():
    cycle = IntegratedCycle()
    with translation.override("en"):
        stage_1 = cycle.plan(AuditType.STAGE_1, cycle.stage_1_day)
        assert (stage_1.calculation["total"], stage_1.planned_man_days) == ("8", 2)
        cycle.staff(stage_1)

        # (a) Stage 2 at 4 man-days, 2 below the 6 that stage 1's 2 leave of the initial 8.
        message = refusal(lambda: cycle.plan(AuditType.STAGE_2, cycle.stage_2_day, planned=4))
        assert "IAF MD 5 / IAF MD 11: stage 1 and stage 2 together need at least the initial audit time" in message
        assert "at least 6" in message and "planned: 4" in message
        stage_2 = cycle.plan(AuditType.STAGE_2, cycle.stage_2_day, planned=6)  # the minimum
        cycle.staff(stage_2, cycle.insider, cycle.insider_approver)

        # (b) Stage 2 before stage 1 is approved ready: refused while stage 1 is planned, then
        # while its report is not approved.
        message = refusal(lambda: cycle.start(stage_2))
        assert "ISO/IEC 17021-1 9.3.1: stage 2 follows a completed stage 1" in message
        cycle.start(stage_1)
        message = refusal(lambda: cycle.start(stage_2))
        assert "its report must be approved with the conclusion “ready for stage 2”" in message
        stage_2.refresh_from_db()
        assert stage_2.status == AuditStatus.PLANNED
        cycle.stage_1_ready(stage_1)
        cycle.start(stage_2)

        cycle.report_approved(stage_2)
        stage_2.refresh_from_db()
        review = cycle.review_passed(stage_2)
        decision = cycle.grant_opened(stage_2, review)

        # (c) A member of the audit team (technical expert, committee member) cannot evaluate ...
        message = refusal(lambda: cycle.evaluate(decision, cycle.insider))
        assert "ISO/IEC 17021-1 9.5.1.2: 张专家 was on this audit's team" in message
        decision = cycle.evaluate(decision, cycle.evaluator)
        # ... nor approve, even holding the approval permission.
        message = refusal(lambda: cycle.approve(decision, cycle.insider_approver))
        assert "ISO/IEC 17021-1 9.5.1.2: 赵总 was on this audit's team" in message
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.AWAITING_APPROVAL
        decision = cycle.approve(decision, cycle.approver)

    certificates = Certificate.objects.filter(decision=decision).select_related("standard")
    assert {c.standard.code: (c.scope_zh, c.scope_en) for c in certificates} == SCOPES
    assert {c.status for c in certificates} == {CertificateStatus.VALID}
    assert len({c.number for c in certificates}) == 3
