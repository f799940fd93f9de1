"""The report editor and preview render in a fixed number of SQL queries, whatever the number
of topics, findings and nonconformities (each count below is the same at 60 topics / 100
findings and at 20 topics / 10 findings)."""

import pytest
from django.urls import reverse

from reports import services

from .factories import ReportSetup, add_findings, build_template, evidence_file

pytestmark = pytest.mark.django_db

# session + user (2), report (1), the audit's facts (12), template (7), topics with comments and
# conflicts (3), values (1), CB (1), findings with files and NCs (3), history (2), the CB's NC
# due-date rules for part 十二 (1, findings.selectors).
EDITOR_QUERIES = 32
# The same without findings and history.
PREVIEW_QUERIES = 27


def _setup(topics, findings):
    s = ReportSetup(template=build_template(topics=topics))
    for i, content in enumerate(s.report.topics.all()[:10]):
        services.topic_assign(content=content, assignee=s.auditor if i % 2 else s.leader, by=s.leader_user)
        services.topic_save(content=content, text=f"文字{i}", version=content.version, by=s.leader_user)
    made = add_findings(s, findings)
    for finding in made[:3]:
        evidence_file(finding)
    return s


@pytest.mark.parametrize("topics,findings", [(60, 100), (20, 10)])
def test_the_report_editor_renders_in_a_fixed_number_of_queries(client, django_assert_num_queries, topics, findings):
    s = _setup(topics, findings)
    assert s.report.topics.count() == topics and s.audit.findings.count() == findings
    client.force_login(s.auditor_user)
    with django_assert_num_queries(EDITOR_QUERIES):
        response = client.get(reverse("reports:editor", args=[s.report.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="finding-row"') == findings


@pytest.mark.parametrize("topics,findings", [(60, 100), (20, 10)])
def test_the_report_preview_renders_in_a_fixed_number_of_queries(client, django_assert_num_queries, topics, findings):
    s = _setup(topics, findings)
    client.force_login(s.leader_user)
    with django_assert_num_queries(PREVIEW_QUERIES):
        response = client.get(reverse("reports:preview", args=[s.report.pk]))
    assert response.status_code == 200
