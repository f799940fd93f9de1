"""``{% start_page_figures as figures %}``: the few figures the CB administrator's start page shows
small (``dashboard.figures.START_PAGE_FIGURES``), so the include needs nothing from its view."""

from django import template

from dashboard import figures

register = template.Library()


@register.simple_tag
def start_page_figures() -> list[figures.Figure]:
    return figures.figures(figures.START_PAGE_FIGURES)
