"""A realistic data set at a CB's size, for the benchmarks (bench/) and for trying pages at scale.

    manage.py make_data --size demo|mid|large [--seed 1]

``mid`` is a mid-size Chinese CB (2,000 clients, 5,000 audits, 50,000 nonconformities, 3,600
certificates); ``large`` ten to twenty times that. Rows are written with ``bulk_create`` in
batches, the same seed gives the same data, and a second run adds nothing (the generated
clients are recognised by their name prefix). History rows and lifecycle event rows are not
generated: the data stands for records imported from an earlier system.
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
from audits.models import Audit, AuditProgramme, AuditStandard, AuditStatus, AuditType, TeamAssignment, TeamRole
from audits.services import programme_next_due_refresh
from certification.models import Certificate, Decision
from clients.models import Client, Department
from core.access import Role
from core.dates import local_today
from findings.models import Nonconformity
from people.models import AuditorProfile
from standards.models import Clause, Standard

PREFIX = "生成数据"
BATCH = 2000


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

DEPARTMENTS = ["总经理", "综合部", "技术部", "生产部", "质检部", "采购部", "销售部", "仓储部"]
CITIES = ["北京市", "上海市", "广州市", "成都市", "武汉市", "西安市", "杭州市", "南京市"]
TRADES = ["食品", "机械", "电子", "软件", "建筑", "物流", "化工", "印刷"]
STATEMENTS = [
    "未能提供2019年度内部审核的记录。",
    "采购部未对供方进行年度评价。",
    "现场查见未受控的作业指导书。",
    "未保留管理评审输入的证据。",
    "计量器具校准已过有效期。",
]


class Command(BaseCommand):
    help = "Generate a realistic data set (clients, audits, teams, NCs, certificates) with bulk inserts."

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


def _bulk(model, rows):
    created = []
    for start in range(0, len(rows), BATCH):
        created.extend(model.objects.bulk_create(rows[start : start + BATCH]))
    return created


@transaction.atomic
def generate(size: Size, rnd: random.Random, stdout) -> dict[str, int]:
    standards = list(Standard.objects.filter(retired=False, family__in=["QMS", "EMS", "OHSMS"]).order_by("pk"))
    clauses: dict[int, list[Clause]] = {
        s.pk: list(Clause.objects.filter(standard=s).order_by("pk")[:200]) for s in standards
    }
    password = make_password("demo12345")

    users = _bulk(
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
    profiles = _bulk(
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

    clients = _bulk(
        Client,
        [
            Client(name_zh=f"{PREFIX}{rnd.choice(CITIES)}{rnd.choice(TRADES)}有限公司{i:05d}")
            for i in range(size.clients)
        ],
    )
    departments = _bulk(
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
    programmes = _bulk(
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
                status=AuditStatus.CLOSED if end < today else AuditStatus.PLANNED,
            )
        )
    audits = _bulk(Audit, audit_rows)
    _bulk(AuditStandard, [AuditStandard(audit=a, standard=rnd.choice(standards)) for a in audits])

    team = []
    for audit in audits:
        leader = rnd.choice(leaders)
        member = rnd.choice(profiles)
        team.append(TeamAssignment(audit=audit, profile=leader, role=TeamRole.LEADER, name=leader.user.full_name))
        if member.pk != leader.pk:
            team.append(TeamAssignment(audit=audit, profile=member, role=TeamRole.AUDITOR, name=member.user.full_name))
    _bulk(TeamAssignment, team)

    nc_rows = []
    grades = ["minor"] * 6 + ["major", "observation", "observation"]
    nc_statuses = ["closed"] * 5 + ["open", "responded", "returned", "verified"]
    for audit in audits:
        standard = rnd.choice(standards)
        for number in range(1, size.ncs_per_audit + 1):
            clause = rnd.choice(clauses[standard.pk]) if clauses[standard.pk] else None
            nc_rows.append(
                Nonconformity(
                    audit=audit,
                    number=number,
                    grade=rnd.choice(grades),
                    family=standard.family,
                    clause=clause,
                    department=rnd.choice(departments_of[audit.client_id]),
                    statement=rnd.choice(STATEMENTS),
                    status=rnd.choice(nc_statuses),
                    due_date=audit.end_date + datetime.timedelta(days=rnd.choice([30, 60, 90])),
                )
            )
    ncs = _bulk(Nonconformity, nc_rows)

    decisions = _bulk(
        Decision,
        [
            Decision(
                decision_type="grant",
                status="approved",
                client_id=programmes[i % len(programmes)].client_id,
                programme=programmes[i % len(programmes)],
            )
            for i in range(size.certificates)
        ],
    )
    certificates = []
    for i, decision in enumerate(decisions):
        programme = programmes[i % len(programmes)]
        standard = standards[(i // len(programmes)) % len(standards)]
        issued = programme.decision_on
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
                status=rnd.choice(["01"] * 8 + ["02", "03"]),
                status_since=issued,
            )
        )
    _bulk(Certificate, certificates)
    # Bulk inserts send no signal: the programme list's stored next due dates, in bulk.
    programme_next_due_refresh(programme_ids=[p.pk for p in programmes])
    return {
        "auditors": len(profiles),
        "clients": len(clients),
        "departments": len(departments),
        "audits": len(audits),
        "team rows": len(team),
        "nonconformities": len(ncs),
        "certificates": len(certificates),
    }
