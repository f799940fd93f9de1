"""Facts the report prints from the database, keyed by the template fields' ``source`` paths.

Nothing here is typed into the report: CB, team, client, criteria, dates, sites, scope, NC
counts by grade, family and department come from their own records. ``audit_facts`` reads an
audit that was fetched with ``facts_prefetch()`` (see ``reports.selectors``), so it issues no
query of its own apart from the CB row and the CB's NC due-date rules.

The nonconformity facts (七 counts and distribution, 十二 due days, 十五 verification result per
family) are not computed here: ``findings.selectors.report_facts`` is the one place for them,
and this module only hands it the prefetched NCs.

Facts of apps above reports (the certification decision of parts 十六 and 十七) come from the
**fact providers** those apps register in their ``AppConfig.ready()``
(``register_fact_provider``): reports never imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from audits.models import Audit, CertificationBody, TeamAssignment, TeamRole
from clients.models import Client, ClientScope, Site, SiteKind
from core.i18n import pick
from findings import selectors as nc_selectors
from findings.models import Nonconformity
from people.rules import REGISTRATION_SEPARATOR

FAMILY_ORDER = {"QMS": 0, "EMS": 1, "OHSMS": 2}


# --- facts of other apps -------------------------------------------------------------------------


@dataclass(frozen=True)
class FactProvider:
    """Facts another app adds to the report: ``facts(audit)`` returns them keyed by the template
    fields' ``source`` paths. ``audit_statuses``: the audit statuses in which they can exist (the
    provider is not asked otherwise, so the report pages' query counts do not grow); None: any."""

    name: str
    facts: Callable[[Audit], Mapping[str, Any]]
    audit_statuses: frozenset[str] | None = None


_FACT_PROVIDERS: dict[str, FactProvider] = {}


def register_fact_provider(
    name: str, facts: Callable[[Audit], Mapping[str, Any]], *, audit_statuses: Collection[str] | None = None
) -> None:
    """Add (or replace, by ``name``) a provider of report facts; called from an app's ``ready()``."""
    statuses = frozenset(str(s) for s in audit_statuses) if audit_statuses is not None else None
    _FACT_PROVIDERS[name] = FactProvider(name=name, facts=facts, audit_statuses=statuses)


def fact_providers() -> list[FactProvider]:
    """The registered providers, in the order they were registered."""
    return list(_FACT_PROVIDERS.values())


def facts_prefetch(prefix: str = "") -> list[str | Prefetch]:
    """What ``audit_facts`` reads, to prefetch on an audit queryset (``prefix="audit__"`` on a
    report queryset)."""
    p = prefix
    return [
        f"{p}standards",
        f"{p}sites",
        f"{p}accompanying_persons",
        f"{p}plan_items__department",
        f"{p}non_applicable_rows__clause__standard",
        f"{p}client__technical_areas",
        f"{p}client__departments",
        Prefetch(f"{p}client__sites", queryset=Site.objects.order_by("kind", "pk")),
        Prefetch(f"{p}client__scopes", queryset=ClientScope.objects.select_related("standard")),
        Prefetch(f"{p}team", queryset=TeamAssignment.objects.select_related("profile__user").order_by("pk")),
        Prefetch(
            f"{p}nonconformities",
            queryset=Nonconformity.objects.select_related("clause__standard", "department").order_by("number"),
        ),
    ]


def _none_text() -> str:
    return _("None")


def _sorted_families(families: Iterable[str]) -> list[str]:
    return sorted(set(families), key=lambda f: (FAMILY_ORDER.get(f, 9), f))


def team_role_label(role: str) -> str:
    """The role as the report's team table prints it (组内身份: 组长, 组员 as the seed does; the
    pages say 审核组长)."""
    labels: dict[str, str] = {
        TeamRole.LEADER.value: pgettext("role in the audit team, as the report prints it", "Leader"),
        TeamRole.AUDITOR.value: pgettext("role in the audit team, as the report prints it", "Member"),
    }
    return labels.get(str(role)) or str(TeamRole(role).label)


def headcount_text(headcount: int | None) -> str:
    """四 组织人数 as the seed prints it: "15人"."""
    if headcount is None:
        return ""
    return ngettext("%(count)d person", "%(count)d persons", headcount) % {"count": headcount}


def team_rows(assignments: Iterable[TeamAssignment]) -> list[dict[str, Any]]:
    ordered = sorted(assignments, key=lambda a: (a.role != TeamRole.LEADER, a.pk))
    return [
        {
            "_key": str(a.pk),
            "name": a.name or str(a.profile.user),
            "role_in_team": team_role_label(a.role),
            "gender": a.gender_label,
            # One audited system per line: a registration number must not wrap at its hyphens.
            "registration_number": a.registration_number.replace(REGISTRATION_SEPARATOR, "\n"),
            "codes": a.codes,
        }
        for a in ordered
    ]


