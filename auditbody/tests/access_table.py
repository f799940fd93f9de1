"""Who may open which page: one row per URL name, read by the permission tests.

Project-wide pages are listed here; each app lists its own in ``<app>/tests/access_rows.py``
(``PAGES = [Page(...), ...]``, ``Page`` from ``core.testing``) and they are all collected into
``PAGES`` below. Adding a page means adding a row; test_access.py fails for any URL pattern without
one.
"""

from core.testing import ALL_ROLES, PUBLIC, Page

PROJECT_PAGES = [
    Page("login", PUBLIC),
    Page("logout", PUBLIC, method="post", ok_status=302),
    Page("password_change", ALL_ROLES),
    Page("password_change_done", ALL_ROLES),
    Page("set_language", PUBLIC, method="post", ok_status=302),
    # An unknown user and token: the page says the link is not valid.
    Page("password_set", PUBLIC, kwargs=lambda user: {"uidb64": "MA", "token": "set-password"}),
    Page("password_set_done", PUBLIC),
]


def _app_pages():
    from importlib import import_module

    from django.apps import apps

    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.tests.access_rows")
        except ModuleNotFoundError as exc:
            if not exc.name.startswith(config.name):
                raise
            continue
        yield from module.PAGES


PAGES = PROJECT_PAGES + list(_app_pages())
