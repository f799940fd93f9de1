"""The applications part of ``seed_demo``: the seed client 中食互联's application for ISO 9001
(entered by the CB for the existing client, from its own data), the application review by the
auditor ``auditor`` (given the permission to review applications; competent in 33.02, which covers
the client's 33.02.01), a price list, the quotation the client user accepted, and the agreement
accepted in the portal and signed — which links the client's EXISTING programme and stage 1
audit (``contract_sign`` joins the active programme covering the standards and its stage 1
audit), so no second programme is created; then the agreement's invoices (application fee and
initial audit paid, the certificate fee overdue). Idempotent: an existing demo application is
left, and each invoice milestone is issued once."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from clients.demo import SEED_CLIENT
from clients.models import Client
from core import dates

from . import demo_transfers, services
from .models import Application, Contract, ContractSettings, InvoiceSettings, PriceList

DEMO_NOTE = "演示：中食互联的认证申请"


def _warn(stdout, text):
    stdout.write(f"  applications demo: {text}")


def seed(stdout):
    admin = User.objects.filter(username="admin").first()
    reviewer = User.objects.filter(username="auditor").first()
    client = Client.objects.filter(name_zh=SEED_CLIENT["name_zh"]).first()
    client_user = User.objects.filter(username="client", client=client).first() if client else None
    if not (admin and reviewer and client and client_user):
        _warn(stdout, "no admin, auditor, seed client or client user: no applications demo.")
        return
    ContractSettings.objects.ensure()
    demo_transfers.seed(stdout, admin=admin, reviewer=reviewer)
    price_list = _price_list(stdout)
    if Application.objects.filter(client=client, notes=DEMO_NOTE).exists():
        stdout.write("  demo application already recorded (unchanged)")
        _invoices(stdout, client=client, admin=admin)
        return
    reviewer.user_permissions.add(
        Permission.objects.get(codename="review_application", content_type__app_label="applications")
    )
    reviewer = User.objects.get(pk=reviewer.pk)  # its permissions reloaded
    try:
        _path(stdout, admin=admin, reviewer=reviewer, client=client, client_user=client_user, price_list=price_list)
    except (ValidationError, PermissionDenied) as exc:
        _warn(stdout, "stopped: " + " ".join(getattr(exc, "messages", [str(exc)])))
        return
    _invoices(stdout, client=client, admin=admin)


# The demo's invoices: (milestone, issued days ago, paid days ago or None). With the CB's 30 days
# of payment terms the certificate fee, issued 45 days ago and unpaid, is overdue.
DEMO_INVOICES = [
    ("application", 120, 110),
    ("initial", 75, 50),
    ("certificate", 45, None),
]


def _invoices(stdout, *, client, admin):
    """The demo agreement's invoices, each milestone once (a second run adds nothing)."""
    contract = Contract.objects.filter(application__client=client, application__notes=DEMO_NOTE).first()
    if contract is None or contract.status != "signed":
        return
    InvoiceSettings.objects.ensure()
    today = dates.local_today()
    have = set(contract.invoices.values_list("milestone", flat=True))
    made = []
    for milestone, issued_ago, paid_ago in DEMO_INVOICES:
        if milestone in have:
            continue
        try:
            invoice = services.invoice_issue(
                contract=contract,
                milestone=milestone,
                by=admin,
                issued_on=today - datetime.timedelta(days=issued_ago),
            )
            if paid_ago is not None:
                services.invoice_mark_paid(
                    invoice=invoice, by=admin, paid_on=today - datetime.timedelta(days=paid_ago), note="银行转账"
                )
        except (ValidationError, PermissionDenied) as exc:
            _warn(stdout, "invoice not issued: " + " ".join(getattr(exc, "messages", [str(exc)])))
            continue
        made.append(invoice.number)
    if made:
        stdout.write(f"  invoices of contract {contract.number}: {', '.join(made)}")


def _price_list(stdout):
    existing = PriceList.objects.filter(active=True).first()
    if existing:
        return existing
    stdout.write("  created the demo price list")
    return PriceList.objects.create(
        name="2026 标准收费",
        currency="CNY",
        day_rate=Decimal("3000"),
        application_fee=Decimal("500"),
        certificate_fee=Decimal("800"),
        surveillance_fee=Decimal("300"),
        travel_per_audit=Decimal("1000"),
    )


def _path(stdout, *, admin, reviewer, client, client_user, price_list):
    scopes = list(client.scopes.select_related("standard"))
    application = services.application_save(
        by=admin,
        client=client,
        fields={
            "kind": "initial",
            "address_zh": next((s.address_zh for s in client.sites.all() if s.kind == "registered"), ""),
            "language": "zh",
            "notes": DEMO_NOTE,
        },
        standards=[services.StandardRow(standard=s.standard, scope_zh=s.scope_zh, scope_en=s.scope_en) for s in scopes],
        sites=[
            services.SiteRow(
                kind=s.kind,
                address_zh=s.address_zh,
                address_en=s.address_en,
                name=s.name,
                is_central=s.is_central,
                headcount=s.headcount,
            )
            for s in client.sites.all()
        ],
        technical_areas=list(client.technical_areas.all()),
    )
    services.application_move(application=application, action="submit", by=admin)
    services.application_move(application=application, action="start_review", by=admin)
    points = {
        "information": {"ok": True, "remark": "申请书、营业执照、体系文件齐全。"},
        "scope": {"ok": True, "remark": "范围“基础软件服务”清晰，专业代码33.02.01正确。"},
        "competence": {"ok": True, "remark": "本机构具备33.02.01的审核能力（组长朱晓丽）。"},
        "audit_time": {"ok": True, "remark": "按IAF MD 5计算，单一场所，无需抽样。"},
        "impartiality": {"ok": True, "remark": "两年内无咨询关系，无公正性威胁。"},
        "language_safety": {"ok": True, "remark": "中文审核；办公场所，无特殊安全要求。"},
    }
    services.review_save(application=application, points=points, by=reviewer)
    services.review_conclude(application=application, result="accept", conditions="", by=reviewer)
    quotation = services.quotation_issue(application=application, by=admin, price_list=price_list)
    services.quotation_respond(quotation=quotation, accept=True, by=client_user)
    contract = services.contract_issue(application=application, by=admin)
    services.contract_client_accept(contract=contract, by=client_user)
    contract = services.contract_sign(contract=contract, by=admin)
    stdout.write(
        f"  application {application.reference}, quotation {quotation.number} ({quotation.total} {quotation.currency}), "
        f"contract {contract.number} → programme {contract.programme_id}, stage 1 audit {contract.stage_1_audit_id}"
    )
