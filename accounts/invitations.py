"""A password-set link for a user the CB created: the new user chooses their own password, nobody
types one for them. The link is Django's password-reset token (single use: it expires once the
password changes, and after PASSWORD_RESET_TIMEOUT)."""

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import User


def password_set_path(user: User) -> str:
    """The path of the page where ``user`` sets a password (prefix it with the site's address)."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("password_set", args=[uidb64, default_token_generator.make_token(user)])
