"""render_pdf: a Django template rendered to PDF bytes with WeasyPrint.

WeasyPrint is imported inside the functions that need it, never when Django starts (it is
heavy: Pango, HarfBuzz, fontconfig). ``import core.pdf`` stays cheap.
"""

import hashlib
import json
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from .static import PDF_BASE_URL

WEASYPRINT_LOGGER = "weasyprint"

#: PDF variants we use. WeasyPrint 70 knows more (``weasyprint.pdf.VARIANTS``); these are the
#: ones that keep a JSON attachment (PDF/A-1 and -2 drop non-PDF attachments).
PDF_VARIANTS_WITH_ATTACHMENTS = frozenset({"pdf/a-3b", "pdf/a-3u", "pdf/a-3a", "pdf/a-4u", "pdf/a-4f", "pdf/a-4e"})

#: ``<html lang>`` for each interface language: "zh-CN" makes the intent explicit (the CSS names
#: the SC fonts anyway, so Chinese never falls back to Japanese glyph forms).
HTML_LANG = {"zh-hans": "zh-CN", "en": "en"}

#: WeasyPrint messages meaning text was drawn without a real glyph (a box in the PDF).
GLYPH_WARNING = re.compile(r"glyph|\.notdef|font", re.IGNORECASE)


class PdfRenderError(Exception):
    """The PDF could not be produced as required."""


class PdfGlyphError(PdfRenderError):
    """Text was drawn without a real glyph; ``result`` holds the rendered PDF and the warnings."""

    def __init__(self, result):
        self.result = result
        super().__init__("missing glyphs in PDF: " + "; ".join(result.glyph_warnings))


@dataclass(frozen=True)
class PdfAttachment:
    """A file embedded in the PDF (for PDF/A-3: the document's data as JSON).

    ``relationship`` is the PDF/A-3 AFRelationship: Data, Source, Alternative, Supplement or
    Unspecified. ``created``/``modified`` default to the render time.
    """

    name: str
    content: bytes | str
    description: str = ""
    relationship: str = "Data"
    created: datetime | None = None
    modified: datetime | None = None


def json_attachment(data, *, name="report.json", description="", relationship="Data") -> PdfAttachment:
    """The document's data as a UTF-8 JSON attachment (dates, decimals and UUIDs as strings)."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, sort_keys=True)
    return PdfAttachment(name=name, content=text.encode("utf-8"), description=description, relationship=relationship)


@dataclass(frozen=True)
class RenderResult:
    pdf: bytes
    sha256: str
    pages: int
    #: every WARNING/ERROR WeasyPrint logged during this render (missing glyphs, refused URLs, CSS)
    warnings: list[str]
    #: seconds spent in WeasyPrint (parse, layout, PDF writing, font subsetting)
    render_seconds: float
    #: seconds spent rendering the Django template to HTML
    html_seconds: float
    #: URLs the fetcher refused (anything that is not one of our static files)
    refused_urls: list[str] = field(default_factory=list)

    @property
    def glyph_warnings(self) -> list[str]:
        return [message for message in self.warnings if GLYPH_WARNING.search(message)]

    @property
    def size(self) -> int:
        return len(self.pdf)


class _ThreadWarnings(logging.Handler):
    """Collects WeasyPrint warnings emitted by the current thread only (renders may run in parallel)."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record):
        if record.thread == self.thread:
            self.messages.append(record.getMessage())


def _capture_weasyprint_warnings():
    logger = logging.getLogger(WEASYPRINT_LOGGER)
    # The capture needs WeasyPrint's warnings to be emitted even when LOG_LEVEL is ERROR.
    if logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)
    handler = _ThreadWarnings()
    logger.addHandler(handler)
    return logger, handler


def _page_label_parts() -> tuple[str, str, str]:
    """'Page %(page)s of %(pages)s' in the active language, split around the two numbers."""
    label = gettext("Page %(page)s of %(pages)s")
    before, found_page, rest = label.partition("%(page)s")
    between, found_pages, after = rest.partition("%(pages)s")
    if not (found_page and found_pages):  # a broken translation must not break the PDF
        return ("Page ", " of ", "")
    return (before, between, after)


def _weasyprint_attachments(attachments, now):
    from weasyprint import Attachment

    result = []
    for attachment in attachments:
        content = attachment.content.encode("utf-8") if isinstance(attachment.content, str) else attachment.content
        result.append(
            Attachment(
                string=content,
                name=attachment.name,
                description=attachment.description or None,
                relationship=attachment.relationship,
                created=attachment.created or now,
                modified=attachment.modified or now,
            )
        )
    return result


def _dedupe_associated_files(document, pdf):
    """WeasyPrint 70 lists each PDF/A-3 attachment twice in the catalog's /AF array; keep one."""
    if "AF" in pdf.catalog:
        unique = list(dict.fromkeys(pdf.catalog["AF"]))
        pdf.catalog["AF"].clear()
        pdf.catalog["AF"].extend(unique)


