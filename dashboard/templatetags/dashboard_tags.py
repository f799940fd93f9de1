from django import template

register = template.Library()


@register.filter
def magnitude(value: int) -> int:
    """The number of days without its sign (a negative "days left" is days overdue)."""
    return abs(int(value))
