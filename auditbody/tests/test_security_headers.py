"""Content-Security-Policy and Permissions-Policy on every response, and templates the policy
can be enforced on. The browser test e2e/test_csp.py opens the pages."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core.access import Role

# Database-agnostic (the permission layer and the templates): run by `make test` (SQLite) only.
pytestmark = pytest.mark.request_matrix

REQUIRED_CSP = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
)


def _assert_headers(response):
    policy = response.headers.get("Content-Security-Policy", "")
    for directive in REQUIRED_CSP:
        assert directive in policy, (directive, policy)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    permissions = response.headers.get("Permissions-Policy", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions


@pytest.mark.django_db
@pytest.mark.parametrize(
    "how",
    ["login page", "home", "redirect to login", "refused", "not found", "json", "public register", "post"],
)
def test_every_kind_of_response_carries_both_policies(client, make_user, how):
    if how in ("home", "refused", "json", "post"):
        client.force_login(make_user(role=Role.CLIENT if how == "refused" else Role.CB_ADMIN))
    url = {
        "login page": reverse("login"),
        "home": reverse("accounts:home"),
        "redirect to login": reverse("accounts:home"),
        "refused": reverse("standards:standard_list"),
        "not found": "/no-such-page/",
        "json": reverse("standards:clause_picker") + "?format=json&q=4",
        "public register": reverse("verify:lookup"),
        "post": reverse("set_language"),
    }[how]
    response = client.post(url, {"language": "en"}) if how == "post" else client.get(url)
    expected = {"redirect to login": 302, "refused": 403, "not found": 404, "post": 302}.get(how, 200)
    assert response.status_code == expected
    _assert_headers(response)


# What the policy refuses, as it can appear in a template.
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "inline style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event-handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "htmx inline handler": re.compile(r"\shx-on[:-]", re.I),
}


def _page_templates():
    root = Path(settings.BASE_DIR)
    for path in root.glob("**/templates/**/*.html"):
        parts = path.relative_to(root).parts
        if parts[0] in (".venv", "node_modules") or "pdf" in parts:
            continue  # PDF templates are rendered by WeasyPrint, never served as pages
        yield path


PAGE_TEMPLATES = sorted(_page_templates())


def test_the_page_templates_are_found():
    assert len(PAGE_TEMPLATES) > 50


@pytest.mark.parametrize("path", PAGE_TEMPLATES, ids=[str(p.relative_to(settings.BASE_DIR)) for p in PAGE_TEMPLATES])
def test_no_page_template_has_what_the_policy_refuses(path):
    text = path.read_text(encoding="utf-8")
    # json_script data blocks are not executed: the policy allows them.
    text = re.sub(r'<script[^>]*type="application/json"', "", text)
    found = [what for what, pattern in INLINE.items() if pattern.search(text)]
    assert found == []
