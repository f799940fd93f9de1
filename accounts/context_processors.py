from .navigation import USER_MENU_ORDER, nav_items_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_user_items": []}
    items = nav_items_for(user)
    return {
        "nav_items": [(item, url) for item, url in items if item.order < USER_MENU_ORDER],
        "nav_user_items": [(item, url) for item, url in items if item.order >= USER_MENU_ORDER],
    }
