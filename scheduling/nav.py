from django.utils.translation import gettext_lazy as _

from core.navigation import GROUP_AUDITS, GROUP_REFERENCE, NavItem

ITEMS = [
    NavItem(
        _("Calendar"),
        "scheduling:calendar",
        description=_("Audits and absences by month or week; drag an audit to move it."),
        order=260,
        group=GROUP_AUDITS,
    ),
    NavItem(
        _("Availability"),
        "scheduling:absences",
        description=_("Leave and unavailable periods; your private calendar address."),
        order=265,
        group=GROUP_AUDITS,
    ),
    NavItem(
        _("Auditor load"),
        "scheduling:load",
        description=_("Auditor-days per auditor per month, planned and done."),
        order=270,
        group=GROUP_AUDITS,
    ),
    NavItem(
        _("Competence monitoring"),
        "scheduling:monitoring",
        description=_("Witnessing, performance reviews, qualification expiry, CPD: what is due."),
        order=610,
        group=GROUP_REFERENCE,
    ),
]
