"""A throwaway record type for the lifecycle mechanism's own tests; ``core/tests/conftest.py``
creates its tables in the test database. Nothing outside the tests imports this module."""

from django.db import models

from core.access import RestrictedQuerySet, Role
from core.lifecycle import SYSTEM, LifecycleEvent, Machine, Move


class Status(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CLOSED = "closed", "Closed"


class TicketQuerySet(RestrictedQuerySet):
    """Only CB administrators may "finish" a ticket."""

    def restrict(self, user, action="view"):
        if action == "finish" and user.role == Role.CB_ADMIN:
            return self
        return self.none()


class Ticket(models.Model):
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    version = models.PositiveIntegerField(default=1)
    closed_by_job = models.BooleanField(default=False)

    objects = TicketQuerySet.as_manager()

    class Meta:
        app_label = "core"
        verbose_name = "ticket"


class TicketEvent(LifecycleEvent):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")

    class Meta(LifecycleEvent.Meta):
        app_label = "core"


TICKET_MACHINE = Machine(
    model=Ticket,
    event_model=TicketEvent,
    subject_field="ticket",
    name="core.test_ticket",
    moves=[
        Move("finish", [Status.OPEN], Status.DONE, who="finish", refused="Only administrators finish."),
        Move("close", [Status.DONE], Status.CLOSED, who=SYSTEM),
    ],
)
