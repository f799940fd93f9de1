"""The certificate as a PDF: its data snapshot, the QR code of its public page, the render.

* ``certificate_snapshot`` — everything the certificate prints (both languages), JSON-able:
  stored with every ``CertificateVersion`` and attached to issued PDFs as ``certificate.json``;
* ``public_url`` — the absolute URL of the certificate's public page (``/verify/<token>/``),
  what the QR code encodes and what is printed under it;
* ``qr_png_data_uri`` — the QR code as a ``data:`` PNG (made with segno; nothing is fetched);
* ``render_certificate`` — the PDF through the shared engine (``core.pdf.render_pdf``):
  template ``certification/pdf/certificate.html``, A4, one language per PDF; drafts carry
  the engine's DRAFT mark, issued ones are PDF/A-3b with the snapshot attached.

Nothing here writes to the database; ``certification.certificate_pdfs.services`` stores versions.
"""

import datetime
import json
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from audits.models import CertificationBody
from core import pdf as pdf_engine  # the engine's functions are looked up when called (tests replace them)
from core.i18n import is_chinese
from core.issued import ISSUED_PDF_VARIANT, data_hash

from ..models import Certificate, CertificateStatus

PDF_TEMPLATE = "certification/pdf/certificate.html"
ATTACHMENT_NAME = "certificate.json"
DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:8000"

#: The public register's token page (certification/public_urls.py, mounted at ``verify/``).
#: Should it not be installed, the PDF prints the path it serves: ``/verify/<token>/``.
PUBLIC_URL_NAMES = ("verify:token",)
#: More sub-certificate sites than this go to an annex page.
INLINE_SITES = 3

#: "operates a quality management system that conforms to the standard" (建立的质量管理体系符合标准).
SYSTEM_NAMES = {
    "QMS": _("quality management system"),
    "EMS": _("environmental management system"),
    "OHSMS": _("occupational health and safety management system"),
}

EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


# --- the public URL and its QR code ---------------------------------------------------------------


def public_path(certificate) -> str:
    """The path of the certificate's public page: the public register's URL when it is there,
    else ``/verify/<token>/`` (the path the register serves)."""
    for name in PUBLIC_URL_NAMES:
        try:
            return reverse(name, kwargs={"token": certificate.public_token})
        except NoReverseMatch:
            continue
    return f"/verify/{certificate.public_token}/"


def public_url(certificate) -> str:
    """The absolute URL the QR code opens: ``PUBLIC_BASE_URL`` + the public page's path."""
    base = (getattr(settings, "PUBLIC_BASE_URL", "") or DEFAULT_PUBLIC_BASE_URL).rstrip("/")
    return base + public_path(certificate)


def qr_code(url):
    """A regular (never micro) QR code of ``url``, error correction M (15 %)."""
    import segno

    return segno.make_qr(url, error="m", boost_error=False)


#: Pixels per QR module in the PNG (the PDF scales the image; the pixels stay square).
QR_SCALE = 8
QR_BORDER = 4  # the quiet zone the QR standard asks for, in modules


def qr_png_data_uri(url) -> str:
    return qr_code(url).png_data_uri(scale=QR_SCALE, border=QR_BORDER, dark="#000", light="#fff")


# --- formatting ------------------------------------------------------------------------------------


def format_date(value, language) -> str:
    """2020年02月10日 in Chinese (as Chinese certificates print it), 10 February 2020 in English."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    if is_chinese(language):
        return f"{value.year}年{value.month:02d}月{value.day:02d}日"
    return f"{value.day} {EN_MONTHS[value.month - 1]} {value.year}"


def display_width(text) -> int:
    """Width in half-width columns: a Chinese character counts two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(text))


#: Scope wider than this (half-width columns) prints in the smaller size.
SCOPE_LONG_WIDTH = 360


def _jsonable(data):
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))


# --- the snapshot ----------------------------------------------------------------------------------


def load_certificate(pk):
    """The certificate with everything the PDF reads."""
    return Certificate.objects.select_related(
        "standard", "client", "decision", "main_certificate", "replaces", "site"
    ).get(pk=pk)


def _cb_data():
    cb = CertificationBody.objects.current()
    if cb is None:
        return dict.fromkeys(
            (
                "name_zh",
                "name_en",
                "address_zh",
                "address_en",
                "accreditation_zh",
                "accreditation_en",
                "cb_code",
                "website",
                "phone",
                "postcode",
            ),
            "",
        )
    return {
        "name_zh": cb.name_zh,
        "name_en": cb.name_en,
        "address_zh": cb.address_zh,
        "address_en": cb.address_en,
        "accreditation_zh": cb.accreditation_zh,
        "accreditation_en": cb.accreditation_en,
        "cb_code": cb.cb_code,
        "website": cb.website,
        "phone": cb.phone,
        "postcode": cb.postcode,
    }


def _sites(certificate):
    sites = []
    for site in certificate.sites or []:
        if isinstance(site, dict):
            sites.append(
                {
                    "name": str(site.get("name") or ""),
                    "address_zh": str(site.get("address_zh") or site.get("address") or ""),
                    "address_en": str(site.get("address_en") or ""),
                }
            )
        elif site:
            sites.append({"name": "", "address_zh": str(site), "address_en": ""})
    return sites