def audit_facts(audit: Audit, *, cb: CertificationBody | None = None) -> dict[str, Any]:
    """The dict of facts for one audit (prefetched with ``facts_prefetch()``), with those of the
    registered fact providers."""
    cb = cb if cb is not None else CertificationBody.objects.current()
    client = audit.client
    facts: dict[str, Any] = {}

    # CB (part 一, cover).
    facts.update(
        {
            "cb.name": cb.name if cb else "",
            "cb.address": cb.address if cb else "",
            "cb.postcode": cb.postcode if cb else "",
            "cb.phone": cb.phone if cb else "",
            "cb.fax": cb.fax if cb else "",
            "cb.email": cb.email if cb else "",
            "cb.website": cb.website if cb else "",
        }
    )

    # Team (一, 十四, 十五).
    team = list(audit.team.all())
    facts["team"] = team_rows(team)
    leader = next((a for a in team if a.role == TeamRole.LEADER), None)
    members = [a.name for a in team if a.role != TeamRole.LEADER]
    facts["team.leader.name"] = leader.name if leader else ""
    facts["team.members"] = "、".join(members) if members else "/"
    facts["accompanying_persons"] = [
        {
            "_key": str(p.pk),
            "name": p.name,
            "gender": p.gender,
            "role": p.role,
            "employer": p.employer,
            "remarks": p.remarks,
        }
        for p in audit.accompanying_persons.all()
    ]

    # Client (cover, 四).
    sites = list(client.sites.all())
    registered = next((s for s in sites if s.kind == SiteKind.REGISTERED), None)
    standards = list(audit.standards.all())
    audit_standard_ids = {s.pk for s in standards}
    scopes = [s for s in client.scopes.all() if s.standard_id in audit_standard_ids] or list(client.scopes.all())
    branches = [s for s in sites if s.kind == SiteKind.BRANCH]
    temporary = [s for s in sites if s.kind == SiteKind.TEMPORARY]
    facts.update(
        {
            "client.name": client.name,
            "client.headcount": headcount_text(client.headcount),
            "client.registered_address": registered.address if registered else "",
            "client.registered_postcode": client.postal_code or (registered.postal_code if registered else ""),
            "client.operating_addresses": [
                {"_key": str(s.pk), "address": s.address, "postcode": s.postal_code}
                for s in sites
                if s.kind == SiteKind.OPERATING
            ],
            "client.contact.name": client.contact_name,
            "client.contact.phone": client.telephone,
            "client.contact.fax": client.fax,
            "client.legal_representative": client.legal_representative,
            "client.top_management": client.top_management,
            "client.ms_representative": client.ms_contact,
            # Not in the seed report's part 四 (a QMS-only audit); a CB may add it to its template.
            "client.ohs_representative": client.ohs_representative,
            "client.scope": "；".join(f"{s.standard.family}: {s.scope}" for s in scopes),
            "client.scope_codes": [t.code for t in client.technical_areas.all()],
            "client.ms_implementation_date": client.system_implemented_on,
            "client.branch_sites": "；".join(f"{s.name} {s.address}".strip() for s in branches) or _none_text(),
            "client.temporary_sites": "；".join(f"{s.name} {s.address}".strip() for s in temporary) or _none_text(),
        }
    )

    # The audit (二, 三, 四, 五, 十四).
    families = _sorted_families(s.family for s in standards)
    facts["audit.families"] = families
    facts["audit.purpose"] = audit.purpose
    facts["audit.criteria"] = audit.criteria
    facts["audit.integrated"] = "yes" if audit.integrated else "no"
    facts["audit.previous_audit_date"] = client.last_audit_on
    facts["audit.report_signed_on"] = audit.end_date
    facts["audit.start_date"] = audit.start_date
    facts["audit.end_date"] = audit.end_date
    non_applicable = list(audit.non_applicable_rows.all())
    for standard in standards:
        key = {"ISO 9001": "gb19001", "GB/T 50430": "gb50430"}.get(standard.code)
        if key:
            rows = [r for r in non_applicable if r.clause.standard_id == standard.pk]
            facts[f"audit.exclusions.{key}"] = (
                "；".join(f"{r.clause.number} {r.justification}".strip() for r in rows)
                if rows
                # 三 "不适用条款：无条款" (the seed's wording); "Clauses not applicable: None".
                else pgettext("clauses not applicable", "None")
            )
    departments = []
    for item in audit.plan_items.all():
        if item.department is not None and item.department not in departments:
            departments.append(item.department)
    if not departments:
        departments = list(client.departments.all())
    facts["audit.departments"] = [{"_key": d.name_zh, "department": d.name} for d in departments]
    # Names a team types into the report (十八's recipients) in Chinese print in the document's
    # language: the record's own name in that language.
    facts["names.localized"] = {
        record.name_zh: record.name
        for record in [cb, client, *client.departments.all()]
        if record is not None and record.name_zh and record.name
    }
    facts["audit.sites"] = [
        {"_key": str(s.pk), "site_name": s.name or s.get_kind_display(), "address": s.address}
        for s in audit.sites.all()
        if s.kind in (SiteKind.BRANCH, SiteKind.TEMPORARY)
    ]
    facts["audit.products"] = [{"_key": s.scope_zh, "product": s.scope} for s in scopes]

    # Nonconformities (七, 十二, 十五): counts, distribution, due days and verification result,
    # from the one rule in findings/selectors.py (the NCs are prefetched: no query; the due-date
    # rules: one query).
    facts.update(nc_selectors.report_facts(list(audit.nonconformities.all()), families, audit_type=audit.audit_type))

    # Facts of the apps above (the certification decision of 十六 and 十七), each provider asked
    # only in the audit statuses where its facts can exist.
    for provider in _FACT_PROVIDERS.values():
        if provider.audit_statuses is None or str(audit.status) in provider.audit_statuses:
            facts.update(provider.facts(audit))
    return facts


def cover_title(client: Client) -> str:
    return pick(client.name_zh, client.name_en)
