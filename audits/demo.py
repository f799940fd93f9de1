"""Demo data of the audits app, from the seed report (auditbody/seed_data/seed_audit.yaml):

* the certification body of part 一 (北京国标联合认证有限公司, its address, phone, fax, website);
* the client's programme under the CNCA rules (ISO 9001:2015; no certificate yet: the seed
  is the stage 2 audit, so the surveillance dates wait for the certificate);
* the stage 2 audit of 中食互联（北京）科技有限公司: QMS, criteria ISO 9001:2015 + the client's
  documents + applicable laws, no non-applicable clause ("无条款"), purpose stage 2, method
  on site. The seed prints no audit dates: the report is signed and the period covered ends
  on 2020-01-08, so the last day is 2020-01-08; the first day is taken to be 2020-01-07 (two
  days on site, the stage 2 share of the IAF MD 5 time, see below). Man-days: IAF MD 5 Table
  QMS 1 gives 2.5 days for 11-15 people for stage 1 + stage 2; the CB's default stage 1
  share (20 %, rounded up to a half day) is 0.5, so stage 2 is 2 man-days — one auditor on
  site for two days;
* the team: 朱晓丽 (the ``leader`` demo user) as 组长 (snapshot: 2018-N1QMS-2205805, 33.02.01);
* the itinerary pre-filled from the client's responsibility matrix; the leader then starts the
  audit (in progress: the team can write the report) once its stage 1 is concluded ready;
* the stage 1 audit that stage 2 follows (ISO/IEC 17021-1 9.3.1): not in the seed, which is the
  stage 2 report; taken to be one day on site on 2019-12-16 (within the CB's six months), with
  the CB's stage 1 share of 0.5 man-days, led by 朱晓丽. ``reports.demo`` approves its report
  with the conclusion "ready for stage 2" and then starts stage 2.

The integrated demo client (``clients.demo.INTEGRATED_CLIENT``, ISO 9001 + 14001 + 45001, 25
people, EMS and OH&S complexity low, 20 % integration reduction under IAF MD 11 → 8 man-days for
stage 1 + stage 2): a programme under the CNCA rules, its stage 1 (two months before the first
run, one day on site, the CB's share of 2 man-days, led by 朱晓丽, started) and its stage 2 (one
month before the first run, three days, 6 man-days: the minimum stage 1 leaves, 朱晓丽 leading and
the ``auditor`` user as member). Dates are relative to the day ``seed_demo`` first runs, so the
cycle is current; ``reports.demo`` approves stage 1 "ready" and writes stage 2.

Idempotent: nothing is written when the rows already exist (no new history either).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from accounts.models import User
from clients.demo import INTEGRATED_CLIENT, INTEGRATED_SCOPES, SEED_CLIENT, find_standard
from clients.models import Client
from core.dates import local_today
from people.models import AuditorProfile
from standards.models import Standard

from . import rules, services
from .calculation import StandardInput
from .models import Audit, AuditMethod, AuditStatus, AuditType, CertificationBody, TeamRole

CB = {
    "name_zh": "北京国标联合认证有限公司",
    "name_en": "Beijing Guobiao Union Certification Co., Ltd.",
    "address_zh": "北京市朝阳区北苑路168号1号楼16层1603",
    "address_en": "Room 1603, 16/F, Building 1, No. 168 Beiyuan Road, Chaoyang District, Beijing",
    "postcode": "",  # printed blank in the seed
    "phone": "010-51095332",
    "fax": "010-5351 6258",  # sic, with the space
    "email": "",  # printed blank in the seed
    "website": "www.china-isc.org.cn",
    # Illustrative: the seed prints no CB code; certificate and report numbers start with it.
    "cb_code": "168",
}
STAGE_1_DAY = datetime.date(2019, 12, 16)
AUDIT_START = datetime.date(2020, 1, 7)
AUDIT_END = datetime.date(2020, 1, 8)


def _warn(stdout, message):
    stdout.write(f"  WARNING: {message}")


def _sync(model, lookup, values):
    """Create the row or bring it to ``values``, saving only when something differs."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        return obj, "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save()
    return obj, "updated" if changed else "unchanged"


