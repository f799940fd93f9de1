"""The start page as mail: each role section of ``dashboard.selectors.start_page(user)`` turned
into a titled list of lines (text, absolute link, urgent or not) with the list's count and its
full list's link, so the weekly digest answers the same first questions as the start page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .selectors.common import Bounded


def absolute(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


@dataclass
class Line:
    text: str
    url: str = ""
    urgent: bool = False


@dataclass
class Section:
    title: str
    lines: list[Line] = field(default_factory=list)
    empty: str = ""
    total: int = 0  # rows in the full list (more than ``lines`` when bounded)
    url: str = ""  # the full list

    @property
    def more(self) -> int:
        return max(self.total - len(self.lines), 0)


def days_text(days: int | None) -> str:
    if days is None:
        return ""
    if days < 0:
        return ngettext("%(n)s day overdue", "%(n)s days overdue", -days) % {"n": -days}
    if days == 0:
        return _("today")
    return ngettext("%(n)s day left", "%(n)s days left", days) % {"n": days}


def age_text(age: int | None) -> str:
    return "" if age is None else ngettext("waiting %(n)s day", "waiting %(n)s days", age) % {"n": age}


def _date(day: Any) -> str:
    return day.strftime("%Y-%m-%d") if day else ""


def _join(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


def _urgent(days: int | None) -> bool:
    return days is not None and days <= 0


def _bounded(title: str, found: Bounded, line: Callable[[Any], Line], empty: str) -> Section:
    return Section(
        title=title,
        lines=[line(row) for row in found.rows],
        empty=empty,
        total=found.total,
        url=absolute(found.url) if found.url else "",
    )


def _period(audit: Any) -> str:
    if audit.end_date and audit.end_date != audit.start_date:
        return f"{_date(audit.start_date)} – {_date(audit.end_date)}"
    return _date(audit.start_date)


def _nc_line(nc: Any, url_name: str, *, with_client: bool = True) -> Line:
    due = _("due %(day)s") % {"day": _date(nc.due_date)} if nc.due_date else ""
    return Line(
        _join(
            f"NC-{nc.number} {nc.get_grade_display()}",
            nc.audit.client.name_zh if with_client else "",
            nc.audit.get_audit_type_display(),
            due,
            days_text(nc.days_left),
        ),
        absolute(reverse(url_name, args=[nc.pk])),
        _urgent(nc.days_left),
    )


def client_sections(page: dict[str, Any]) -> list[Section]:
    def certificate(c: Any) -> Line:
        due = ""
        if c.next_due:
            due = f"{c.next_due.label} {_('by')} {_date(c.next_due.due_by)} ({days_text(c.days_left)})"
        valid = _("valid until %(day)s") % {"day": _date(c.expires_on)}
        return Line(
            _join(f"{c.number} ({c.standard.code})", c.get_status_display(), valid, due), "", _urgent(c.days_left)
        )

    sections = [
        _bounded(_("Your certificates"), page["certificates"], certificate, _("No certificate yet.")),
    ]
    audit = page["next_audit"]
    next_audit = Section(title=_("Your next audit"), empty=_("No audit planned."))
    if audit is not None:
        team = ", ".join(
            f"{m.get_role_display()} {m.profile.user.get_full_name() or m.profile.user}" for m in audit.team.all()
        )
        standards = ", ".join(s.code for s in audit.standards.all())
        next_audit.lines.append(
            Line(
                _join(audit.get_audit_type_display(), _period(audit), standards, days_text(audit.days_left), team),
                absolute(reverse("clients:portal_audit", args=[audit.pk])),
            )
        )
        next_audit.total = 1
    sections.append(next_audit)
    sections.append(
        _bounded(
            _("Nonconformities to answer"),
            page["ncs"],
            lambda nc: _nc_line(nc, "clients:portal_nc", with_client=False),
            _("No nonconformity waits for your answer."),
        )
    )
    report = page["report"]
    latest = Section(title=_("Latest issued report"), empty=_("No report issued yet."))
    if report is not None:
        latest.lines.append(
            Line(
                _join(report.audit.get_audit_type_display(), _date(report.audit.end_date)),
                absolute(reverse("clients:portal_reports")),
            )
        )
        latest.total = 1
    sections.append(latest)
    return sections


def auditor_sections(page: dict[str, Any]) -> list[Section]:
    def audit(a: Any) -> Line:
        roles = ", ".join(str(m.get_role_display()) for m in a.my_roles)
        return Line(
            _join(a.client.name_zh, a.get_audit_type_display(), _period(a), roles, days_text(a.days_left)),
            absolute(reverse("audits:detail", args=[a.pk])),
        )

    def report_part(row: dict[str, Any]) -> Line:
        if row["kind"] == "approve":
            what = _("submitted: approve or return it")
        elif row["kind"] == "revise":
            what = ngettext("%(n)s topic returned to you", "%(n)s topics returned to you", row["count"]) % {
                "n": row["count"]
            }
        else:
            what = ngettext("%(n)s topic still empty", "%(n)s topics still empty", row["count"]) % {"n": row["count"]}
        return Line(
            _join(row["report"].audit.client.name_zh, what),
            absolute(reverse("reports:editor", args=[row["report"].pk])),
            row["since_end"] > 0,
        )

    return [
        _bounded(_("Your next audits"), page["audits"], audit, _("No audit planned for you.")),
        _bounded(
            _("Report parts waiting for you"), page["report_parts"], report_part, _("No report part waits for you.")
        ),
        _bounded(
            _("Answers to verify"),
            page["to_verify"],
            lambda nc: _nc_line(nc, "findings:nc_detail"),
            _("No answer waits for your verification."),
        ),
        _bounded(
            _("Closures to approve"),
            page["to_approve"],
            lambda nc: _nc_line(nc, "findings:nc_detail"),
            _("No closure waits for your approval."),
        ),
    ]


def _flag_line(flag: Any) -> Line:
    return Line(
        _join(
            str(flag.get_kind_display()),
            flag.certificate.number if flag.certificate else "",
            flag.programme.client.name_zh if flag.programme else "",
            _("since %(day)s") % {"day": _date(flag.basis_date)},
        ),
        absolute(reverse("certification:dashboard")),
        True,
    )


def _decision_line(decision: Any) -> Line:
    return Line(
        _join(str(decision.get_decision_type_display()), decision.client.name_zh, age_text(decision.age)),
        absolute(reverse("certification:decision", args=[decision.pk])),
    )


def committee_sections(page: dict[str, Any]) -> list[Section]:
    sections = []
    if "reviews" in page:
        sections.append(
            _bounded(
                _("Technical reviews waiting for you"),
                page["reviews"],
                lambda review: Line(
                    _join(review.audit.client.name_zh, review.audit.get_audit_type_display(), age_text(review.age)),
                    absolute(reverse("certification:review", args=[review.audit_id])),
                ),
                _("No technical review waits for you."),
            )
        )
    if "to_evaluate" in page:
        sections.append(
            _bounded(
                _("Decisions to evaluate"),
                page["to_evaluate"],
                _decision_line,
                _("No decision waits for your evaluation."),
            )
        )
    if "to_approve" in page:
        sections.append(
            _bounded(
                _("Decisions to approve"), page["to_approve"], _decision_line, _("No decision waits for your approval.")
            )
        )
    sections.append(_bounded(_("Matters raised by the daily check"), page["flags"], _flag_line, _("No open matter.")))
    sections.append(
        _bounded(
            _("Nonconformities that are grounds for suspension"),
            page["suspension_ncs"],
            lambda nc: _nc_line(nc, "findings:nc_detail"),
            _("No overdue nonconformity of a surveillance audit."),
        )
    )
    return sections


def admin_sections(page: dict[str, Any], *, with_flags: bool) -> list[Section]:
    pipeline = Section(
        title=_("Pipeline"),
        lines=[Line(" → ".join(f"{stage.label} {stage.count}" for stage in page["pipeline"]))],
        total=1,
    )
    due = Section(title=_("Audits falling due"), url=absolute(page["due"]["url"]), total=len(page["due"]["rows"]))
    for row in page["due"]["rows"]:
        thirty, sixty, ninety = row["buckets"]
        due.lines.append(
            Line(
                _join(
                    str(row["label"]),
                    _("overdue %(n)s") % {"n": row["overdue"]},
                    _("≤ 30 days %(n)s") % {"n": thirty},
                    _("31–60 days %(n)s") % {"n": sixty},
                    _("61–90 days %(n)s") % {"n": ninety},
                ),
                urgent=row["overdue"] > 0,
            )
        )
    cnca = page["cnca"]
    state = _("reported") if cnca["submitted"] else days_text(cnca["days_left"])
    regulator = Section(
        title=_("Next CNCA report"),
        lines=[
            Line(
                _join(
                    _("Data of %(month)s due by %(deadline)s.")
                    % {"month": cnca["month"].strftime("%Y-%m"), "deadline": _date(cnca["deadline"])},
                    state,
                ),
                absolute(cnca["url"]),
                cnca["overdue"],
            )
        ],
        total=1,
    )
    review = _bounded(
        _("Audits ready for technical review"),
        page["awaiting_review"],
        lambda audit: Line(
            _join(audit.client.name_zh, audit.get_audit_type_display(), age_text(audit.age)),
            absolute(reverse("certification:review", args=[audit.pk])),
        ),
        _("No audit waits for a technical review."),
    )
    sections = [pipeline, due, regulator, review]
    if with_flags:
        sections.append(
            _bounded(_("Matters raised by the daily check"), page["flags"], _flag_line, _("No open matter."))
        )
    return sections


def sections_of(page: dict[str, Any]) -> list[Section]:
    """The start page's role sections, in the start page's order."""
    out: list[Section] = []
    for name in page["sections"]:
        if name == "client":
            out += client_sections(page["client"])
        elif name == "auditor":
            out += auditor_sections(page["auditor"])
        elif name == "committee":
            out += committee_sections(page["committee"])
        elif name == "admin":
            # A committee member's section lists the daily check's matters already.
            out += admin_sections(page["admin"], with_flags="committee" not in page["sections"])
    return out
