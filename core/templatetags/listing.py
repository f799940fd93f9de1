"""Template helpers every list page shares."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, number):
    """The current query string (filters kept, repeated parameters too) for page ``number``."""
    query = context["request"].GET.copy()
    query["page"] = number
    return query.urlencode()
