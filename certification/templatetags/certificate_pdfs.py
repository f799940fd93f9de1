"""``{% certificate_pdf_panel certificate %}``: the PDFs panel of a certificate (list, download;
render and issue for CB administrators), for the staff certificate page
(certification/templates/certification/versions_include.html)."""

from django import template

register = template.Library()


@register.inclusion_tag("certification/versions/panel.html", takes_context=True)
def certificate_pdf_panel(context, certificate):
    from certification.certificate_pdfs.views import panel_context

    request = context.get("request")
    return {**panel_context(request.user, certificate), "request": request, "csrf_token": context.get("csrf_token")}