def certificate_snapshot(certificate) -> dict:
    """Everything the certificate's PDF prints, in both languages (JSON-able: dates as ISO
    strings). The status is the certificate's status when the PDF is rendered."""
    standard = certificate.standard
    replaces = certificate.replaces if certificate.replaces_id else None
    main = certificate.main_certificate if certificate.main_certificate_id else None
    data = {
        "certificate": {
            "id": certificate.pk,
            "number": certificate.number,
            "reissue": certificate.reissue,
            "holder_name_zh": certificate.holder_name_zh,
            "holder_name_en": certificate.holder_name_en,
            "address_zh": certificate.address_zh,
            "address_en": certificate.address_en,
            "sites": _sites(certificate),
            "standard": {
                "code": standard.code,
                "edition": standard.edition,
                "national_equivalent": standard.national_equivalent,
                "title_zh": standard.title_zh,
                "title_en": standard.title_en,
                "family": standard.family,
            },
            "standard_label": certificate.standard_label,
            "scope_zh": certificate.scope_zh,
            "scope_en": certificate.scope_en,
            "technical_codes": certificate.technical_codes,
            "size_band": certificate.size_band,
            "recertification_count": certificate.recertification_count,
            "first_issued_on": certificate.first_issued_on,
            "issued_on": certificate.issued_on,
            "expires_on": certificate.expires_on,
            "status": certificate.status,
            "status_since": certificate.status_since,
            "suspended_until": certificate.suspended_until,
            "main_certificate_number": main.number if main else "",
            "replaces": (
                {"number": replaces.number, "reissue": replaces.reissue, "issued_on": replaces.issued_on}
                if replaces
                else None
            ),
            "public_url": public_url(certificate),
        },
        "decision": {
            "id": certificate.decision_id,
            "type": certificate.decision.decision_type,
            "approved_on": certificate.decision.approved_on,
        },
        "cb": _cb_data(),
    }
    return _jsonable(data)


# --- the print context -----------------------------------------------------------------------------


def _pick(data, key, language):
    zh, en = data.get(f"{key}_zh") or "", data.get(f"{key}_en") or ""
    if is_chinese(language):
        return zh or en
    return en or zh


def _standard_line(cert, language):
    """GB/T 19001-2016/ISO 9001:2015 (the certificate's own label, as the decision printed it)."""
    label = cert["standard_label"]
    if label:
        return label
    std = cert["standard"]
    own = f"{std['code']}:{std['edition']}"
    return f"{std['national_equivalent']}/{own}" if std["national_equivalent"] else own


def print_context(snapshot, language, *, draft):
    """The template's context, all of it from the snapshot (what is printed is what is stored)."""
    cert, cb = snapshot["certificate"], snapshot["cb"]
    with translation.override(language):
        status = CertificateStatus(cert["status"])
        sites = [{"name": site["name"], "address": _pick(site, "address", language)} for site in cert["sites"]]
        replaces = cert["replaces"]
        scope = _pick(cert, "scope", language)
        return {
            "cb_name": _pick(cb, "name", language),
            "cb_name_other": cb["name_en"] if is_chinese(language) else cb["name_zh"],
            "cb_address": _pick(cb, "address", language),
            "cb_accreditation": _pick(cb, "accreditation", language),
            "cb_website": cb["website"],
            "document_number": cert["number"],
            "document_title": f"{_pick(cert, 'holder_name', language)} — {cert['number']}",
            "cert": cert,
            "holder_name": _pick(cert, "holder_name", language),
            "holder_name_other": cert["holder_name_en"] if is_chinese(language) else "",
            "address": _pick(cert, "address", language),
            "sites": sites,
            "sites_inline": len(sites) <= INLINE_SITES,
            "standard_line": _standard_line(cert, language),
            "standard_title": _pick(cert["standard"], "title", language),
            "family": cert["standard"]["family"],
            "system_name": str(SYSTEM_NAMES.get(cert["standard"]["family"], _("management system"))),
            "scope": scope,
            "scope_long": display_width(scope) > SCOPE_LONG_WIDTH,
            "first_issued_on": format_date(cert["first_issued_on"], language),
            "issued_on": format_date(cert["issued_on"], language),
            "expires_on": format_date(cert["expires_on"], language),
            "status": status,
            "status_label": str(status.label),
            "is_valid": status == CertificateStatus.VALID,
            "status_since": format_date(cert["status_since"], language),
            "suspended_until": format_date(cert["suspended_until"], language),
            "is_reissue": bool(cert["reissue"] or replaces),
            "replaces": replaces,
            "replaces_issued_on": format_date(replaces["issued_on"], language) if replaces else "",
            "main_certificate_number": cert["main_certificate_number"],
            "public_url": cert["public_url"],
            "qr_data_uri": qr_png_data_uri(cert["public_url"]),
            "is_zh": is_chinese(language),
            "colon": "：" if is_chinese(language) else ": ",
            "space": "" if is_chinese(language) else " ",
            "is_draft": draft,
            "language": language,
        }


