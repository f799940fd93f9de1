"""Days on the committee's home page and in the report are the CB's local days: a review opened
at 01:30 in Shanghai (17:30 UTC the day before) was opened on the Shanghai day."""

import datetime

import pytest
from django.urls import reverse

from certification.models import Decision, TechnicalReview
from certification.nav import next_actions
from certification.tests.factories import DecisionFactory, TechnicalReviewFactory, committee_user
from reports.document import format_value

pytestmark = pytest.mark.django_db

LATE_UTC = datetime.datetime(2026, 12, 2, 17, 30, tzinfo=datetime.UTC)  # 2026-12-03 01:30 in Shanghai


def test_home_page_to_do_shows_the_local_day_a_review_was_opened(client):
    reviewer = committee_user()
    review = TechnicalReviewFactory(reviewers=[reviewer])
    TechnicalReview.objects.filter(pk=review.pk).update(created_at=LATE_UTC)
    client.force_login(reviewer)
    home = client.get(reverse("accounts:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # The start page's review list (dashboard) gives the local day it was opened.
    assert "opened 2026-12-03" in home
    assert "2026-12-02" not in home


def test_home_page_to_do_shows_the_local_day_a_decision_was_opened():
    decision = DecisionFactory()
    Decision.objects.filter(pk=decision.pk).update(created_at=LATE_UTC)
    actions = [a for a in next_actions(committee_user()) if a.meta.get("decision") == decision.pk]
    assert [str(a.detail) for a in actions] == ["Opened 2026-12-03."]


def test_a_moment_in_the_report_prints_as_its_local_day():
    assert format_value(LATE_UTC, "zh-hans") == "2026年12月3日"
    assert format_value(LATE_UTC, "en") == "2026-12-03"
