"""The lifecycles of an application, its quotation and its certification agreement, declared once;
``core.lifecycle`` moves them.

Application (ISO/IEC 17021-1 9.1)::

    draft ─submit─▶ submitted ─start_review─▶ under_review ─accept / accept_conditions / decline─▶ …
      ▲                 │                          │
      └─────return──────┴──────────────────────────┘
    accepted / accepted_conditions ─contract─▶ contracted          draft / submitted ─withdraw─▶ withdrawn

Who: ``edit`` (the client user of the organisation, or a CB administrator, on a draft) submits and
withdraws; ``manage`` (CB administrators) starts the review, returns it and records the contract;
the review's result is concluded by a competent reviewer only (``is_competent_reviewer``: the
permission ``applications.review_application`` and competence codes covering the application's).
Submitting is guarded by completeness: the guard names everything missing.

Quotation: issued ─accept / decline (the client, or an administrator recording its answer: ``respond``)─▶ accepted / declined;
issued ─withdraw (``manage``)─▶ withdrawn.

Contract (17021-1 5.1.2): issued ─client_accept (the client user only)─▶ client_accepted;
issued / client_accepted ─sign (``manage``; guard: accepted in the portal or a signed copy
uploaded)─▶ signed; issued / client_accepted ─cancel─▶ cancelled.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop

from core.lifecycle import Machine, Move

from . import rules
from .models import (
    ACCEPTED_STATUSES,
    Application,
    ApplicationAction,
    ApplicationEvent,
    ApplicationStatus,
    Contract,
    ContractAction,
    ContractEvent,
    ContractStatus,
    Quotation,
    QuotationAction,
    QuotationEvent,
    QuotationStatus,
)

S = ApplicationStatus
ADMIN_ONLY = gettext_noop("Only a CB administrator may do this.")
APPLICANT_ONLY = gettext_noop("Only the applicant or a CB administrator may change a draft application.")
CLIENT_ONLY = gettext_noop("Only a user of the applying organisation may answer.")
REVIEWER_ONLY = gettext_noop(
    "Only a competent application reviewer (permission to review applications and competence codes "
    "covering the application's) may conclude the review."
)


def is_competent_reviewer(user: Any, application: Application) -> bool:
    from .services.review import reviewer_refusal  # the rule reads the database; no import cycle at load

    return user is not None and not reviewer_refusal(user=user, application=application)


def is_applicant_user(user: Any, contract: Contract) -> bool:
    """A client user of the applying organisation (the portal acceptance is the client's own)."""
    from core.access import Role, restricted

    return bool(
        user is not None
        and getattr(user, "role", None) == Role.CLIENT
        and restricted(Contract, user, "respond").filter(pk=contract.pk).exists()
    )


def _complete(application: Application) -> ValidationError | None:
    missing = rules.missing_for_submission(rules.facts_of(application))
    if missing:
        return ValidationError(
            gettext("The application is incomplete: %(missing)s.")
            % {"missing": "; ".join(gettext(m) for m in missing)},
            code="incomplete",
        )
    return None


def _signable(contract: Contract) -> ValidationError | None:
    if contract.client_accepted_at is None and not contract.signed_copy:
        return ValidationError(
            gettext("The client has neither accepted the agreement in the portal nor is a signed copy uploaded."),
            code="not_accepted",
        )
    return None


APPLICATION_MACHINE = Machine(
    model=Application,
    event_model=ApplicationEvent,
    subject_field="application",
    moves=[
        Move(
            ApplicationAction.SUBMIT,
            [S.DRAFT],
            S.SUBMITTED,
            who="edit",
            refused=APPLICANT_ONLY,
            label=ApplicationAction.SUBMIT.label,
            guard=_complete,
        ),
        Move(
            ApplicationAction.START_REVIEW,
            [S.SUBMITTED],
            S.UNDER_REVIEW,
            who="manage",
            refused=ADMIN_ONLY,
            label=ApplicationAction.START_REVIEW.label,
        ),
        Move(
            ApplicationAction.RETURN,
            [S.SUBMITTED, S.UNDER_REVIEW],
            S.DRAFT,
            who="manage",
            refused=ADMIN_ONLY,
            label=ApplicationAction.RETURN.label,
        ),
        Move(
            ApplicationAction.ACCEPT,
            [S.UNDER_REVIEW],
            S.ACCEPTED,
            who=is_competent_reviewer,
            refused=REVIEWER_ONLY,
            label=ApplicationAction.ACCEPT.label,
        ),
        Move(
            ApplicationAction.ACCEPT_CONDITIONS,
            [S.UNDER_REVIEW],
            S.ACCEPTED_CONDITIONS,
            who=is_competent_reviewer,
            refused=REVIEWER_ONLY,
            label=ApplicationAction.ACCEPT_CONDITIONS.label,
        ),
        Move(
            ApplicationAction.DECLINE,
            [S.UNDER_REVIEW],
            S.DECLINED,
            who=is_competent_reviewer,
            refused=REVIEWER_ONLY,
            label=ApplicationAction.DECLINE.label,
        ),
        Move(
            ApplicationAction.CONTRACT,
            ACCEPTED_STATUSES,
            S.CONTRACTED,
            who="manage",
            refused=ADMIN_ONLY,
            label=ApplicationAction.CONTRACT.label,
        ),
        Move(
            ApplicationAction.WITHDRAW,
            [S.DRAFT],
            S.WITHDRAWN,
            who="edit",
            refused=APPLICANT_ONLY,
            label=ApplicationAction.WITHDRAW.label,
        ),
    ],
)

Q = QuotationStatus
QUOTATION_MACHINE = Machine(
    model=Quotation,
    event_model=QuotationEvent,
    subject_field="quotation",
    moves=[
        Move(
            QuotationAction.ACCEPT,
            [Q.ISSUED],
            Q.ACCEPTED,
            who="respond",
            refused=CLIENT_ONLY,
            label=QuotationAction.ACCEPT.label,
        ),
        Move(
            QuotationAction.DECLINE,
            [Q.ISSUED],
            Q.DECLINED,
            who="respond",
            refused=CLIENT_ONLY,
            label=QuotationAction.DECLINE.label,
        ),
        Move(
            QuotationAction.WITHDRAW,
            [Q.ISSUED],
            Q.WITHDRAWN,
            who="manage",
            refused=ADMIN_ONLY,
            label=QuotationAction.WITHDRAW.label,
        ),
    ],
)

C = ContractStatus
CONTRACT_MACHINE = Machine(
    model=Contract,
    event_model=ContractEvent,
    subject_field="contract",
    moves=[
        Move(
            ContractAction.CLIENT_ACCEPT,
            [C.ISSUED],
            C.CLIENT_ACCEPTED,
            who=is_applicant_user,
            refused=CLIENT_ONLY,
            label=ContractAction.CLIENT_ACCEPT.label,
        ),
        Move(
            ContractAction.SIGN,
            [C.ISSUED, C.CLIENT_ACCEPTED],
            C.SIGNED,
            who="manage",
            refused=ADMIN_ONLY,
            label=ContractAction.SIGN.label,
            guard=_signable,
        ),
        Move(
            ContractAction.CANCEL,
            [C.ISSUED, C.CLIENT_ACCEPTED],
            C.CANCELLED,
            who="manage",
            refused=ADMIN_ONLY,
            label=ContractAction.CANCEL.label,
        ),
    ],
)

# Reported changes have their machine in their own module; imported here so it is registered.
from .change_lifecycle import CHANGE_MACHINE  # noqa: E402, F401


# Invoice (no accounting): issued ─pay (``manage``)─▶ paid; issued ─cancel (``manage``)─▶ cancelled.
# A paid invoice is final; a correction of an unpaid one is its cancellation and a new invoice.
def _invoice_machine() -> Machine:
    from .models import Invoice, InvoiceAction, InvoiceEvent, InvoiceStatus

    return Machine(
        model=Invoice,
        event_model=InvoiceEvent,
        subject_field="invoice",
        moves=[
            Move(
                InvoiceAction.PAY,
                [InvoiceStatus.ISSUED],
                InvoiceStatus.PAID,
                who="manage",
                refused=ADMIN_ONLY,
                label=InvoiceAction.PAY.label,
            ),
            Move(
                InvoiceAction.CANCEL,
                [InvoiceStatus.ISSUED],
                InvoiceStatus.CANCELLED,
                who="manage",
                refused=ADMIN_ONLY,
                label=InvoiceAction.CANCEL.label,
            ),
        ],
    )


INVOICE_MACHINE = _invoice_machine()
