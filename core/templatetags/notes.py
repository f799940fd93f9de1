"""``{{ event.note|note_text }}``: a status-change note in the reader's language (core.notes)."""

from django import template

from core.notes import note_text as _note_text

register = template.Library()


@register.filter
def note_text(note):
    return _note_text(note or "")