def _finish(document, pdf):
    """Run on WeasyPrint's PDF objects before they are written: drop the duplicated /AF entries,
    and embed the CJK fonts as compact CID-keyed subsets (core/pdf/fonts.py: ~550 KiB to ~80 KiB
    for a one-page certificate, and less to deflate)."""
    from .fonts import compact_cid_fonts

    _dedupe_associated_files(document, pdf)
    compact_cid_fonts(document, pdf)


def render_pdf(
    *,
    template_name: str,
    context: dict,
    language: str,
    draft: bool,
    pdf_variant: str | None = None,
    attachments: list[PdfAttachment] | None = None,
    base_url: str | None = None,
    strict_glyphs: bool = False,
    after_layout: Callable[[Any], None] | None = None,
) -> RenderResult:
    """Render ``template_name`` with ``context`` to a PDF in ``language``.

    The template should extend ``reports/pdf/base_pdf.html`` and may use the context keys
    ``cb_name``, ``document_number`` and ``document_title`` (running header, PDF metadata);
    the engine adds ``pdf`` (lang, draft, variant, page label parts, created) — do not pass it.

    - ``draft``: a "DRAFT" watermark on every page.
    - ``pdf_variant``: None (plain PDF) or a WeasyPrint variant such as ``"pdf/a-3b"``.
    - ``attachments``: ``PdfAttachment`` objects (see ``json_attachment``); with a PDF/A variant
      only PDF/A-3/4 keep them, so other PDF/A variants are refused.
    - ``base_url``: where relative URLs resolve; None means ``PDF_BASE_URL``. It must lie under
      ``PDF_BASE_URL`` (e.g. ``PDF_BASE_URL + "static/reports/pdf/"`` so ``src="logo.png"``
      finds a static file); the fetcher serves only our static files whatever it is.
    - ``strict_glyphs``: raise ``PdfGlyphError`` when any text lacks a glyph.
    - ``after_layout``: called with WeasyPrint's laid-out ``Document`` before the PDF is written;
      it may move boxes (the certificate puts its foot at the bottom of the page this way, in
      one layout), or raise to abandon the render (nothing is written; the exception propagates).

    Raises ``PdfRenderError`` when a static file the template links to does not exist.
    """
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}; expected one of {[code for code, _ in settings.LANGUAGES]}")
    if "pdf" in context:
        raise ValueError("the context key 'pdf' is reserved for the PDF engine")
    if base_url is not None and not base_url.startswith(PDF_BASE_URL):
        raise ValueError(f"base_url must lie under {PDF_BASE_URL} (e.g. {PDF_BASE_URL}static/reports/pdf/)")
    attachments = list(attachments or [])
    if pdf_variant is not None:
        from weasyprint.pdf import VARIANTS

        if pdf_variant not in VARIANTS:
            raise ValueError(f"unknown PDF variant {pdf_variant!r}; WeasyPrint knows {sorted(VARIANTS)}")
        if attachments and pdf_variant.startswith("pdf/a") and pdf_variant not in PDF_VARIANTS_WITH_ATTACHMENTS:
            raise ValueError(f"{pdf_variant} cannot carry attachments; use pdf/a-3b")

    # WeasyPrint is imported here, and before the clock starts.
    from weasyprint import HTML

    from .fetcher import StaticOnlyURLFetcher
    from .fonts import install as install_compact_fonts

    install_compact_fonts()

    now = timezone.now()
    started = time.perf_counter()
    with translation.override(language):
        engine_context = {
            "lang": HTML_LANG.get(language, language),
            "draft": bool(draft),
            "variant": pdf_variant,
            "page_label": _page_label_parts(),
            "created": timezone.localtime(now).isoformat(timespec="seconds"),
        }
        html = render_to_string(template_name, {**context, "pdf": engine_context})
    html_seconds = time.perf_counter() - started

    fetcher = StaticOnlyURLFetcher()
    logger, handler = _capture_weasyprint_warnings()
    started = time.perf_counter()
    try:
        document = HTML(string=html, base_url=base_url or PDF_BASE_URL, url_fetcher=fetcher).render(
            pdf_variant=pdf_variant
        )
        if after_layout is not None:
            after_layout(document)
        pdf = document.write_pdf(
            pdf_variant=pdf_variant,
            attachments=_weasyprint_attachments(attachments, now) or None,
            finisher=_finish,
        )
    finally:
        logger.removeHandler(handler)
    render_seconds = time.perf_counter() - started

    if fetcher.missing_static:
        raise PdfRenderError(f"static files missing for the PDF: {fetcher.missing_static}")
    result = RenderResult(
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        pages=len(document.pages),
        warnings=handler.messages,
        render_seconds=render_seconds,
        html_seconds=html_seconds,
        refused_urls=list(fetcher.refused),
    )
    if strict_glyphs and result.glyph_warnings:
        raise PdfGlyphError(result)
    return result
