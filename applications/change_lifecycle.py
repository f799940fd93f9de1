"""The lifecycle of a reported change (ISO/IEC 17021-1 8.5.3, 9.6.3), declared once; imported by
``applications.lifecycle`` so ``core.lifecycle.machines()`` finds it::

    submitted ─approve / reject (CB administrators: ``manage``)─▶ approved / rejected
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from core.lifecycle import Machine, Move

from .models import ChangeAction, ChangeEvent, ChangeRequest, ChangeStatus

ADMIN_ONLY = gettext_noop("Only a CB administrator may approve or reject a reported change.")

CHANGE_MACHINE = Machine(
    model=ChangeRequest,
    event_model=ChangeEvent,
    subject_field="change",
    moves=[
        Move(
            ChangeAction.APPROVE,
            [ChangeStatus.SUBMITTED],
            ChangeStatus.APPROVED,
            who="manage",
            refused=ADMIN_ONLY,
            label=ChangeAction.APPROVE.label,
        ),
        Move(
            ChangeAction.REJECT,
            [ChangeStatus.SUBMITTED],
            ChangeStatus.REJECTED,
            who="manage",
            refused=ADMIN_ONLY,
            label=ChangeAction.REJECT.label,
        ),
    ],
)
