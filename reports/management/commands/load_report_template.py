"""Load (or complete) a report template from YAML; the shipped default when no path is given."""

from django.core.management.base import BaseCommand
from django.db import transaction

from reports.template_loader import DEFAULT_TEMPLATE_PATH, load_report_template


class Command(BaseCommand):
    help = (
        "Load the report template from YAML (default: the seed report's template). Idempotent: "
        "existing rows keep the CB's edits unless --reset is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_TEMPLATE_PATH))
        parser.add_argument(
            "--reset", action="store_true", help="Write the file's titles, options and clause links back over edits."
        )

    def handle(self, path, reset, **options):
        with transaction.atomic():
            result = load_report_template(path, reset=reset)
        self.stdout.write(result.summary())
        for topic, family, number, why in result.unresolved:
            self.stderr.write(f"  unresolved: topic {topic} {family} {number} ({why})")
