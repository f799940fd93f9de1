"""The daily reminder of complaint and appeal deadlines (run by Celery beat: ``complaints.tasks``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from core.access import Role
from core.dates import day_text

from ..models import OPEN_APPEAL_STATUSES, OPEN_COMPLAINT_STATUSES, Appeal, Complaint, ComplaintStatus
from ..rules import reminder_due
from .common import policy, today


@dataclass
class ReminderRun:
    sent: int = 0


def _deadline_of(record: Complaint | Appeal) -> tuple[str, datetime.date]:
    """The deadline that applies now: acknowledging a complaint received, else answering."""
    if isinstance(record, Complaint) and record.status == ComplaintStatus.RECEIVED:
        return _("acknowledge"), record.acknowledge_due_on
    return _("answer"), record.answer_due_on


def complaint_reminders_send() -> ReminderRun:
    """Mail the CB administrators and the handler about each open complaint or appeal whose
    deadline is ``remind_before_days`` away or past (every day once past). It writes no row: a
    run repeated on the same day mails again, so beat runs it once a day."""
    rules = policy()
    day = today()
    run = ReminderRun()
    admins = list(
        get_user_model()
        .objects.filter(is_active=True, role=Role.CB_ADMIN)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    records: list[Complaint | Appeal] = [
        *Complaint.objects.filter(status__in=OPEN_COMPLAINT_STATUSES).select_related("investigator"),
        *Appeal.objects.filter(status__in=OPEN_APPEAL_STATUSES).select_related("reviewer"),
    ]
    for record in records:
        step, due_on = _deadline_of(record)
        if not reminder_due(due_on=due_on, today=day, before_days=rules.remind_before_days):
            continue
        handler = record.investigator if isinstance(record, Complaint) else record.reviewer
        to = sorted({*admins, *([handler.email] if handler is not None and handler.email else [])})
        if not to:
            continue
        send_mail(
            _("%(reference)s: %(step)s by %(date)s")
            % {"reference": record.reference, "step": step, "date": day_text(due_on)},
            _("%(reference)s (%(status)s) is to %(step)s by %(date)s.")
            % {
                "reference": record.reference,
                "status": record.get_status_display(),
                "step": step,
                "date": day_text(due_on),
            },
            settings.DEFAULT_FROM_EMAIL,
            to,
        )
        run.sent += 1
    return run
