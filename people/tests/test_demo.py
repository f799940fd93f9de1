import io

import pytest

from accounts import demo as accounts_demo
from accounts.models import User
from clients import demo as clients_demo
from people import demo as people_demo
from people.selectors import auditor_covers_codes, auditor_qualified_for

pytestmark = pytest.mark.django_db


def test_demo_leader_is_the_seed_reports_team_leader():
    clients_demo.seed(io.StringIO())
    accounts_demo.seed(io.StringIO())
    people_demo.seed(io.StringIO())
    profile = User.objects.get(username="leader").auditor_profile
    assert (profile.user.full_name, profile.registration_number, profile.gender) == (
        "朱晓丽",
        "2018-N1QMS-2205805",
        "female",
    )
    assert sorted(a.code for a in profile.technical_areas.all()) == ["19", "33.02.01"]  # 19: the integrated client
    assert auditor_qualified_for(profile=profile, family="QMS", level="lead_auditor")
    auditor = User.objects.get(username="auditor").auditor_profile
    assert auditor_qualified_for(profile=auditor, family="QMS", level="auditor")
    assert not auditor_qualified_for(profile=auditor, family="QMS", level="lead_auditor")
    assert auditor_covers_codes(profiles=[auditor], codes=["33.02.01"]) == set()
