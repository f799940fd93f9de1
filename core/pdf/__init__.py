"""The PDF engine: Django templates to PDF with WeasyPrint (reports, certificates).

    from core.pdf import render_pdf, json_attachment

    result = render_pdf(
        template_name="reports/pdf/report.html", context={...}, language="zh-hans",
        draft=False, pdf_variant="pdf/a-3b", attachments=[json_attachment(data)],
    )
    result.pdf, result.sha256, result.pages, result.warnings

Importing this package does not import WeasyPrint; ``render_pdf`` does, on first use.
See reports/pdf/engine.py (rendering), static.py (what a PDF may load), fetcher.py.
"""

from .engine import (
    PdfAttachment,
    PdfGlyphError,
    PdfRenderError,
    RenderResult,
    json_attachment,
    render_pdf,
)
from .static import PDF_BASE_URL

__all__ = [
    "PDF_BASE_URL",
    "PdfAttachment",
    "PdfGlyphError",
    "PdfRenderError",
    "RenderResult",
    "json_attachment",
    "render_pdf",
]
