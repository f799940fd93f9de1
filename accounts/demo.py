from clients.demo import SEED_CLIENT
from clients.models import Client
from core.access import Role

from .management.commands.seed_demo import DEMO_PASSWORD
from .models import User

# username, full name, role. The leader is the seed report's team leader (朱晓丽); the client
# user is the seed client's management-system contact (付微).
DEMO_USERS = [
    ("admin", "系统管理员", Role.CB_ADMIN),
    ("auditor", "李审核", Role.AUDITOR),
    ("leader", "朱晓丽", Role.TEAM_LEADER),
    ("committee", "王评定", Role.COMMITTEE),
    ("client", "付微", Role.CLIENT),
]


def seed(stdout):
    client = Client.objects.get(name_zh=SEED_CLIENT["name_zh"])
    for username, full_name, role in DEMO_USERS:
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "role": role,
                "client": client if role == Role.CLIENT else None,
                "is_staff": role == Role.CB_ADMIN,
                "is_superuser": role == Role.CB_ADMIN,
                "is_active": True,
            },
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        stdout.write(
            f"  {'created' if created else 'updated'} user {username:10} ({role.label}) password {DEMO_PASSWORD}"
        )
    seed_auditor_profiles(stdout)


# --- Auditor profiles -------------------------------------------------------------------------
# leader = 朱晓丽, the seed report's team leader: registration, gender and code as the report's
# team table prints them (2018-N1QMS-2205805, 女, 33.02.01); QMS lead auditor since she leads a
# QMS audit (valid from the registration year, inferred). The `auditor` user is invented for the
# demo: a QMS auditor competent in 33.02 (which covers the seed client's 33.02.01).
import datetime  # noqa: E402

DEMO_PROFILES = [
    {
        "username": "leader",
        "registration_number": "2018-N1QMS-2205805",
        "gender": "female",
        "codes": ["33.02.01"],
        "qualifications": [("QMS", "lead_auditor", "2018-N1QMS-2205805", datetime.date(2018, 1, 1))],
    },
    {
        "username": "auditor",
        "registration_number": "2019-N1QMS-1203456",
        "gender": "male",
        "codes": ["33.02"],
        "qualifications": [("QMS", "auditor", "2019-N1QMS-1203456", datetime.date(2019, 1, 1))],
    },
]


def seed_auditor_profiles(stdout):
    from clients.demo import sync, sync_m2m
    from standards.models import TechnicalArea

    from .models import AuditorProfile, Qualification

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
