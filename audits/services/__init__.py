"""The audits app's rules: planning an audit, its team, its itinerary, its programme, and the
status moves. Views, forms, admin, commands, the demo and other apps call these; none of them
re-implements a rule. ``from audits import services`` gives every public name; the modules are

* ``programme``: audit programmes (certification cycles);
* ``planning``: planning and changing an audit, its audit-time calculation;
* ``team``: the team and accompanying persons, the team rules;
* ``itinerary``: the audit plan's lines;
* ``moves``: the status moves (the machine itself is ``audits.lifecycle``);
* ``availability``: auditors' absences and moving an audit's dates (the clash rule is
  ``audits.availability``);
* ``stage1``: the stage 1 readiness conclusion that gates stage 2.

Every function takes keyword-only arguments and the acting user ``by``; refused actions raise
``ValidationError`` with a translatable message naming the rule (or ``PermissionDenied`` when
the actor may not act at all). Tracked models are saved one by one (never ``QuerySet.update``)
so django-simple-history records every change.
"""

from ..calculation import AdjustmentInput, StandardInput
from .availability import absence_add, absence_remove, audit_reschedule
from .common import PLAN_EDITABLE_STATUSES
from .historical import audit_import, team_member_import
from .itinerary import (
    PlanItemInput,
    itinerary_allowed_clause_ids,
    itinerary_check_row,
    itinerary_prefill_from_matrix,
    itinerary_save,
)
from .moves import audit_cancel, audit_follow, audit_move, audit_start
from .planning import NonApplicableInput, audit_calculation, audit_plan, audit_update, refuse_team_clashes
from .programme import programme_create, programme_next_due_refresh, programme_next_due_refresh_all, programme_update
from .stage1 import stage_1_conclude, stage_1_conclusion_withdraw
from .team import (
    TeamCheck,
    accompanying_person_add,
    accompanying_person_remove,
    team_assignment_add,
    team_assignment_remove,
    team_check,
    team_witness_role_set,
)

__all__ = [
    "PLAN_EDITABLE_STATUSES",
    "AdjustmentInput",
    "NonApplicableInput",
    "PlanItemInput",
    "StandardInput",
    "TeamCheck",
    "absence_add",
    "absence_remove",
    "accompanying_person_add",
    "accompanying_person_remove",
    "audit_calculation",
    "audit_cancel",
    "audit_follow",
    "audit_import",
    "audit_move",
    "audit_plan",
    "audit_reschedule",
    "audit_start",
    "audit_update",
    "itinerary_allowed_clause_ids",
    "itinerary_check_row",
    "itinerary_prefill_from_matrix",
    "itinerary_save",
    "programme_create",
    "programme_next_due_refresh",
    "programme_next_due_refresh_all",
    "programme_update",
    "refuse_team_clashes",
    "stage_1_conclude",
    "stage_1_conclusion_withdraw",
    "team_assignment_add",
    "team_assignment_remove",
    "team_check",
    "team_member_import",
    "team_witness_role_set",
]