def seed(stdout):
    cb, state = _sync(CertificationBody, {"key": 1}, CB)
    stdout.write(f"  {state} certification body {cb}")

    client = Client.objects.get(name_zh=SEED_CLIENT["name_zh"])
    iso9001 = Standard.objects.filter(code="ISO 9001", edition="2015").first()
    if iso9001 is None:
        _warn(stdout, "ISO 9001:2015 is not loaded: the seed audit is not created.")
        return
    admin = User.objects.get(username="admin")
    leader = User.objects.get(username="leader")

    programme = client.programmes.filter(standards=iso9001, cycle=1).first()
    if programme is None:
        programme = services.programme_create(client=client, standards=[iso9001], by=admin, rule_set="cnca")
        stdout.write(f"  created audit programme {programme}")

    _stage_1(stdout, client=client, programme=programme, iso9001=iso9001, admin=admin, leader=leader)

    audit = Audit.objects.filter(client=client, audit_type=AuditType.STAGE_2, start_date=AUDIT_START).first()
    if audit is None:
        audit = services.audit_plan(
            by=admin,
            client=client,
            programme=programme,
            audit_type=AuditType.STAGE_2,
            purpose="stage2",
            method=AuditMethod.ON_SITE,
            standards=[StandardInput(iso9001)],
            criteria_client_documents=True,
            criteria_legislation=True,
            start_date=AUDIT_START,
            end_date=AUDIT_END,
            on_site_days=Decimal(2),
            effective_personnel=client.headcount,
            sites=list(client.sites.filter(is_central=True)),
        )
        stdout.write(f"  created audit {audit} ({audit.planned_man_days} man-days)")

    profile = AuditorProfile.objects.filter(user=leader).first()
    if profile is None:
        _warn(stdout, "the leader has no auditor profile: the seed audit has no team.")
    elif not audit.team.filter(profile=profile).exists() and audit.status in services.PLAN_EDITABLE_STATUSES:
        services.team_assignment_add(audit=audit, profile=profile, role=TeamRole.LEADER, by=admin)
        stdout.write(f"  added {leader} as team leader")

    if not audit.plan_items.exists() and audit.status in services.PLAN_EDITABLE_STATUSES:
        items = services.itinerary_prefill_from_matrix(audit=audit, by=admin)
        stdout.write(f"  pre-filled {len(items)} itinerary lines from the responsibility matrix")

    start_when_ready(stdout, audit=audit, leader=leader)
    seed_integrated(stdout, admin=admin, leader=leader)


def start_when_ready(stdout, *, audit, leader):
    """The leader starts a planned audit; a stage 2 whose stage 1 is not concluded ready yet
    stays planned (``reports.demo`` calls this again once it is)."""
    if audit.status != AuditStatus.PLANNED:
        return
    if rules.stage_2_refusals(audit):
        stdout.write(f"  {audit} stays planned until its stage 1 is concluded ready")
        return
    try:
        services.audit_start(audit=audit, by=leader)
    except ValidationError as exc:
        _warn(stdout, f"{audit} stays planned: " + " ".join(exc.messages))
    else:
        stdout.write(f"  the team leader started {audit} (in progress)")


def _stage_1(stdout, *, client, programme, iso9001, admin, leader):
    """The stage 1 audit the seed's stage 2 follows (see the module's docstring)."""
    audit = Audit.objects.filter(client=client, audit_type=AuditType.STAGE_1, start_date=STAGE_1_DAY).first()
    if audit is None:
        audit = services.audit_plan(
            by=admin,
            client=client,
            programme=programme,
            audit_type=AuditType.STAGE_1,
            standards=[StandardInput(iso9001)],
            start_date=STAGE_1_DAY,
            end_date=STAGE_1_DAY,
            on_site_days=Decimal("0.5"),
            effective_personnel=client.headcount,
            sites=list(client.sites.filter(is_central=True)),
        )
        stdout.write(f"  created stage 1 audit {audit} ({audit.planned_man_days} man-days)")
    profile = AuditorProfile.objects.filter(user=leader).first()
    editable = audit.status in services.PLAN_EDITABLE_STATUSES
    if profile is not None and editable and not audit.team.filter(profile=profile).exists():
        services.team_assignment_add(audit=audit, profile=profile, role=TeamRole.LEADER, by=admin)
    start_when_ready(stdout, audit=audit, leader=leader)


