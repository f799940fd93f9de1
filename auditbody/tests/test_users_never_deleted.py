"""Users are deactivated, never deleted: who did what is evidence (ISO/IEC 17021-1 9.9).

The first test walks every foreign key to the user model, so an actor field added later without
``PROTECT`` fails here by name. The others prove a deactivated client user still names every act."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.urls import reverse

from accounts.models import UserDeletionRefused
from accounts.tests.factories import UserFactory
from core.access import Role
from findings.models import NonconformityEvidence, NonconformityResponse, NonconformityTransition
from findings.tests.factories import answer, cast, make_nc, pdf_file

# Foreign keys to the user model that are not PROTECT, and why that is harmless. Any other
# one fails the walk. All of them rest on the deletion refusal tested below.
NOT_PROTECT = {
    # Django's own admin log (its model, not ours).
    ("admin.LogEntry", "user"),
}


def _not_protect_is_justified(model, field):
    if (model._meta.label, field.name) in NOT_PROTECT:
        return True
    if getattr(model, "instance_type", None) is not None and hasattr(model, "history_id"):
        # simple-history's rows: ``history_user`` is declared SET_NULL by the package, and the
        # copies of the record's own actor fields are DO_NOTHING without a database constraint
        # (a copy of a value, not a link that could cascade).
        return field.name == "history_user" or not field.db_constraint
    return False


def test_every_foreign_key_to_the_user_is_protect():
    user_model = get_user_model()
    offenders = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.ForeignKey) or field.related_model is not user_model:
                continue
            if field.remote_field.on_delete is models.PROTECT:
                continue
            if not _not_protect_is_justified(model, field):
                offenders.append(f"{model._meta.label}.{field.name} ({field.remote_field.on_delete.__name__})")
    assert offenders == []


@pytest.mark.django_db
def test_a_user_cannot_be_deleted_even_from_the_shell():
    user = UserFactory(role=Role.AUDITOR)
    with pytest.raises(UserDeletionRefused), transaction.atomic():
        user.delete()
    with pytest.raises(UserDeletionRefused), transaction.atomic():
        get_user_model().objects.filter(pk=user.pk).delete()
    assert get_user_model().objects.filter(pk=user.pk).exists()


@pytest.mark.django_db
def test_the_admin_offers_no_delete_of_a_user(client):
    admin = UserFactory(role=Role.CB_ADMIN, is_staff=True)
    victim = UserFactory(role=Role.CLIENT)
    client.force_login(admin)
    url = reverse("admin:accounts_user_delete", args=[victim.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    changelist = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [victim.pk], "post": "yes"},
    )
    assert changelist.status_code in (200, 302, 403)
    assert get_user_model().objects.filter(pk=victim.pk).exists()


@pytest.mark.django_db
def test_deactivating_a_client_user_keeps_every_actor_field():
    c = cast()
    nc = make_nc(c.audit)
    answer(nc, c.client_user, files=[pdf_file()])
    c.client_user.is_active = False
    c.client_user.save()

    response = NonconformityResponse.objects.get(nc=nc)
    assert response.submitted_by_id == c.client_user.pk
    assert NonconformityEvidence.objects.get(response=response).uploaded_by_id == c.client_user.pk
    assert NonconformityTransition.objects.get(nc=nc, action="respond").by_id == c.client_user.pk
    assert response.history.filter(history_user=c.client_user).exists()
