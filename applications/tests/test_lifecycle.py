"""The application, quotation and contract machines (applications/lifecycle.py): for every move,
every allowed actor succeeds from every source and writes its event row, every other actor gets
``PermissionDenied``, every other status is refused with ``wrong_status``. Statuses are set
directly here (test set-up) so that each move is tried from every status."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.tests.factories import UserFactory
from clients.tests.factories import ClientFactory

from .. import services
from ..lifecycle import APPLICATION_MACHINE, CONTRACT_MACHINE, QUOTATION_MACHINE
from ..models import Application, Contract, Quotation
from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    client = ClientFactory(name_zh="矩阵客户有限公司")
    return {
        "admin": f.admin_user(),
        "reviewer": f.reviewer(),
        "other_staff": UserFactory(role="auditor"),
        "committee": UserFactory(role="committee"),
        "client_user": UserFactory(role="client", client=client),
        "other_client_user": UserFactory(role="client"),
        "anonymous": AnonymousUser(),
    }


APPLICATION_MOVES = [
    ("submit", {"admin", "client_user"}),
    ("start_review", {"admin"}),
    ("return", {"admin"}),
    ("accept", {"reviewer"}),
    ("accept_conditions", {"reviewer"}),
    ("decline", {"reviewer"}),
    ("contract", {"admin"}),
    ("withdraw", {"admin", "client_user"}),
]


def _set(obj, status):
    type(obj).objects.filter(pk=obj.pk).update(status=status)
    obj.refresh_from_db()


def _try_all(machine, obj, action, allowed, people):
    move = machine[action]
    for name, user in people.items():
        for source in sorted(move.sources):
            _set(obj, source)
            if name in allowed:
                _locked, row = machine.move(obj, action, by=user)
                assert (row.from_status, row.to_status, row.by) == (source, move.target, user)
            else:
                with pytest.raises(PermissionDenied):
                    machine.move(obj, action, by=user)
    actor = people[sorted(allowed)[0]]
    for status in machine.statuses():
        if status in move.sources:
            continue
        _set(obj, status)
        with pytest.raises(ValidationError) as exc:
            machine.move(obj, action, by=actor)
        assert exc.value.code == "wrong_status"


@pytest.mark.parametrize(("action", "allowed"), APPLICATION_MOVES)
def test_application_machine(people, action, allowed):
    application = f.draft(by=people["client_user"])
    _try_all(APPLICATION_MACHINE, application, action, allowed, people)


def test_submit_is_guarded_by_completeness(people):
    application = f.draft(by=people["client_user"], complete=False)
    with pytest.raises(ValidationError) as exc:
        APPLICATION_MACHINE.move(application, "submit", by=people["client_user"])
    assert exc.value.code == "incomplete"
    assert not APPLICATION_MACHINE.may(people["client_user"], application, "submit")


def _quotation(people):
    application = f.accepted(f.draft(by=people["client_user"]), admin=people["admin"], rev=people["reviewer"])
    f.price_list()
    return services.quotation_issue(application=application, by=people["admin"])


@pytest.mark.parametrize(
    ("action", "allowed"),
    [("accept", {"admin", "client_user"}), ("decline", {"admin", "client_user"}), ("withdraw", {"admin"})],
)
def test_quotation_machine(people, action, allowed):
    _try_all(QUOTATION_MACHINE, _quotation(people), action, allowed, people)


@pytest.mark.parametrize(
    ("action", "allowed"), [("client_accept", {"client_user"}), ("sign", {"admin"}), ("cancel", {"admin"})]
)
def test_contract_machine(people, action, allowed):
    quotation = _quotation(people)
    services.quotation_respond(quotation=quotation, accept=True, by=people["client_user"])
    contract = services.contract_issue(application=quotation.application, by=people["admin"])
    # The sign guard wants the client's acceptance: recorded here so the matrix tries the actor.
    Contract.objects.filter(pk=contract.pk).update(client_accepted_at=timezone.now())
    contract.refresh_from_db()
    _try_all(CONTRACT_MACHINE, contract, action, allowed, people)


def test_every_machine_is_registered():
    from core.lifecycle import machines

    names = set(machines())
    assert {"applications.application", "applications.quotation", "applications.contract"} <= names
    assert Application and Quotation
