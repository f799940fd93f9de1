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
