"""The complaints, appeals and impartiality rules in action (ISO/IEC 17021-1 9.7, 9.8, 5.2):

* ``complaints``: receive, acknowledge, validate, assign, investigate, decide, answer, close;
* ``appeals``: receive, assign, review, decide, answer, close;
* ``links``: what they lead to through the audits and certification paths (special audit,
  suspension decision, the new decision of a changed appeal);
* ``independence``: who may investigate or review (the certification decision's rule, reused);
* ``impartiality``: the risk register, the committee, its meetings and actions, declarations (5.2);
* ``reminders``: the daily deadline mail.
"""

from .appeals import appeal_answer, appeal_assign, appeal_close, appeal_decide, appeal_review, appeal_submit
from .common import new_ack_number, policy
from .complaints import (
    complaint_acknowledge,
    complaint_answer,
    complaint_assign,
    complaint_close,
    complaint_decide,
    complaint_investigate,
    complaint_reject,
    complaint_submit,
    complaint_validate,
    find_certificate,
)
from .impartiality import (
    committee_member_add,
    declaration_sign,
    declarations_due,
    meeting_action_add,
    meeting_action_done,
    meeting_record,
    risk_record,
    risk_review,
    risks_from_conflicts,
)
from .independence import decision_makers, eligible_handlers, handler_check
from .links import appeal_open_decision, complaint_open_special_audit, complaint_open_suspension
from .reminders import complaint_reminders_send

__all__ = [
    "appeal_answer",
    "appeal_assign",
    "appeal_close",
    "appeal_decide",
    "appeal_open_decision",
    "appeal_review",
    "appeal_submit",
    "committee_member_add",
    "complaint_acknowledge",
    "complaint_answer",
    "complaint_assign",
    "complaint_close",
    "complaint_decide",
    "complaint_investigate",
    "complaint_open_special_audit",
    "complaint_open_suspension",
    "complaint_reject",
    "complaint_reminders_send",
    "complaint_submit",
    "complaint_validate",
    "decision_makers",
    "declaration_sign",
    "declarations_due",
    "eligible_handlers",
    "find_certificate",
    "handler_check",
    "meeting_action_add",
    "meeting_action_done",
    "meeting_record",
    "new_ack_number",
    "policy",
    "risk_record",
    "risk_review",
    "risks_from_conflicts",
]
