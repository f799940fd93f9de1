"""Deny by default, and one table of who may do what (access_table.PAGES)."""

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.access import Role, rule_of
from core.testing import PUBLIC

from .access_table import PAGES

# Database-agnostic (the permission layer and the templates): run by `make test` (SQLite) only.
pytestmark = pytest.mark.request_matrix

ANONYMOUS = "anonymous"


def walk(patterns, namespace=None):
    """Every (url name, view) the project resolves, admin excluded (it checks itself)."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns in settings.ACCESS_RULE_EXEMPT_NAMESPACES:
                continue
            yield from walk(
                entry.url_patterns, f"{namespace}:{entry.namespace}" if namespace and entry.namespace else ns
            )
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name or str(entry.pattern), entry.callback


ALL_VIEWS = list(walk(get_resolver().url_patterns))


def test_project_resolves_views_to_check():
    assert len(ALL_VIEWS) >= len(PAGES)


@pytest.mark.parametrize("name,view", ALL_VIEWS, ids=[name for name, _ in ALL_VIEWS])
def test_every_view_declares_an_access_rule(name, view):
    assert rule_of(view) is not None, f"view {name} declares no access rule: add @access(...)"


def test_every_page_has_a_row_in_the_access_table():
    named = {name for name, _ in ALL_VIEWS}
    assert named - {page.url_name for page in PAGES} == set(), "add these pages to access_table.PAGES"


def test_view_without_rule_is_refused(client, make_user, settings):
    """A view someone forgot to guard is closed, even to an administrator."""
    from django.http import HttpResponse
    from django.urls import path

    import auditbody.urls

    def unguarded(request):
        return HttpResponse("secret")

    class Urls:
        urlpatterns = auditbody.urls.urlpatterns + [path("unguarded/", unguarded, name="unguarded")]

    settings.ROOT_URLCONF = Urls
    client.force_login(make_user(role=Role.CB_ADMIN, is_superuser=True))
    response = client.get("/unguarded/")
    assert response.status_code == 403
    assert b"secret" not in response.content


CASES = [(page, role) for page in PAGES for role in [ANONYMOUS, *Role.values]]


@pytest.mark.django_db
@pytest.mark.parametrize("page,role", CASES, ids=[f"{p.url_name}-{r}" for p, r in CASES])
def test_role_reaches_its_pages_and_is_refused_elsewhere(client, user_of_role, page, role):
    user = None if role == ANONYMOUS else user_of_role(role)
    if user is not None:
        client.force_login(user)
    url = reverse(page.url_name, kwargs=page.kwargs(user) if page.kwargs else None)
    response = getattr(client, page.method)(url)

    allowed = page.allowed == PUBLIC or (role != ANONYMOUS and role in page.allowed)
    if allowed:
        assert response.status_code == page.ok_status, response.content[:500]
    elif role == ANONYMOUS:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == 403
