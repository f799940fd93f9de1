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
