"""The one lifecycle mechanism: every status change of every record goes through ``Machine.move``.

An app declares its machine once, as data, next to its services::

    NC_MACHINE = Machine(
        model=Nonconformity,
        event_model=NonconformityTransition,  # a LifecycleEvent subclass
        subject_field="nc",                   # the event's foreign key to the record
        moves=[
            Move("respond", {S.OPEN, S.RETURNED}, S.RESPONDED, who="respond",
                 refused=gettext_noop("Only a user of the audited organisation may answer ...")),
            ...
        ],
    )

and its public action functions call ``NC_MACHINE.move(nc, "respond", by=user, version=...)``.
``move`` runs in one transaction: it checks who (``PermissionDenied``), locks the row, checks
the version the actor saw (``ValidationError`` code ``stale``) and the status
(``ValidationError`` code ``wrong_status``), applies the change, saves with the actor recorded
for the history, and writes the event row. The error rule is the same everywhere:
``PermissionDenied`` for *who*, ``ValidationError`` with a code for *what* and *when*.

A move may also carry a ``guard``: a rule on the record (not on the actor) that forbids a move
its status would allow, e.g. a report can no longer be reopened once its audit went on to the
committee. ``move`` checks it on the locked row; ``may`` and ``allowed`` check it too, so a
page never offers the button.

``who`` is either the name of a ``restrict()`` action of the model's queryset (object-level, the
same rule the pages use) or a predicate ``(user, obj) -> bool``. Moves made by the system (a
daily job) pass ``by=None`` and need a predicate that accepts ``None`` (``SYSTEM``).

No app edits another app's machine: a higher app that needs a record of a lower one to move
calls that app's public action function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .access import restricted
from .history import set_history_user

Predicate = Callable[[Any, Any], bool]
# A rule on the record itself (not on the actor) that may forbid a move its status allows: it
# returns the refusal (a ValidationError with a code) or None.
Guard = Callable[[Any], ValidationError | None]

_REGISTRY: dict[str, Machine] = {}


def SYSTEM(user: Any, obj: Any) -> bool:
    """``who`` of a move only the system makes (a scheduled job passes ``by=None``)."""
    return user is None


@dataclass(frozen=True)
class Move:
    """One arrow of a machine: ``action`` takes a record from any of ``sources`` to ``target``."""

    action: str
    sources: frozenset[str]
    target: str
    who: str | Predicate
    refused: str = ""  # why an actor who fails ``who`` is refused (gettext_noop'd text)
    label: str = ""  # the action's name on pages and in messages (lazy text)
    guard: Guard | None = None  # a rule on the record that may forbid the move (see ``Guard``)

    def __init__(
        self,
        action: str,
        sources: Iterable[str],
        target: str,
        *,
        who: str | Predicate,
        refused: str = "",
        label: Any = "",
        guard: Guard | None = None,
    ) -> None:
        object.__setattr__(self, "action", str(action))
        object.__setattr__(self, "sources", frozenset(str(s) for s in sources))
        object.__setattr__(self, "target", str(target))
        object.__setattr__(self, "who", who)
        object.__setattr__(self, "refused", refused)
        object.__setattr__(self, "label", label or str(action))
        object.__setattr__(self, "guard", guard)


@dataclass
class Machine:
    """A record's lifecycle, declared as data. See the module docstring."""

    model: type[models.Model]
    event_model: type[LifecycleEvent]
    subject_field: str
    moves: Iterable[Move]
    status_field: str = "status"
    version_field: str | None = "version"
    name: str = ""
    stale_message: str = ""
    wrong_status_message: str = ""
    by_action: dict[str, Move] = field(init=False)

    def __post_init__(self) -> None:
        self.moves = tuple(self.moves)
        self.by_action = {}
        for move in self.moves:
            if move.action in self.by_action:
                raise ValueError(f"{self.model.__name__}: the action {move.action!r} is declared twice")
            self.by_action[move.action] = move
        self.name = self.name or self.model._meta.label_lower
        _REGISTRY[self.name] = self

    # --- reading the machine ------------------------------------------------------------------

    def __getitem__(self, action: str) -> Move:
        try:
            return self.by_action[str(action)]
        except KeyError:
            raise ValueError(f"{self.model.__name__} has no action {action!r}") from None

    def statuses(self) -> list[str]:
        return [str(value) for value, _label in self._status_choices()]

    def _status_choices(self) -> list[tuple[Any, Any]]:
        return list(getattr(self.model._meta.get_field(self.status_field), "choices", None) or [])

    def actions_from(self, status: str) -> list[Move]:
        return [move for move in self.moves if str(status) in move.sources]

    def sources_of_target(self, target: str) -> frozenset[str]:
        """Every status from which some move reaches ``target``."""
        return frozenset().union(*(move.sources for move in self.moves if move.target == str(target)))

    def actor_allowed(self, user: Any, obj: models.Model, action: str) -> bool:
        """Whether ``user`` passes the move's ``who``, whatever the record's status."""
        who = self[action].who
        if callable(who):
            return bool(who(user, obj))
        if user is None:
            return False
        return restricted(self.model, user, who).filter(pk=obj.pk).exists()

    def guard_refusal(self, obj: models.Model, action: str) -> ValidationError | None:
        """Why the move's guard forbids ``action`` on ``obj`` now, or None."""
        guard = self[action].guard
        return guard(obj) if guard is not None else None

    def may(self, user: Any, obj: models.Model, action: str) -> bool:
        """Whether ``user`` may take ``action`` on ``obj`` now (status, guard and who)."""
        move = self[action]
        return (
            str(getattr(obj, self.status_field)) in move.sources
            and self.guard_refusal(obj, action) is None
            and self.actor_allowed(user, obj, action)
        )

    def allowed(self, user: Any, obj: models.Model) -> set[str]:
        """The actions ``user`` may take on ``obj`` now, each ``who`` evaluated once (for pages)."""
        status = str(getattr(obj, self.status_field))
        seen: dict[Any, bool] = {}
        result = set()
        for move in self.actions_from(status):
            if self.guard_refusal(obj, move.action) is not None:
                continue
            key = move.who if isinstance(move.who, str) else id(move.who)
            if key not in seen:
                seen[key] = self.actor_allowed(user, obj, move.action)
            if seen[key]:
                result.add(move.action)
        return result

    # --- refusing -------------------------------------------------------------------------------

    def require(self, user: Any, obj: models.Model, action: str) -> None:
        """Raise ``PermissionDenied`` with the move's reason when ``user`` fails its ``who``."""
        if not self.actor_allowed(user, obj, action):
            move = self[action]
            raise PermissionDenied(gettext(move.refused) if move.refused else gettext("You may not do this."))

    def _status_label(self, value: str) -> str:
        choices = dict(self._status_choices())
        return str(choices.get(value, value))

    def _check_version(self, locked: models.Model, version: Any) -> None:
        if self.version_field is None or version in (None, ""):
            return
        if int(version) != getattr(locked, self.version_field):
            raise ValidationError(
                gettext(self.stale_message)
                if self.stale_message
                else gettext(
                    "Someone else changed this %(thing)s since you opened it. Nothing was saved; reload the page."
                )
                % {"thing": self.model._meta.verbose_name},
                code="stale",
            )

    def _check_status(self, locked: models.Model, move: Move) -> None:
        current = str(getattr(locked, self.status_field))
        if current in move.sources:
            return
        template = (
            gettext(self.wrong_status_message)
            if self.wrong_status_message
            else gettext("This %(thing)s is now “%(status)s”: “%(action)s” is not possible.")
        )
        facts = {
            "thing": self.model._meta.verbose_name,
            "status": self._status_label(current),
            "from": self._status_label(current),
            "to": self._status_label(move.target),
            "action": move.label,
        }
        raise ValidationError(template % facts, code="wrong_status")

    # --- moving ---------------------------------------------------------------------------------

    def move(
        self,
        obj: models.Model,
        action: str,
        *,
        by: Any,
        version: Any = None,
        note: str = "",
        changes: Mapping[str, Any] | None = None,
        event: Mapping[str, Any] | None = None,
        on_locked: Callable[[Any], Mapping[str, Any] | None] | None = None,
    ) -> tuple[Any, LifecycleEvent]:
        """Take ``action`` on ``obj`` as ``by``; returns the locked, saved record and its event row.

        ``changes`` are further fields written with the status (``approved_by`` …); ``event`` further
        fields of the event row. ``on_locked(locked)`` runs after the lock and the checks, before
        the status changes: it may raise ``ValidationError`` for a rule that needs the current
        row, write rows that belong to the move, and return further fields of the event row.
        The caller's ``obj`` is updated with the new status and version.
        """
        move = self[action]
        with transaction.atomic():
            self.require(by, obj, action)
            locked = self.model._default_manager.select_for_update().get(pk=obj.pk)
            self._check_version(locked, version)
            self._check_status(locked, move)
            refusal = self.guard_refusal(locked, action)
            if refusal is not None:
                raise refusal
            event_fields = dict(event or {})
            if on_locked is not None:
                event_fields.update(on_locked(locked) or {})
            from_status = str(getattr(locked, self.status_field))
            setattr(locked, self.status_field, move.target)
            for name, value in (changes or {}).items():
                setattr(locked, name, value)
            if self.version_field is not None:
                setattr(locked, self.version_field, getattr(locked, self.version_field) + 1)
            set_history_user(locked, by)
            locked.save()
            row = self.event_model._default_manager.create(
                **{self.subject_field: locked},
                action=move.action,
                from_status=from_status,
                to_status=move.target,
                by=by,
                note=note or "",
                **event_fields,
            )
        setattr(obj, self.status_field, move.target)
        if self.version_field is not None:
            setattr(obj, self.version_field, getattr(locked, self.version_field))
        for name, value in (changes or {}).items():
            setattr(obj, name, value)
        return locked, row

    def record_creation(
        self,
        obj: models.Model,
        *,
        by: Any,
        note: str = "",
        action: str = "create",
        event: Mapping[str, Any] | None = None,
    ) -> LifecycleEvent:
        """The event row of a record's first status ("" → its status), written where it is created.
        A record created in a later state (an imported historical record) names its own ``action``
        and further fields of the event row (``event``)."""
        return self.event_model._default_manager.create(
            **{self.subject_field: obj},
            action=action,
            from_status="",
            to_status=str(getattr(obj, self.status_field)),
            by=by,
            note=note or "",
            **dict(event or {}),
        )

    def table(self) -> list[tuple[str, str, str, str]]:
        """(action, from, to, who) rows, for documentation and tests."""
        rows = []
        for move in self.moves:
            who = move.who if isinstance(move.who, str) else getattr(move.who, "__name__", "rule")
            for source in sorted(move.sources):
                rows.append((move.action, source, move.target, who))
        return rows


def machines() -> dict[str, Machine]:
    """Every declared machine, by name (``app_label.model``): each app's ``lifecycle`` module is
    imported first, so the answer does not depend on what has been imported so far."""
    autodiscover_modules("lifecycle")
    return dict(_REGISTRY)


class AppendOnlyError(ValidationError):
    pass


class LifecycleEvent(models.Model):
    """The one shape of an event row: which action, from → to, who, when, why. Append-only.

    A concrete event model adds its foreign key to the record (``subject_field``) and, where
    it needs them, further facts of the move (a reason code, a response round)."""

    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=30, blank=True)
    to_status = models.CharField(_("to"), max_length=30)
    # Who moved a record stays known: a user who acted is deactivated, never deleted.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(_("A recorded status change cannot be changed."), code="immutable")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError(_("A recorded status change cannot be deleted."), code="immutable")
