"""The technical review of an initial certification cannot pass without the programme's stage 1
approved "ready" (ISO/IEC 17021-1 9.3.1), and its page shows calculated, minimum, planned and actual
audit days with every difference flagged (IAF MD 5 / MD 11)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from audits.models import AuditStatus, AuditType, Stage1Outcome
from audits.tests.factories import CertificationBodyFactory, concluded_stage_1
from certification import services

from .factories import pass_review, review_cast

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _refusal(cast):
    with pytest.raises(ValidationError) as exc:
        pass_review(cast)
    return " ".join(exc.value.messages)


def test_a_review_of_a_stage_2_without_a_stage_1_cannot_pass():
    cast = review_cast(with_stage_1=False)
    message = _refusal(cast)
    assert "Initial certification" in message and "ISO/IEC 17021-1 9.3.1" in message


def test_a_review_of_a_stage_2_whose_stage_1_concluded_not_ready_cannot_pass():
    cast = review_cast(with_stage_1=False)
    concluded_stage_1(cast.audit.programme, outcome=Stage1Outcome.NOT_READY, remark="管理评审未开展")
    assert "not ready for stage 2" in _refusal(cast)


def test_a_stage_1_in_another_programme_does_not_count():
    cast = review_cast(with_stage_1=False)
    other = review_cast(with_stage_1=False, client=cast.audit.client)
    concluded_stage_1(other.audit.programme)
    assert "no stage 1 audit" in _refusal(cast)


def test_a_review_of_a_stage_2_with_its_stage_1_ready_passes():
    cast = review_cast()
    assert pass_review(cast).status == "passed"


def test_a_surveillance_review_needs_no_stage_1():
    cast = review_cast(audit_type=AuditType.SURVEILLANCE_1, purpose="surveillance")
    assert pass_review(cast).status == "passed"


def test_a_stage_1_audit_gets_no_technical_review():
    cast = review_cast(audit_type=AuditType.STAGE_1, purpose="stage1")
    with pytest.raises(ValidationError) as exc:
        services.review_open(audit=cast.audit, by=cast.admin)
    assert "9.3.1.2" in " ".join(exc.value.messages)


def _review_page(cast, client):
    client.force_login(cast.admin)
    return client.get(reverse("certification:review", args=[cast.audit.pk]), HTTP_ACCEPT_LANGUAGE="en")


def test_the_review_page_shows_the_figures_and_flags_planned_below_minimum_and_actual_off_plan(client):
    CertificationBodyFactory()
    cast = review_cast(on_site_days=Decimal(2), planned_man_days=Decimal("1.5"))
    cast.audit.calculation = {"calculated": "2", "total": "2.5"}
    cast.audit.save()
    page = _review_page(cast, client)
    text = page.content.decode()
    assert page.context["audit_time"].has_flags
    rows = page.context["audit_time"].rows
    assert [r.audit.audit_type for r in rows] == [AuditType.STAGE_1, AuditType.STAGE_2]
    stage_2 = rows[1]
    # the leader and the auditor, two days on site each; the technical expert does not count
    assert (stage_2.calculated, stage_2.minimum, stage_2.planned, stage_2.actual) == (2, 2, Decimal("1.5"), 4)
    assert "below the minimum of 2" in text and "Actual 4 man-days differ from the planned 1.5" in text
    assert "Ready for stage 2" in text  # the stage 1 conclusion


def test_the_review_page_flags_nothing_when_the_plan_holds(client):
    CertificationBodyFactory()
    cast = review_cast(on_site_days=Decimal(1), planned_man_days=Decimal(2))
    cast.audit.calculation = {"calculated": "2", "total": "2.5"}
    cast.audit.save()
    page = _review_page(cast, client)
    assert not page.context["audit_time"].has_flags
    assert 'data-testid="audit-time-ok"' in page.content.decode()
    assert cast.audit.status == AuditStatus.APPROVED
