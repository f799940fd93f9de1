"""The certification app's menu entries and home-page actions: the committee's dashboard and the
certificates; on the home page, what waits for this user (a review to open or do, an issue to
answer as team leader, a decision to evaluate or approve, a matter the daily check raised)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.access import AUDITING_STAFF, CB_ADMIN, COMMITTEE, DECISION_APPROVER
from core.dates import day_text
from core.navigation import GROUP_CERTIFICATION, Action, NavItem

from . import dashboard, selectors
from .models import DecisionStatus

ITEMS = [
    NavItem(
        gettext_lazy("Certification committee"),
        "certification:dashboard",
        description=gettext_lazy("Technical reviews, certification decisions, matters raised by the daily check."),
        order=50,
        group=GROUP_CERTIFICATION,
    ),
    NavItem(
        gettext_lazy("Certificates"),
        "certification:certificate_list",
        description=gettext_lazy("Certificates, their status and history."),
        order=55,
        group=GROUP_CERTIFICATION,
    ),
]


def _d(value):
    return day_text(value)


def next_actions(user, shown=frozenset()):
    """``shown``: kinds of action the page shows already (a start page's sections): not computed."""
    actions = []
    if not (user.is_authenticated and user.is_active):
        return actions
    if CB_ADMIN.allows(user) and "review_to_open" not in shown:
        for audit in dashboard.audits_awaiting_review(user=user)[:10]:
            actions.append(
                Action(
                    label=_("Open the technical review: %(client)s · %(audit)s")
                    % {"client": audit.client.name_zh, "audit": audit.get_audit_type_display()},
                    url=reverse("certification:review", args=[audit.pk]),
                    detail=_("Audit report approved on an audit that ended %(date)s.") % {"date": _d(audit.end_date)},
                    meta={"kind": "review_to_open", "audit": audit.pk},
                )
            )
    if (COMMITTEE.allows(user) or CB_ADMIN.allows(user)) and "review" not in shown:
        for review in dashboard.open_reviews(user=user)[:10]:
            if CB_ADMIN.allows(user) and review.reviewers.all():
                continue  # the administrator's part is done once reviewers are assigned
            actions.append(
                Action(
                    label=(
                        _("Assign reviewers: %(client)s · %(audit)s")
                        if CB_ADMIN.allows(user)
                        else _("Technical review: %(client)s · %(audit)s")
                    )
                    % {"client": review.audit.client.name_zh, "audit": review.audit.get_audit_type_display()},
                    url=reverse("certification:review", args=[review.audit_id]),
                    detail=_("Opened %(date)s.") % {"date": _d(review.created_at)},
                    urgent=COMMITTEE.allows(user),
                    meta={"kind": "review", "audit": review.audit_id},
                )
            )
        for review in dashboard.reviews_awaiting_decision(user=user)[:10]:
            actions.append(
                Action(
                    label=_("Open the certification decision: %(client)s · %(audit)s")
                    % {"client": review.audit.client.name_zh, "audit": review.audit.get_audit_type_display()},
                    url=reverse("certification:decision_open_review", args=[review.pk]),
                    detail=_("Technical review: %(status)s.") % {"status": review.get_status_display()},
                    meta={"kind": "decision_to_open", "review": review.pk},
                )
            )
    if COMMITTEE.allows(user) and "evaluate" not in shown:
        for decision in dashboard.decisions_to_act_on(user=user, status=DecisionStatus.AWAITING_EVALUATION)[:10]:
            actions.append(
                Action(
                    label=_("Evaluate: %(type)s · %(client)s")
                    % {"type": decision.get_decision_type_display(), "client": decision.client.name_zh},
                    url=reverse("certification:decision", args=[decision.pk]),
                    detail=_("Opened %(date)s.") % {"date": _d(decision.created_at)},
                    urgent=True,
                    meta={"kind": "evaluate", "decision": decision.pk},
                )
            )
    if DECISION_APPROVER.allows(user) and "approve" not in shown:
        for decision in dashboard.decisions_to_act_on(user=user, status=DecisionStatus.AWAITING_APPROVAL)[:10]:
            actions.append(
                Action(
                    label=_("Approve: %(type)s · %(client)s")
                    % {"type": decision.get_decision_type_display(), "client": decision.client.name_zh},
                    url=reverse("certification:decision", args=[decision.pk]),
                    detail=_("Evaluated by %(name)s on %(date)s.")
                    % {"name": decision.evaluated_by or "", "date": _d(decision.evaluated_on)},
                    urgent=True,
                    meta={"kind": "approve", "decision": decision.pk},
                )
            )
    if (COMMITTEE.allows(user) or CB_ADMIN.allows(user)) and "flags" not in shown:
        flags = list(selectors.open_flags(user=user)[:10])
        if flags:
            actions.append(
                Action(
                    label=ngettext(
                        "%(n)s matter raised by the daily check", "%(n)s matters raised by the daily check", len(flags)
                    )
                    % {"n": len(flags)},
                    url=reverse("certification:dashboard"),
                    detail="; ".join(str(f.get_kind_display()) for f in flags[:3]),
                    urgent=True,
                    meta={"kind": "flags"},
                )
            )
    if AUDITING_STAFF.allows(user):
        for issue in dashboard.issues_awaiting_leader(user=user)[:10]:
            audit = issue.review.audit
            actions.append(
                Action(
                    label=_("Answer the technical reviewer: %(client)s · %(audit)s")
                    % {"client": audit.client.name_zh, "audit": audit.get_audit_type_display()},
                    url=reverse("certification:review", args=[audit.pk]),
                    detail=issue.text[:120],
                    urgent=True,
                    meta={"kind": "review_issue", "issue": issue.pk},
                )
            )
    return actions
