"""Stage 1's panel on the audit page (``audits.registry.register_audit_panel``): a stage 2's page
shows the programme's stage 1 and its open areas of concern; an answered one is gone from it."""

import datetime

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from audits.models import AuditType
from audits.registry import _audit_panels
from audits.tests.factories import AuditFactory, ProgrammeFactory, concluded_stage_1
from core.access import Role
from stage1 import services
from stage1.panels import audit_panel

pytestmark = pytest.mark.django_db


def test_stage_1_registered_its_panel():
    assert audit_panel in _audit_panels


def test_the_stage_2_page_shows_the_open_concerns_of_stage_1(client):
    programme = ProgrammeFactory()
    stage_1 = concluded_stage_1(programme)
    stage_2 = AuditFactory(
        programme=programme,
        client=programme.client,
        audit_type=AuditType.STAGE_2,
        start_date=stage_1.end_date + datetime.timedelta(days=30),
        end_date=stage_1.end_date + datetime.timedelta(days=31),
    )
    admin = UserFactory(role=Role.CB_ADMIN)
    open_one = services.stage1_concern_add(audit=stage_1, by=admin, text="职能分配表未分配 7.1.5")
    answered = services.stage1_concern_add(audit=stage_1, by=admin, text="手册仍引用 GB/T 28001")
    client_user = UserFactory(role=Role.CLIENT, client=programme.client)
    services.stage1_concern_answer(concern=answered, by=client_user, answer="已修订")
    client.force_login(admin)
    page = client.get(reverse("audits:detail", args=[stage_2.pk])).content.decode()
    assert 'data-testid="stage-1-concerns"' in page
    assert open_one.text in page and answered.text not in page
    assert reverse("stage1:audit", args=[stage_1.pk]) in page


def test_an_audit_without_stage_1_has_no_panel(client):
    audit = AuditFactory(audit_type=AuditType.SURVEILLANCE_1, purpose="surveillance")
    client.force_login(UserFactory(role=Role.CB_ADMIN))
    page = client.get(reverse("audits:detail", args=[audit.pk])).content.decode()
    assert 'data-testid="stage-1-concerns"' not in page
