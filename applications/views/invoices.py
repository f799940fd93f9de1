"""Invoices per milestone of a signed agreement (no accounting): the CB's list, an agreement's
invoices with issuing, payment and cancellation (CB administrators), the client's own in the
portal. Objects only through ``restrict()``; every rule in ``applications.services.invoices``."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import CB_ADMIN, CB_STAFF, CLIENT_USER, STAFF_ROLES, Role, access, roles
from core.dates import local_today
from core.views import filtered_list, perform

from .. import selectors, services
from ..filters import InvoiceFilter
from ..forms import InvoiceCancelForm, InvoiceIssueForm, InvoicePaidForm
from ..lifecycle import INVOICE_MACHINE
from ..models import Contract, Invoice, InvoiceEvent, InvoiceMilestone

STAFF_OR_CLIENT = roles(*STAFF_ROLES, Role.CLIENT)
COLUMNS = [
    gettext_lazy("Invoice number"),
    gettext_lazy("Organisation"),
    gettext_lazy("Milestone"),
    gettext_lazy("Amount"),
    gettext_lazy("Invoice date"),
    gettext_lazy("Due on"),
    gettext_lazy("Status"),
]


@access(CB_STAFF)
def invoice_list(request):
    return filtered_list(
        request,
        queryset=selectors.invoice_list(user=request.user),
        filterset_class=InvoiceFilter,
        template_name="applications/invoices/list.html",
        context={"columns": COLUMNS},
    )


@access(CLIENT_USER)
def portal_invoices(request):
    return render(
        request,
        "applications/invoices/portal.html",
        {"invoices": list(selectors.invoice_list(user=request.user))},
    )


@access(STAFF_OR_CLIENT)
def contract_invoices(request, pk):
    contract = get_object_or_404(
        Contract.objects.restrict(request.user, "view").select_related("application", "quotation", "programme"), pk=pk
    )
    invoices = list(
        contract.invoices.select_related("paid_by", "issued_by").prefetch_related(
            Prefetch("events", queryset=InvoiceEvent.objects.select_related("by").order_by("at", "pk"))
        )
    )
    may_manage = Contract.objects.restrict(request.user, "manage").filter(pk=contract.pk).exists()
    amounts = services.contract_milestones(contract)
    live = {i.milestone for i in invoices if i.status != "cancelled"}
    open_amounts = {key: value for key, value in amounts.items() if key not in live}
    return render(
        request,
        "applications/invoices/contract.html",
        {
            "contract": contract,
            "invoices": invoices,
            "milestone_rows": [(InvoiceMilestone(key).label, value) for key, value in amounts.items()],
            "may_manage": may_manage and contract.status == "signed",
            "issue_form": InvoiceIssueForm(amounts=open_amounts),
            "has_open": bool(open_amounts),
            # Both moves are the administrators' (``manage``, asked once above): per invoice, the
            # moves its status allows, without a query per row.
            "actions": {
                i.pk: {str(m.action) for m in INVOICE_MACHINE.moves if i.status in m.sources} if may_manage else set()
                for i in invoices
            },
            "paid_form": InvoicePaidForm(initial={"paid_on": local_today()}),
            "cancel_form": InvoiceCancelForm(),
        },
    )


@require_POST
@access(CB_ADMIN)
def invoice_issue(request, pk):
    contract = get_object_or_404(Contract.objects.restrict(request.user, "manage").select_related("quotation"), pk=pk)
    form = InvoiceIssueForm(request.POST, amounts=services.contract_milestones(contract))
    if not form.is_valid():
        messages.error(request, _("Choose a milestone not yet invoiced; an amount is a number of at most 12 digits."))
        return redirect("applications:contract_invoices", pk)
    milestone = form.cleaned_data["milestone"]
    replaces = contract.invoices.filter(milestone=milestone, status="cancelled").order_by("-issued_at").first()
    perform(
        request,
        lambda: services.invoice_issue(
            contract=contract,
            milestone=milestone,
            amount=form.cleaned_data.get("amount"),
            replaces=replaces,
            by=request.user,
        ),
        success=_("Invoice issued."),
        form=form,
    )
    return redirect("applications:contract_invoices", pk)


@require_POST
@access(CB_ADMIN)
def invoice_act(request, pk):
    invoice = get_object_or_404(Invoice.objects.restrict(request.user, "manage"), pk=pk)
    action = request.POST.get("action", "")
    if action == "pay":
        form = InvoicePaidForm(request.POST)
        if form.is_valid():
            perform(
                request,
                lambda: services.invoice_mark_paid(
                    invoice=invoice,
                    paid_on=form.cleaned_data["paid_on"],
                    note=form.cleaned_data["note"],
                    version=form.cleaned_data.get("version"),
                    by=request.user,
                ),
                success=_("Payment recorded."),
            )
        else:
            messages.error(request, _("Enter the day of the payment."))
    elif action == "cancel":
        form = InvoiceCancelForm(request.POST)
        if form.is_valid():
            perform(
                request,
                lambda: services.invoice_cancel(
                    invoice=invoice,
                    reason=form.cleaned_data["reason"],
                    version=form.cleaned_data.get("version"),
                    by=request.user,
                ),
                success=_("Invoice cancelled."),
            )
        else:
            messages.error(request, _("Say why the invoice is cancelled."))
    else:
        messages.error(request, _("Choose an action."))
    return redirect("applications:contract_invoices", invoice.contract_id)
