"""Render an audit's report to PDF now, in this process (operators, batch re-renders, benchmarks).

    python manage.py render_report AUDIT [--lang zh-hans|en] [--draft|--issued] [--out FILE]
                                         [--by USERNAME] [--reason TEXT] [--strict-glyphs]

AUDIT is the audit's id as in its URL (/audits/<id>/). Without --lang the PDF is in the report's
language (``Report.language``, zh-hans unless the team chose English). The render goes through the same
request and run as the Celery task (reports.versions.services): it is stored as a version with
its hashes, an issued render needs an approved report and the team leader (``--by``, default
the audit's team leader), and a second issue in the same language is a correction that needs
``--reason``. ``--out`` also writes the PDF to FILE.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from reports.models import RenderStatus, Report, VersionKind
from reports.versions import services as version_services


class Command(BaseCommand):
    help = "Render an audit's report to PDF synchronously and store it as a version."

    def add_arguments(self, parser):
        parser.add_argument("audit", type=int, help="The audit's id (as in /audits/<id>/).")
        parser.add_argument(
            "--lang",
            default=None,
            choices=version_services.pdf_languages(),
            help="Language of the PDF (default: the report's language, set with its choices).",
        )
        kind = parser.add_mutually_exclusive_group()
        kind.add_argument(
            "--draft",
            dest="kind",
            action="store_const",
            const=VersionKind.DRAFT,
            help="A draft with the DRAFT mark (default).",
        )
        kind.add_argument(
            "--issued",
            dest="kind",
            action="store_const",
            const=VersionKind.ISSUED,
            help="The issued report (PDF/A-3b with its data attached); the report must be approved.",
        )
        parser.add_argument("--out", help="Also write the PDF to this file.")
        parser.add_argument("--by", help="Username recorded as the requester (issued: default the team leader).")
        parser.add_argument("--reason", default="", help="Why an issued report is corrected (second issue).")
        parser.add_argument("--strict-glyphs", action="store_true", help="Fail when a character has no glyph.")

    def handle(self, *args, **options):
        kind = options["kind"] or VersionKind.DRAFT
        report = Report.objects.select_related("audit").filter(audit_id=options["audit"]).first()
        if report is None:
            raise CommandError(
                f"Audit {options['audit']} has no report yet (it is started from the audit's report page)."
            )
        by = None
        if options["by"]:
            by = get_user_model().objects.filter(username=options["by"]).first()
            if by is None:
                raise CommandError(f"No user {options['by']!r}.")
        elif kind == VersionKind.ISSUED:
            leader = report.audit.leader
            by = leader.profile.user if leader is not None else None
        try:
            job = version_services.render_now(
                report=report,
                by=by,
                kind=kind,
                language=options["lang"],
                correction_reason=options["reason"],
                strict_glyphs=options["strict_glyphs"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        if job.status != RenderStatus.READY:
            raise CommandError(job.message or f"render {job.status}")
        version = job.version
        if options["out"]:
            with version.file.open("rb") as handle, open(options["out"], "wb") as out:
                out.write(handle.read())
        self.stdout.write(
            f"{version} — {version.pages} pages, {version.size / 1024:.0f} KiB, sha256 {version.sha256}\n"
            f"  data sha256 {version.data_sha256}\n"
            f"  data {version.data_seconds:.2f} s, template {version.html_seconds:.2f} s, "
            f"WeasyPrint {version.render_seconds:.2f} s"
            + (f"\n  written to {options['out']}" if options["out"] else "")
        )
        for warning in version.warnings:
            self.stderr.write(f"  warning: {warning}")
