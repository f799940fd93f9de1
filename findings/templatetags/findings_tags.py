"""Template helpers of the nonconformity pages."""

from django import template

from ..models import Nonconformity
from ..selectors import with_flags

register = template.Library()


@register.filter
def nc_flags(nc: Nonconformity) -> Nonconformity:
    """The NC (audit loaded) with its date flags set (``findings.selectors.with_flags``): a list
    row computes them for the rows of its page only."""
    return with_flags([nc])[0]
