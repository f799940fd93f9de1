"""Where a page's time goes outside the database: a breakdown per list page and start page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_mid .venv/bin/python bench/request_overhead.py [--runs 20]

On a ``make_data`` database (``bench/bench_users.py`` adds its users once), each page is requested
in-process (Django's test client without the test environment's template instrumentation, DEBUG
off) ``--runs`` times after a warm-up, with timers around the parts a profile pointed at, and the
medians are printed in milliseconds:

* ``total``: the whole request through the middleware;
* ``sql``: time inside the database driver (all queries, their round trips included);
* ``view``: the view function (its queries and the template included);
* ``mw``: ``total - view``: middleware, session and user loading, the response;
* ``render``: ``django.shortcuts.render`` (the whole template, the queries it triggers included);
* ``rows``: the list's rows (``includes/list_table.html``'s row template, once per row);
* ``forms``: crispy-rendered fields (the filter form);
* ``ctx``: the context processors (navigation menu, …), timed on their own;
* ``other``: ``view - render``: the view's Python before rendering (filters, selectors).

A figure states the machine and its load: the load average is printed.
"""

import argparse
import functools
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import in_process  # noqa: F401  (Django set up as the benchmarks run it)
from bench_users import users
from django.conf import settings
from django.db import connection
from django.template import loader_tags
from django.test import Client as HttpClient
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils.module_loading import import_string

# (whose, name, URL name, query string)
PAGES = [
    ("admin", "audit list", "audits:list", ""),
    ("admin", "programme list", "audits:programme_list", ""),
    ("admin", "NC register", "findings:nc_register", ""),
    ("admin", "NC register, overdue", "findings:nc_register", "?overdue=true"),
    ("admin", "certificate list", "certification:certificate_list", ""),
    ("admin", "client list", "clients:list", ""),
    ("admin", "report list", "reports:list", ""),
    ("team leader", "NC register, leader", "findings:nc_register", ""),
    ("admin", "start page, admin", "accounts:home", ""),
    ("auditor", "start page, auditor", "accounts:home", ""),
    ("client", "start page, client", "accounts:home", ""),
]

ROW_TEMPLATE_SUFFIX = "_row.html"


class Timers:
    """Accumulated seconds per part for the request under way."""

    def __init__(self):
        self.parts = defaultdict(float)

    def add(self, part, seconds):
        self.parts[part] += seconds

    def wrap(self, part, func):
        @functools.wraps(func)  # keeps what the view declares (its access rule) for the middleware
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.add(part, time.perf_counter() - start)

        return timed


def instrument(timers):
    """Timers around the database driver, ``render``, each row template and crispy fields."""
    import crispy_forms.templatetags.crispy_forms_filters as crispy_filters
    import django.shortcuts

    connection.execute_wrappers.append(
        lambda execute, sql, params, many, context: timers.wrap("sql", execute)(sql, params, many, context)
    )
    django.shortcuts.render = timers.wrap("render", django.shortcuts.render)
    crispy_filters.as_crispy_field = timers.wrap("forms", crispy_filters.as_crispy_field)
    # The filter is looked up in the tag library, registered at import: replace it there too.
    crispy_filters.register.filters["as_crispy_field"] = crispy_filters.as_crispy_field

    include_render = loader_tags.IncludeNode.render

    def include_timed(node, context):
        name = str(node.template.resolve(context))
        if not name.endswith(ROW_TEMPLATE_SUFFIX):
            return include_render(node, context)
        start = time.perf_counter()
        try:
            return include_render(node, context)
        finally:
            timers.add("rows", time.perf_counter() - start)

    loader_tags.IncludeNode.render = include_timed


def context_processor_time(user, path, runs):
    """Median seconds of all the configured context processors for one request."""
    names = settings.TEMPLATES[0]["OPTIONS"].get("context_processors", [])
    processors = [import_string(name) for name in names]
    request = RequestFactory().get(path)
    request.user = user
    request.session = {}
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        for processor in processors:
            processor(request)
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


def measure(user, path, runs, timers):
    browser = HttpClient()
    browser.force_login(user)
    view = resolve(path.split("?")[0]).func
    timed_view = timers.wrap("view", view)
    assert _get_timed(browser, path, view, timed_view).status_code == 200  # warm-up
    samples = []
    for _ in range(runs):
        timers.parts.clear()
        start = time.perf_counter()
        response = _get_timed(browser, path, view, timed_view)
        total = time.perf_counter() - start
        assert response.status_code == 200, (path, response.status_code)
        samples.append({"total": total, **timers.parts})
    return samples


def _get_timed(browser, path, view, timed_view):
    """GET ``path`` with its view function replaced by ``timed_view`` for this request only."""
    from django.urls import get_resolver

    resolver = get_resolver()
    original = resolver.resolve

    def resolve_timed(request_path):
        match = original(request_path)
        if match.func is view:
            match.func = timed_view
        return match

    resolver.resolve = resolve_timed
    try:
        return browser.get(path)
    finally:
        resolver.resolve = original


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)
    people = {name: user for name, user, _path in users()}
    timers = Timers()
    instrument(timers)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    columns = ["total", "sql", "view", "mw", "render", "rows", "forms", "ctx", "other"]
    print(f"{'page':<24}" + "".join(f"{c:>8}" for c in columns))
    for who, name, url_name, query in PAGES:
        path = reverse(url_name) + query
        samples = measure(people[who], path, args.runs, timers)

        def median(key, rows=samples):
            return statistics.median(row.get(key, 0.0) for row in rows) * 1000

        figures = {key: median(key) for key in ("total", "sql", "view", "render", "rows", "forms")}
        figures["mw"] = statistics.median(row["total"] - row.get("view", 0.0) for row in samples) * 1000
        figures["other"] = statistics.median(row.get("view", 0.0) - row.get("render", 0.0) for row in samples) * 1000
        figures["ctx"] = context_processor_time(people[who], path, args.runs) * 1000
        print(f"{name:<24}" + "".join(f"{figures[c]:8.1f}" for c in columns))
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
