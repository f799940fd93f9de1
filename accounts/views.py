from django.shortcuts import render

from core.access import AUTHENTICATED, access
from core.navigation import nav_items_for, next_actions_for


@access(AUTHENTICATED)
def home(request):
    """Each role's start page: its next actions first, then the pages it may use."""
    return render(
        request,
        "accounts/home.html",
        {
            "actions": next_actions_for(request.user),
            "links": nav_items_for(request.user),
        },
    )
