"""Demo auditor profiles, for the staff users accounts/demo.py creates.

leader = 朱晓丽, the seed report's team leader: registration, gender and code as the report's
team table prints them (2018-N1QMS-2205805, 女, 33.02.01); QMS lead auditor since she leads a
QMS audit (valid from the registration year, inferred). The `auditor` user is invented for the
demo: a QMS auditor competent in 33.02 (which covers the seed client's 33.02.01).

For the integrated demo client (ISO 9001 + 14001 + 45001, IAF sector 19) both also hold EMS and
OHSMS qualifications, each under its own registration as CCAA registers them per system, and
competence in sector 19 — invented for the demo, like the client.
"""

import datetime

from accounts.models import User
from clients.demo import sync, sync_m2m
from standards.models import TechnicalArea

from .models import AuditorProfile, Qualification

DEMO_PROFILES = [
    {
        "username": "leader",
        "registration_number": "2018-N1QMS-2205805",
        "gender": "female",
        "codes": ["33.02.01", "19"],
        "qualifications": [
            ("QMS", "lead_auditor", "2018-N1QMS-2205805", datetime.date(2018, 1, 1)),
            ("EMS", "lead_auditor", "2019-N1EMS-2205806", datetime.date(2019, 1, 1)),
            ("OHSMS", "lead_auditor", "2020-N1OHSMS-2205807", datetime.date(2020, 1, 1)),
        ],
    },
    {
        "username": "auditor",
        "registration_number": "2019-N1QMS-1203456",
        "gender": "male",
        "codes": ["33.02", "19"],
        "qualifications": [
            ("QMS", "auditor", "2019-N1QMS-1203456", datetime.date(2019, 1, 1)),
            ("EMS", "auditor", "2021-N1EMS-1203457", datetime.date(2021, 1, 1)),
            ("OHSMS", "auditor", "2021-N1OHSMS-1203458", datetime.date(2021, 1, 1)),
        ],
    },
]


def seed(stdout):
    for spec in DEMO_PROFILES:
        user = User.objects.get(username=spec["username"])
        profile, state = sync(
            AuditorProfile,
            {"user": user},
            {"registration_number": spec["registration_number"], "gender": spec["gender"], "active": True},
        )
        areas = list(TechnicalArea.objects.filter(code__in=spec["codes"]))
        if len(areas) != len(spec["codes"]):
            stdout.write(
                f"  WARNING: technical-area codes {spec['codes']} are not all loaded; {user} gets {[a.code for a in areas]}."
            )
        sync_m2m(profile.technical_areas, areas)
        for family, level, number, valid_from in spec["qualifications"]:
            sync(
                Qualification,
                {"profile": profile, "family": family},
                {"level": level, "registration_number": number, "valid_from": valid_from, "valid_until": None},
            )
        stdout.write(f"  {state} auditor profile {profile}")
