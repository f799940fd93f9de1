from django.shortcuts import render

from core.access import AUTHENTICATED, access
from core.navigation import next_actions_for

from .selectors import start_page

# Next actions the role's sections already show (by ``Action.meta["kind"]``): not listed twice.
SHOWN_IN_SECTIONS = {
    "client": {"nc_answer", "nc_queue"},
    "auditor": {"audit", "nc_verify", "nc_close", "nc_queue", "report_approve", "report_revise", "report_write"},
    "committee": {"review", "evaluate", "approve", "flags", "nc_suspension", "nc_queue"},
    "admin": {"flags", "review_to_open", "nc_overdue"},
}


@access(AUTHENTICATED)
def home(request):
    """Each role's start page: its first questions answered (the role sections, bounded lists and
    the CB's figures), then the other things waiting for the user."""
    context = start_page(request.user)
    shown = set().union(*(SHOWN_IN_SECTIONS[s] for s in context["sections"])) if context["sections"] else set()
    context["actions"] = [a for a in next_actions_for(request.user) if a.meta.get("kind") not in shown]
    return render(request, "dashboard/home.html", context)
