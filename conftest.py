"""Fixtures shared by every app's tests."""

import pytest

from accounts.tests.factories import UserFactory
from core.access import Role


@pytest.fixture
def make_user(db):
    def make(role=Role.AUDITOR, **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def user_of_role(make_user):
    """A logged-in-able user for each role name (as used by parametrized permission tests)."""
    cache = {}

    def get(role):
        if role not in cache:
            cache[role] = make_user(role=role)
        return cache[role]

    return get


@pytest.fixture
def celery_worker_if_broker(settings):
    """A real Celery worker (in a thread, on the configured broker) when CELERY_BROKER_URL is set.

    Without a broker tasks run eagerly and no worker is needed.
    """
    if not settings.CELERY_BROKER_URL:
        yield None
        return
    from celery.contrib.testing.worker import start_worker

    from auditbody.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as worker:
        yield worker


@pytest.fixture(scope="session", autouse=True)
def _test_only_tables(django_db_setup, django_db_blocker):
    """Tables of the models tests declare (core/tests/lifecycle_models.py). Collecting the tests
    imports them into the app registry of every test process, so every process's database needs
    their tables: deleting a user asks every table that points at it."""
    from django.apps import apps
    from django.db import connection

    models = [model for model in apps.get_models() if ".tests." in model.__module__]
    if not models:
        return
    with django_db_blocker.unblock():
        existing = set(connection.introspection.table_names())
        with connection.schema_editor() as editor:
            for model in models:
                if model._meta.db_table not in existing:
                    editor.create_model(model)


@pytest.fixture
def eager_tasks(monkeypatch):
    """Tasks run inside the test (its process and transaction), also when a broker is configured:
    for tests of what a job does, not of how it travels (that is celery_worker_if_broker's)."""
    from auditbody.celery import app

    monkeypatch.setattr(app.conf, "task_always_eager", True)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rate-limit counters (public register, complaints)
    would otherwise carry over between tests run in one process."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
