"""On an audit's page: the link to its stage 1 documents, and (stage 2 planning) the open areas of
concern of the programme's stage 1. The audits app's template loads this library; audits' code
imports nothing of stage1."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("stage1/_audit_panel.html", takes_context=True)
def stage1_panel(context, audit, stage_1):
    concerns = selectors.open_concerns([stage_1.pk]) if stage_1 is not None else []
    return {"audit": audit, "stage_1": stage_1, "concerns": concerns, "request": context.get("request")}
