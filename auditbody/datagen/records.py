"""The records a generated audit carries beyond its NCs: its report with the topics' text, the
NCs' response rounds, and the lifecycle events of audits, reports, NCs, decisions and certificates."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import reset_queries
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from audits.models import (
    Audit,
    AuditStatus,
    AuditTransition,
    TeamAssignment,
)
from certification.models import (
    CertificateAction,
    CertificateStatus,
    CertificateStatusChange,
    DecisionAction,
    DecisionEvent,
    DecisionStatus,
)
from findings.models import (
    ClosureDecision,
    Nonconformity,
    NonconformityAction,
    NonconformityResponse,
    NonconformityStatus,
    NonconformityTransition,
    VerificationDecision,
    VerificationMethod,
)
from reports.models import (
    Report,
    ReportEvent,
    ReportEventAction,
    ReportStatus,
    ReportTemplate,
    TemplateTopic,
    TopicComment,
    TopicContent,
)
from reports.template_loader import template_for

from .rows import bulk, moments_between, office_hours_at, update_grouped
from .texts import (
    CLOSURE_REJECT_REASONS,
    CONCLUSIONS,
    CORRECTIONS,
    CORRECTIVE_ACTIONS,
    DEPARTMENTS,
    FINDINGS,
    MANUAL,
    OFTEN_BLANK,
    OPENINGS,
    REJECT_REASONS,
    RETURN_COMMENTS,
    ROOT_CAUSES,
    STANDARD_TEXT,
    VERIFICATION_NOTES,
)

AUDIT_CHUNK = 200  # audits whose reports, rounds and events are built and written at a time


def certification_events(rnd, decisions, certificates) -> dict[str, int]:
    """Each decision's opening, evaluation and approval; each certificate's issue and, for a
    suspended or withdrawn one, that move on its ``status_since`` day. No committee member or
    approver is generated: ``by`` is empty."""
    decision_events = []
    for decision in decisions:
        steps = [
            (DecisionAction.OPEN, "", DecisionStatus.AWAITING_EVALUATION, decision.created_at),
            (
                DecisionAction.EVALUATE,
                DecisionStatus.AWAITING_EVALUATION,
                DecisionStatus.AWAITING_APPROVAL,
                office_hours_at(decision.evaluated_on, 14),
            ),
            (
                DecisionAction.APPROVE,
                DecisionStatus.AWAITING_APPROVAL,
                DecisionStatus.APPROVED,
                office_hours_at(decision.approved_on, 11),
            ),
        ]
        decision_events += [
            DecisionEvent(decision=decision, action=action, from_status=source, to_status=target, at=at)
            for action, source, target, at in steps
        ]
    bulk(DecisionEvent, decision_events)
    moves = {
        CertificateStatus.SUSPENDED: (CertificateAction.SUSPEND, "暂停：监督审核未按期实施。"),
        CertificateStatus.WITHDRAWN: (CertificateAction.WITHDRAW, "撤销：暂停期满未能恢复。"),
    }
    changes = []
    for certificate in certificates:
        changes.append(
            CertificateStatusChange(
                certificate=certificate,
                action=CertificateAction.ISSUE,
                from_status="",
                to_status=CertificateStatus.VALID,
                effective_on=certificate.issued_on,
                decision=certificate.decision,
                at=office_hours_at(certificate.issued_on, 15),
            )
        )
        if certificate.status in moves:
            action, note = moves[certificate.status]
            changes.append(
                CertificateStatusChange(
                    certificate=certificate,
                    action=action,
                    from_status=CertificateStatus.VALID,
                    to_status=certificate.status,
                    effective_on=certificate.status_since,
                    at=office_hours_at(certificate.status_since, 9, rnd.randint(0, 59)),
                    note=note,
                )
            )
    bulk(CertificateStatusChange, changes)
    return {"decision events": len(decision_events), "certificate events": len(changes)}


# --- the audits' history: their moves, reports and NC rounds -------------------------------------

# The audit's moves after its report is started, in lifecycle order: (move, status it leads to).
AFTER_REPORT = [
    ("report_submitted", AuditStatus.SUBMITTED),
    ("report_approved", AuditStatus.APPROVED),
    ("ncs_closed", AuditStatus.NCS_CLOSED),
    ("review_opened", AuditStatus.TECHNICAL_REVIEW),
    ("decided", AuditStatus.DECIDED),
    ("closed", AuditStatus.CLOSED),
]
# Moves that follow the report's, taken by its team leader; the rest follow records of the
# certification side, taken by the system here (no committee or reviewer is generated).
LEADER_MOVES = {"start", "report_started", "report_submitted", "report_returned", "report_approved", "ncs_closed"}


@dataclass
class AuditMove:
    action: str
    source: str
    target: str
    at: datetime.datetime


def _audit_moves(rnd, audit, *, returned: bool, ncs_all_closed: bool, now) -> list[AuditMove]:
    """The audit's moves from its creation to its status: planned some weeks before, started on
    its first day, report started on its last, the rest in the three months after (bounded by
    now). ``returned``: the report went back to the team once; ``ncs_all_closed``: the audit
    went through "NCs closed" on its way to the technical review."""
    planned = office_hours_at(audit.start_date - datetime.timedelta(days=rnd.randint(20, 40)), 10)
    if planned >= now:  # an audit years ahead was planned with its programme, some time ago
        planned = now - datetime.timedelta(days=rnd.randint(1, 60))
    moves = [AuditMove("create", "", AuditStatus.PLANNED, planned)]
    if audit.status == AuditStatus.PLANNED:
        return moves
    on_site = min(office_hours_at(audit.start_date, 8, 30), now - datetime.timedelta(minutes=1))
    moves.append(AuditMove("start", AuditStatus.PLANNED, AuditStatus.IN_PROGRESS, on_site))
    if audit.status == AuditStatus.IN_PROGRESS:
        return moves
    started = office_hours_at(audit.end_date, 17)
    moves.append(AuditMove("report_started", AuditStatus.IN_PROGRESS, AuditStatus.REPORT_DRAFTED, started))
    path: list[tuple[str, str]] = []
    if returned:
        path += [("report_submitted", AuditStatus.SUBMITTED), ("report_returned", AuditStatus.REPORT_DRAFTED)]
    if audit.status != AuditStatus.REPORT_DRAFTED:
        for action, target in AFTER_REPORT:
            if action == "ncs_closed" and not (ncs_all_closed or audit.status == AuditStatus.NCS_CLOSED):
                continue  # reviewed with NCs still open (e.g. minors verified at the next audit)
            path.append((action, target))
            if target == audit.status:
                break
    source = AuditStatus.REPORT_DRAFTED
    bound = min(now, started + datetime.timedelta(days=90))
    for (action, target), at in zip(path, moments_between(rnd, started, bound, len(path)), strict=True):
        moves.append(AuditMove(action, source, target, at))
        source = target
    return moves


def history(rnd, audits, team_of, ncs, standard_of) -> dict[str, int]:
    """Reports, NC rounds and the event rows of audits, reports and NCs, a chunk of audits at a
    time so memory stays bounded at any size."""
    now = timezone.now()
    ncs_of: dict[int, list[Nonconformity]] = {}
    for nc in ncs:
        ncs_of.setdefault(nc.audit_id, []).append(nc)
    templates: dict[str, tuple[ReportTemplate, list[TemplateTopic]]] = {}
    counts = dict.fromkeys(
        ["audit transitions", "reports", "report topics", "report events", "NC rounds", "NC transitions"], 0
    )
    for start in range(0, len(audits), AUDIT_CHUNK):
        chunk = audits[start : start + AUDIT_CHUNK]
        reset_queries()
        transitions, moves_of = [], {}
        for audit in chunk:
            audit_ncs = ncs_of.get(audit.pk, [])
            moves = _audit_moves(
                rnd,
                audit,
                returned=rnd.random() < 0.2,
                ncs_all_closed=bool(audit_ncs) and all(nc.status == NonconformityStatus.CLOSED for nc in audit_ncs),
                now=now,
            )
            moves_of[audit.pk] = moves
            leader_user_id = team_of[audit.pk][0].profile.user_id
            transitions += [
                AuditTransition(
                    audit=audit,
                    action=m.action,
                    from_status=m.source,
                    to_status=m.target,
                    at=m.at,
                    by_id=leader_user_id if m.action in LEADER_MOVES else None,
                )
                for m in moves
            ]
        bulk(AuditTransition, transitions)
        update_grouped(Audit, {pk: len(moves) for pk, moves in moves_of.items()}, "version")  # 1, +1 per move
        counts["audit transitions"] += len(transitions)
        for name, count in _reports(rnd, chunk, moves_of, team_of, standard_of, templates, now).items():
            counts[name] += count
        chunk_ncs = [nc for audit in chunk for nc in ncs_of.get(audit.pk, [])]
        for name, count in _nc_rounds(rnd, chunk_ncs, moves_of, team_of, standard_of, now).items():
            counts[name] += count
    return counts


def _topic_text(rnd, topic: TemplateTopic, family: str, department: str, audited: datetime.date) -> str:
    """An opening, one to three findings and a conclusion; the records sampled are of the audit's
    year, before it."""
    title = topic.title_zh.split("（")[0].split("(")[0][:24]
    values = {
        "std": STANDARD_TEXT[family],
        "manual": MANUAL[family],
        "version": rnd.choice("ABCDE") + "/" + str(rnd.randint(0, 3)),
        "date": f"{audited.year - 1}年{rnd.randint(1, 12)}月{rnd.randint(1, 28)}日",
        "section": rnd.randint(4, 10),
        "dept": department,
        "title": title,
        "year": audited.year,
        "month": rnd.randint(1, audited.month),
        "n": rnd.randint(3, 12),
    }
    sentences = [rnd.choice(OPENINGS)] + rnd.sample(FINDINGS, rnd.randint(1, 3)) + [rnd.choice(CONCLUSIONS)]
    return "".join(sentence.format(**values) for sentence in sentences)


def _reports(rnd, audits, moves_of, team_of, standard_of, templates, now) -> dict[str, int]:
    """A report for every audit whose report was started, its status, events and topic rows
    following the audit's moves (the report moves and the audit follows: the same moments)."""
    report_moves = {
        "report_started": (ReportEventAction.CREATE, ""),
        "report_submitted": (ReportEventAction.SUBMIT, None),
        "report_returned": (ReportEventAction.RETURN, ReportStatus.SUBMITTED),
        "report_approved": (ReportEventAction.APPROVE, ReportStatus.SUBMITTED),
    }
    target_of = {
        ReportEventAction.CREATE: ReportStatus.DRAFT,
        ReportEventAction.SUBMIT: ReportStatus.SUBMITTED,
        ReportEventAction.RETURN: ReportStatus.RETURNED,
        ReportEventAction.APPROVE: ReportStatus.APPROVED,
    }
    plans = []  # (audit, report, [(action, source, target, at)])
    for audit in audits:
        steps = []
        status = ""
        for move in moves_of[audit.pk]:
            if move.action not in report_moves:
                continue
            action, source = report_moves[move.action]
            steps.append((action, status if source is None else source, target_of[action], move.at))
            status = target_of[action]
        if not steps:
            continue
        leader_user_id = team_of[audit.pk][0].profile.user_id
        submits = [at for action, _s, _t, at in steps if action == ReportEventAction.SUBMIT]
        approved = status == ReportStatus.APPROVED
        report = Report(
            audit=audit,
            template=_template(audit.audit_type, templates)[0],
            status=status,
            submitted_at=submits[-1] if submits else None,
            approved_at=steps[-1][3] if approved else None,
            approved_by_id=leader_user_id if approved else None,
        )
        plans.append((audit, report, steps))
    if not plans:
        return {}
    reports = Report.objects.bulk_create([report for _audit, report, _steps in plans])
    events = []
    for (audit, _r, steps), report in zip(plans, reports, strict=True):
        leader_user_id = team_of[audit.pk][0].profile.user_id
        note = {ReportEventAction.RETURN: "请按批注修改后重新提交。"}
        events += [
            ReportEvent(
                report=report,
                action=action,
                from_status=source,
                to_status=target,
                at=at,
                by_id=leader_user_id,
                note=note.get(action, ""),
            )
            for action, source, target, at in steps
        ]
    events = ReportEvent.objects.bulk_create(events)
    # created_at/updated_at are stamped on insert (auto_now…): the report's first and last moves'.
    moments = ReportEvent.objects.filter(report=OuterRef("pk")).order_by("at")
    Report.objects.filter(pk__in=[r.pk for r in reports]).update(
        created_at=Subquery(moments.values("at")[:1]), updated_at=Subquery(moments.reverse().values("at")[:1])
    )
    returns = {e.report_id: e for e in events if e.action == ReportEventAction.RETURN}

    contents, comments = [], []
    for (audit, _r, steps), report in zip(plans, reports, strict=True):
        contents += _topic_contents(rnd, audit, report, steps, team_of[audit.pk], standard_of[audit.pk], templates, now)
    contents = bulk(TopicContent, contents)
    # The leader's comment on one written topic of each returned report, addressed by the next
    # submission (if any).
    submitted_after = {}
    for (_a, _r, steps), report in zip(plans, reports, strict=True):
        submits = [at for action, _s, _t, at in steps if action == ReportEventAction.SUBMIT]
        submitted_after[report.pk] = submits[1] if len(submits) > 1 else None
    commented = set()
    for content in contents:
        event = returns.get(content.report_id)
        if event is None or content.report_id in commented or not content.text:
            continue
        commented.add(content.report_id)
        comments.append(
            TopicComment(
                content=content,
                event=event,
                text=rnd.choice(RETURN_COMMENTS),
                by_id=event.by_id,
                addressed_at=submitted_after[content.report_id],
            )
        )
    comments = bulk(TopicComment, comments)
    TopicComment.objects.filter(pk__in=[c.pk for c in comments]).update(
        at=Subquery(ReportEvent.objects.filter(pk=OuterRef("event_id")).values("at"))  # the return's
    )
    return {"reports": len(reports), "report topics": len(contents), "report events": len(events)}


