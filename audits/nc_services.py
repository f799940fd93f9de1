"""The nonconformity lifecycle, enforced here and nowhere else (views, the portal, the demo and
the reminder job call these functions).

    open ──respond (client)──▶ responded ──accept (auditor)──▶ verified ──close (leader)──▶ closed
      ▲                          │                               │
      └──── returned ◀──reject (auditor, reason)                 │
               ▲  └──respond (client, new round)──▶ responded    │
               └──────────────── reject_closure (leader, reason) ┘

Who may act is the NC queryset's ``restrict(user, action)`` (``respond``: the audited
organisation's client users; ``verify``: the audit's leader and members; ``approve``: the
audit's leader). Each move locks the NC, checks the status (and the version the actor saw),
writes the NC, the round's decision and a ``NonconformityTransition`` row in one transaction.
A client's answer is a new ``NonconformityResponse`` round; nothing is overwritten.

``nonconformity_reminders_send`` is the daily reminder job (``audits.tasks``).
"""

import logging
import os
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.access import Role
from core.lifecycle import Machine, Move

from . import nc_rules, nc_selectors
from .models import Audit, AuditStatus, Nonconformity, NonconformityGrade, NonconformityStatus
from .models.nc_lifecycle import (
    ClosureDecision,
    NonconformityAction,
    NonconformityDueRule,
    NonconformityEvidence,
    NonconformityReminder,
    NonconformityResponse,
    NonconformityTransition,
    VerificationDecision,
    VerificationMethod,
)

logger = logging.getLogger(__name__)

MAX_FILES_PER_ROUND = 10


S = NonconformityStatus
NC_MACHINE = Machine(
    model=Nonconformity,
    event_model=NonconformityTransition,
    subject_field="nc",
    stale_message=gettext_noop(
        "Someone else acted on this nonconformity since you opened it. Nothing was saved; reload the page."
    ),
    wrong_status_message=gettext_noop("This nonconformity is now “%(status)s”: “%(action)s” is not possible."),
    moves=[
        Move(
            NonconformityAction.RESPOND,
            [S.OPEN, S.RETURNED],
            S.RESPONDED,
            who="respond",
            refused=gettext_noop("Only a user of the audited organisation may answer its nonconformities."),
            label=NonconformityAction.RESPOND.label,
        ),
        Move(
            NonconformityAction.ACCEPT,
            [S.RESPONDED],
            S.VERIFIED,
            who="verify",
            refused=gettext_noop("Only the audit's team leader or a team member (auditor) may verify a response."),
            label=NonconformityAction.ACCEPT.label,
        ),
        Move(
            NonconformityAction.REJECT,
            [S.RESPONDED],
            S.RETURNED,
            who="verify",
            refused=gettext_noop("Only the audit's team leader or a team member (auditor) may verify a response."),
            label=NonconformityAction.REJECT.label,
        ),
        Move(
            NonconformityAction.CLOSE,
            [S.VERIFIED],
            S.CLOSED,
            who="approve",
            refused=gettext_noop("Only the audit's team leader may approve or reject a closure."),
            label=NonconformityAction.CLOSE.label,
        ),
        Move(
            NonconformityAction.REJECT_CLOSURE,
            [S.VERIFIED],
            S.RETURNED,
            who="approve",
            refused=gettext_noop("Only the audit's team leader may approve or reject a closure."),
            label=NonconformityAction.REJECT_CLOSURE.label,
        ),
    ],
)


def may(user, nc, action):
    """Whether ``user`` may take ``action`` (a NonconformityAction) on ``nc`` now."""
    return NC_MACHINE.may(user, nc, action)


def allowed_actions(user, nc):
    """The actions ``user`` may take on ``nc`` now (for pages: which forms to show)."""
    return NC_MACHINE.allowed(user, nc)


def _require(*, nc, action, by):
    """Refuse an actor who may not take ``action`` on ``nc`` at all (whatever its status)."""
    NC_MACHINE.require(by, nc, action)


def _move_on_round(*, nc, action, by, version=None, note="", decide):
    """Move the NC and record the decision on its current round (``decide(response)``), the
    event row naming that round."""

    def on_locked(locked):
        response = _current_round(locked)
        decide(response)
        response._history_user = by
        response.save()
        return {"response": response}

    locked, transition = NC_MACHINE.move(nc, action, by=by, version=version, note=note, on_locked=on_locked)
    return locked, transition.response


def _current_round(nc):
    return nc.responses.order_by("-round").first()


# --- the client's response -------------------------------------------------------------------


def nc_evidence_add(*, response, uploaded_file, by):
    """Attach an evidence file to a round (type and size checked on name and content)."""
    from clients.uploads import check_document

    content_type = check_document(uploaded_file)
    evidence = NonconformityEvidence(
        response=response,
        original_name=os.path.basename(uploaded_file.name)[:255],
        size=uploaded_file.size,
        content_type=content_type,
        uploaded_by=by,
    )
    evidence.file.save(uploaded_file.name, uploaded_file, save=False)
    evidence._history_user = by
    evidence.save()
    return evidence


