"""The transfers part of ``seed_demo`` (called by ``applications.demo``): a second demo
organisation, 华信精密机械有限公司, applies to transfer its ISO 9001 certificate from another
accredited CB (IAF MD 2); the application is under its pre-transfer review, the reviewer
``auditor`` having recorded the facts and part of the checklist. Idempotent: an existing demo
transfer is left as it is."""

import datetime

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from core import dates
from standards.models import Standard, TechnicalArea

from . import services
from .models import Application

DEMO_TRANSFER_NOTE = "演示：华信精密机械的认证转换申请"


def seed(stdout, *, admin: User, reviewer: User) -> None:
    if Application.objects.filter(notes=DEMO_TRANSFER_NOTE).exists():
        stdout.write("  demo transfer application already recorded (unchanged)")
        return
    standard = Standard.objects.filter(code="ISO 9001", retired=False).first()
    area = TechnicalArea.objects.filter(code="33.02.01").first() or TechnicalArea.objects.filter(code="33.02").first()
    if standard is None or area is None:
        stdout.write("  applications demo: no ISO 9001 or code 33.02: no demo transfer.")
        return
    reviewer.user_permissions.add(
        Permission.objects.get(codename="review_application", content_type__app_label="applications")
    )
    reviewer = User.objects.get(pk=reviewer.pk)  # its permissions reloaded
    today = dates.local_today()
    try:
        application = services.application_save(
            by=admin,
            fields={
                "kind": "transfer",
                "name_zh": "华信精密机械有限公司",
                "name_en": "Huaxin Precision Machinery Co., Ltd.",
                "address_zh": "天津市西青区精工路18号",
                "contact_name": "孙建华",
                "contact_phone": "022-87654321",
                "headcount": 60,
                "existing_cb": "北京某质量认证中心有限公司",
                "existing_certificate_number": "02524Q20871R1M",
                "existing_certificate_expires_on": today + datetime.timedelta(days=420),
                "language": "zh",
                "notes": DEMO_TRANSFER_NOTE,
            },
            standards=[services.StandardRow(standard=standard, scope_zh="精密机械零部件的设计和生产")],
            sites=[
                services.SiteRow(kind="registered", address_zh="天津市西青区精工路18号", is_central=True, headcount=60)
            ],
            technical_areas=[area],
        )
        services.application_move(application=application, action="submit", by=admin)
        services.application_move(application=application, action="start_review", by=admin)
        services.transfer_review_save(
            application=application,
            facts={
                "certificate_state": "valid",
                "certificate_issued_on": today - datetime.timedelta(days=675),
                "accreditation_body": "中国合格评定国家认可委员会（CNAS）",
                "ab_mla_signatory": True,
                "accreditation_state": "valid",
                "last_audit": "surveillance_1",
                "last_audit_on": today - datetime.timedelta(days=300),
                "open_major_ncs": 0,
                "open_minor_ncs": 2,
                "transfer_reason": "原认证机构在天津无审核员，审核安排困难。",
            },
            points={
                "certificate": {"ok": True, "remark": "已在CNCA认证信息平台核实：证书有效，范围与申请一致。"},
                "accreditation": {"ok": True, "remark": "原机构经CNAS认可，CNAS为IAF MLA签约方。"},
                "reason": {"ok": True, "remark": "转换原因合理，与投诉或暂停无关。"},
            },
            by=reviewer,
        )
    except (ValidationError, PermissionDenied) as exc:
        stdout.write("  applications demo: transfer stopped: " + " ".join(getattr(exc, "messages", [str(exc)])))
        return
    stdout.write(f"  transfer application {application.reference} under pre-transfer review")
