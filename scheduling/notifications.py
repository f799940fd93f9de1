"""The assignment mail: each person put on a team gets an e-mail with an .ics attachment
(``audits.registry`` tells this module after the commit; the mail goes out as a Celery task)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from audits.models import TeamAssignment

from .ical import assignments_ics

logger = logging.getLogger(__name__)


def assignment_added(assignment_id: int) -> None:
    """Listener of ``audits.registry``: queue the mail (called after the commit)."""
    from .tasks import send_assignment_mail

    send_assignment_mail.delay(assignment_id)


def assignment_mail_send(assignment_id: int) -> bool:
    """Mail the assignment with its .ics; False when there is nobody to mail (no address, or the
    assignment is gone)."""
    assignment = (
        TeamAssignment.objects.filter(pk=assignment_id).select_related("audit__client", "profile__user").first()
    )
    if assignment is None or not assignment.profile.user.email:
        return False
    audit = assignment.audit
    subject = _("Audit assignment: %(audit)s") % {"audit": audit}
    body = _(
        "You are on the team of %(audit)s as %(role)s, from %(start)s to %(end)s. The attached calendar file "
        "adds it to your calendar."
    ) % {
        "audit": audit,
        "role": assignment.get_role_display(),
        "start": audit.start_date.isoformat(),
        "end": audit.end_date.isoformat(),
    }
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[assignment.profile.user.email]
    )
    message.attach(
        f"audit-{audit.pk}.ics",
        assignments_ics(name=str(audit), assignments=[assignment]),
        "text/calendar; method=PUBLISH",
    )
    message.send()
    return True
