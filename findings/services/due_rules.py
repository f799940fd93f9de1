"""The CB's due-date rules: how many days the client has for its corrective action, per grade and
audit type (the defaults and the date rules themselves are ``findings.rules``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.access import Role
from core.history import set_history_user

from ..models import NonconformityDueRule, NonconformityGrade

if TYPE_CHECKING:
    from accounts.models import User


def _require_cb_admin(by: User) -> None:
    if not (by.is_authenticated and by.is_active and by.role == Role.CB_ADMIN):
        raise PermissionDenied(_("Only a CB administrator may change the due-date rules."))


@transaction.atomic
def nc_due_rule_save(
    *,
    by: User,
    grade: str,
    audit_type: str = "",
    days: int | None,
    source: str = "",
    rule: NonconformityDueRule | None = None,
) -> NonconformityDueRule:
    """Create or change a due-date rule (CB administrators). Existing NCs keep their due date."""
    _require_cb_admin(by)
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
    set_history_user(rule, by)
    rule.save()
    return rule


@transaction.atomic
def nc_due_rule_delete(*, by: User, rule: NonconformityDueRule) -> None:
    _require_cb_admin(by)
    set_history_user(rule, by)
    rule.delete()
