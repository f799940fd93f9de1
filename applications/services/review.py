"""The application review (ISO/IEC 17021-1 9.1.2) by a competent reviewer.

Competence, as for the technical review (``certification.services.review.reviewer_assign``): the
reviewer must hold the permission ``applications.review_application`` (given to the CB's
application reviewers, like ``certification.approve_decision`` to its approvers) and competence
codes (an auditor profile or a committee competence record) covering every code the application
proposes (33.02 covers 33.02.01). 17021-1 Annex A names application review among the functions
whose competence the CB defines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits import selectors as audit_selectors
from audits.calculation import StandardInput
from certification.models import CommitteeProfile
from core.access import STAFF_ROLES, Role, holds_permission
from people.models import AuditorProfile
from standards.models import code_covers

from .. import rules
from ..lifecycle import APPLICATION_MACHINE
from ..models import Application, ApplicationReview, ApplicationStatus

REVIEW_PERMISSION = "applications.review_application"


def _held_codes(user: Any) -> list[str]:
    codes = list(
        AuditorProfile.objects.filter(user=user, active=True).values_list("technical_areas__code", flat=True)
    ) + list(CommitteeProfile.objects.filter(user=user, active=True).values_list("technical_areas__code", flat=True))
    return [code for code in codes if code]


def reviewer_refusal(*, user: Any, application: Application) -> str:
    """Why ``user`` may not conclude the review of ``application``, or ''."""
    if not (user and user.is_authenticated and user.is_active and user.role in STAFF_ROLES):
        return _("Only CB staff review applications.")
    if not holds_permission(user, REVIEW_PERMISSION):
        return _("%(person)s does not hold the permission to review applications.") % {
            "person": user.get_full_name() or user.get_username()
        }
    required = list(application.technical_areas.values_list("code", flat=True))
    held = _held_codes(user)
    missing = [code for code in required if not any(code_covers(have, code) for have in held)]
    if missing:
        return _("%(person)s is not competent for the codes %(codes)s.") % {
            "person": user.get_full_name() or user.get_username(),
            "codes": ", ".join(sorted(missing)),
        }
    return ""


def require_reviewer(*, user: Any, application: Application) -> None:
    refusal = reviewer_refusal(user=user, application=application)
    if refusal:
        raise PermissionDenied(refusal)


def code_coverage(*, application: Application) -> list[rules.CodeCoverage]:
    """How many active auditors, and of them team leaders, cover each proposed code: one query for
    the codes and one for every auditor's competence codes."""
    required = sorted(application.technical_areas.values_list("code", flat=True))
    through = AuditorProfile.technical_areas.through
    held = through.objects.filter(auditorprofile__active=True, auditorprofile__user__is_active=True).values_list(
        "auditorprofile_id", "technicalarea__code", "auditorprofile__user__role"
    )
    return rules.code_coverage(required, ((pk, code, role == Role.TEAM_LEADER) for pk, code, role in held))


def application_cycle(*, application: Application) -> rules.CycleDays:
    """The audit days of the cycle for what the application says (headcount, standards with their
    complexity, sites, integration), by the CB's rounding and stage 1 share."""
    cb = audit_selectors.certification_body()
    standards = [
        StandardInput(standard=row.standard, complexity=row.complexity)
        for row in application.standards.select_related("standard")
    ]
    return rules.cycle_days(
        effective_personnel=application.headcount,
        standards=standards,
        sites=list(application.sites.all()),
        integrated=application.integrated and len(standards) > 1,
        integration_reduction_percent=Decimal(0),
        rounding=cb.audit_time_rounding,
        stage_1_share_percent=cb.stage_1_share_percent,
    )


def _open_review(application: Application) -> ApplicationReview:
    if application.status != ApplicationStatus.UNDER_REVIEW:
        raise ValidationError(_("The review is open only while the application is under review."), code="wrong_status")
    review, _created = ApplicationReview.objects.select_for_update().get_or_create(application=application)
    return review


@transaction.atomic
def review_save(*, application: Application, points: dict[str, Any], by: Any) -> ApplicationReview:
    """Save the checklist's answers and remarks (a competent reviewer, while under review)."""
    require_reviewer(user=by, application=application)
    review = _open_review(application)
    review.points = {
        key: {
            "ok": (points.get(key) or {}).get("ok"),
            "remark": str((points.get(key) or {}).get("remark") or "").strip(),
        }
        for key in rules.REVIEW_POINT_KEYS
    }
    review.reviewer = by
    review.cycle = application_cycle(application=application).as_json()
    review.save()
    return review


@transaction.atomic
def review_conclude(
    *, application: Application, result: str, conditions: str, by: Any, version: int | None = None
) -> ApplicationReview:
    """Conclude: accept, accept with conditions or decline (with the conditions or reasons the
    client is shown). The checklist must be complete (``rules.review_refusal``)."""
    if result not in rules.REVIEW_RESULTS:
        raise ValidationError({"result": _("Choose the result of the review.")}, code="no_result")

    def on_locked(locked: Application) -> None:
        review = _open_review(locked)
        errors = rules.review_refusal(points=review.points, result=result, conditions=conditions)
        if errors:
            raise ValidationError(errors, code="review_incomplete")
        review.result = result
        review.conditions = conditions.strip()
        review.reviewer = by
        review.concluded_at = timezone.now()
        review.cycle = application_cycle(application=locked).as_json()
        review.save()

    APPLICATION_MACHINE.move(application, result, by=by, version=version, note=conditions.strip(), on_locked=on_locked)
    return ApplicationReview.objects.get(application=application)
