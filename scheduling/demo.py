"""Demo data of scheduling: a month the calendar can show.

Four more auditors (invented for the demo): 张伟 (full-time, lead auditor QMS/EMS/OHSMS), 王磊
(full-time QMS auditor), 陈静 (part-time, 6 days a month) and 刘洋 (external, 4 days a month, lead
auditor QMS/OHSMS). In the month ``seed_demo`` first runs: three audits staffed through the team
rules — a special audit of 中食互联 (week 1, 朱晓丽 leading, 王磊), a special audit of the integrated
client 苏州澄泓 (week 2, 张伟 leading, 刘洋) and a half-day-precise follow-up of 中食互联 (week 3,
Monday afternoon to Tuesday noon, 刘洋 leading, 陈静) — and leave, travel and unavailability:
朱晓丽 on leave in week 2, 李审核 travelling one day of week 1, 陈静 unavailable in week 4, 张伟 on
leave at the end of week 4. Monitoring: 朱晓丽 witnessed on the seed audit, reviewed last year,
with CPD hours; a private calendar feed for 朱晓丽.

Idempotent: the demo audits carry a note and are made once; the rest is synced.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from accounts.demo import seed_user
from accounts.models import User
from audits import availability
from audits import services as audit_services
from audits.calculation import StandardInput
from audits.models import Absence, AbsenceKind, Audit, AuditType, HalfDay, TeamAssignment, TeamRole
from audits.models.team import WitnessRole
from clients.demo import INTEGRATED_CLIENT, SEED_CLIENT, find_standard, sync, sync_m2m
from clients.models import Client
from core.access import Role
from core.dates import local_today
from people.models import AuditorProfile, Employment, Qualification
from standards.models import TechnicalArea

from .models import CalendarFeed, CpdRecord, PerformanceReview

DEMO_NOTE = "排程演示 / scheduling demo"

AUDITORS = [
    # username, name, employment, days a month, registration, codes, qualifications (family, level)
    ("zhangwei", "张伟", Employment.FULL_TIME, None, "2016-N1QMS-1100001", ["19", "33.02"],
     [("QMS", "lead_auditor"), ("EMS", "lead_auditor"), ("OHSMS", "lead_auditor")]),
    ("wanglei", "王磊", Employment.FULL_TIME, None, "2020-N1QMS-1100002", ["33.02"], [("QMS", "auditor")]),
    ("chenjing", "陈静", Employment.PART_TIME, Decimal(6), "2021-N1QMS-1100003", ["33.02.01", "19"],
     [("QMS", "auditor"), ("EMS", "auditor")]),
    ("liuyang", "刘洋", Employment.EXTERNAL, Decimal(4), "2017-N1QMS-1100004", ["19", "33"],
     [("QMS", "lead_auditor"), ("OHSMS", "lead_auditor"), ("EMS", "auditor")]),
]  # fmt: skip


def _profiles(stdout):
    for username, name, employment, days, number, codes, qualifications in AUDITORS:
        user = seed_user(stdout, username=username, full_name=name, role=Role.TEAM_LEADER)
        profile, state = sync(
            AuditorProfile,
            {"user": user},
            {
                "registration_number": number,
                "gender": "male" if name in ("张伟", "王磊", "刘洋") else "female",
                "active": True,
                "employment": employment,
                "days_per_month": days,
            },
        )
        sync_m2m(profile.technical_areas, list(TechnicalArea.objects.filter(code__in=codes)))
        for family, level in qualifications:
            sync(
                Qualification,
                {"profile": profile, "family": family},
                {
                    "level": level,
                    "registration_number": "",
                    "valid_from": datetime.date(2016, 1, 1),
                    "valid_until": None,
                },
            )
        stdout.write(f"  {state} auditor profile {profile}")


def _profile(username):
    return AuditorProfile.objects.get(user__username=username)


def _absence(stdout, profile, kind, start, end, start_half=HalfDay.MORNING, end_half=HalfDay.AFTERNOON, note=""):
    """Sync the absence, unless the auditor is on an audit then (the date the demo runs decides
    where the other demos' audits fall): the clash rule holds in the demo too."""
    existing = Absence.objects.filter(profile=profile, start_date=start).first()
    busy = availability.clashes_for(profile=profile, span=availability.Span(start, end, start_half, end_half))
    if existing is None and any(clash.assignment is not None for clash in busy):
        stdout.write(f"  no demo absence for {profile.user} on {start}: on an audit then")
        return
    sync(
        Absence,
        {"profile": profile, "start_date": start},
        {"kind": kind, "end_date": end, "start_half": start_half, "end_half": end_half, "note": note},
    )


def _plan(stdout, admin, *, client, audit_type, standards, start, end, days, start_half="am", end_half="pm"):
    try:
        return audit_services.audit_plan(
            by=admin,
            client=client,
            audit_type=audit_type,
            standards=[StandardInput(s, "low" if s.family != "QMS" else "") for s in standards],
            start_date=start,
            end_date=end,
            start_half=start_half,
            end_half=end_half,
            on_site_days=days,
            planned_man_days=days * 2,
            man_days_deviation_reason="演示" if audit_type == AuditType.SPECIAL else "",
            notes=DEMO_NOTE,
        )
    except ValidationError as exc:
        stdout.write(f"  WARNING: demo audit of {client} not planned: {'; '.join(exc.messages)}")
        return None


def _staff(stdout, admin, audit, leader, member):
    for profile, role in ((leader, TeamRole.LEADER), (member, TeamRole.AUDITOR)):
        try:
            audit_services.team_assignment_add(audit=audit, profile=profile, role=role, by=admin)
        except ValidationError as exc:
            stdout.write(f"  WARNING: {profile.user} not put on {audit}: {'; '.join(exc.messages)}")


def seed(stdout):
    _profiles(stdout)
    admin = User.objects.get(username="admin")
    leader, auditor = _profile("leader"), _profile("auditor")
    zhang, wang, chen, liu = (_profile(u) for u in ("zhangwei", "wanglei", "chenjing", "liuyang"))
    today = local_today()
    month = today.replace(day=1)
    monday = month + datetime.timedelta(days=(7 - month.weekday()) % 7)  # the month's first Monday
    week = datetime.timedelta(days=7)
    day = datetime.timedelta(days=1)

    seed_client = Client.objects.filter(name_zh=SEED_CLIENT["name_zh"]).first()
    integrated = Client.objects.filter(name_zh=INTEGRATED_CLIENT["name_zh"]).first()
    if not Audit.objects.filter(notes=DEMO_NOTE).exists() and seed_client and integrated:
        qms = find_standard("ISO 9001:2015")
        three = [find_standard(s) for s in ("ISO 9001:2015", "ISO 14001:2015", "ISO 45001:2018")]
        first = _plan(
            stdout, admin, client=seed_client, audit_type=AuditType.SPECIAL, standards=[qms],
            start=monday, end=monday + day, days=Decimal(2),
        )  # fmt: skip
        second = _plan(
            stdout, admin, client=integrated, audit_type=AuditType.SPECIAL, standards=three,
            start=monday + week + 2 * day, end=monday + week + 3 * day, days=Decimal(2),
        )  # fmt: skip
        third = _plan(
            stdout, admin, client=seed_client, audit_type=AuditType.SPECIAL, standards=[qms],
            start=monday + 2 * week, end=monday + 2 * week + day, days=Decimal(1),
            start_half=HalfDay.AFTERNOON, end_half=HalfDay.MORNING,
        )  # fmt: skip
        if first:
            _staff(stdout, admin, first, leader, wang)
        if second:
            _staff(stdout, admin, second, zhang, liu)
        if third:
            _staff(stdout, admin, third, liu, chen)
        stdout.write("  created the scheduling demo audits of this month")
    _absence(stdout, leader, AbsenceKind.LEAVE, monday + week, monday + week + day, note="年假")
    _absence(stdout, auditor, AbsenceKind.TRAVEL, monday + 3 * day, monday + 3 * day, note="出差（培训）")
    _absence(
        stdout, chen, AbsenceKind.UNAVAILABLE, monday + 3 * week, monday + 3 * week + day, start_half=HalfDay.AFTERNOON
    )
    _absence(stdout, zhang, AbsenceKind.LEAVE, monday + 3 * week + 3 * day, monday + 3 * week + 4 * day, note="探亲假")

    # Monitoring: 朱晓丽 was witnessed on the seed's stage 2 audit; reviewed a year ago; CPD.
    seed_assignment = (
        TeamAssignment.objects.filter(profile=leader, audit__client=seed_client, audit__audit_type=AuditType.STAGE_2)
        .order_by("audit__start_date")
        .first()
    )
    if seed_assignment and seed_assignment.witness_role != WitnessRole.WITNESSED:
        seed_assignment.witness_role = WitnessRole.WITNESSED
        seed_assignment.save()
    if not PerformanceReview.objects.filter(profile=leader).exists():
        PerformanceReview.objects.create(
            profile=leader,
            reviewed_on=today - datetime.timedelta(days=330),
            outcome="satisfactory",
            summary="技术评审未发现报告质量问题；客户反馈良好。",
            reviewed_by=admin,
        )
    sync(CpdRecord, {"profile": leader, "title": "ISO 45001:2018 转版培训"},
         {"completed_on": today - datetime.timedelta(days=120), "hours": Decimal(16)})  # fmt: skip
    sync(CpdRecord, {"profile": wang, "title": "审核技巧研讨"},
         {"completed_on": today - datetime.timedelta(days=40), "hours": Decimal(4)})  # fmt: skip
    if not CalendarFeed.objects.filter(profile=leader, revoked_at__isnull=True).exists():
        CalendarFeed.objects.create(profile=leader)
    stdout.write("  synced absences, monitoring records and a calendar feed for the scheduling demo")
