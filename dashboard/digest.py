"""The weekly e-mail digest: each active user who has not opted out gets, once per ISO week, their
start page by mail — its role sections (``dashboard.selectors.start_page``, as lines by
``dashboard.digest_sections``), the other things waiting for them (the next actions the sections do
not show) and, for CB administrators and the committee, the CB's figures in a few lines. Plain text and HTML, in the user's digest language.

Once per week per user: sending is one transaction that first inserts ``DigestSent(user, week)``;
a second run in the same week (or a concurrent one, held by the unique constraint) finds the row
and sends nothing, and a mail that fails to go leaves no row, so the next run sends it.
"""

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.access import Role
from core.dates import local_today
from core.navigation import Action, next_actions_for

from . import figures
from .digest_sections import Section, absolute, sections_of
from .models import DigestPreference, DigestSent
from .selectors import other_actions, start_page

logger = logging.getLogger(__name__)

# How many things waiting a digest lists; the rest are counted ("and 12 more").
MAX_ACTIONS = 10
FIGURE_READERS = (Role.CB_ADMIN, Role.COMMITTEE)


def iso_week(day: datetime.date) -> str:
    """The ISO week of ``day``: "2026-W49" (the week of 2026-12-01, a Tuesday)."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class FigureLine:
    title: str
    text: str


@dataclass
class Summary:
    """What a user's digest answers: the start page's sections, the other things waiting (first
    ``MAX_ACTIONS``), the count of everything waiting, and figures for the CB's managers."""

    sections: list[Section]
    actions: list[Action]
    other_count: int
    action_count: int
    urgent_count: int
    figure_lines: list[FigureLine] = field(default_factory=list)
    figures_url: str = ""


def _figure_lines(today: datetime.date) -> list[FigureLine]:
    out = []
    for one in figures.figures(figures.START_PAGE_FIGURES, today=today):
        if one.name == "audits-per-month":
            # This month only: scheduled and done.
            parts = [f"{series.name} {series.values[-1]}" for series in one.series]
            out.append(FigureLine(f"{one.title} ({one.labels[-1]})", " · ".join(parts)))
            continue
        if len(one.series) == 1:
            parts = [f"{label} {value}" for label, value in zip(one.labels, one.series[0].values, strict=True)]
        else:
            parts = [f"{series.name} {sum(series.values, 0)}" for series in one.series]
            if one.name == "nc-ageing":
                over = sum(series.values[-1] for series in one.series)
                parts.append(f"{one.labels[-1]}: {over}")
        out.append(FigureLine(one.title, " · ".join(parts)))
    return out


def summary_for(user: Any, *, today: datetime.date | None = None) -> Summary:
    """The user's digest content in the active language: what their start page shows."""
    page = start_page(user)
    waiting = next_actions_for(user)
    others = other_actions(user, page["sections"], waiting)
    result = Summary(
        sections=sections_of(page),
        actions=[
            Action(label=a.label, url=absolute(a.url), detail=a.detail, urgent=a.urgent) for a in others[:MAX_ACTIONS]
        ],
        other_count=len(others),
        action_count=len(waiting),
        urgent_count=sum(1 for a in waiting if a.urgent),
    )
    if user.role in FIGURE_READERS:
        result.figure_lines = _figure_lines(today or local_today())
        result.figures_url = absolute(reverse("figures:figures"))
    return result


def digest_message(user: Any, *, today: datetime.date | None = None) -> EmailMultiAlternatives:
    """The user's digest mail (plain text with an HTML alternative), in their digest language."""
    preference = DigestPreference.objects.filter(user=user).first()
    language = preference.language if preference is not None else settings.LANGUAGE_CODE
    day = today or local_today()
    with translation.override(language):
        context = {
            "user": user,
            "summary": summary_for(user, today=day),
            "week": iso_week(day),
            "home_url": absolute(reverse("accounts:home")),
            "preference_url": absolute(reverse("figures:digest_preference")),
            "more": 0,
        }
        context["more"] = context["summary"].other_count - len(context["summary"].actions)
        subject = _("Your week at %(site)s: %(count)s waiting for you") % {
            "site": _("auditbody"),
            "count": context["summary"].action_count,
        }
        text = render_to_string("dashboard/digest_email.txt", context)
        html = render_to_string("dashboard/digest_email.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    return message


def recipients() -> Any:
    """Active users with an e-mail address who have not opted out."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .exclude(digest_preference__weekly=False)
        .order_by("pk")
    )


@dataclass
class DigestRun:
    sent: int = 0
    skipped: int = 0  # already sent this week
    failed: int = 0


def _already_sent(user: Any, week: str) -> bool:
    return DigestSent.objects.filter(user=user, week=week).exists()


def digest_send(user: Any, *, today: datetime.date | None = None) -> bool:
    """Send ``user`` this week's digest unless it went already; True when sent. The row and the
    mail are one transaction: the row first (a second sender waits on the unique index, then finds
    it and sends nothing), the mail last (a mail that fails leaves no row)."""
    day = today or local_today()
    week = iso_week(day)
    if _already_sent(user, week):
        return False
    try:
        with transaction.atomic():
            DigestSent.objects.create(user=user, week=week)
            digest_message(user, today=day).send()
    except IntegrityError:
        return False  # a concurrent run sent it
    return True


def weekly_digest_send(*, today: datetime.date | None = None) -> DigestRun:
    """The beat job: every recipient's digest for this week, user by user (one failing mail does
    not stop the others; it is sent at the next run)."""
    day = today or local_today()
    run = DigestRun()
    for user in recipients():
        try:
            if digest_send(user, today=day):
                run.sent += 1
            else:
                run.skipped += 1
        except Exception:  # one user's mail must not stop the others
            logger.exception("weekly digest for user %s failed", user.pk)
            run.failed += 1
    return run


@transaction.atomic
def digest_preference_set(*, user: Any, weekly: bool, language: str) -> DigestPreference:
    """The user's own digest choice (opt-out and language)."""
    preference, _created = DigestPreference.objects.update_or_create(
        user=user, defaults={"weekly": weekly, "language": language}
    )
    return preference
