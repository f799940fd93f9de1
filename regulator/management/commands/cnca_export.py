"""``manage.py cnca_export --month YYYY-MM --out DIR [--plans-from DATE --plans-to DATE] [--draft]
[--include-imported]``: print the validation problems and write the month's certificate and result
sheets (and the plan sheet of the audits starting in the range) into DIR, each kept as a submission.
``--include-imported`` adds the month's rows read back from past workbooks (the import's round trip).

Exits with status 1 when a sheet has validation errors and ``--draft`` is not given (nothing written).
"""

import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from core.access import Role

from ... import rules, selectors, services


class Command(BaseCommand):
    help = "Export the CNCA data sheets of a month (and the plan sheet of a date range)."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--out", required=True, help="folder the workbooks are written to")
        parser.add_argument("--plans-from", dest="plans_from", help="YYYY-MM-DD")
        parser.add_argument("--plans-to", dest="plans_to", help="YYYY-MM-DD")
        parser.add_argument("--draft", action="store_true", help="export despite errors, marked as a draft")
        parser.add_argument(
            "--include-imported",
            dest="include_imported",
            action="store_true",
            help="include the month's imported records (rows read back from past workbooks)",
        )
        parser.add_argument("--user", help="the CB administrator recorded as exporter (default: the first one)")

    def handle(self, *args, **options):
        try:
            month = rules.parse_month(options["month"])
        except ValueError:
            raise CommandError("--month must be YYYY-MM") from None
        admins = User.objects.filter(role=Role.CB_ADMIN, is_active=True).order_by("pk")
        by = admins.filter(username=options["user"]).first() if options["user"] else admins.first()
        if by is None:
            raise CommandError("No active CB administrator to record as exporter.")
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        jobs = [
            (
                "monthly",
                selectors.month_preview(month, include_imported=options["include_imported"]),
                lambda: services.submission_export_month(
                    month=month, by=by, draft=options["draft"], include_imported=options["include_imported"]
                ),
            )
        ]
        if options["plans_from"] or options["plans_to"]:
            try:
                start = datetime.date.fromisoformat(options["plans_from"] or "")
                end = datetime.date.fromisoformat(options["plans_to"] or "")
            except ValueError:
                raise CommandError("--plans-from and --plans-to are YYYY-MM-DD") from None
            jobs.append(
                (
                    "plans",
                    selectors.plans_preview(start, end),
                    lambda: services.submission_export_plans(start=start, end=end, by=by, draft=options["draft"]),
                )
            )
        failed = False
        for name, preview, export in jobs:
            for problem in preview.problems:
                self.stdout.write(
                    f"{problem.level.upper()} {problem.sheet} {problem.record} {problem.field}: {problem.message}"
                )
            try:
                submission = export()
            except ValidationError as exc:
                self.stderr.write(f"{name}: " + " ".join(exc.messages))
                failed = True
                continue
            target = out / submission.download_name
            with submission.file.open("rb") as handle:
                target.write_bytes(handle.read())
            self.stdout.write(f"{name}: {target} sha256={submission.sha256} rows={submission.rows}")
        if failed:
            raise SystemExit(1)