def _template(audit_type: str, templates: dict[str, tuple[ReportTemplate, list[TemplateTopic]]]):
    """The template a report of this audit type uses and its topics, read once per type."""
    if audit_type not in templates:
        template = template_for(audit_type)
        templates[audit_type] = (template, list(TemplateTopic.objects.filter(part__template=template)))
    return templates[audit_type]


def _topic_contents(rnd, audit, report, steps, team, standard, templates, now) -> list[TopicContent]:
    """One row per topic of the template: the topics of the audit's family (and purpose) written
    by the team member they were given to, before the first submission; a draft only partly.
    Other topics stay empty (the report prints them N/A)."""
    topics = _template(audit.audit_type, templates)[1]
    written_from = steps[0][3]
    submits = [at for action, _s, _t, at in steps if action == ReportEventAction.SUBMIT]
    written_until = submits[0] if submits else min(now, written_from + datetime.timedelta(days=5))
    is_draft = report.status == ReportStatus.DRAFT  # never submitted: partly written
    rows = []
    for index, topic in enumerate(topics):
        assignee = team[index % len(team)]
        row = TopicContent(report=report, topic=topic, assignee=assignee)
        applies = topic.applies_to([standard.family]) and topic.applies_to_audit_type(audit.purpose)
        if applies and not (is_draft and rnd.random() < 0.4):
            row.saved_by_id = assignee.profile.user_id
            row.saved_at = moments_between(rnd, written_from, written_until, 1)[0]
            row.version = 1
            if topic.key in OFTEN_BLANK and rnd.random() < 0.5:
                row.left_blank = True
            else:
                row.text = _topic_text(rnd, topic, standard.family, rnd.choice(DEPARTMENTS), audit.end_date)
        rows.append(row)
    return rows