# --- rendering -------------------------------------------------------------------------------------


@dataclass
class CertificateRender:
    result: pdf_engine.RenderResult
    snapshot: dict
    data_sha256: str
    data_seconds: float
    #: the abandoned first layout when the certificate did not fit its page (then laid out compact)
    layout_seconds: float = 0.0

    @property
    def total_seconds(self):
        return self.data_seconds + self.layout_seconds + self.result.html_seconds + self.result.render_seconds


def _boxes_by_class(box, names, found):
    element = getattr(box, "element", None)
    if element is not None and getattr(box, "element_tag", None) == "div":
        for name in (element.get("class") or "").split():
            if name in names:
                found.setdefault(name, box)
    for child in getattr(box, "children", ()):
        _boxes_by_class(child, names, found)
    return found


FOOT_BOXES = frozenset({"cert-frame", "cert-main", "cert-spacer", "cert-foot"})


class FootOffFirstPage(Exception):
    """Main part and foot do not fit on the certificate's first page in this layout."""


def _foot_boxes(document):
    """The frame, main part, spacer and foot boxes on the first page, or None when not all are there."""
    boxes = _boxes_by_class(document.pages[0]._page_box, FOOT_BOXES, {})
    return boxes if set(boxes) == FOOT_BOXES else None


def spacer_height(document):
    """The height (CSS px) to give the spacer between the main part and the foot so that the foot
    sits at the bottom of the certificate's first page, or None when main part and foot are not
    both on that page, or fill it already.

    Measured on WeasyPrint's laid-out ``document``: the frame's content height less the main
    part, the (empty) spacer and the foot."""
    boxes = _foot_boxes(document)
    if boxes is None:
        return None
    gap = (
        boxes["cert-frame"].height
        - boxes["cert-main"].margin_height()
        - boxes["cert-spacer"].margin_height()
        - boxes["cert-foot"].margin_height()
    )
    # 1 px short of the exact fit: rounding must never push the foot to a second page.
    return gap - 1 if gap > 1 else None


def _no_images(**_kwargs):
    return None


def foot_placer(*, last_try):
    """The engine's ``after_layout`` step: the certificate is laid out once, then the spacer grows
    by the gap left on the page and the foot moves down by as much (the page laying it out again
    with a spacer of that height would give, at half the cost). When the foot is not on the first
    page, ``FootOffFirstPage`` abandons the render so that the compact layout can be tried, unless
    this is the ``last_try`` (the foot then simply follows the text, on the next page)."""

    def place(document):
        boxes = _foot_boxes(document)
        if boxes is None:
            if last_try:
                return
            raise FootOffFirstPage
        height = spacer_height(document)
        if height is not None:
            from weasyprint.layout.background import layout_box_backgrounds

            boxes["cert-spacer"].height += height
            boxes["cert-foot"].translate(dy=height)
            # Backgrounds are placed during layout (the dates' header row): place the foot's again.
            # The foot has no background image, so nothing is fetched (no image getter needed).
            layout_box_backgrounds(document.pages[0]._page_box, boxes["cert-foot"], _no_images)

    return place


def render_certificate(
    *, certificate, language, draft, snapshot=None, issued_at=None, issued_by="", strict_glyphs=False
) -> CertificateRender:
    """Render ``certificate`` in ``language``. ``draft`` prints the DRAFT mark; otherwise the PDF
    is PDF/A-3b with the snapshot attached as ``certificate.json``."""
    started = time.perf_counter()
    snapshot = snapshot if snapshot is not None else certificate_snapshot(certificate)
    context = print_context(snapshot, language, draft=draft)
    digest = data_hash(snapshot)
    data_seconds = time.perf_counter() - started
    attachments = None
    if not draft:
        attachments = [
            pdf_engine.json_attachment(
                {
                    "certificate_number": snapshot["certificate"]["number"],
                    "language": language,
                    "issued_at": issued_at or datetime.datetime.now(datetime.UTC),
                    "issued_by": issued_by,
                    "data_sha256": digest,
                    "data": snapshot,
                },
                name=ATTACHMENT_NAME,
                description="Certificate data",
            )
        ]
    options = {
        "template_name": PDF_TEMPLATE,
        "language": language,
        "draft": draft,
        "pdf_variant": None if draft else ISSUED_PDF_VARIANT,
        "attachments": attachments,
        "strict_glyphs": strict_glyphs,
    }
    started = time.perf_counter()
    try:
        result = pdf_engine.render_pdf(context=context, after_layout=foot_placer(last_try=False), **options)
        layout_seconds = 0.0
    except FootOffFirstPage:  # too long for the page: the compact layout, else the foot moves on
        layout_seconds = time.perf_counter() - started
        result = pdf_engine.render_pdf(
            context={**context, "compact": True}, after_layout=foot_placer(last_try=True), **options
        )
    return CertificateRender(
        result=result, snapshot=snapshot, data_sha256=digest, data_seconds=data_seconds, layout_seconds=layout_seconds
    )
