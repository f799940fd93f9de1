"""Facts of the stage 1 review for the stage 1 report (reports asks its fact providers; see
``reports.facts``): a CB prints them by adding fact fields with these sources to its template.

* ``stage1.document_review`` — the documents reviewed: title, version, file, standards, proposals
  confirmed and dismissed;
* ``stage1.concerns`` — the areas of concern, numbered, with clause and the client's answer;
* ``stage1.open_concerns`` — how many are not answered;
* ``stage1.readiness`` (``ready`` / ``not_ready``), ``stage1.readiness_remark``,
  ``stage1.concluded_on`` — the conclusion the team leader gave when approving the report
  (ISO/IEC 17021-1 9.3.1.2; none before);
* ``stage1.stage_2_audit_time`` — the programme's stage 2 audit: dates, planned man-days and the
  effective personnel they were calculated from, for the team to confirm (9.3.1.2.2 e).

The shipped stage 1 report template (``auditbody/seed_data/report_template_stage_1.yaml``) prints
them. Asked for stage 1 audits only (four queries); other audits get nothing and cost nothing.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from audits.models import Audit, AuditType, Stage1Conclusion

from .models import AreaOfConcern, DocumentReview, ProposalDecision, ReviewStatus


def stage1_report_facts(audit: Audit) -> dict[str, Any]:
    if audit.audit_type != AuditType.STAGE_1:
        return {}
    reviews = (
        DocumentReview.objects.filter(version__document__audit=audit, status=ReviewStatus.DONE)
        .select_related("version__document")
        .prefetch_related("standards", "proposals")
        .order_by("version__document__title", "-version__number", "-requested_at")
    )
    latest: dict[int, DocumentReview] = {}
    for review in reviews:
        latest.setdefault(review.version.document_id, review)
    lines = []
    for review in latest.values():
        version = review.version
        decisions = [p.decision for p in review.proposals.all()]
        lines.append(
            f"{version.document.title} v{version.number} ({version.original_name}), "
            f"{', '.join(str(s) for s in review.standards.all())}: "
            f"{len(decisions)} / {decisions.count(ProposalDecision.CONFIRMED)} ✔ / "
            f"{decisions.count(ProposalDecision.DISMISSED)} ✘"
        )
    concerns = list(
        AreaOfConcern.objects.filter(audit=audit).select_related("clause__standard").order_by("created_at", "pk")
    )
    concern_lines = []
    for number, concern in enumerate(concerns, start=1):
        clause = f"[{concern.clause.standard} {concern.clause.number}] " if concern.clause else ""
        answer = f"\n   → {concern.answer}" if concern.answer else ""
        concern_lines.append(f"{number}. {clause}{concern.text}{answer}")
    conclusion = Stage1Conclusion.objects.filter(audit=audit).first()
    return {
        "stage1.document_review": "\n".join(lines),
        "stage1.concerns": "\n".join(concern_lines) or _("None"),
        "stage1.open_concerns": sum(1 for c in concerns if c.is_open),
        "stage1.readiness": conclusion.outcome if conclusion else None,
        "stage1.readiness_remark": conclusion.remark if conclusion else "",
        "stage1.concluded_on": conclusion.concluded_on if conclusion else None,
        "stage1.stage_2_audit_time": stage_2_audit_time(audit),
    }


def stage_2_audit_time(audit: Audit) -> str:
    """The programme's stage 2 audit as planned (one query), or that it is not planned yet."""
    stage_2 = (
        Audit.objects.filter(programme_id=audit.programme_id, audit_type=AuditType.STAGE_2)
        .order_by("start_date", "pk")
        .first()
    )
    if stage_2 is None:
        return _("Not planned yet.")
    return _("%(start)s – %(end)s: %(man_days)s man-days planned for %(personnel)s effective personnel.") % {
        "start": stage_2.start_date.isoformat() if stage_2.start_date else "?",
        "end": stage_2.end_date.isoformat() if stage_2.end_date else "?",
        "man_days": stage_2.planned_man_days if stage_2.planned_man_days is not None else "?",
        "personnel": stage_2.effective_personnel if stage_2.effective_personnel is not None else "?",
    }
