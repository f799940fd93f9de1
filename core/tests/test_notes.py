"""System notes on status-change rows are stored in English and shown in the reader's language;
a user's own words and rows stored before stay as written."""

from django.utils import translation
from django.utils.translation import gettext_noop

from core.notes import NoteMessage, note_text

PLAIN = NoteMessage(gettext_noop("Audit planned."))
WITH_FIGURES = NoteMessage(gettext_noop("Certification decision: %(type)s (%(outcome)s)."))
NUMBER = NoteMessage(gettext_noop("Replaced by certificate %(number)s."))


def test_a_note_is_stored_in_english_whatever_the_actor_reads():
    with translation.override("zh-hans"):
        assert PLAIN.text() == "Audit planned."
        assert NUMBER.text(number="Q-2026-001") == "Replaced by certificate Q-2026-001."


def test_a_stored_note_is_shown_in_the_reader_language():
    with translation.override("zh-hans"):
        assert note_text("Audit planned.") == "已策划审核。"
        assert note_text("Replaced by certificate Q-2026-001.") != "Replaced by certificate Q-2026-001."
        assert "Q-2026-001" in note_text("Replaced by certificate Q-2026-001.")
    with translation.override("en"):
        assert note_text("Audit planned.") == "Audit planned."


def test_a_label_inside_a_note_is_translated_too():
    stored = WITH_FIGURES.text(type="Grant certification", outcome="Approved")
    with translation.override("zh-hans"):
        shown = note_text(stored)
    assert "Grant certification" not in shown and "Approved" not in shown
    assert shown.startswith("认证决定")


def test_a_user_note_and_an_older_chinese_row_are_shown_as_written():
    with translation.override("en"):
        assert note_text("客户已提交纠正措施") == "客户已提交纠正措施"
        assert note_text("Looks fine to me.") == "Looks fine to me."
        assert note_text("") == ""
