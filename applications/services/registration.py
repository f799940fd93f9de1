"""A new organisation registers itself in the portal: a prospective client (``clients``), its
first client user (who can log in and apply at once), the registration with its credit code,
and a mail asking to confirm the e-mail address (after the commit)."""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from clients import services as client_services
from clients.models import Client
from core.access import Role
from core.identifiers import credit_code_problem

from ..models import Registration

CONFIRM_SALT = "applications.registration.confirm"
# How long the confirmation link works (seconds): a week.
CONFIRM_MAX_AGE = 7 * 24 * 3600


def normalised_credit_code(value: str) -> str:
    return "".join((value or "").split()).upper()


@transaction.atomic
def organisation_register(
    *,
    name_zh: str,
    name_en: str,
    credit_code: str,
    contact_name: str,
    email: str,
    phone: str,
    password: str,
) -> Registration:
    """Create the prospective client, its user (username = the e-mail address) and the
    registration; every refusal is a ``ValidationError`` naming the field."""
    code = normalised_credit_code(credit_code)
    if credit_code_problem(code):
        raise ValidationError(
            {
                "credit_code": _(
                    "Not a valid unified social credit code (GB 32100: 18 characters, last one a check character)."
                )
            },
            code="credit_code",
        )
    email = (email or "").strip().lower()
    errors = {}
    if Registration.objects.filter(credit_code=code).exists():
        errors["credit_code"] = _("An organisation with this credit code is already registered; log in instead.")
    if Client.objects.filter(name_zh=name_zh.strip()).exists():
        errors["name_zh"] = _("An organisation of this name is already known to the CB; contact the CB.")
    if User.objects.filter(username__iexact=email).exists() or User.objects.filter(email__iexact=email).exists():
        errors["email"] = _("This e-mail address already has an account; log in instead.")
    if errors:
        raise ValidationError(errors, code="exists")
    user = User(username=email, email=email, full_name=contact_name.strip(), role=Role.CLIENT)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}, code="password") from exc
    client = client_services.client_save(
        client=Client(
            name_zh=name_zh.strip(),
            name_en=name_en.strip(),
            contact_name=contact_name.strip(),
            contact_email=email,
            contact_phone=phone.strip(),
            prospective=True,
        ),
        by=None,  # type: ignore[arg-type]  # the person registering has no account yet
    )
    user.client = client
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    registration = Registration.objects.create(client=client, credit_code=code, user=user)
    transaction.on_commit(functools.partial(confirmation_mail_send, registration_id=registration.pk))
    return registration


def confirmation_token(registration: Registration) -> str:
    return signing.dumps({"r": registration.pk, "e": registration.user.email}, salt=CONFIRM_SALT)


def confirmation_mail_send(*, registration_id: int) -> bool:
    """The mail with the confirmation link (False when the registration is gone)."""
    registration = Registration.objects.filter(pk=registration_id).select_related("user", "client").first()
    if registration is None:
        return False
    link = settings.PUBLIC_BASE_URL.rstrip("/") + reverse(
        "applications:registration_confirm", args=[confirmation_token(registration)]
    )
    send_mail(
        subject=_("Confirm your registration with the certification body"),
        message=_(
            "%(organisation)s is registered; you can log in with this e-mail address and apply for certification. "
            "Please confirm the address by opening this link: %(link)s"
        )
        % {"organisation": registration.client.name_zh, "link": link},
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[registration.user.email],
    )
    return True


@transaction.atomic
def registration_confirm(*, token: str) -> Registration:
    """Mark the e-mail address confirmed (once; the link works for ``CONFIRM_MAX_AGE``)."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature as exc:
        raise ValidationError(_("This confirmation link is not valid or has expired."), code="bad_token") from exc
    registration = Registration.objects.select_for_update().select_related("user").filter(pk=data.get("r")).first()
    if registration is None or registration.user.email != data.get("e"):
        raise ValidationError(_("This confirmation link is not valid or has expired."), code="bad_token")
    if registration.email_confirmed_at is None:
        registration.email_confirmed_at = timezone.now()
        registration.save(update_fields=["email_confirmed_at"])
    return registration
