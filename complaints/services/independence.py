"""Who may investigate a complaint or review an appeal: nobody involved in the subject
(ISO/IEC 17021-1 9.7.3 / 9.8.4 b: persons not involved; the same rule the certification decision
uses, 9.5.1.2, reused from ``certification.services.independence``).

Barred from handling a complaint or an appeal about a decision (the certificate's decision for a
complaint about a certified client, the appealed decision for an appeal):

* anyone on the team of that decision's audit (``team_memberships``, any team role);
* its decision makers: the committee's evaluator and the approver (part 十六), and the technical
  reviewers of its review.

It binds everybody, CB administrators and superusers included (``ValidationError`` code
``not_independent``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from certification.models import Decision
from certification.services.independence import independence_check, independent_users
from core.access import Role

from ..models import Appeal, Complaint
from .common import invalid


def decision_makers(decision: Decision | None) -> set[int]:
    """The users who took part in ``decision``: evaluator, approver, technical reviewers."""
    if decision is None:
        return set()
    ids = {decision.evaluated_by_id, decision.approved_by_id}
    if decision.review_id:
        ids |= set(decision.review.reviewers.values_list("reviewer_id", flat=True))  # type: ignore[union-attr]
    return {i for i in ids if i is not None}


def subject_decision(record: Complaint | Appeal) -> Decision | None:
    """The decision a complaint or an appeal is about (for the independence rule)."""
    if isinstance(record, Appeal):
        return record.decision
    if record.certificate_id and record.certificate is not None:
        return record.certificate.decision
    return None


def handler_check(*, record: Complaint | Appeal, user: Any) -> None:
    """Refuse a handler involved in the subject, whoever they are (superusers too)."""
    if user is None:
        return
    decision = subject_decision(record)
    if decision is None:
        return
    if user.pk in decision_makers(decision):
        raise invalid(
            _(
                "ISO/IEC 17021-1 9.7/9.8: %(person)s took part in the decision concerned and may not "
                "investigate or review it."
            )
            % {"person": user.get_full_name() or user.get_username()},
            code="not_independent",
        )
    independence_check(audit=decision.audit, user=user)


def eligible_handlers(*, record: Complaint | Appeal) -> QuerySet:
    """Active CB staff (not clients) the rule allows to handle ``record``."""
    users = get_user_model().objects.filter(is_active=True).exclude(role=Role.CLIENT)
    decision = subject_decision(record)
    if decision is not None:
        users = users.exclude(pk__in=decision_makers(decision))
        users = independent_users(users, audit=decision.audit)
    return users.order_by("full_name", "username")
