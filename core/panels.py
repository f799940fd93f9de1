"""Panels a higher app adds to a lower app's page (the lower app never imports the higher one).

A page has a key (``"clients.client"``, ``"audits.programme"``); a higher app registers, in its
``AppConfig.ready()``, ``panel(request=, obj=)`` returning ``(template_name, context)`` or None;
the page renders ``page_panels(key, request=, obj=)`` in the order the panels registered."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

Panel = Callable[..., "tuple[str, Mapping[str, Any]] | None"]

_panels: dict[str, list[Panel]] = {}


def register_panel(page: str, panel: Panel) -> None:
    """Add a panel to ``page`` (registering the same one again changes nothing)."""
    registered = _panels.setdefault(page, [])
    if panel not in registered:
        registered.append(panel)


def page_panels(page: str, *, request: Any, obj: Any) -> list[SafeString]:
    """Every panel of ``page`` rendered as HTML."""
    rendered = []
    for panel in _panels.get(page, []):
        spec = panel(request=request, obj=obj)
        if spec is not None:
            template_name, context = spec
            rendered.append(render_to_string(template_name, dict(context), request=request))
    return rendered
