"""``manage.py cnca_plans_import FILE [--apply] [--user USERNAME]``: read a CB's past plan sheet
(102010, .xlsx) and print what would be created, skipped or refused (a dry run); with ``--apply``,
enter each row to create as a past audit with its plan number, days, audit mode and team.

Exits with status 1 when a row is refused and ``--apply`` was given (nothing is then written).
"""

import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from core.access import Role

from ... import importing, plans_import, services


class Command(BaseCommand):
    help = "Enter past audits from a CNCA plan sheet (102010), with a dry run first."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the plan sheet, .xlsx")
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
            report = plans_import.plan_plans(data=data)
            for line in report.lines:
                self.stdout.write(f"{line.row}\t{line.action}\t{line.record}\t{line.reason}")
            refused = report.count(importing.REFUSE)
            if options["apply"]:
                if refused:
                    self.stderr.write(f"{refused} rows refused: correct them first; nothing written.")
                    raise SystemExit(1)
                report = services.plan_sheet_import(data=data, source=path.name, by=by)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            raise CommandError(f"{path} is not an .xlsx workbook.") from None
        summary = ", ".join(
            f"{action} {report.count(action)}" for action in (importing.CREATE, importing.SKIP, importing.REFUSE)
        )
        self.stdout.write(("Imported: " if report.applied else "Dry run: ") + summary)
