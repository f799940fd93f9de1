"""The findings app's rules, one module per sub-feature; ``from findings import services`` gives
every public name.

* ``recording``: findings, their evidence files, raising nonconformities (the report editor).
* ``closure``: the client's response rounds, verification, closure (``findings.lifecycle``).
* ``due_rules``: the CB's due-date rules.
* ``reminders``: the daily reminder job.
"""

from ..lifecycle import allowed_actions, may
from .closure import (
    MAX_FILES_PER_ROUND,
    nc_evidence_add,
    nonconformity_accept,
    nonconformity_close,
    nonconformity_reject,
    nonconformity_reject_closure,
    nonconformity_respond,
)
from .due_rules import nc_due_rule_delete, nc_due_rule_save
from .historical import nonconformity_record_past_closure
from .recording import finding_create, finding_evidence_add, finding_update, nonconformity_raise
from .reminders import ReminderRun, nonconformity_reminders_send

__all__ = [
    "MAX_FILES_PER_ROUND",
    "ReminderRun",
    "allowed_actions",
    "finding_create",
    "finding_evidence_add",
    "finding_update",
    "may",
    "nc_due_rule_delete",
    "nc_due_rule_save",
    "nc_evidence_add",
    "nonconformity_accept",
    "nonconformity_close",
    "nonconformity_raise",
    "nonconformity_record_past_closure",
    "nonconformity_reject",
    "nonconformity_reject_closure",
    "nonconformity_reminders_send",
    "nonconformity_respond",
]
