"""Who sees applications and what hangs off them (object level, ``restrict``).

* ``view``: CB staff all; a client user the applications of its own organisation (and the ones
  it created before it had one).
* ``edit``: CB administrators, or the client user of its organisation (the portal); only a
  draft is edited (the machine's and the services' rule).
* ``manage``: CB administrators (start the review, quote, contract, sign).
* ``respond``: the client user of the application's organisation (accept or decline a quotation,
  accept a contract in the portal); a CB administrator records an answer given on paper (the
  contract's portal acceptance is the client's own: ``lifecycle.is_applicant_user``).

Concluding a review is not a ``restrict`` action but the reviewer's competence
(``applications.services.review.reviewer_refusal``): a permission and the codes.
"""

from typing import Any

from django.db.models import Q

from core.access import STAFF_ROLES, RestrictedQuerySet, Role


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _client_filter(user: Any, prefix: str = "") -> Q:
    own = Q(**{f"{prefix}created_by": user})
    if user.client_id:
        own |= Q(**{f"{prefix}client_id": user.client_id})
    return own


class ApplicationQuerySet(RestrictedQuerySet):
    prefix = ""

    def restrict(self, user, action="view"):
        if not _active(user):
            return self.none()
        p = self.prefix
        if user.role == Role.CB_ADMIN:
            # ``respond``: an administrator records an answer the client gave on paper.
            return self.all() if action in ("view", "edit", "manage", "respond") else self.none()
        if user.role == Role.CLIENT:
            if action == "view":
                return self.filter(_client_filter(user, p))
            if action in ("edit", "respond"):
                # The status (a draft) is the machine's and the services' rule, not the actor's.
                return self.filter(_client_filter(user, p))
            return self.none()
        if user.role in STAFF_ROLES and action == "view":
            return self.all()
        return self.none()


class ApplicationOwnedQuerySet(ApplicationQuerySet):
    """Rows of one application (review, quotation, contract, attachment): as their application,
    except that ``edit`` is not a draft rule here."""

    prefix = "application__"

    def restrict(self, user, action="view"):
        if not _active(user):
            return self.none()
        if action == "edit":
            action = "manage"
        return super().restrict(user, action)
