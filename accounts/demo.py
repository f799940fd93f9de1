"""Demo users of the certification body, one per staff role; the password is the same for all.

The client user belongs to a client organisation, so clients/demo.py creates it (with
``seed_user``) once the organisation exists.
"""

from core.access import Role

from .models import User

DEMO_PASSWORD = "demo12345"

# username, full name, role. The leader is the seed report's team leader (朱晓丽).
DEMO_USERS = [
    ("admin", "系统管理员", Role.CB_ADMIN),
    ("auditor", "李审核", Role.AUDITOR),
    ("leader", "朱晓丽", Role.TEAM_LEADER),
    ("committee", "王评定", Role.COMMITTEE),
]


def seed_user(stdout, *, username, full_name, role, client=None) -> User:
    """Create or bring up to date one demo user with the demo password (idempotent)."""
    wanted = {
        "full_name": full_name,
        "role": role,
        "client_id": client.pk if client is not None else None,
        "is_staff": role == Role.CB_ADMIN,
        "is_superuser": role == Role.CB_ADMIN,
        "is_active": True,
    }
    user = User.objects.filter(username=username).first()
    created = user is None
    if user is None:
        user = User.objects.create(username=username, **wanted)
    else:
        # Saved only when something differs: every save of a user writes a history row.
        changed = [name for name, value in wanted.items() if getattr(user, name) != value]
        if changed:
            for name in changed:
                setattr(user, name, wanted[name])
            user.save(update_fields=[name.removesuffix("_id") for name in changed])
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    stdout.write(f"  {'created' if created else 'updated'} user {username:10} ({role.label}) password {DEMO_PASSWORD}")
    return user


def seed(stdout):
    for username, full_name, role in DEMO_USERS:
        seed_user(stdout, username=username, full_name=full_name, role=role)