# --- the integrated client's stage 1 and stage 2 ------------------------------------------------

INTEGRATION_REASON = "一体化管理体系：管理手册、内部审核和管理评审三体系合一，IAF MD 11 减少20%"
INTEGRATED_STAGE_1_DAYS_AGO = 60
INTEGRATED_STAGE_2_DAYS_AGO = 30


def integrated_audit(audit_type):
    """The integrated client's audit of that type (the first one), or None."""
    return (
        Audit.objects.filter(client__name_zh=INTEGRATED_CLIENT["name_zh"], audit_type=audit_type)
        .order_by("start_date", "pk")
        .first()
    )


def seed_integrated(stdout, *, admin, leader):
    client = Client.objects.filter(name_zh=INTEGRATED_CLIENT["name_zh"]).first()
    standards = [find_standard(label) for label in INTEGRATED_SCOPES]
    if client is None or None in standards:
        _warn(stdout, "the integrated client or one of its standards is missing: no integrated audits.")
        return
    programme = client.programmes.filter(cycle=1).first()
    if programme is None:
        programme = services.programme_create(client=client, standards=standards, by=admin, rule_set="cnca")
        stdout.write(f"  created audit programme {programme}")
    today = local_today()
    members = [(leader, TeamRole.LEADER), (User.objects.filter(username="auditor").first(), TeamRole.AUDITOR)]
    stage_1 = _integrated_plan(
        stdout,
        client=client,
        programme=programme,
        standards=standards,
        admin=admin,
        audit_type=AuditType.STAGE_1,
        start=today - datetime.timedelta(days=INTEGRATED_STAGE_1_DAYS_AGO),
        days=1,
    )
    _integrated_team(stdout, audit=stage_1, members=members[:1], admin=admin)
    start_when_ready(stdout, audit=stage_1, leader=leader)
    stage_2 = _integrated_plan(
        stdout,
        client=client,
        programme=programme,
        standards=standards,
        admin=admin,
        audit_type=AuditType.STAGE_2,
        start=today - datetime.timedelta(days=INTEGRATED_STAGE_2_DAYS_AGO),
        days=3,
    )
    _integrated_team(stdout, audit=stage_2, members=members, admin=admin)


def _integrated_plan(stdout, *, client, programme, standards, admin, audit_type, start, days):
    audit = integrated_audit(audit_type)
    if audit is not None:
        return audit
    audit = services.audit_plan(
        by=admin,
        client=client,
        programme=programme,
        audit_type=audit_type,
        standards=[StandardInput(standards[0]), StandardInput(standards[1], "low"), StandardInput(standards[2], "low")],
        integrated=True,
        integration_reduction_percent=Decimal(20),
        integration_reduction_reason=INTEGRATION_REASON,
        start_date=start,
        end_date=start + datetime.timedelta(days=days - 1),
        on_site_days=Decimal(days),
        effective_personnel=client.headcount,
        sites=list(client.sites.all()),
    )
    stdout.write(f"  created {audit} of the integrated client ({audit.planned_man_days} man-days)")
    return audit


def _integrated_team(stdout, *, audit, members, admin):
    if audit.status not in services.PLAN_EDITABLE_STATUSES:
        return
    for user, role in members:
        profile = AuditorProfile.objects.filter(user=user).first() if user else None
        if profile is None:
            _warn(stdout, f"no auditor profile for {user}: {audit} misses a team member.")
        elif not audit.team.filter(profile=profile).exists():
            services.team_assignment_add(audit=audit, profile=profile, role=role, by=admin)
            stdout.write(f"  added {user} to {audit}")
