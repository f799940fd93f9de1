from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """The front of the certification process (ISO/IEC 17021-1 9.1): the organisation's
    application, the CB's application review, the quotation, the certification agreement that
    creates the audit programme, transfers (IAF MD 2), invoices and reported changes."""

    name = "applications"
    verbose_name = _("Applications and contracts")
