"""Report templates keep their history, and an approved or issued report prints the template as
it was when the report was approved; a draft follows the template as it is now."""

import pytest
from django.urls import reverse

from reports import selectors, services
from reports.models import TemplateTopic
from reports.tests.factories import ReportSetup, fill_report

pytestmark = pytest.mark.django_db


def _topic_titles(report):
    data = selectors.report_data(report)
    return {
        topic_doc.topic.key: topic_doc.topic.title_zh
        for doc in data.document
        for block in doc.blocks
        for topic_doc in block.topics
    }


def _approved():
    setup = ReportSetup()
    fill_report(setup)
    services.report_submit(report=setup.report, by=setup.leader_user)
    setup.report.refresh_from_db()
    services.report_approve(report=setup.report, by=setup.leader_user)
    setup.report.refresh_from_db()
    return setup


def _rename(key, title):
    topic = TemplateTopic.objects.get(key=key, part__template__is_default=True)
    old = topic.title_zh
    topic.title_zh = title
    topic.save()
    return old


def test_editing_a_topic_title_records_old_and_new():
    topic = TemplateTopic.objects.filter(part__template__is_default=True).first()
    old = topic.title_zh
    topic.title_zh = "新的标题"
    topic.save()
    latest, previous = topic.history.all()[:2]
    changes = {c.field: (c.old, c.new) for c in latest.diff_against(previous).changes}
    assert changes["title_zh"] == (old, "新的标题")


def test_an_approved_report_prints_the_topic_titles_it_was_approved_with():
    setup = _approved()
    old = _rename("context_of_organization", "改过的标题")
    assert _topic_titles(setup.report)["context_of_organization"] == old


def test_the_preview_of_an_approved_report_shows_the_old_title(client):
    setup = _approved()
    old = _rename("context_of_organization", "改过的标题")
    client.force_login(setup.leader_user)
    page = client.get(reverse("reports:preview", args=[setup.report.pk])).content.decode()
    assert old in page and "改过的标题" not in page


def test_a_draft_report_follows_the_template_as_it_is_now():
    setup = ReportSetup()
    _rename("context_of_organization", "改过的标题")
    assert _topic_titles(setup.report)["context_of_organization"] == "改过的标题"
