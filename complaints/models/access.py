"""Who sees complaints and appeals (object level, ``restrict``).

* ``view``: CB administrators all; the assigned handler (investigator, appeal reviewer); a client
  user the ones it submitted (a complaint) or its organisation's (an appeal).
* ``manage``: CB administrators (acknowledge, validate, assign, answer, close).
* ``handle``: the assigned investigator or reviewer.
* ``identity`` (complaints): who may read the complainant's identity (17021-1 9.8.3 / 8.4):
  CB administrators and the assigned investigator only (and the client user who filed it).
"""

from typing import Any

from django.db.models import Q

from core.access import RestrictedQuerySet, Role


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


class ComplaintQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        if not _active(user):
            return self.none()
        admin = user.role == Role.CB_ADMIN
        if action in ("view", "identity"):
            if admin:
                return self.all()
            if user.role == Role.CLIENT:
                return self.filter(submitted_by=user)
            return self.filter(investigator=user)
        if action == "manage":
            return self.all() if admin else self.none()
        if action == "handle":
            return self.filter(investigator=user) if user.role != Role.CLIENT else self.none()
        return self.none()


class AppealQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        if not _active(user):
            return self.none()
        admin = user.role == Role.CB_ADMIN
        if action == "view":
            if admin:
                return self.all()
            if user.role == Role.CLIENT:
                return self.filter(client_id=user.client_id) if user.client_id else self.none()
            return self.filter(Q(reviewer=user))
        if action == "manage":
            return self.all() if admin else self.none()
        if action == "handle":
            return self.filter(reviewer=user) if user.role != Role.CLIENT else self.none()
        return self.none()