@transaction.atomic
def nonconformity_respond(*, nc, by, correction, root_cause, corrective_action, files=(), version=None):
    """The client answers an open or returned NC: a new round with its evidence files."""
    _require(nc=nc, action=NonconformityAction.RESPOND, by=by)
    errors = {}
    texts = {}
    for field, value, message in (
        ("correction", correction, _("Describe the correction.")),
        ("root_cause", root_cause, _("Give the root-cause analysis.")),
        ("corrective_action", corrective_action, _("Describe the corrective action.")),
    ):
        value = (value or "").strip()
        if value:
            texts[field] = value
        else:
            errors[field] = [message]
    files = list(files or ())
    if len(files) > MAX_FILES_PER_ROUND:
        errors["files"] = [_("At most %(n)s files per response.") % {"n": MAX_FILES_PER_ROUND}]
    if errors:
        raise ValidationError(errors)

    def new_round(locked):
        number = (locked.responses.aggregate(m=Max("round"))["m"] or 0) + 1
        response = NonconformityResponse(nc=locked, round=number, submitted_by=by, **texts)
        response._history_user = by
        response.save()
        return {"response": response}

    _locked, transition = NC_MACHINE.move(nc, NonconformityAction.RESPOND, by=by, version=version, on_locked=new_round)
    response = transition.response
    for uploaded in files:
        nc_evidence_add(response=response, uploaded_file=uploaded, by=by)
    return response


# --- the auditor's verification ---------------------------------------------------------------


@transaction.atomic
def nonconformity_accept(*, nc, by, method, note="", version=None):
    """The auditor accepts the current round: its correction and corrective action are
    effective (or, for a minor, the action plan is acceptable and will be verified at the next
    audit)."""
    _require(nc=nc, action=NonconformityAction.ACCEPT, by=by)
    if method not in VerificationMethod.values:
        raise ValidationError({"method": _("Choose how the response was verified.")})
    if method == VerificationMethod.NEXT_AUDIT and nc.grade == NonconformityGrade.MAJOR:
        raise ValidationError({"method": _("A major nonconformity must be verified now, not at the next audit.")})
    note = (note or "").strip()

    def accepted(response):
        response.verification = VerificationDecision.ACCEPTED
        response.verification_method = method
        response.verification_note = note
        response.verified_by, response.verified_at = by, timezone.now()
        response.closure = ClosureDecision.PENDING

    locked, response = _move_on_round(
        nc=nc, action=NonconformityAction.ACCEPT, by=by, version=version, note=note, decide=accepted
    )
    _advance_audit_if_ready(audit=locked.audit, by=by)
    return response


