"""Every action of the service API runs in one transaction (its row locks need one, and a
refused step must leave nothing half-written). SQLite ignores select_for_update outside a
transaction, so only PostgreSQL would show a missing decorator at run time: check it here."""

import pytest

from certification import services

ACTIONS = [
    "review_open",
    "reviewer_assign",
    "review_answer",
    "review_issue_raise",
    "review_issue_respond",
    "review_issue_resolve",
    "review_conclude",
    "decision_open",
    "decision_evaluate",
    "decision_remarks_save",
    "decision_approve",
    "certificate_status_change",
    "certification_daily",
    "flag_resolve",
]


@pytest.mark.parametrize("name", ACTIONS)
def test_each_action_is_atomic(name):
    # transaction.atomic used as a decorator wraps the function (functools.wraps sets __wrapped__).
    assert hasattr(getattr(services, name), "__wrapped__"), f"{name} is not decorated with @transaction.atomic"
