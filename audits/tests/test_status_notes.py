"""The audit's status log shows the system's notes in the reader's language, whoever wrote them
in which language."""

import pytest
from django.urls import reverse
from django.utils import translation

from audits.models import AuditTransition

from .atomic_scenarios import scenario_audit_plan

pytestmark = pytest.mark.django_db


def test_a_note_written_in_chinese_reads_in_english_on_the_english_page(client):
    with translation.override("zh-hans"):  # the administrator plans in Chinese
        audit = scenario_audit_plan()()
    row = AuditTransition.objects.get(audit=audit)
    assert row.note == "Audit planned."
    client.force_login(row.by)
    english = client.get(reverse("audits:detail", args=[audit.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Audit planned." in english and "已策划审核。" not in english
    chinese = client.get(reverse("audits:detail", args=[audit.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "已策划审核。" in chinese
