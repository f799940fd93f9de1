"""Pointing Celery at another broker for a test (fault tests: the broker down, then back).

Celery reads the environment's CELERY_BROKER_URL before its configuration, so ``broker(url)``
sets both, sends for real (not eagerly) meanwhile, and forgets the connection pools on the way
in and out (kombu keeps one per broker URL, shared: they are never closed here)."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

from celery import current_app

CLOSED_PORT_BROKER = "redis://127.0.0.1:6390/0"  # nothing listens there


def _forget_pools() -> None:
    app = current_app._get_current_object()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker(url: str) -> Iterator[None]:
    conf = current_app.conf
    saved = conf.broker_url, conf.task_always_eager, os.environ.get("CELERY_BROKER_URL")
    _forget_pools()
    os.environ["CELERY_BROKER_URL"] = url
    conf.broker_url, conf.task_always_eager = url, False
    try:
        yield
    finally:
        _forget_pools()
        conf.broker_url, conf.task_always_eager = saved[0], saved[1]
        if saved[2] is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved[2]
