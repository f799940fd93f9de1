"""The quotation as a PDF (zh or en), through the one engine (``core.pdf.render_pdf``) and the
layout every PDF extends. Rendered on request, not stored: the quotation's lines are its record."""

from __future__ import annotations

from django.utils import translation

from audits.models import CertificationBody
from core.i18n import pick
from core.pdf import render_pdf

from .models import ContractSettings, Quotation


def quotation_pdf(quotation: Quotation, *, language: str = "zh-hans") -> bytes:
    body = CertificationBody.objects.current()
    application = quotation.application
    with translation.override(language):
        english = language == "en"
        context = {
            "cb_name": (body.name_en if english else body.name_zh) if body else "",
            "document_number": quotation.number,
            "document_title": translation.gettext("Quotation"),
            "quotation": quotation,
            "application": application,
            "organisation": (application.name_en if english else "") or application.name_zh,
            "standards": list(application.standards.select_related("standard")),
            "lines": quotation.lines,
            "codes": ", ".join(application.technical_areas.values_list("code", flat=True)),
            "english": english,
            "terms": pick(ContractSettings.objects.current().terms_zh, ContractSettings.objects.current().terms_en),
        }
        result = render_pdf(
            template_name="applications/pdf/quotation.html", context=context, language=language, draft=False
        )
    return result.pdf
