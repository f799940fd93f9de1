"""Who may open the audit pages (see auditbody/tests/access_table.py).

Detail, printable plan and list are open to every role at page level; the object-level rule
(team members, the client's own users) is applied by ``restrict`` and tested in
test_audit_access.py. Here each user gets an audit it is entitled to (``audit_for``).
"""

from core.access import Role
from core.testing import ALL_ROLES, STAFF, Page

ADMIN = frozenset({Role.CB_ADMIN})
AUDITING_AND_ADMIN = frozenset({Role.CB_ADMIN, Role.AUDITOR, Role.TEAM_LEADER})
PROGRAMME_READERS = frozenset({Role.CB_ADMIN, Role.COMMITTEE})


def _audit(user):
    from audits.tests.factories import audit_for

    return {"pk": audit_for(user).pk}


def _startable(user):
    """An audit with a complete team the user leads (the start then succeeds: 302)."""
    from audits.models import TeamRole
    from audits.tests.factories import AuditFactory, TeamAssignmentFactory, qualified_profile, technical_area

    audit = AuditFactory()
    audit.client.technical_areas.add(technical_area("33.02.01"))
    leads = user is not None and user.role in (Role.AUDITOR, Role.TEAM_LEADER)
    TeamAssignmentFactory(
        audit=audit, profile=qualified_profile(user=user) if leads else qualified_profile(), role=TeamRole.LEADER
    )
    return {"pk": audit.pk}


def _assignment(user):
    from audits.tests.factories import TeamAssignmentFactory

    assignment = TeamAssignmentFactory()
    return {"pk": assignment.audit_id, "assignment_pk": assignment.pk}


def _person(user):
    from audits.models import AccompanyingPerson
    from audits.tests.factories import AuditFactory

    person = AccompanyingPerson.objects.create(audit=AuditFactory(), name="王观察", role="观察员")
    return {"pk": person.audit_id, "person_pk": person.pk}


def _client(user):
    """A client whose programme the user may see (auditors: a client they audit)."""
    return {"client_pk": audit_for_client(user)}


def audit_for_client(user):
    from audits.tests.factories import audit_for

    return audit_for(user).client_id


def _programme(user):
    from audits.tests.factories import ProgrammeFactory

    return {"pk": ProgrammeFactory().pk}


def _any_client(user):
    from audits.tests.factories import ClientFactory

    return {"client_pk": ClientFactory().pk}


PAGES = [
    Page("audits:list", ALL_ROLES),
    Page("audits:list_choices", ALL_ROLES, kwargs=lambda user: {"field": "client"}),
    Page("audits:create", ADMIN),
    Page("audits:detail", ALL_ROLES, kwargs=_audit),
    Page("audits:edit", ADMIN, kwargs=_audit),
    Page("audits:start", AUDITING_AND_ADMIN, kwargs=_startable, method="post", ok_status=302),
    Page("audits:cancel", ADMIN, kwargs=_audit, method="post", ok_status=302),
    Page("audits:team", ADMIN, kwargs=_audit),
    Page("audits:team_remove", ADMIN, kwargs=_assignment, method="post", ok_status=302),
    Page("audits:person_remove", ADMIN, kwargs=_person, method="post", ok_status=302),
    Page("audits:itinerary", ADMIN, kwargs=_audit),
    Page("audits:itinerary_prefill", ADMIN, kwargs=_audit, method="post", ok_status=302),
    Page("audits:plan_print", ALL_ROLES, kwargs=_audit),
    Page("audits:programme_list", PROGRAMME_READERS),
    Page("audits:programme", STAFF, kwargs=_client),
    Page("audits:programme_create", ADMIN, kwargs=_any_client),
    Page("audits:programme_edit", ADMIN, kwargs=_programme),
]
