"""The activity log's part of the demo: its status changes are the event rows the other apps'
demos wrote; here each demo user's first login, so the log shows logins too (idempotent)."""

from accounts.models import User

from . import services
from .models import ActivityKind, ActivityRecord


def seed(stdout) -> None:
    users = User.objects.filter(username__in=("admin", "auditor", "leader", "committee", "approver", "client"))
    added = 0
    for user in users.order_by("pk"):
        if not ActivityRecord.objects.filter(user=user, kind=ActivityKind.LOGIN).exists():
            services.activity_record(kind=ActivityKind.LOGIN, by=user, address="127.0.0.1", detail="demo")
            added += 1
    stdout.write(f"Activity log: {added} demo logins recorded.\n")
