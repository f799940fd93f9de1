"""The demo: the seed client's application, review, quotation and agreement lead to its EXISTING
programme and stage 1 audit (no second programme); a second run changes nothing."""

from importlib import import_module

import pytest

from audits.models import AuditProgramme, AuditType
from clients.demo import SEED_CLIENT

from ..models import Application, ApplicationStatus, Contract, Invoice, Quotation

pytestmark = pytest.mark.django_db


class Quiet:
    def write(self, *args, **kwargs):
        pass


def test_the_demo_links_the_existing_programme(settings):
    settings.DEBUG = True
    # seed_demo's steps below this app, in its order (the command is a layer above, not imported).
    for app in (
        "accounts",
        "standards",
        "clients",
        "people",
        "audits",
        "findings",
        "reports",
        "stage1",
        "certification",
        "scheduling",
    ):
        try:
            module = import_module(f"{app}.demo")
        except ModuleNotFoundError:
            continue
        module.seed(stdout=Quiet())
    programmes = set(AuditProgramme.objects.filter(client__name_zh=SEED_CLIENT["name_zh"]).values_list("pk", flat=True))
    from applications import demo

    demo.seed(stdout=Quiet())
    application = Application.objects.get(client__name_zh=SEED_CLIENT["name_zh"], notes=demo.DEMO_NOTE)
    assert application.status == ApplicationStatus.CONTRACTED
    assert application.review.result == "accept"
    contract = Contract.objects.get(application=application)
    assert contract.programme_id in programmes
    assert contract.stage_1_audit.audit_type == AuditType.STAGE_1
    assert contract.stage_1_audit.programme_id == contract.programme_id
    assert contract.client_accepted_by.username == "client"
    assert (
        set(AuditProgramme.objects.filter(client__name_zh=SEED_CLIENT["name_zh"]).values_list("pk", flat=True))
        == programmes
    )
    invoices = {i.milestone: i for i in contract.invoices.all()}
    assert set(invoices) == {"application", "initial", "certificate"}
    assert invoices["application"].status == "paid" and invoices["initial"].status == "paid"
    assert invoices["certificate"].overdue  # the demo's overdue payment
    counts = (Application.objects.count(), Quotation.objects.count(), Contract.objects.count(), Invoice.objects.count())
    demo.seed(stdout=Quiet())
    assert (
        Application.objects.count(),
        Quotation.objects.count(),
        Contract.objects.count(),
        Invoice.objects.count(),
    ) == counts


def test_the_demo_transfer_is_under_its_pre_transfer_review_and_a_second_run_changes_nothing(settings):
    settings.DEBUG = True
    for app in ("accounts", "standards", "clients", "people", "audits", "certification"):
        try:
            module = import_module(f"{app}.demo")
        except ModuleNotFoundError:
            continue
        module.seed(stdout=Quiet())
    from applications import demo, demo_transfers
    from applications.models import TransferReview

    demo.seed(stdout=Quiet())
    application = Application.objects.get(notes=demo_transfers.DEMO_TRANSFER_NOTE)
    assert application.kind == "transfer" and application.client is None
    assert application.status == ApplicationStatus.UNDER_REVIEW
    review = TransferReview.objects.get(application=application)
    assert review.outcome == "" and review.points["certificate"]["ok"] is True
    counts = (Application.objects.count(), TransferReview.objects.count())
    demo.seed(stdout=Quiet())
    assert (Application.objects.count(), TransferReview.objects.count()) == counts