def _nc_rounds(rnd, ncs, moves_of, team_of, standard_of, now) -> dict[str, int]:
    """The response rounds of each NC past "open" and the NC's transitions; the NCs' raising day
    (their last day on site) and version, in bulk."""
    plans = []  # (nc, [NonconformityResponse], [(action, source, target, at, by, note, round index)])
    for nc in ncs:
        audit_moves = moves_of[nc.audit_id]
        raised = office_hours_at(nc.audit.end_date, 15)  # at the closing meeting
        # NCs closed before the audit records them closed; others within five months (or now).
        closed_at = next((m.at for m in audit_moves if m.action == "ncs_closed"), None)
        bound = closed_at or min(now, raised + datetime.timedelta(days=150))
        rounds, steps = _rounds_of(rnd, nc, team_of[nc.audit_id], standard_of[nc.audit_id], raised, bound)
        nc.version = 1 + len(steps)
        plans.append((nc, rounds, steps))
    # raised_at is stamped on insert (auto_now_add): the closing meeting's, by audit day.
    update_grouped(Nonconformity, {nc.pk: office_hours_at(nc.audit.end_date, 15) for nc in ncs}, "raised_at")
    update_grouped(Nonconformity, {nc.pk: nc.version for nc in ncs}, "version")
    responses = bulk(NonconformityResponse, [r for _nc, rounds, _steps in plans for r in rounds])
    transitions = []
    for nc, rounds, steps in plans:
        for action, source, target, at, by_id, note, index in steps:
            transitions.append(
                NonconformityTransition(
                    nc=nc,
                    response=rounds[index],
                    action=action,
                    from_status=source,
                    to_status=target,
                    at=at,
                    by_id=by_id,
                    note=note,
                )
            )
    bulk(NonconformityTransition, transitions)
    return {"NC rounds": len(responses), "NC transitions": len(transitions)}


