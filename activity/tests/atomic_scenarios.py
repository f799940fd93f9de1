"""The activity app's actions, each in a realistic case, for the all-or-nothing test
(``auditbody/tests/test_services_atomic.py``)."""

from accounts.tests.factories import UserFactory
from activity import services
from activity.models import ActivityKind
from core.tests.atomicity import scenarios, single_write

READS: dict[str, str] = {}
NOT_ATOMIC: dict[str, str] = {}
ATOMIC_BLOCK: dict[str, str] = {}
HELPER_MODULES: dict[str, str] = {}


@single_write("one activity row, nothing else")
def scenario_activity_record():
    user = UserFactory()
    return lambda: services.activity_record(kind=ActivityKind.LOGIN, by=user, address="192.0.2.1")


SCENARIOS = scenarios(globals())
