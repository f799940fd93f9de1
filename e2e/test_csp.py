"""Every page of the demo, opened by every demo user with the Content-Security-Policy enforced,
raises no violation: no inline script or style, no event-handler attribute, nothing loaded from
elsewhere.

The crawl starts at each user's start page and follows every same-site link, opening one page per
view (a list page is opened once, not once per row); downloads (PDF, CSV, xlsx) are not pages."""

from collections import deque
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from auditbody.tests.seed_run import seed_quietly

USERS = ("admin", "auditor", "leader", "committee", "approver", "client")
PASSWORD = "demo12345"
# Not pages: files, and what a link would do rather than show.
SKIP_WORDS = ("download", "pdf", "csv", "xlsx", "export", "logout", "file", "evidence_get", "attachment")
MAX_PAGES_PER_USER = 150

COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " +
    (e.sourceFile || location.pathname) + ":" + e.lineNumber + " sample " + (e.sample || ""));
});
"""


def _page_key(path):
    """One key per view: admin model pages collapse to their kind (changelist, change, ...)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    name = match.view_name
    if any(word in name.lower() for word in SKIP_WORDS) or any(
        word in path.lower() for word in (".pdf", ".csv", ".xlsx")
    ):
        return None
    if name.startswith("admin:"):
        kind = name.rsplit("_", 1)[-1]
        return f"admin:{kind}" if kind in ("changelist", "change", "add", "history") else name
    return name


def _crawl(page, base, violations, console_errors):
    seen_keys = set()
    queue = deque(["/"])
    opened = 0
    while queue and opened < MAX_PAGES_PER_USER:
        path = queue.popleft()
        key = _page_key(urlsplit(path).path)
        if key is None or key in seen_keys:
            continue
        seen_keys.add(key)
        try:
            response = page.goto(base + path)
        except Exception:  # a download the names did not reveal
            continue
        opened += 1
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        assert "content-security-policy" in response.headers, path
        page.wait_for_load_state("networkidle")
        for violation in page.evaluate("window.__csp"):
            violations.append(f"{path}: {violation}")
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        for href in hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("/static/"):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return opened


@pytest.mark.django_db(transaction=True)
def test_every_demo_page_satisfies_the_content_security_policy(page, live_server):
    seed_quietly()
    violations: list[str] = []
    console_errors: list[str] = []
    page.add_init_script(COLLECT)
    page.on(
        "console",
        lambda msg: (
            console_errors.append(f"{page.url}: {msg.text}")
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text
            else None
        ),
    )
    opened_total = 0
    for username in USERS:
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        opened_total += _crawl(page, live_server.url, violations, console_errors)
    # The public register, without a login.
    page.context.clear_cookies()
    for path in ("/verify/", "/verify/suspended/", "/login/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        violations.extend(f"{path}: {v}" for v in page.evaluate("window.__csp"))
    assert opened_total > 40  # the crawl really walked the demo
    if violations or console_errors:
        pytest.fail("\n".join(sorted(set(violations)) + sorted(set(console_errors))))
