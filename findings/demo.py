"""Demo data of the NC lifecycle, from the seed report (``seed_demo`` runs it after the audits step).

The seed's stage 2 audit raised one minor QMS nonconformity (part 十五: "QMS (1) 个一般不符合 …
验证合格"); its NC report (附件2) is not in the seed. The demo deliberately fills what the seed
leaves out (``seed_audit.yaml`` marks each value "demo fill"): clause, department, requirement,
statement, evidence and the client's answer, taken from a discrepancy the seed's own narrative
shows, so that 附件2 and part 七 print a complete record. It creates that NC (number 1, as
reports/demo.py expects it: that step then leaves it alone), then the client's answer and the
team leader 朱晓丽's verification and closure in January 2020, as 十五 records ("验证合格"). The
demo is consistent in time: this closure happened in 2020, before the CB used the product, so it
is entered as a historical record (imported, by the CB administrator) with its 2020 dates rather
than answered and verified today.
"""

import datetime
from pathlib import Path

import yaml
from django.conf import settings

from accounts.models import User
from audits.models import Audit, AuditType, TeamRole
from clients.demo import SEED_CLIENT
from clients.models import Department
from standards.models import Clause

from . import services
from .models import Nonconformity, NonconformityStatus

SEED_AUDIT_PATH = Path(settings.BASE_DIR) / "auditbody" / "seed_data" / "seed_audit.yaml"
# The seed's stage 2 ended on 2020-01-08; 十五 records the verification (验证合格) with its day left
# blank. These days are illustrative: a week for the client's answer, two more for verification.
NC_RESPONDED_ON = datetime.date(2020, 1, 13)
NC_VERIFIED_ON = datetime.date(2020, 1, 15)
SEED_SOURCE = "种子报告（示例：历史记录）"


def _seed_nc_spec():
    with open(SEED_AUDIT_PATH, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    specs = data.get("nonconformities") or []
    return specs[0] if specs else None


def seed(stdout):
    audit = (
        Audit.objects.filter(client__name_zh=SEED_CLIENT["name_zh"], audit_type=AuditType.STAGE_2)
        .order_by("start_date")
        .first()
    )
    spec = _seed_nc_spec()
    if audit is None or spec is None:
        stdout.write("  WARNING: no seed audit or no seed nonconformity: no NC demo.")
        return
    leader_assignment = audit.team.filter(role=TeamRole.LEADER).select_related("profile__user").first()
    client_user = User.objects.filter(username="client", client=audit.client).first()
    if leader_assignment is None or client_user is None:
        stdout.write("  WARNING: the seed audit has no leader or the client user is missing: no NC demo.")
        return
    leader = leader_assignment.profile.user
    nc = Nonconformity.objects.filter(audit=audit, number=1).first()
    if nc is None:
        nc = Nonconformity(
            audit=audit,
            number=1,
            grade=spec["grade"],
            family=spec["family"],
            raised_by=leader,
            clause=_clause(audit, spec.get("clause")),
            department=Department.objects.filter(client=audit.client, name_zh=spec.get("department") or "").first(),
            statement=spec.get("statement") or "",
            requirement=spec.get("requirement") or "",
            evidence=spec.get("evidence") or "",
        )
        nc._history_user = leader
        nc.save()
        stdout.write(f"  created the seed nonconformity NC-1 ({nc.get_grade_display()}, due {nc.due_date})")
    if nc.responses.exists() or nc.status != NonconformityStatus.OPEN:
        stdout.write(f"  seed nonconformity NC-1 is {nc.get_status_display()} (unchanged)")
        return
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        stdout.write("  WARNING: the admin user is missing: the seed NC stays open.")
        return
    response = spec.get("response") or {}
    services.nonconformity_record_past_closure(
        nc=nc,
        by=admin,
        correction=response.get("correction") or "",
        root_cause=response.get("root_cause") or "",
        corrective_action=response.get("corrective_action") or "",
        responded_on=NC_RESPONDED_ON,
        verified_on=NC_VERIFIED_ON,
        closed_on=NC_VERIFIED_ON,
        verified_by=leader,
        closed_by=leader,
        verification_method=response.get("verification_method") or "documents",
        verification_note=response.get("verification_note") or "十五：QMS 验证合格（种子报告）。",
        source=SEED_SOURCE,
    )
    stdout.write(
        f"  seed nonconformity NC-1 entered as closed in {NC_VERIFIED_ON:%Y-%m} (historical record: answered, "
        "verified and closed before the product)"
    )


def _clause(audit, number):
    """The clause ``number`` of the audit's standard of the NC's family (ISO 9001 for the seed)."""
    if not number:
        return None
    return Clause.objects.filter(standard__in=audit.standards.all(), number=str(number)).first()