@transaction.atomic
def nonconformity_reject(*, nc, by, reason, version=None):
    """The auditor rejects the current round; the NC goes back to the client with the reason."""
    _require(nc=nc, action=NonconformityAction.REJECT, by=by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the response is rejected: the client reads it.")})

    def rejected(response):
        response.verification = VerificationDecision.REJECTED
        response.verification_note = reason
        response.verified_by, response.verified_at = by, timezone.now()

    _locked, response = _move_on_round(
        nc=nc, action=NonconformityAction.REJECT, by=by, version=version, note=reason, decide=rejected
    )
    return response


# --- the team leader's closure -------------------------------------------------------------------


@transaction.atomic
def nonconformity_close(*, nc, by, note="", version=None):
    """The team leader approves the closure of a verified NC."""
    note = (note or "").strip()

    def approved(response):
        response.closure = ClosureDecision.APPROVED
        response.closure_note = note
        response.closure_by, response.closure_at = by, timezone.now()

    locked, response = _move_on_round(
        nc=nc, action=NonconformityAction.CLOSE, by=by, version=version, note=note, decide=approved
    )
    _advance_audit_if_ready(audit=locked.audit, by=by)
    return response


@transaction.atomic
def nonconformity_reject_closure(*, nc, by, reason, version=None):
    """The team leader refuses the closure: the NC goes back to the client with the reason."""
    _require(nc=nc, action=NonconformityAction.REJECT_CLOSURE, by=by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the closure is rejected: the client reads it.")})

    def refused(response):
        response.closure = ClosureDecision.REJECTED
        response.closure_note = reason
        response.closure_by, response.closure_at = by, timezone.now()

    _locked, response = _move_on_round(
        nc=nc, action=NonconformityAction.REJECT_CLOSURE, by=by, version=version, note=reason, decide=refused
    )
    return response


# --- the audit moves on when its NCs allow ---------------------------------------------------------


def _advance_audit_if_ready(*, audit, by):
    """Report approved and every major closed, every minor at least accepted: the audit
    becomes "nonconformities closed" (DESIGN.md audit lifecycle), logged as any audit move."""
    from . import services

    status = Audit.objects.values_list("status", flat=True).get(pk=audit.pk)
    if status != AuditStatus.APPROVED:
        return False
    if not nc_selectors.audit_nc_readiness(audit=audit).ready:
        return False
    services.audit_move(
        audit=audit,
        action="ncs_closed",
        by=by,
        note=_("Every major nonconformity is closed and every minor one has an accepted action plan."),
    )
    return True


# --- the CB's due-date rules -----------------------------------------------------------------


@transaction.atomic
def nc_due_rule_save(*, by, grade, audit_type="", days, source="", rule=None):
    """Create or change a due-date rule (CB administrators). Existing NCs keep their due date."""
    if not (by.is_authenticated and by.is_active and by.role == Role.CB_ADMIN):
        raise PermissionDenied(_("Only a CB administrator may change the due-date rules."))
    if grade not in (NonconformityGrade.MAJOR, NonconformityGrade.MINOR):
        raise ValidationError({"grade": _("Due dates apply to major and minor nonconformities only.")})
    if days is None or int(days) < 1:
        raise ValidationError({"days": _("Enter a number of days of at least 1.")})
    clash = NonconformityDueRule.objects.filter(grade=grade, audit_type=audit_type or "")
    if rule is not None:
        clash = clash.exclude(pk=rule.pk)
    if clash.exists():
        raise ValidationError(_("There is already a rule for this grade and audit type."))
    rule = rule or NonconformityDueRule()
    rule.grade, rule.audit_type, rule.days, rule.source = grade, audit_type or "", int(days), (source or "").strip()
    rule._history_user = by
    rule.save()
    return rule


@transaction.atomic
def nc_due_rule_delete(*, by, rule):
    if not (by.is_authenticated and by.is_active and by.role == Role.CB_ADMIN):
        raise PermissionDenied(_("Only a CB administrator may change the due-date rules."))
    rule._history_user = by
    rule.delete()


# --- reminders ----------------------------------------------------------------------------------


@dataclass
class ReminderRun:
    sent: int = 0
    skipped_no_recipient: int = 0
    already_sent: int = 0


def _recipients(nc):
    client_to = [nc.audit.client.contact_email] if nc.audit.client.contact_email else []
    auditor = nc.raised_by if nc.raised_by is not None and nc.raised_by.is_active and nc.raised_by.email else None
    if auditor is None:
        leader = nc.audit.leader
        user = leader.profile.user if leader is not None else None
        auditor = user if user is not None and user.is_active and user.email else None
    auditor_to = [auditor.email] if auditor else []
    return client_to, auditor_to


def _reminder_message(*, nc, step, client_to, auditor_to, today):
    context = {
        "nc": nc,
        "step": step.key,
        "overdue": step.offset_days > 0,
        "due_date": nc.due_date,
        "days_late": (today - nc.due_date).days,
        "days_left": (nc.due_date - today).days,
        "awaiting_client": nc.status in nc_rules.AWAITING_CLIENT,
        "client": nc.audit.client,
        "site_url": getattr(settings, "SITE_URL", ""),
    }
    parts, subjects = [], []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            subjects.append(render_to_string("audits/nc_reminder_subject.txt", context).strip())
            parts.append(render_to_string("audits/nc_reminder_email.txt", context).strip())
    to = client_to or auditor_to
    cc = auditor_to if client_to else []
    return EmailMessage(
        subject=" / ".join(subjects),
        body="\n\n----------\n\n".join(parts),
        to=to,
        cc=cc,
        from_email=settings.DEFAULT_FROM_EMAIL,
    )


def nonconformity_reminders_send(*, today=None):
    """Mail the client contact and the auditor about NCs due soon or overdue, once per step.

    For each NC that still waits for the client or the auditor, the step of the day
    (``nc_rules.reminder_step``) is claimed by inserting its ``NonconformityReminder`` row and the
    mail is sent in the same transaction: a second run (or a second worker) finds the row — or
    blocks on it and then fails the unique constraint — and sends nothing. If sending fails the
    row is rolled back and the next run tries again.
    """
    today = today or timezone.localdate()
    run = ReminderRun()
    candidates = (
        Nonconformity.objects.filter(status__in=nc_rules.AWAITING_VERIFICATION, due_date__isnull=False)
        .select_related("audit__client", "raised_by", "clause")
        .prefetch_related("reminders")
        .order_by("pk")
    )
    for nc in candidates:
        sent = frozenset(r.step for r in nc.reminders.all() if r.due_date == nc.due_date)
        step = nc_rules.reminder_step(due=nc.due_date, status=nc.status, today=today, sent=sent)
        if step is None:
            if sent:
                run.already_sent += 1
            continue
        client_to, auditor_to = _recipients(nc)
        if not client_to and not auditor_to:
            run.skipped_no_recipient += 1
            logger.warning("NC %s: no e-mail address for the client contact or the auditor", nc.pk)
            continue
        try:
            with transaction.atomic():
                NonconformityReminder.objects.create(
                    nc=nc, step=step.key, due_date=nc.due_date, recipients=", ".join(client_to + auditor_to)
                )
                _reminder_message(nc=nc, step=step, client_to=client_to, auditor_to=auditor_to, today=today).send()
        except IntegrityError:
            run.already_sent += 1
            continue
        run.sent += 1
    return run
