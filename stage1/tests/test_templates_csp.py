"""The stage 1 page templates keep to the Content-Security-Policy (script-src 'self',
style-src 'self'): no inline script, style element, style attribute or event handler; what
they need comes from stage1/static/stage1/."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from stage1.models import DocumentReview, ReviewStatus
from stage1.tests.factories import leader_and_audit, upload

TEMPLATES = sorted((Path(__file__).resolve().parent.parent / "templates").glob("**/*.html"))
REFUSED = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "inline style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event-handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "htmx inline handler": re.compile(r"\shx-on[:-]", re.I),
}


def test_the_templates_are_found():
    assert {path.name for path in TEMPLATES} >= {"audit.html", "review.html", "review_progress.html"}


@pytest.mark.parametrize("path", TEMPLATES, ids=[path.name for path in TEMPLATES])
def test_no_template_has_what_the_policy_refuses(path):
    text = path.read_text(encoding="utf-8")
    assert [what for what, pattern in REFUSED.items() if pattern.search(text)] == []


@pytest.mark.django_db
def test_a_running_review_shows_its_progress_from_a_data_attribute_and_the_script(client):
    leader, audit = leader_and_audit()
    version = upload(audit, leader)
    review = DocumentReview.objects.create(
        version=version, requested_by=leader, status=ReviewStatus.RUNNING, progress=40
    )
    client.force_login(leader)
    text = client.get(reverse("stage1:review", args=[review.pk])).content.decode()
    assert 'data-progress="40"' in text and "40%" in text
    assert "stage1/progress.js" in text
    assert finders.find("stage1/progress.js")
