"""The daily reminder job (``findings.tasks``): mails the client contact and the auditor before
and after an NC's due date, once per step, however often or on how many workers it runs."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from core.dates import local_today

from .. import rules
from ..models import Nonconformity, NonconformityReminder

logger = logging.getLogger(__name__)


@dataclass
class ReminderRun:
    sent: int = 0
    skipped_no_recipient: int = 0
    already_sent: int = 0


def _recipients(nc: Nonconformity) -> tuple[list[str], list[str]]:
    client_to = [nc.audit.client.contact_email] if nc.audit.client.contact_email else []
    auditor = nc.raised_by if nc.raised_by is not None and nc.raised_by.is_active and nc.raised_by.email else None
    if auditor is None:
        leader = nc.audit.leader
        user = leader.profile.user if leader is not None else None
        auditor = user if user is not None and user.is_active and user.email else None
    auditor_to = [auditor.email] if auditor else []
    return client_to, auditor_to


def _reminder_message(
    *,
    nc: Nonconformity,
    due: datetime.date,
    step: rules.ReminderStep,
    client_to: list[str],
    auditor_to: list[str],
    today: datetime.date,
) -> EmailMessage:
    context = {
        "nc": nc,
        "step": step.key,
        "overdue": step.offset_days > 0,
        "due_date": due,
        "days_late": (today - due).days,
        "days_left": (due - today).days,
        "awaiting_client": nc.status in rules.AWAITING_CLIENT,
        "client": nc.audit.client,
        "site_url": getattr(settings, "SITE_URL", ""),
    }
    parts: list[str] = []
    subjects: list[str] = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            subjects.append(render_to_string("findings/reminder_subject.txt", context).strip())
            parts.append(render_to_string("findings/reminder_email.txt", context).strip())
    to = client_to or auditor_to
    cc = auditor_to if client_to else []
    return EmailMessage(
        subject=" / ".join(subjects),
        body="\n\n----------\n\n".join(parts),
        to=to,
        cc=cc,
        from_email=settings.DEFAULT_FROM_EMAIL,
    )


def nonconformity_reminders_send(*, today: datetime.date | None = None) -> ReminderRun:
    """Mail the client contact and the auditor about NCs due soon or overdue, once per step.

    For each NC that still waits for the client or the auditor, the step of the day
    (``rules.reminder_step``) is claimed by inserting its ``NonconformityReminder`` row and the
    mail is sent in the same transaction: a second run (or a second worker) finds the row — or
    blocks on it and then fails the unique constraint — and sends nothing. If sending fails the
    row is rolled back and the next run tries again.
    """
    # Not one transaction: each NC's reminder is claimed and mailed in its own, so a mail that
    # fails is retried next run without undoing the reminders already sent.
    today = today or local_today()
    run = ReminderRun()
    candidates = (
        Nonconformity.objects.filter(status__in=rules.AWAITING_VERIFICATION, due_date__isnull=False)
        .select_related("audit__client", "raised_by", "clause")
        .prefetch_related("reminders")
        .order_by("pk")
    )
    for nc in candidates:
        due = nc.due_date
        if due is None:  # the query leaves these out; this tells the type checker
            continue
        sent = frozenset(r.step for r in nc.reminders.all() if r.due_date == due)
        step = rules.reminder_step(due=due, status=nc.status, today=today, sent=sent)
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
                    nc=nc, step=step.key, due_date=due, recipients=", ".join(client_to + auditor_to)
                )
                _reminder_message(
                    nc=nc, due=due, step=step, client_to=client_to, auditor_to=auditor_to, today=today
                ).send()
        except IntegrityError:
            run.already_sent += 1
            continue
        run.sent += 1
    return run
