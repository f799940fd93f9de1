"""Bilingual fields: models keep a Chinese and an English text side by side."""

from django.utils.translation import get_language


def is_chinese(language=None):
    return (language or get_language() or "zh-hans").lower().startswith("zh")


def pick(zh, en, language=None):
    """The text for the current (or given) language, falling back to the other one."""
    if is_chinese(language):
        return zh or en
    return en or zh


class BilingualTitleMixin:
    """For models with ``title_zh`` / ``title_en``: ``obj.title`` in the active language."""

    @property
    def title(self):
        return pick(self.title_zh, self.title_en)
