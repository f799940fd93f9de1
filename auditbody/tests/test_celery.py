import pytest
from django.conf import settings

from auditbody.tasks import ping


@pytest.mark.celery_worker
def test_a_task_reaches_a_worker_and_returns(celery_worker_if_broker):
    """Eager in the default set-up; through the real broker and a worker when one is configured."""
    assert ping.delay().get(timeout=30) == "pong"


def test_eager_mode_is_only_used_without_a_broker():
    assert settings.CELERY_TASK_ALWAYS_EAGER is (not settings.CELERY_BROKER_URL)
