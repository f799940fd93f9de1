"""The stage 1 demo: the seed manual's company, 易科智控科技（北京）有限公司, reviewed at stage 1.

A stage 1 audit (ISO 9001 + ISO 14001 + ISO 45001) of the company, its 管理手册 uploaded by its
demo client user (``yike``), reviewed, two proposals confirmed as areas of concern (the 8.4
sub-clauses numbered 8.9.x; the withdrawn GB/T 28001) and one dismissed with its reason. The
manual is the seed text itself when it is at hand (``SEEDS_DIR``, ``seeds/`` next to the project,
the workspace's ``shared/seeds``), else a stand-in built from the clause tree with the seed
manual's main defects. Idempotent: nothing is added once the company's manual is uploaded.
"""

import datetime
import os
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.demo import seed_user
from accounts.models import User
from audits import services as audit_services
from audits.calculation import StandardInput
from audits.models import Audit, AuditType, TeamRole
from clients.demo import MANUAL_CLIENT_NAME_EN, find_standard
from clients.models import Client
from core.access import Role
from core.dates import local_today
from people.models import AuditorProfile

from . import services
from .models import ProposalDecision, Stage1Document

STANDARDS = ("ISO 9001:2015", "ISO 14001:2015", "ISO 45001:2018")
SEED_MANUAL = "004_8e83bf0cffd30d51.txt"
# Three weeks ahead: the certification demo plans 中食互联's stage 1 two weeks ahead with the same
# leader, and an auditor is never on two audits at once.
STAGE_1_IN_DAYS = 21
DEMO_HEADCOUNT = 12  # the manual does not say; the demo needs a figure for the audit time


def seed_manual_text() -> tuple[str, bytes]:
    base = Path(settings.BASE_DIR)
    for folder in (
        os.environ.get("SEEDS_DIR"),
        base / "seeds",
        base.parent / "shared" / "seeds",
        base.parent.parent / "shared" / "seeds",
    ):
        if folder and (Path(folder) / SEED_MANUAL).is_file():
            return "管理手册.txt", (Path(folder) / SEED_MANUAL).read_bytes()
    return "管理手册.txt", stand_in_manual()


def stand_in_manual() -> bytes:
    """ISO 9001's headings with the seed manual's main defects."""
    standard = find_standard("ISO 9001:2015")
    lines = ["本手册依据 GB/T 19001-2016、GB/T 24001-2016 和 GB/T 28001-2011 编制。"]
    for clause in standard.clauses.order_by("sort_key") if standard else []:
        if clause.parent_id and clause.title_zh == clause.parent.title_zh:
            continue
        number, title = clause.number, clause.title_zh
        if number.startswith("8.4."):
            number = number.replace("8.4.", "8.9.", 1)
        if number == "8.5":
            title = "和服务提供"
        lines += [f"{number} {title}", "公司按照标准要求建立并实施本条款的规定。"]
    return "\n".join(lines).encode()


def seed(stdout):
    client = Client.objects.filter(name_en=MANUAL_CLIENT_NAME_EN).first()
    standards = [find_standard(label) for label in STANDARDS]
    admin = User.objects.filter(username="admin").first()
    leader = User.objects.filter(username="leader").first()
    if client is None or None in standards or admin is None or leader is None:
        stdout.write("  stage 1 demo skipped: the manual's company, its standards or the demo users are missing")
        return
    if Stage1Document.objects.filter(audit__client=client).exists():
        stdout.write("  unchanged stage 1 review of the manual's company")
        return
    client_user = seed_user(stdout, username="yike", full_name="刘芳", role=Role.CLIENT, client=client)
    audit = _stage_1_audit(stdout, client=client, standards=standards, admin=admin, leader=leader)
    name, data = seed_manual_text()
    version = services.stage1_document_upload(
        audit=audit, uploaded_file=SimpleUploadedFile(name, data), by=client_user, title="管理手册"
    )
    review = services.stage1_review_request(version=version, by=leader)
    review = services.stage1_review_run(review_id=review.pk) or review
    proposals = list(review.proposals.all())
    confirmed = [
        next((p for p in proposals if p.kind == "wrong_parent" and p.clause == "8.4"), None),
        next((p for p in proposals if p.kind == "outdated_reference" and "28001" in p.params.get("found", "")), None),
    ]
    for proposal in filter(None, confirmed):
        services.stage1_proposal_confirm(proposal=proposal, by=leader)
    wording = next((p for p in proposals if p.kind == "title_deviation" and p.decision == ProposalDecision.OPEN), None)
    if wording is not None:
        services.stage1_proposal_dismiss(
            proposal=wording, by=leader, reason="措辞差异，不影响对标准要求的理解 (wording only)"
        )
    stdout.write(f"  reviewed {version} at stage 1: {len(proposals)} proposals, 2 confirmed, 1 dismissed")


def _stage_1_audit(stdout, *, client, standards, admin, leader):
    audit = Audit.objects.filter(client=client, audit_type=AuditType.STAGE_1).first()
    if audit is not None:
        return audit
    programme = client.programmes.filter(cycle=1).first() or audit_services.programme_create(
        client=client, standards=standards, by=admin, rule_set="cnca"
    )
    start = local_today() + datetime.timedelta(days=STAGE_1_IN_DAYS)
    audit = audit_services.audit_plan(
        by=admin,
        client=client,
        programme=programme,
        audit_type=AuditType.STAGE_1,
        standards=[StandardInput(s) for s in standards],
        start_date=start,
        end_date=start,
        on_site_days=Decimal(1),
        effective_personnel=client.headcount or DEMO_HEADCOUNT,
        sites=list(client.sites.all()),
        planned_man_days=Decimal(1),
        man_days_deviation_reason="演示数据：第一阶段文件审查 (demo: a stage 1 document review)",
    )
    stdout.write(f"  created stage 1 audit {audit}")
    profile = AuditorProfile.objects.filter(user=leader).first()
    if profile is not None:
        try:
            audit_services.team_assignment_add(audit=audit, profile=profile, role=TeamRole.LEADER, by=admin)
        except ValidationError as refused:
            stdout.write(f"  warning: the leader could not join the stage 1 team: {refused.messages}")
    return audit
