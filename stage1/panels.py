"""Stage 1's panel on an audit's page (``audits.registry.register_audit_panel``, registered in
``Stage1Config.ready``): the link to the stage 1 documents and, for a stage 2's planning, the open
areas of concern of the programme's stage 1. audits imports nothing of stage1."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import selectors


def audit_panel(*, request: Any, audit: Any, stage_1: Any) -> tuple[str, Mapping[str, Any]] | None:
    """Nothing without a stage 1; else one query for its open areas of concern."""
    if stage_1 is None:
        return None
    return "stage1/_audit_panel.html", {
        "audit": audit,
        "stage_1": stage_1,
        "concerns": selectors.open_concerns([stage_1.pk]),
    }
