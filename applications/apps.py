from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """The front of the certification process (ISO/IEC 17021-1 9.1): the organisation's
    application, the CB's application review, the quotation, the certification agreement that
    creates the audit programme, transfers (IAF MD 2), invoices and reported changes."""

    name = "applications"
    verbose_name = _("Applications and contracts")

    def ready(self):
        # The CB's policy "release a certificate only when the certification fee is paid"
        # (certification never imports applications: it asks its registry).
        from certification.registry import register_release_hold

        from .services.invoices import certificate_fee_hold

        register_release_hold("applications.certificate_fee", certificate_fee_hold)

        # Overdue invoices on the client page and the programme page (core.panels).
        from core.panels import register_panel

        from .panels import client_invoices_panel, programme_invoices_panel

        register_panel("clients.client", client_invoices_panel)
        register_panel("audits.programme", programme_invoices_panel)
