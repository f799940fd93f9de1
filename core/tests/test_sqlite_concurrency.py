"""Two simultaneous submits on the default SQLite set-up: both are saved, and a lock that outlasts
the busy timeout is a "try again" page, never a 500 (settings DATABASES OPTIONS,
core.middleware.DatabaseBusyMiddleware)."""

import threading

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from core.middleware import DatabaseBusyMiddleware

ALIAS = "concurrency_probe"
# The options under test are those the project gives SQLite; on PostgreSQL (CI's second step) there
# are none to test, as the PostgreSQL-only row-lock test has nothing to test on SQLite.
sqlite_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the project's SQLite options: the suite runs on PostgreSQL",
)


@pytest.fixture
def probe_database(tmp_path, django_db_blocker):
    """A file database (the in-memory test database cannot show file locking) opened with the
    project's SQLite options."""

    def open_with(options):
        connections.settings[ALIAS] = {
            **connections.settings["default"],
            "NAME": str(tmp_path / "probe.sqlite3"),
            "OPTIONS": options,
            "TEST": {},
        }
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS submit (who TEXT)")
        connections[ALIAS].close()

    with django_db_blocker.unblock():
        yield open_with
        connections[ALIAS].close()
    del connections.settings[ALIAS]


def _two_submits():
    """Two threads that each read, then write, in one transaction, each waiting (at most a second)
    for the other to have read: the read-then-write pattern of a form submit."""
    have_read = {"a": threading.Event(), "b": threading.Event()}
    errors = []

    def submit(me, other):
        try:
            with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM submit")
                have_read[me].set()
                have_read[other].wait(timeout=1)
                cursor.execute("INSERT INTO submit VALUES (%s)", [me])
        except OperationalError as exc:
            errors.append(str(exc))
        finally:
            connections[ALIAS].close()

    threads = [threading.Thread(target=submit, args=pair) for pair in (("a", "b"), ("b", "a"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT who FROM submit ORDER BY who")
        saved = [row[0] for row in cursor.fetchall()]
    return saved, errors


@sqlite_only
def test_two_simultaneous_submits_are_both_saved_with_the_project_options(probe_database):
    probe_database(dict(settings.DATABASES["default"]["OPTIONS"]))
    saved, errors = _two_submits()
    assert errors == []
    assert saved == ["a", "b"]


@sqlite_only
def test_the_project_configures_sqlite_for_concurrent_use():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


@pytest.mark.django_db
def test_a_lock_that_outlasts_the_timeout_is_a_try_again_page_not_a_500():
    request = RequestFactory().post("/anything/")
    middleware = DatabaseBusyMiddleware(lambda r: HttpResponse())
    response = middleware.process_exception(request, OperationalError("database is locked"))
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "submit again" in response.content.decode() or "重新提交" in response.content.decode()
    assert middleware.process_exception(request, OperationalError("no such table: x")) is None
