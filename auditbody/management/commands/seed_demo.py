"""Load the demo: one user per role and the seed report's own client and audit.

Each app contributes a ``demo.py`` with ``seed(stdout)``; they run in the order below, which
follows the apps' layers (an app's demo uses only what the apps before it created). Every step
is idempotent: running the command twice changes nothing the second time.
"""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import DEMO_PASSWORD

STEPS = (
    "accounts",
    "standards",
    "clients",
    "people",
    "audits",
    "findings",
    "reports",
    "stage1",
    "certification",
    "scheduling",
    "applications",
    "complaints",
    "regulator",
    "activity",
    "portal",
    "dashboard",
)


class Command(BaseCommand):
    help = f"Create demo users (password {DEMO_PASSWORD}) and the seed audit. Refused when DEBUG=0."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo is refused when DEBUG=0: it creates users with a known password.")
        with transaction.atomic():
            for app in STEPS:
                try:
                    module = import_module(f"{app}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{app}.demo":
                        raise
                    continue
                module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