def _rounds_of(rnd, nc, team: Sequence[TeamAssignment], standard, raised, bound):
    """An NC's rounds for its status: rejected rounds (the auditor's rejection, or once in a
    while the leader's refusal of the closure) before the last one, which is pending
    (responded), accepted (verified), accepted and closed (closed) or rejected (returned)."""
    S = NonconformityStatus
    if nc.status == S.OPEN:
        return [], []
    count = rnd.choice({S.CLOSED: [1, 1, 1, 2, 2, 3]}.get(nc.status, [1, 1, 2]))
    leader = team[0].profile.user_id
    verifier = rnd.choice(team).profile.user_id
    department = nc.department.name_zh if nc.department else "综合部"
    values = {"year": nc.audit.end_date.year, "dept": department, "std": STANDARD_TEXT[standard.family]}
    # Each round: respond, then a decision or two; the last round's decisions follow the status.
    outcomes = ["rejected"] * (count - 1) + [
        {S.RESPONDED: "pending", S.VERIFIED: "accepted", S.CLOSED: "closed", S.RETURNED: "returned"}[nc.status]
    ]
    if outcomes[-1] == "returned":
        outcomes[-1] = "closure_refused" if rnd.random() < 0.2 else "rejected"
    moves_per_outcome = {"pending": 1, "rejected": 2, "accepted": 2, "closed": 3, "closure_refused": 3}
    moments = iter(moments_between(rnd, raised, bound, sum(moves_per_outcome[o] for o in outcomes)))
    rounds, steps = [], []
    source = S.OPEN
    for index, outcome in enumerate(outcomes):
        response = NonconformityResponse(
            nc=nc,
            round=index + 1,
            correction=rnd.choice(CORRECTIONS).format(**values),
            root_cause=rnd.choice(ROOT_CAUSES).format(**values),
            corrective_action=rnd.choice(CORRECTIVE_ACTIONS).format(**values),
            submitted_at=next(moments),
        )
        rounds.append(response)
        steps.append((NonconformityAction.RESPOND, source, S.RESPONDED, response.submitted_at, None, "", index))
        if outcome == "pending":
            break
        response.verified_by_id = verifier
        response.verified_at = next(moments)
        if outcome == "rejected":
            response.verification = VerificationDecision.REJECTED
            response.verification_note = rnd.choice(REJECT_REASONS)
            steps.append(
                (
                    NonconformityAction.REJECT,
                    S.RESPONDED,
                    S.RETURNED,
                    response.verified_at,
                    verifier,
                    response.verification_note,
                    index,
                )
            )
            source = S.RETURNED
            continue
        response.verification = VerificationDecision.ACCEPTED
        response.verification_method = (
            VerificationMethod.NEXT_AUDIT
            if nc.grade != "major" and rnd.random() < 0.2
            else rnd.choice([VerificationMethod.DOCUMENTS] * 4 + [VerificationMethod.ON_SITE])
        )
        response.verification_note = rnd.choice(VERIFICATION_NOTES)
        response.closure = ClosureDecision.PENDING
        steps.append(
            (
                NonconformityAction.ACCEPT,
                S.RESPONDED,
                S.VERIFIED,
                response.verified_at,
                verifier,
                response.verification_note,
                index,
            )
        )
        if outcome == "accepted":
            break
        response.closure_by_id = leader
        response.closure_at = next(moments)
        if outcome == "closed":
            response.closure = ClosureDecision.APPROVED
            steps.append((NonconformityAction.CLOSE, S.VERIFIED, S.CLOSED, response.closure_at, leader, "", index))
        else:
            response.closure = ClosureDecision.REJECTED
            response.closure_note = rnd.choice(CLOSURE_REJECT_REASONS)
            steps.append(
                (
                    NonconformityAction.REJECT_CLOSURE,
                    S.VERIFIED,
                    S.RETURNED,
                    response.closure_at,
                    leader,
                    response.closure_note,
                    index,
                )
            )
            source = S.RETURNED
    return rounds, steps
