"""Builders for the applications tests: a complete draft, a competent reviewer, a price list,
and the path up to each state."""

from decimal import Decimal

from django.contrib.auth.models import Permission

from accounts.tests.factories import UserFactory
from clients.tests.factories import StandardFactory, technical_area
from core.access import Role
from people.tests.factories import AuditorProfileFactory

from .. import services
from ..models import DayRate, PriceList


def iso9001():
    return StandardFactory()


def iso14001():
    return StandardFactory(
        code="ISO 14001",
        edition="2015",
        national_equivalent="GB/T 24001-2016",
        title_zh="环境管理体系 要求及使用指南",
        title_en="Environmental management systems",
        family="EMS",
    )


def admin_user(**kwargs):
    return UserFactory(role=Role.CB_ADMIN, **kwargs)


def reviewer(code="33.02", *, permission=True, role=Role.TEAM_LEADER):
    user = UserFactory(role=role)
    profile = AuditorProfileFactory(user=user)
    profile.technical_areas.add(technical_area(code))
    if permission:
        user.user_permissions.add(Permission.objects.get(codename="review_application"))
    return type(user).objects.get(pk=user.pk)  # fresh: no cached permissions


def draft(*, by=None, standards=None, complete=True, **fields):
    by = by or admin_user()
    data = {
        "kind": "initial",
        "name_zh": "申请测试有限公司",
        "name_en": "Applicant Test Ltd.",
        "address_zh": "北京市海淀区测试路1号",
        "contact_name": "张三",
        "contact_phone": "010-12345678",
        "headcount": 40,
        "language": "zh",
    }
    data.update(fields)
    if not complete:
        data = {"kind": "initial", "name_zh": data["name_zh"]}
    rows = (
        [
            services.StandardRow(standard=s, scope_zh="软件开发", scope_en="Software development", complexity=c)
            for s, c in standards
        ]
        if standards is not None
        else [services.StandardRow(standard=iso9001(), scope_zh="软件开发", scope_en="Software development")]
    )
    return services.application_save(
        by=by,
        fields=data,
        standards=rows if complete else [],
        sites=[services.SiteRow(kind="registered", address_zh="北京市海淀区测试路1号", is_central=True, headcount=40)]
        if complete
        else [],
        technical_areas=[technical_area("33.02.01")] if complete else [],
    )


def price_list(**kwargs):
    values = {
        "name": "2026",
        "currency": "CNY",
        "day_rate": Decimal("3000"),
        "application_fee": Decimal("500"),
        "certificate_fee": Decimal("800"),
        "surveillance_fee": Decimal("300"),
        "travel_per_audit": Decimal("1000"),
    }
    values.update(kwargs)
    return PriceList.objects.create(**values)


ALL_OK = {
    key: {"ok": True, "remark": "符合"}
    for key in ("information", "scope", "competence", "audit_time", "impartiality", "language_safety")
}


def under_review(application=None, *, admin=None):
    admin = admin or admin_user()
    application = application or draft(by=admin)
    services.application_move(application=application, action="submit", by=admin)
    return services.application_move(application=application, action="start_review", by=admin)


def accepted(application=None, *, admin=None, rev=None):
    admin = admin or admin_user()
    application = under_review(application, admin=admin)
    rev = rev or reviewer()
    services.review_save(application=application, points=ALL_OK, by=rev)
    services.review_conclude(application=application, result="accept", conditions="", by=rev)
    application.refresh_from_db()
    return application


def with_dayrate(pl, *, family="", area=None, rate="4000"):
    return DayRate.objects.create(price_list=pl, family=family, technical_area=area, rate=Decimal(rate))


# --- transfers (IAF MD 2) -------------------------------------------------------------------------

TRANSFER_OK = {
    key: {"ok": True, "remark": "已核实"}
    for key in (
        "certificate",
        "accreditation",
        "scope",
        "reports",
        "nonconformities",
        "complaints",
        "reason",
        "regulatory",
    )
}


def transfer_draft(*, by=None, expires_in_days=400, **fields):
    import datetime

    from django.utils import timezone

    values = {
        "kind": "transfer",
        "name_zh": "转换测试有限公司",
        "name_en": "Transfer Test Ltd.",
        "existing_cb": "某认证有限公司",
        "existing_certificate_number": "01321Q12345R0S",
        "existing_certificate_expires_on": timezone.localdate() + datetime.timedelta(days=expires_in_days),
    }
    values.update(fields)
    return draft(by=by, **values)


def transfer_facts(**overrides):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    facts = {
        "certificate_state": "valid",
        "certificate_issued_on": today - datetime.timedelta(days=700),
        "accreditation_body": "CNAS",
        "ab_mla_signatory": True,
        "accreditation_state": "valid",
        "last_audit": "surveillance_1",
        "last_audit_on": today - datetime.timedelta(days=120),
        "open_major_ncs": 0,
        "open_minor_ncs": 1,
        "open_complaints": 0,
        "issuing_cb_cooperates": True,
        "transfer_reason": "服务地点更近",
    }
    facts.update(overrides)
    return facts


def transfer_under_review(*, admin=None, **fields):
    admin = admin or admin_user()
    return under_review(transfer_draft(by=admin, **fields), admin=admin)
