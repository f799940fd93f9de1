"""The people app's actions, each in a realistic case, for the all-or-nothing test
(``auditbody/tests/test_services_atomic.py``, machinery in ``core/tests/atomicity.py``)."""

import datetime

from accounts.tests.factories import UserFactory
from clients.tests.factories import ClientFactory, technical_area
from core.access import Role
from core.tests.atomicity import scenarios
from people import services
from people.models import AuditorProfile

from .factories import AuditorProfileFactory

READS = {
    "auditor_profile_check_user": "a rule check that raises; writes nothing",
}
NOT_ATOMIC: dict[str, str] = {}
ATOMIC_BLOCK: dict[str, str] = {}
HELPER_MODULES: dict[str, str] = {}


def scenario_auditor_profile_save():
    profile, by = AuditorProfileFactory(), UserFactory(role=Role.CB_ADMIN)
    areas = [technical_area("33.02.01"), technical_area("19.01")]

    def call():
        edited = AuditorProfile.objects.get(pk=profile.pk)
        edited.gender = "male"
        return services.auditor_profile_save(profile=edited, technical_areas=areas, by=by)

    return call


def scenario_auditor_user_create():
    by = UserFactory(role=Role.CB_ADMIN)
    return lambda: services.auditor_user_create(
        username="zhuxiaoli", full_name="朱晓丽", email="zhu@cb.example", role=Role.TEAM_LEADER, by=by
    )


def scenario_conflict_declare():
    profile, client, by = AuditorProfileFactory(), ClientFactory(), UserFactory(role=Role.CB_ADMIN)
    return lambda: services.conflict_declare(
        profile=profile,
        client=client,
        description="2018年为该客户提供体系咨询",
        declared_on=datetime.date(2019, 3, 1),
        consulting_ended_on=datetime.date(2018, 12, 31),
        by=by,
    )


SCENARIOS = scenarios(globals())
