"""The applications app's rules: ``from applications import services``.

* ``applications``: drafts, attachments, submission, the review opened or returned;
* ``review``: the application review (17021-1 9.1.2), the reviewer's competence, code coverage,
  the audit days of the cycle;
* ``commercial``: the quotation and the certification agreement whose signing creates the
  programme and the stage 1 audit;
* ``transfers``: the transfer of certification from another CB (IAF MD 2);
* ``changes``: changes a certified client reports (name, address, scope).
* ``invoices``: invoices per milestone of a signed agreement, payment, the release policy;
* ``registration``: a new organisation registers itself in the portal.
"""

from .applications import SiteRow, StandardRow, application_move, application_save, attachment_add
from .changes import change_approve, change_reject, change_report
from .commercial import (
    contract_client_accept,
    contract_issue,
    contract_sign,
    contract_upload_signed,
    prices_of,
    quotation_issue,
    quotation_respond,
)
from .invoices import certificate_fee_hold, contract_milestones, invoice_cancel, invoice_issue, invoice_mark_paid
from .registration import organisation_register, registration_confirm
from .review import application_cycle, code_coverage, require_reviewer, review_conclude, review_save, reviewer_refusal
from .transfers import (
    transfer_assess,
    transfer_case,
    transfer_decision_open,
    transfer_proceed,
    transfer_review_conclude,
    transfer_review_save,
)

__all__ = [
    "SiteRow",
    "StandardRow",
    "application_cycle",
    "application_move",
    "application_save",
    "attachment_add",
    "certificate_fee_hold",
    "change_approve",
    "change_reject",
    "change_report",
    "code_coverage",
    "contract_client_accept",
    "contract_issue",
    "contract_milestones",
    "contract_sign",
    "contract_upload_signed",
    "invoice_cancel",
    "invoice_issue",
    "invoice_mark_paid",
    "organisation_register",
    "prices_of",
    "quotation_issue",
    "quotation_respond",
    "registration_confirm",
    "require_reviewer",
    "review_conclude",
    "review_save",
    "reviewer_refusal",
    "transfer_assess",
    "transfer_case",
    "transfer_decision_open",
    "transfer_proceed",
    "transfer_review_conclude",
    "transfer_review_save",
]
