from .appeal import OPEN_APPEAL_STATUSES, Appeal, AppealAction, AppealEvent, AppealOutcome, AppealStatus
from .complaint import (
    OPEN_COMPLAINT_STATUSES,
    Complaint,
    ComplaintAction,
    ComplaintEvent,
    ComplaintOutcome,
    ComplaintSource,
    ComplaintStatus,
    ComplaintSubject,
    MisuseAction,
)
from .impartiality import (
    CommitteeMeeting,
    CommitteeMember,
    Declaration,
    ImpartialityRisk,
    Level,
    MeetingAction,
    Threat,
)
from .policy import ComplaintPolicy

__all__ = [
    "OPEN_APPEAL_STATUSES",
    "OPEN_COMPLAINT_STATUSES",
    "Appeal",
    "AppealAction",
    "AppealEvent",
    "AppealOutcome",
    "AppealStatus",
    "CommitteeMeeting",
    "CommitteeMember",
    "Complaint",
    "ComplaintAction",
    "ComplaintEvent",
    "ComplaintOutcome",
    "ComplaintPolicy",
    "ComplaintSource",
    "ComplaintStatus",
    "ComplaintSubject",
    "Declaration",
    "ImpartialityRisk",
    "Level",
    "MeetingAction",
    "MisuseAction",
    "Threat",
]
