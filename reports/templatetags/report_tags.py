"""Punctuation of the printed report: full-width in Chinese (：（）), ASCII in English."""

from django import template

from core.i18n import is_chinese

register = template.Library()


@register.simple_tag
def colon():
    return "：" if is_chinese() else ": "


@register.simple_tag
def lparen():
    return "（" if is_chinese() else " ("


@register.simple_tag
def rparen():
    return "）" if is_chinese() else ")"


#: Where a Chinese label may wrap: after these ("申请的产品/" "服务认证范围", "名称、" "地址") and
#: before an opening bracket ("上次审核时间" "（再认证）").
_BREAK_AFTER = "/、，；"
_BREAK_BEFORE = "（("
#: A part longer than this (in characters) may still wrap inside: it would not fit a label cell.
_LONGEST_WORD = 8


@register.filter
def label_words(text):
    """A label whose parts never wrap inside ("有限公/司", "认/证范围"): each part between the
    places a label may wrap is kept on one line (a part longer than a label cell still wraps)."""
    from django.utils.html import conditional_escape, format_html_join
    from django.utils.safestring import mark_safe

    text = str(text or "")
    parts, current = [], ""
    for ch in text:
        if ch in _BREAK_BEFORE and current:
            parts.append(current)
            current = ""
        current += ch
        if ch in _BREAK_AFTER:
            parts.append(current)
            current = ""
    if current:
        parts.append(current)
    if len(parts) <= 1 and len(text) > _LONGEST_WORD:
        return conditional_escape(text)
    return (
        format_html_join(
            mark_safe("<wbr>"),
            '<span class="rp-word">{}</span>',
            ((p,) for p in parts),
        )
        if all(len(p) <= _LONGEST_WORD for p in parts)
        else conditional_escape(text)
    )
