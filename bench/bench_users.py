"""The bench users of each role on a ``make_data`` database (bench/start_pages.py, bench/load.py).

``make_data`` generates team leaders and auditors (``gen-…``) but no CB administrator, committee
member or client user, so those are added once (password ``bench-only``); a second call adds
nothing. Call after ``django.setup()``.
"""

import sys

from django.contrib.auth.models import Permission
from django.db.models import Count

from accounts.models import User
from clients.models import Client
from core.access import Role


def _user(username, role, **extra):
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username, password="bench-only", role=role, **extra)
    return user


def users():
    """(name, user, start page path) per role: the client user is of the client with the most
    audits, the team leader and the auditor the first generated ones."""
    busiest = Client.objects.annotate(n=Count("audits")).order_by("-n", "pk").first()
    if busiest is None:
        sys.exit("No data: run bench/make_data --size mid on this database first.")
    approver = _user("bench-approver", Role.COMMITTEE)
    approver.user_permissions.add(
        Permission.objects.get(codename="approve_decision", content_type__app_label="certification")
    )
    leader = User.objects.filter(role=Role.TEAM_LEADER, username__startswith="gen-").order_by("pk").first()
    auditor = User.objects.filter(role=Role.AUDITOR, username__startswith="gen-").order_by("pk").first()
    return [
        ("admin", _user("bench-admin", Role.CB_ADMIN), "/"),
        ("admin figures", User.objects.get(username="bench-admin"), "/figures/"),
        ("committee", _user("bench-committee", Role.COMMITTEE), "/"),
        ("approver", approver, "/"),
        ("team leader", leader, "/"),
        ("auditor", auditor, "/"),
        ("client", _user("bench-client", Role.CLIENT, client=busiest), "/"),
    ]
