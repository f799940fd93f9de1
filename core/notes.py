"""Notes the system writes on status-change rows, shown in the reader's language.

An event row's ``note`` is either what a user typed (a reason, a remark: shown as typed) or a
sentence the system wrote ("Report approved", "Replaced by certificate Q-2026-001."). A system
sentence is stored as its English source text with its figures filled in, whatever language the
actor used, and translated when it is shown: ``note_text`` finds the message it was made from,
takes the figures back out and fills them into the translation. Rows written before notes were
stored this way hold the actor's language and are shown as stored.

Declare each sentence once, at module level, so it is known before any row is shown::

    REPORT_APPROVED = NoteMessage(gettext_noop("Report approved"))
    note = REPORT_APPROVED.text()
"""

from __future__ import annotations

import re
from typing import Any

from django.utils import translation
from django.utils.translation import gettext

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
_REGISTRY: dict[str, NoteMessage] = {}


class NoteMessage:
    """One system sentence (an English msgid, marked with gettext_noop) with named %(…)s slots."""

    def __init__(self, msgid: str) -> None:
        self.msgid = msgid
        self.names = _PLACEHOLDER.findall(msgid)
        parts = _PLACEHOLDER.split(msgid)
        # Literal text escaped, each slot a named group (slots hold any text, shortest first).
        pattern = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
        self.pattern = re.compile(pattern.replace("%%", "%") + r"\Z", re.DOTALL)
        _REGISTRY[msgid] = self

    def text(self, **params: Any) -> str:
        """The sentence to store: English, figures filled in (lazy labels in their English form)."""
        with translation.override("en"):
            values = {name: str(value) for name, value in params.items()}
        return self.msgid % values if self.names else self.msgid

    def translate(self, stored: str) -> str | None:
        """``stored`` in the current language if it was made from this sentence, else None."""
        if not self.names:
            return gettext(self.msgid) if stored == self.msgid else None
        match = self.pattern.match(stored)
        if match is None:
            return None
        # A figure that is itself a label (a decision type, a status) is translated as well.
        return gettext(self.msgid) % {name: gettext(value) for name, value in match.groupdict().items()}


def note_text(note: str) -> str:
    """A stored note as the reader should see it: a system sentence translated, anything else
    (a user's words, an older row) as stored."""
    if not note:
        return ""
    exact = _REGISTRY.get(note)
    if exact is not None:
        return gettext(exact.msgid)
    for message in _REGISTRY.values():
        if message.names:
            translated = message.translate(note)
            if translated is not None:
                return translated
    return note
