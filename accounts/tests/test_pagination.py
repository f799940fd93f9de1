"""The list pages share one pagination block that keeps the filters on every page link."""

from urllib.parse import parse_qs

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def _links(html):
    return [part.split('"', 1)[0] for part in html.split('href="?')[1:]]


def test_page_links_keep_every_filter_including_repeated_ones_and_replace_the_page():
    request = RequestFactory().get("/x/", {"status": "01", "standard": ["1", "2"], "page": "2"})
    page = Paginator(list(range(95)), 30).get_page(2)
    html = render_to_string("includes/pagination.html", {"page": page, "request": request})
    previous, following = (parse_qs(link.replace("&amp;", "&")) for link in _links(html))
    assert previous == {"status": ["01"], "standard": ["1", "2"], "page": ["1"]}
    assert following == {"status": ["01"], "standard": ["1", "2"], "page": ["3"]}
    assert "2 / 4" in html


@pytest.mark.parametrize("count", [0, 30])
def test_no_pagination_when_everything_fits_one_page(count):
    request = RequestFactory().get("/x/")
    page = Paginator(list(range(count)), 30).get_page(1)
    assert "pagination" not in render_to_string("includes/pagination.html", {"page": page, "request": request})
