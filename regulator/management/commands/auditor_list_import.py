"""``manage.py auditor_list_import FILE [--apply] [--user USERNAME]``: read a CB's plain list of
auditors (CSV or .xlsx: name, ID type and number, CCAA number, qualification, standards, phone,
e-mail) and print what would be created, updated, skipped or refused (a dry run); with
``--apply``, create the missing auditors and update those present, all or nothing.

Exits with status 1 when a row is refused and ``--apply`` was given (nothing is then written).
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from core.access import Role

from ... import auditor_list, services


class Command(BaseCommand):
    help = "Create or update auditors from a plain list (CSV or .xlsx), with a dry run first."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the list, .csv or .xlsx")
        parser.add_argument("--apply", action="store_true", help="write (without it: a dry run)")
        parser.add_argument("--user", help="the CB administrator recorded as author (default: the first one)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        data = path.read_bytes()
        admins = User.objects.filter(role=Role.CB_ADMIN, is_active=True).order_by("pk")
        by = admins.filter(username=options["user"]).first() if options["user"] else admins.first()
        if by is None:
            raise CommandError("No active CB administrator to record as author.")
        try:
            report = auditor_list.plan_auditor_list(data=data, filename=path.name)
            for line in report.lines:
                self.stdout.write(f"{line.row}\t{line.action}\t{line.record}\t{line.reason}")
            refused = report.count(auditor_list.REFUSE)
            if options["apply"]:
                if refused:
                    self.stderr.write(f"{refused} rows refused: correct them first; nothing written.")
                    raise SystemExit(1)
                report = services.auditor_list_import(data=data, filename=path.name, by=by)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        summary = ", ".join(
            f"{action} {report.count(action)}"
            for action in (auditor_list.CREATE, auditor_list.UPDATE, auditor_list.SKIP, auditor_list.REFUSE)
        )
        self.stdout.write(("Imported: " if report.applied else "Dry run: ") + summary)
