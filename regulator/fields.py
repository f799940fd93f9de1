"""Personal data encrypted at rest: a text field whose value is stored as a Fernet token.

The key is ``settings.REGULATOR_ID_KEY`` (a Fernet key, from the environment) or, when that is
empty, derived from ``SECRET_KEY`` (SHA-256, so a key rotation of SECRET_KEY needs a re-encryption:
set REGULATOR_ID_KEY in production). The plain value never reaches the database, the history
(models exclude the field from simple-history) or a log line (``mask`` shows the last four
characters).
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models

PREFIX = "fernet:"


def _fernet() -> Fernet:
    key = getattr(settings, "REGULATOR_ID_KEY", "") or ""
    if not key:
        key = base64.urlsafe_b64encode(
            hashlib.sha256(("regulator-id:" + settings.SECRET_KEY).encode()).digest()
        ).decode()
    return Fernet(key.encode() if isinstance(key, str) else key)


def encrypt(value: str) -> str:
    return PREFIX + _fernet().encrypt(value.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored
    try:
        return _fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        return ""


def mask(value: str) -> str:
    """What everyone but a CB administrator sees: all but the last four characters hidden."""
    if not value:
        return ""
    return "*" * max(len(value) - 4, 0) + value[-4:]


def digest(value: str) -> str:
    """A keyed hash of the value, to find a person again (import) without decrypting every row."""
    return hashlib.sha256(("regulator-id-digest:" + settings.SECRET_KEY + ":" + value.upper()).encode()).hexdigest()


class EncryptedCharField(models.TextField):
    """A short text stored encrypted (see the module docstring); not searchable in the database."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return value
        return decrypt(value)

    def to_python(self, value: Any) -> Any:
        if value is None or not isinstance(value, str):
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(str(value))
