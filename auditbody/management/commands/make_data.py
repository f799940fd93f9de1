"""A realistic data set at a CB's size, for the benchmarks (bench/) and for trying pages at scale.

    manage.py make_data --size demo|mid|large [--seed 1]

``mid`` is a mid-size Chinese CB (2,000 clients, 5,000 audits, 50,000 nonconformities, 3,600
certificates); ``large`` ten to twenty times that. Rows are written with ``bulk_create`` in
batches, the same seed gives the same data, and a second run adds nothing (the generated
clients are recognised by their name prefix).

What is generated, besides clients, departments, auditors, programmes, audits and their teams:

* audit statuses along the lifecycle: audits in the future are planned (in progress while on
  site), those done in the last three months are on their way through the report, the NCs and
  the decision, older ones closed; nonconformities only on audits done on site;
* a report for every audit past "report drafted": one content row per topic of the template for
  the audit type, realistic Chinese text for the topics of the audit's family (drafts partly
  written), written by the audit's team, status following the audit (approved once the audit is
  past approval), a return with a topic comment for about one report in five;
* NC response rounds for every NC past "open": one to three rounds, rejected ones before the
  accepted one, dated between the NC's raising and its closure;
* lifecycle event rows for all of these (``AuditTransition``, ``ReportEvent``,
  ``NonconformityTransition``), and for the certification decisions (``DecisionEvent``) and
  certificates (``CertificateStatusChange``: issue, then suspension or withdrawal).

Not generated: simple_history rows (``Historical…`` tables), report field values (the choices),
technical reviews, evidence files, client users (the clients' answers carry no user) and
activity records (logins, downloads: the activity log shows the event rows above).
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from audits.models import (
    Audit,
    AuditProgramme,
    AuditStandard,
    AuditStatus,
    AuditType,
    TeamAssignment,
    TeamRole,
)
from audits.models.audit import ON_SITE_DONE_STATUSES
from audits.services import programme_next_due_refresh
from certification.models import (
    ApprovalConclusion,
    Certificate,
    CertificateStatus,
    Decision,
    DecisionStatus,
    EvaluationConclusion,
)
from clients.models import Client, Department
from core.access import Role
from core.dates import local_today
from findings.models import (
    Nonconformity,
    NonconformityStatus,
)
from people.models import AuditorProfile
from standards.models import Clause, Standard

from ...datagen.records import certification_events, history
from ...datagen.rows import BATCH, bulk, office_hours_at
from ...datagen.texts import CITIES, DEPARTMENTS, STATEMENTS, TRADES

PREFIX = "生成数据"


@dataclass(frozen=True)
class Size:
    clients: int
    audits_per_client: float
    ncs_per_audit: int
    certificates: int
    auditors: int


SIZES = {
    "demo": Size(clients=40, audits_per_client=2.5, ncs_per_audit=4, certificates=60, auditors=12),
    "mid": Size(clients=2000, audits_per_client=2.5, ncs_per_audit=10, certificates=3600, auditors=200),
    "large": Size(clients=20000, audits_per_client=5, ncs_per_audit=10, certificates=50000, auditors=1500),
}


class Command(BaseCommand):
    help = (
        "Generate a realistic data set (clients, audits, teams, NCs with their response rounds, reports, "
        "certificates and their lifecycle events) with bulk inserts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="demo")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, size, seed, **options):
        if Client.objects.filter(name_zh__startswith=PREFIX).exists():
            self.stdout.write("Generated data already present: nothing added.")
            return
        started = time.monotonic()
        counts = generate(SIZES[size], random.Random(seed), self.stdout)
        figures = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        self.stdout.write(f"make_data --size {size}: {figures} in {time.monotonic() - started:.1f} s")


def _audit_status(start: datetime.date, end: datetime.date, today: datetime.date) -> str:
    """Where an audit is in its lifecycle by the days since its last day on site: a CB takes
    about three months from the closing meeting to closing the audit (report, NCs, review,
    decision)."""
    if end >= today:
        return AuditStatus.IN_PROGRESS if start <= today else AuditStatus.PLANNED
    for days, status in (
        (10, AuditStatus.REPORT_DRAFTED),
        (20, AuditStatus.SUBMITTED),
        (40, AuditStatus.APPROVED),
        (55, AuditStatus.NCS_CLOSED),
        (70, AuditStatus.TECHNICAL_REVIEW),
        (90, AuditStatus.DECIDED),
    ):
        if (today - end).days < days:
            return status
    return AuditStatus.CLOSED


@transaction.atomic
def generate(size: Size, rnd: random.Random, stdout) -> dict[str, int]:
    standards = list(Standard.objects.filter(retired=False, family__in=["QMS", "EMS", "OHSMS"]).order_by("pk"))
    clauses: dict[int, list[Clause]] = {
        s.pk: list(Clause.objects.filter(standard=s).order_by("pk")[:200]) for s in standards
    }
    password = make_password("demo12345")

    users = bulk(
        User,
        [
            User(
                username=f"gen-auditor-{i:05d}",
                full_name=f"审核员{i:05d}",
                role=Role.TEAM_LEADER if i % 3 == 0 else Role.AUDITOR,
                password=password,
            )
            for i in range(size.auditors)
        ],
    )
    profiles = bulk(
        AuditorProfile,
        [
            AuditorProfile(
                user=user,
                registration_number=f"2018-N1QMS-{4000000 + i:07d}",
                gender=rnd.choice(["female", "male"]),
            )
            for i, user in enumerate(users)
        ],
    )
    leaders = [p for p, u in zip(profiles, users, strict=True) if u.role == Role.TEAM_LEADER]

    clients = bulk(
        Client,
        [
            Client(name_zh=f"{PREFIX}{rnd.choice(CITIES)}{rnd.choice(TRADES)}有限公司{i:05d}")
            for i in range(size.clients)
        ],
    )
    departments = bulk(
        Department,
        [
            Department(client=client, name_zh=name, order=order)
            for client in clients
            for order, name in enumerate(rnd.sample(DEPARTMENTS, 5))
        ],
    )
    departments_of: dict[int, list[Department]] = {}
    for department in departments:
        departments_of.setdefault(department.client_id, []).append(department)

    today = local_today()
    programmes = bulk(
        AuditProgramme,
        [
            AuditProgramme(
                client=client,
                decision_on=today - datetime.timedelta(days=rnd.randint(30, 900)),
                certificate_issued_on=None,
            )
            for client in clients
        ],
    )
    for programme in programmes:
        programme.certificate_issued_on = programme.decision_on
    AuditProgramme.objects.bulk_update(programmes, ["certificate_issued_on"], batch_size=BATCH)

    # Each kind of audit where the programme rules expect it (audits/programme_rules.py): stage 2
    # before the decision, surveillances about 12 and 24 months after it, recertification before
    # the certificate's third year ends.
    kinds = [
        (AuditType.STAGE_2, "stage2", -40, -10),
        (AuditType.SURVEILLANCE_1, "surveillance", 300, 360),
        (AuditType.SURVEILLANCE_2, "surveillance", 660, 720),
        (AuditType.RECERTIFICATION, "recertification", 960, 1020),
    ]
    audit_rows = []
    target = int(size.clients * size.audits_per_client)
    for index in range(target):
        programme = programmes[index % len(programmes)]
        kind, purpose, earliest, latest = kinds[(index // len(programmes)) % len(kinds)]
        start = programme.decision_on + datetime.timedelta(days=rnd.randint(earliest, latest))
        days = rnd.choice([1, 2, 2, 3])
        end = start + datetime.timedelta(days=days - 1)
        audit_rows.append(
            Audit(
                programme=programme,
                client_id=programme.client_id,
                audit_type=kind,
                purpose=purpose,
                effective_personnel=rnd.randint(10, 900),
                start_date=start,
                end_date=end,
                on_site_days=Decimal(days),
                planned_man_days=Decimal(days * 2),
                status=_audit_status(start, end, today),
            )
        )
    audits = bulk(Audit, audit_rows)
    del audit_rows
    standard_of = {a.pk: rnd.choice(standards) for a in audits}
    bulk(AuditStandard, [AuditStandard(audit=a, standard=standard_of[a.pk]) for a in audits])

    team = []
    team_of: dict[int, list[TeamAssignment]] = {}  # the leader first
    for audit in audits:
        leader = rnd.choice(leaders)
        member = rnd.choice(profiles)
        rows = [TeamAssignment(audit=audit, profile=leader, role=TeamRole.LEADER, name=leader.user.full_name)]
        if member.pk != leader.pk:
            rows.append(TeamAssignment(audit=audit, profile=member, role=TeamRole.AUDITOR, name=member.user.full_name))
        team.extend(rows)
        team_of[audit.pk] = rows
    bulk(TeamAssignment, team)

    ncs = _nonconformities(size, rnd, audits, standard_of, clauses, departments_of, team_of)

    certificates, decisions = _certification(size, rnd, programmes, standards, today)
    # Bulk inserts send no signal: the programme list's stored next due dates, in bulk.
    programme_next_due_refresh(programme_ids=[p.pk for p in programmes])

    counts = {
        "auditors": len(profiles),
        "clients": len(clients),
        "departments": len(departments),
        "audits": len(audits),
        "team rows": len(team),
        "nonconformities": len(ncs),
        "certificates": len(certificates),
    }
    counts.update(certification_events(rnd, decisions, certificates))
    counts.update(history(rnd, audits, team_of, ncs, standard_of))
    return counts


# --- base rows -------------------------------------------------------------------------------------


def _nonconformities(size, rnd, audits, standard_of, clauses, departments_of, team_of) -> list[Nonconformity]:
    """The NCs, on audits done on site only (an NC is raised on site), the size's number in all
    (``ncs_per_audit`` × audits, spread over the audits done); their status follows the audit's:
    open or answered while its report is written, closed once the audit records its NCs closed."""
    done = [a for a in audits if a.status in ON_SITE_DONE_STATUSES]
    if not done:
        return []
    per_audit, extra = divmod(len(audits) * size.ncs_per_audit, len(done))
    grades = ["minor"] * 6 + ["major", "observation", "observation"]
    nc_statuses = ["closed"] * 5 + ["open", "responded", "returned", "verified"]
    early_statuses = ["open"] * 3 + ["responded"]
    nc_rows = []
    for index, audit in enumerate(done):
        standard = standard_of[audit.pk]
        leader_user_id = team_of[audit.pk][0].profile.user_id
        for number in range(1, per_audit + (1 if index < extra else 0) + 1):
            clause = rnd.choice(clauses[standard.pk]) if clauses[standard.pk] else None
            if audit.status in (AuditStatus.REPORT_DRAFTED, AuditStatus.SUBMITTED):
                status = rnd.choice(early_statuses)
            elif audit.status == AuditStatus.NCS_CLOSED:
                status = NonconformityStatus.CLOSED
            else:
                status = rnd.choice(nc_statuses)
            nc_rows.append(
                Nonconformity(
                    audit=audit,
                    number=number,
                    grade=rnd.choice(grades),
                    family=standard.family,
                    clause=clause,
                    department=rnd.choice(departments_of[audit.client_id]),
                    statement=rnd.choice(STATEMENTS),
                    status=status,
                    due_date=audit.end_date + datetime.timedelta(days=rnd.choice([30, 60, 90])),
                    raised_by_id=leader_user_id,
                )
            )
    return bulk(Nonconformity, nc_rows)


def _certification(size, rnd, programmes, standards, today) -> tuple[list[Certificate], list[Decision]]:
    """Approved grant decisions (evaluated a few days before the programme's decision day) and
    their certificates, most valid, some suspended or withdrawn since a later day."""
    decision_rows = []
    for i in range(size.certificates):
        programme = programmes[i % len(programmes)]
        decided = programme.decision_on
        decision_rows.append(
            Decision(
                decision_type="grant",
                status=DecisionStatus.APPROVED,
                client_id=programme.client_id,
                programme=programme,
                created_at=office_hours_at(decided - datetime.timedelta(days=rnd.randint(7, 20)), 10),
                evaluation_conclusion=EvaluationConclusion.AGREE,
                evaluated_on=decided - datetime.timedelta(days=rnd.randint(1, 5)),
                approval_conclusion=ApprovalConclusion.APPROVE,
                approved_on=decided,
                version=3,  # opened, evaluated, approved
            )
        )
    decisions = bulk(Decision, decision_rows)
    certificates = []
    for i, decision in enumerate(decisions):
        programme = programmes[i % len(programmes)]
        standard = standards[(i // len(programmes)) % len(standards)]
        issued = programme.decision_on
        status = rnd.choice([CertificateStatus.VALID] * 8 + [CertificateStatus.SUSPENDED, CertificateStatus.WITHDRAWN])
        since = issued
        if status != CertificateStatus.VALID:
            since = min(issued + datetime.timedelta(days=rnd.randint(90, 700)), today - datetime.timedelta(days=1))
        certificates.append(
            Certificate(
                number=f"168{issued:%y}{standard.family[0]}{i:06d}R0M",
                client_id=programme.client_id,
                programme=programme,
                standard=standard,
                decision=decision,
                holder_name_zh=f"{PREFIX}客户{i:05d}",
                address_zh=rnd.choice(CITIES),
                standard_label=str(standard),
                scope_zh="食品的生产和销售",
                year=issued.year,
                standard_code=standard.family[:1],
                serial=i + 1,
                size_band=rnd.choice(["S", "M", "L"]),
                first_issued_on=issued,
                issued_on=issued,
                expires_on=issued + datetime.timedelta(days=3 * 365 - 1),
                status=status,
                status_since=since,
                created_at=office_hours_at(issued, 15),
            )
        )
    return bulk(Certificate, certificates), decisions
