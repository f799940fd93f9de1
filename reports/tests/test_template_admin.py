"""CB administrators edit the report template in the admin, without code."""

import pytest
from django.urls import reverse

from core.access import Role
from reports.admin import TemplateTopicForm
from reports.models import TemplateField, TemplatePart, TemplateTopic
from standards.models import Clause


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(role=Role.CB_ADMIN, is_superuser=True))
    return client


def test_admin_pages_of_the_template_open(admin_client, report_template):
    topic = TemplateTopic.objects.get(key="legal_requirements")
    part = report_template.parts.get(number=6)
    field = TemplateField.objects.get(part__number=10, key="recommendation")
    for url in [
        reverse("admin:reports_reporttemplate_changelist"),
        reverse("admin:reports_reporttemplate_change", args=[report_template.pk]),
        reverse("admin:reports_templatepart_change", args=[part.pk]),
        reverse("admin:reports_templatetopic_changelist"),
        reverse("admin:reports_templatetopic_change", args=[topic.pk]),
        reverse("admin:reports_templatefield_change", args=[field.pk]),
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
    page = admin_client.get(reverse("admin:reports_templatepart_change", args=[part.pk])).content.decode()
    assert "组织及其环境的识别情况" in page and "(一)策划的充分与合理性" in page


def test_auditors_cannot_open_the_template_admin(client, make_user, report_template):
    client.force_login(make_user(role=Role.AUDITOR))
    response = client.get(reverse("admin:reports_reporttemplate_change", args=[report_template.pk]))
    assert response.status_code == 302  # to the admin login


def _topic_form_data(topic, **overrides):
    data = {
        "part": topic.part_id,
        "group": topic.group_id or "",
        "key": topic.key,
        "number": topic.number,
        "title_zh": topic.title_zh,
        "title_en": topic.title_en,
        "title_continuing_zh": "",
        "title_continuing_en": "",
        "hint_zh": topic.hint_zh,
        "hint_en": topic.hint_en,
        "families": topic.families,
        "family_labels": "{}",
        "audit_types": "[]",
        "order": topic.order,
        "clauses": [c.pk for c in topic.clauses.all()],
    }
    data.update(overrides)
    return data


def test_topic_form_changes_title_families_and_clauses(report_template):
    topic = TemplateTopic.objects.get(key="customer_satisfaction")
    clause = Clause.objects.get(standard__code="ISO 14001", number="9.1.1")
    form = TemplateTopicForm(
        _topic_form_data(
            topic,
            title_en="Customer and interested-party satisfaction",
            families=["QMS", "EMS"],
            clauses=[*topic.clauses.values_list("pk", flat=True), clause.pk],
        ),
        instance=topic,
    )
    assert form.is_valid(), form.errors
    form.save()
    topic.refresh_from_db()
    assert topic.families == ["QMS", "EMS"]
    assert topic.title_en == "Customer and interested-party satisfaction"
    assert set(topic.clauses.values_list("standard__code", "number")) == {("ISO 9001", "9.1.2"), ("ISO 14001", "9.1.1")}


def test_topic_form_refuses_a_clause_of_a_family_the_topic_does_not_apply_to(report_template):
    topic = TemplateTopic.objects.get(key="customer_satisfaction")  # QMS only
    clause = Clause.objects.get(standard__code="ISO 45001", number="9.1.1")
    form = TemplateTopicForm(_topic_form_data(topic, clauses=[clause.pk]), instance=topic)
    assert not form.is_valid()
    assert "clauses" in form.errors


def test_topic_form_requires_at_least_one_family(report_template):
    topic = TemplateTopic.objects.get(key="innovation")
    form = TemplateTopicForm(_topic_form_data(topic, families=[]), instance=topic)
    assert not form.is_valid() and "families" in form.errors


def test_part_order_is_edited_in_the_template_inline(admin_client, report_template):
    """Reordering is a number in the inline; the report follows ``order``."""
    part = report_template.parts.get(number=11)
    part.order = 99
    part.save()
    assert list(report_template.parts.values_list("number", flat=True))[-1] == 11
    assert isinstance(part, TemplatePart)
