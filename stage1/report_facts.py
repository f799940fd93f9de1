"""Facts of the stage 1 review for the stage 1 report (reports asks its fact providers; see
``reports.facts``): a CB prints them by adding fact fields with these sources to its template.

* ``stage1.document_review`` — the documents reviewed: title, version, file, standards, proposals
  confirmed and dismissed;
* ``stage1.concerns`` — the areas of concern, numbered, with clause and the client's answer;
* ``stage1.open_concerns`` — how many are not answered.

Asked for stage 1 audits only (two queries); other audits get nothing and cost nothing.
"""

from __future__ import annotations

from typing import Any

from audits.models import Audit, AuditType

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
    return {
        "stage1.document_review": "\n".join(lines),
        "stage1.concerns": "\n".join(concern_lines),
        "stage1.open_concerns": sum(1 for c in concerns if c.is_open),
    }
