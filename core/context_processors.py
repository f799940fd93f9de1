"""The top bar and user menu on every page (``core.navigation``)."""

from .navigation import USER_MENU_ORDER, nav_items_for, top_bar_entries


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_entries": [], "nav_user_items": []}
    items = nav_items_for(user)
    top_bar = [(item, url) for item, url in items if item.order < USER_MENU_ORDER]
    return {
        "nav_items": top_bar,
        "nav_entries": top_bar_entries(top_bar, request.path),
        "nav_user_items": [(item, url) for item, url in items if item.order >= USER_MENU_ORDER],
    }
