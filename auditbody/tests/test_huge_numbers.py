"""Numbers too large for the database never reach it (core/bounds.py): every URL id and every
query-string parameter of every page, fed a number with 25 digits, answers without a 500.

Pages and the objects they are opened on come from the access table, as one role that may open
each; the query-string parameters are the ones the page's own forms name, plus the usual ids."""

import re

import pytest
from django.urls import reverse

from core.access import Role
from core.testing import PUBLIC

from .access_table import PAGES

HUGE = 10**25
COMMON_PARAMETERS = ("standard", "client", "audit", "page", "pk", "id", "version", "q")
NAME = re.compile(r'name="([A-Za-z_][\w-]*)"')


def _role(page):
    if page.allowed == PUBLIC:
        return None
    return Role.CB_ADMIN if Role.CB_ADMIN in page.allowed else sorted(page.allowed)[0]


WITH_IDS = [page for page in PAGES if page.kwargs]
GET_PAGES = [page for page in PAGES if page.method == "get"]


@pytest.mark.django_db
@pytest.mark.parametrize("page", WITH_IDS, ids=[p.url_name for p in WITH_IDS])
def test_a_huge_id_in_the_url_is_not_found(client, user_of_role, page):
    role = _role(page)
    user = user_of_role(role) if role else None
    if user:
        client.force_login(user)
    kwargs = page.kwargs(user)
    huge = {key: HUGE if isinstance(value, int) else value for key, value in kwargs.items()}
    response = getattr(client, page.method)(reverse(page.url_name, kwargs=huge))
    # A page whose arguments are all text (a token) must still not fail.
    assert response.status_code == 404 if huge != kwargs else response.status_code < 500


@pytest.mark.django_db
@pytest.mark.parametrize("page", GET_PAGES, ids=[p.url_name for p in GET_PAGES])
def test_huge_numbers_in_every_query_parameter_never_give_a_500(client, user_of_role, page):
    role = _role(page)
    user = user_of_role(role) if role else None
    if user:
        client.force_login(user)
    url = reverse(page.url_name, kwargs=page.kwargs(user) if page.kwargs else None)
    first = client.get(url)
    names = set(COMMON_PARAMETERS)
    if first.get("Content-Type", "").startswith("text/html"):
        names |= set(NAME.findall(first.content.decode(errors="replace"))) - {"csrfmiddlewaretoken"}
    response = client.get(url, {name: str(HUGE) for name in sorted(names)})
    assert response.status_code < 500
    several = client.get(url, {"standard": [str(HUGE), "1", f"{HUGE},2"]})
    assert several.status_code < 500
