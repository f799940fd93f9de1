"""Enter a CB's past cycles (audit, technical review, decision, certificates) from a YAML file, as
historical records marked as imported by a CB administrator (``certification.services``)::

    manage.py import_history cycles.yaml --by admin [--dry-run]

The file is a list of cycles::

    - client: 中食互联（北京）科技有限公司        # the client's Chinese name
      audit_type: stage_2
      standards: ["ISO 9001:2015"]
      start_date: 2017-03-01
      end_date: 2017-03-02
      leader_name: 张组长
      review_on: 2017-03-10
      reviewer_name: 李评定
      evaluated_on: 2017-03-12
      evaluator_name: 李评定
      approved_on: 2017-03-15
      approver_name: 赵总
      decision_type: grant
      source: 2017年纸质档案
      certificates:
        - standard: "ISO 9001:2015"
          number: 16817Q10099R0S      # as printed; or allocate_number: true
          issued_on: 2017-03-15
          expires_on: 2020-03-14
          status: "05"
          scope_zh: 软件开发

Every cycle is checked and entered on its own (all or nothing per cycle); ``--dry-run`` checks
and rolls everything back. A refused cycle is listed with the reason and the others go on.
"""

import datetime

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from clients.models import Client
from standards.models import Standard

from ... import services
from ...models import StatusReason


class DryRun(Exception):
    pass


def _standard(label):
    code, _sep, edition = str(label).rpartition(":")
    standard = Standard.objects.filter(code=code.strip(), edition=edition.strip()).first()
    if standard is None:
        raise ValidationError(f"unknown standard {label!r} (write it as CODE:EDITION, e.g. ISO 9001:2015)")
    return standard


def _day(value):
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def cycle_from(row):
    client = Client.objects.filter(name_zh=row["client"]).first()
    if client is None:
        raise ValidationError(f"unknown client {row['client']!r}")
    certificates = []
    for entry in row.get("certificates") or []:
        reason = entry.get("reason")
        certificates.append(
            services.HistoricalCertificate(
                standard=_standard(entry["standard"]),
                issued_on=_day(entry["issued_on"]),
                expires_on=_day(entry["expires_on"]),
                status=str(entry["status"]),
                scope_zh=entry.get("scope_zh", ""),
                scope_en=entry.get("scope_en", ""),
                number=str(entry.get("number") or ""),
                allocate_number=bool(entry.get("allocate_number")),
                status_since=_day(entry["status_since"]) if entry.get("status_since") else None,
                reason=StatusReason.objects.filter(code=str(reason)).first() if reason else None,
            )
        )
    return services.HistoricalCycle(
        client=client,
        audit_type=row["audit_type"],
        standards=[_standard(s) for s in row["standards"]],
        start_date=_day(row["start_date"]),
        end_date=_day(row["end_date"]),
        leader_name=row.get("leader_name", ""),
        review_on=_day(row["review_on"]),
        reviewer_name=row.get("reviewer_name", ""),
        evaluated_on=_day(row["evaluated_on"]),
        evaluator_name=row.get("evaluator_name", ""),
        approved_on=_day(row["approved_on"]),
        approver_name=row.get("approver_name", ""),
        decision_type=row.get("decision_type", "grant"),
        certificates=certificates,
        source=row.get("source", ""),
    )


class Command(BaseCommand):
    help = "Enter past certification cycles from a YAML file as historical records (CB administrators only)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--by", required=True, help="username of the CB administrator entering the records")
        parser.add_argument("--dry-run", action="store_true", help="check every cycle, write nothing")

    def handle(self, *args, path, by, dry_run, **options):
        user = User.objects.filter(username=by).first()
        if user is None:
            raise CommandError(f"no user {by!r}")
        with open(path, encoding="utf-8") as handle:
            rows = yaml.safe_load(handle) or []
        refused = 0
        for number, row in enumerate(rows, start=1):
            try:
                with transaction.atomic():
                    decision = services.historical_cycle_import(cycle=cycle_from(row), by=user)
                    if dry_run:
                        raise DryRun
            except DryRun:
                self.stdout.write(f"{number}: would enter {row['client']} {row['audit_type']} {row['start_date']}")
            except (ValidationError, PermissionDenied, KeyError, ValueError) as exc:
                refused += 1
                reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                self.stdout.write(f"{number}: refused: {reason}")
            else:
                numbers = ", ".join(decision.issued_certificates.values_list("number", flat=True))
                self.stdout.write(
                    f"{number}: entered {decision.client} {row['audit_type']} ({numbers or 'no certificate'})"
                )
        if refused:
            raise CommandError(f"{refused} of {len(rows)} cycles refused")
