from django.shortcuts import render

from core.access import AUTHENTICATED, access

from .selectors import other_actions, start_page


@access(AUTHENTICATED)
def home(request):
    """Each role's start page: its first questions answered (the role sections, bounded lists and
    the CB's figures), then the other things waiting for the user."""
    context = start_page(request.user)
    context["actions"] = other_actions(request.user, context["sections"])
    return render(request, "dashboard/home.html", context)
