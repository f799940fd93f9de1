"""The lifecycle mechanism itself, on a throwaway record type: who, status, version, the event row
and all-or-nothing. Each app's matrix test then proves its own machine's table."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError

from core.access import Role
from core.lifecycle import SYSTEM, AppendOnlyError, Machine, Move, machines

from .lifecycle_models import TICKET_MACHINE, Status, Ticket, TicketEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket_types(lifecycle_tables):
    return Ticket, TicketEvent, TICKET_MACHINE


@pytest.fixture
def admin(make_user):
    return make_user(role=Role.CB_ADMIN)


@pytest.fixture
def auditor(make_user):
    return make_user(role=Role.AUDITOR)


def test_an_allowed_move_changes_status_bumps_version_and_writes_one_event(ticket_types, admin):
    Ticket, TicketEvent, machine = ticket_types
    ticket = Ticket.objects.create()
    _locked, event = machine.move(ticket, "finish", by=admin, version=1, note="all done")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.version) == (Status.DONE, 2)
    assert (event.action, event.from_status, event.to_status, event.by, event.note) == (
        "finish",
        Status.OPEN,
        Status.DONE,
        admin,
        "all done",
    )
    assert TicketEvent.objects.count() == 1


def test_who_is_checked_first_and_refused_with_permission_denied(ticket_types, auditor):
    Ticket, TicketEvent, machine = ticket_types
    ticket = Ticket.objects.create()
    with pytest.raises(PermissionDenied, match=r"Only administrators finish\."):
        machine.move(ticket, "finish", by=auditor)
    assert Ticket.objects.get().status == Status.OPEN
    assert not TicketEvent.objects.exists()


def test_a_move_from_a_status_without_that_arrow_is_refused_with_code_wrong_status(ticket_types, admin):
    Ticket, TicketEvent, machine = ticket_types
    ticket = Ticket.objects.create(status=Status.CLOSED)
    with pytest.raises(ValidationError) as exc:
        machine.move(ticket, "finish", by=admin)
    assert exc.value.code == "wrong_status"
    assert "Closed" in exc.value.messages[0]
    assert not TicketEvent.objects.exists()


def test_a_stale_version_is_refused_with_code_stale_and_nothing_changes(ticket_types, admin):
    Ticket, _TicketEvent, machine = ticket_types
    ticket = Ticket.objects.create(version=3)
    with pytest.raises(ValidationError) as exc:
        machine.move(ticket, "finish", by=admin, version=2)
    assert exc.value.code == "stale"
    assert Ticket.objects.get().status == Status.OPEN


def test_the_status_is_checked_on_the_locked_row_not_on_the_callers_copy(ticket_types, admin):
    Ticket, _TicketEvent, machine = ticket_types
    ticket = Ticket.objects.create()
    stale_copy = Ticket.objects.get(pk=ticket.pk)
    machine.move(ticket, "finish", by=admin)
    with pytest.raises(ValidationError) as exc:
        machine.move(stale_copy, "finish", by=admin)
    assert exc.value.code == "wrong_status"


def test_a_failure_after_the_lock_leaves_neither_status_nor_event(ticket_types, admin):
    Ticket, TicketEvent, machine = ticket_types
    ticket = Ticket.objects.create()

    def refuse(locked):
        raise ValidationError("not today", code="rule")

    with pytest.raises(ValidationError):
        machine.move(ticket, "finish", by=admin, on_locked=refuse)
    assert Ticket.objects.get().status == Status.OPEN
    assert not TicketEvent.objects.exists()


def test_system_moves_take_no_user_and_refuse_every_user(ticket_types, admin):
    Ticket, _TicketEvent, machine = ticket_types
    ticket = Ticket.objects.create(status=Status.DONE)
    with pytest.raises(PermissionDenied):
        machine.move(ticket, "close", by=admin)
    _locked, event = machine.move(ticket, "close", by=None, changes={"closed_by_job": True})
    assert event.by is None
    assert Ticket.objects.get().closed_by_job is True
    assert ticket.status == Status.CLOSED  # the caller's copy follows


def test_allowed_lists_what_the_user_may_do_now(ticket_types, admin, auditor):
    Ticket, _TicketEvent, machine = ticket_types
    ticket = Ticket.objects.create()
    assert machine.allowed(admin, ticket) == {"finish"}
    assert machine.allowed(auditor, ticket) == set()
    assert machine.may(admin, ticket, "finish") and not machine.may(admin, ticket, "close")


def test_event_rows_are_append_only(ticket_types, admin):
    Ticket, _TicketEvent, machine = ticket_types
    _locked, event = machine.move(Ticket.objects.create(), "finish", by=admin)
    event.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_a_machine_refuses_an_action_declared_twice(ticket_types):
    Ticket, TicketEvent, _machine = ticket_types
    with pytest.raises(ValueError, match="declared twice"):
        Machine(
            model=Ticket,
            event_model=TicketEvent,
            subject_field="ticket",
            name="core.test_twice",
            moves=[
                Move("a", [Status.OPEN], Status.DONE, who=SYSTEM),
                Move("a", [Status.DONE], Status.OPEN, who=SYSTEM),
            ],
        )


def test_every_machine_is_registered_with_a_table():
    names = set(machines())
    assert {"audits.audit"} <= names
    for machine in machines().values():
        assert machine.table(), machine.name


def test_a_user_who_moved_a_record_cannot_be_deleted(ticket_types, admin):
    Ticket, _TicketEvent, machine = ticket_types
    machine.move(Ticket.objects.create(), "finish", by=admin)
    with pytest.raises(ProtectedError):
        admin.delete()
