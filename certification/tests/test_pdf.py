"""The certificate PDF itself (WeasyPrint runs): what it prints in Chinese and in English, the
QR code of the public page, the DRAFT mark, PDF/A-3b with the data attached, no missing glyph,
nothing fetched."""

import datetime
import json
import re
import subprocess
import tempfile

import pytest
from django.urls import reverse

from certification.certificate_pdfs import render as pdf
from certification.models import CertificateStatus
from reports.tests.version_factories import page_texts, pdftotext, squash

from .pdf_factories import (
    SEED_HOLDER_EN,
    SEED_HOLDER_ZH,
    SEED_SCOPE_EN,
    SEED_SCOPE_ZH,
    CertificateFactory,
    pdf_reader,
    seed_certificate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def public_base(settings):
    settings.PUBLIC_BASE_URL = "https://cert.example.cn"


def render(certificate, language, *, draft=False):
    rendered = pdf.render_certificate(certificate=certificate, language=language, draft=draft, strict_glyphs=True)
    assert rendered.result.glyph_warnings == []
    return rendered


def text_of(rendered):
    return squash(pdftotext(rendered.result.pdf))


def marks_of(rendered):
    """pypdf's text (it keeps the rotated DRAFT watermark, which pdftotext may drop)."""
    return squash("".join(page_texts(rendered.result.pdf)))


# --- what it prints --------------------------------------------------------------------------------


def test_the_chinese_certificate_prints_number_holder_standard_scope_and_dates():
    certificate = seed_certificate()
    rendered = render(certificate, "zh-hans")
    text = text_of(rendered)
    assert rendered.result.pages == 1
    assert rendered.result.warnings == [] and rendered.result.refused_urls == []
    for expected in (
        "北京国标联合认证有限公司",
        "认证证书",
        certificate.number,
        SEED_HOLDER_ZH,
        "北京市房山区良乡凯旋大街建设路18号-D5689",
        "北京市朝阳区东土城路8号林达大厦A座14E",
        "质量管理体系",
        "GB/T19001-2016/ISO9001:2015",
        SEED_SCOPE_ZH,
        "33.02.01",
        "2020年02月10日",
        "2023年02月09日",
        "CNASC069-M",
    ):
        assert squash(expected) in text, expected
    assert "Certificate of Registration".upper().replace(" ", "") in text.upper()  # the English subtitle
    assert "DRAFT" not in marks_of(rendered) and "草稿" not in marks_of(rendered)


def test_the_english_certificate_prints_the_english_holder_scope_and_dates():
    certificate = seed_certificate()
    rendered = render(certificate, "en")
    text = text_of(rendered)
    assert rendered.result.pages == 1
    for expected in (
        "Beijing Guobiao Joint Certification Co., Ltd.",
        "CERTIFICATE OF REGISTRATION",
        certificate.number,
        SEED_HOLDER_EN,
        "quality management system",
        "GB/T 19001-2016/ISO 9001:2015",
        SEED_SCOPE_EN,
        "33.02.01",
        "10 February 2020",
        "9 February 2023",
        "Valid until",
    ):
        assert squash(expected) in text, expected
    assert SEED_SCOPE_ZH not in text


def test_the_initial_certification_date_is_printed_apart_from_the_issue_date():
    certificate = seed_certificate(issued_on=datetime.date(2023, 2, 1), first_issued_on=datetime.date(2020, 2, 10))
    text = text_of(render(certificate, "en"))
    assert "10February2020" in text and "1February2023" in text


def test_a_reissued_certificate_says_which_certificate_it_replaces():
    old = seed_certificate()
    new = CertificateFactory(
        client=old.client,
        programme=old.programme,
        decision=old.decision,
        number=old.number,
        reissue=1,
        serial=old.serial,
        replaces=old,
        issued_on=datetime.date(2021, 6, 1),
        expires_on=old.expires_on,
        first_issued_on=old.first_issued_on,
        scope_zh="基础软件服务；信息系统集成服务",
    )
    zh = text_of(render(new, "zh-hans"))
    assert "换发" in zh and "2020年02月10日" in zh and old.number in zh
    en = text_of(render(new, "en"))
    assert "Reissued" in en and "replacesthecertificateissuedon10February2020" in en


def test_a_certificate_that_replaces_none_has_no_reissue_marker():
    text = text_of(render(seed_certificate(), "zh-hans"))
    assert "换发" not in text


def test_a_sub_certificate_prints_the_main_certificate_number():
    main = seed_certificate()
    sub = CertificateFactory(
        client=main.client,
        programme=main.programme,
        decision=main.decision,
        main_certificate=main,
        number=f"{main.number}-1",
        issued_on=main.issued_on,
        expires_on=main.expires_on,
    )
    assert squash(f"主证书编号：{main.number}") in text_of(render(sub, "zh-hans"))
    assert squash(f"main certificate No. {main.number}") in text_of(render(sub, "en"))


def test_many_sites_go_to_an_annex_page():
    sites = [{"name": f"场所{i}", "address_zh": f"北京市海淀区测试路{i}号", "address_en": ""} for i in range(1, 7)]
    rendered = render(seed_certificate(sites=sites), "zh-hans")
    assert rendered.result.pages == 2
    text = text_of(rendered)
    assert "证书附件" in text and "北京市海淀区测试路6号" in text


def test_a_draft_of_a_suspended_certificate_shows_the_draft_mark_and_the_status():
    certificate = seed_certificate()
    type(certificate).objects.filter(pk=certificate.pk).update(
        status=CertificateStatus.SUSPENDED,
        status_since=datetime.date(2021, 3, 1),
        suspended_until=datetime.date(2021, 8, 31),
    )
    certificate.refresh_from_db()
    rendered = render(certificate, "zh-hans", draft=True)
    assert "草稿" in marks_of(rendered)
    assert "暂停" in text_of(rendered) and "2021年08月31日" in text_of(rendered)
    rendered = render(certificate, "en", draft=True)
    assert "DRAFT" in marks_of(rendered)
    assert "Suspended" in text_of(rendered) and "suspendeduntil31August2021" in text_of(rendered)


def test_the_foot_sits_at_the_bottom_of_the_page_and_never_over_the_text():
    """Dates, QR code and signature sit at the foot of the one page; a longer scope is printed
    smaller (compact layout) on that page; a scope too long for it moves the foot to the next
    page. Text never runs under the foot."""
    for repeat, pages in ((1, 1), (8, 1), (14, 1), (40, 2)):
        scope = "计算机软件开发、信息系统集成服务及相关技术咨询服务；" * repeat
        rendered = render(seed_certificate(scope_zh=scope), "zh-hans")
        assert rendered.result.pages == pages, repeat
        assert squash(scope) in text_of(rendered)
        words = _words(rendered.result.pdf)
        dates = [(page, top) for page, top, _bottom, word in words if word.startswith("初次认证日期")]
        assert len(dates) == 1
        foot_page, foot_top = dates[0]
        scope_bottoms = [
            bottom
            for page, _top, bottom, word in words
            if page == foot_page and any(mark in word for mark in ("计算机", "软件", "集成", "咨询"))
        ]
        assert not scope_bottoms or max(scope_bottoms) < foot_top, repeat
        last_line = max(bottom for page, _top, bottom, _word in words if page == foot_page)
        if pages == 1:
            assert last_line > 0.93 * A4_HEIGHT_PT, "the foot is not at the bottom of the page"


def test_a_certificate_that_fits_its_page_is_laid_out_once_and_a_longer_one_again_compact(monkeypatch):
    """The foot is moved to the bottom after the one layout (no measuring layout first); only a
    certificate too long for the normal layout is laid out a second time, compact."""
    from weasyprint import HTML

    layouts = []
    real_render = HTML.render

    def counting_render(self, *args, **kwargs):
        layouts.append(1)
        return real_render(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "render", counting_render)
    render(seed_certificate(), "zh-hans")
    assert len(layouts) == 1
    layouts.clear()
    render(seed_certificate(scope_zh="计算机软件开发、信息系统集成服务及相关技术咨询服务；" * 14), "zh-hans")
    assert len(layouts) == 2


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_one_page_certificate_embeds_compact_cjk_faces_only_and_weighs_under_200_kib(language):
    """Four CJK faces (serif and sans, regular and bold) as compact CID-keyed subsets; the printed
    address uses the sans face, so no fifth (monospaced) font; far below 200 KiB."""
    rendered = render(seed_certificate(), language)
    reader = pdf_reader(rendered.result.pdf)
    fonts = {}
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        fonts[str(font["/BaseFont"]).split("+")[1]] = descriptor["/FontFile3"].get_object()["/Subtype"]
    assert fonts == dict.fromkeys(
        ["Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold", "Noto-Sans-CJK-SC", "Noto-Sans-CJK-SC-Bold"], "/CIDFontType0C"
    )
    assert rendered.result.size < 200 * 1024
    assert squash(rendered.snapshot["certificate"]["public_url"]) in text_of(rendered)


A4_HEIGHT_PT = 841.89
WORD = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>')


def _words(pdf_bytes):
    """[(page index, top, bottom, word), …] from pdftotext -bbox (points from the page top)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf_bytes)
        handle.flush()
        html = subprocess.run(["pdftotext", "-bbox", handle.name, "-"], check=True, capture_output=True).stdout.decode()
    return [
        (index, float(top), float(bottom), word)
        for index, page in enumerate(html.split("<page ")[1:])
        for top, bottom, word in WORD.findall(page)
    ]


# --- the QR code -----------------------------------------------------------------------------------


def test_public_url_is_the_public_base_url_and_the_registers_token_page(settings):
    certificate = seed_certificate()
    path = reverse("verify:token", kwargs={"token": certificate.public_token})
    assert path == f"/verify/{certificate.public_token}/"
    assert pdf.public_url(certificate) == f"https://cert.example.cn{path}"
    settings.PUBLIC_BASE_URL = "https://cert.example.cn/"
    assert pdf.public_url(certificate) == f"https://cert.example.cn{path}"


def qr_matrix_from_pdf(pdf_bytes, modules):
    """The dark/light modules of the QR image in the PDF, read at the centre of each module
    (the image is the PNG segno made: ``modules`` + 2 × 4 quiet-zone modules wide)."""
    images = [image for page in pdf_reader(pdf_bytes).pages for image in page.images]
    assert len(images) == 1, [image.name for image in images]
    picture = images[0].image.convert("L")
    width, height = picture.size
    assert width == height == (modules + 2 * pdf.QR_BORDER) * pdf.QR_SCALE
    step = width / (modules + 2 * pdf.QR_BORDER)
    return [
        [
            picture.getpixel((int((pdf.QR_BORDER + col + 0.5) * step), int((pdf.QR_BORDER + row + 0.5) * step))) < 128
            for col in range(modules)
        ]
        for row in range(modules)
    ]


def test_the_qr_code_in_the_pdf_encodes_the_public_url_which_is_also_printed():
    import segno

    certificate = seed_certificate()
    url = pdf.public_url(certificate)
    rendered = render(certificate, "zh-hans")
    expected = [[bool(bit) for bit in row] for row in segno.make_qr(url, error="m", boost_error=False).matrix]
    found = qr_matrix_from_pdf(rendered.result.pdf, len(expected))
    assert found == expected
    other = [[bool(bit) for bit in row] for row in segno.make_qr(url + "x", error="m", boost_error=False).matrix]
    assert found != other  # the comparison tells URLs apart
    assert url in pdftotext(rendered.result.pdf).replace("\n", "")
    assert rendered.result.refused_urls == []  # a data: image, nothing fetched


# --- issued: PDF/A-3b with the data ----------------------------------------------------------------


def test_an_issued_render_is_pdf_a_3b_with_the_certificate_data_attached():
    certificate = seed_certificate()
    rendered = render(certificate, "en")
    reader = pdf_reader(rendered.result.pdf)
    attached = json.loads(reader.attachments[pdf.ATTACHMENT_NAME][0])
    assert attached["data"] == rendered.snapshot
    assert attached["data_sha256"] == rendered.data_sha256 == pdf.data_hash(rendered.snapshot)
    assert attached["data"]["certificate"]["number"] == certificate.number
    assert attached["data"]["certificate"]["public_url"] == pdf.public_url(certificate)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp


def test_the_snapshot_holds_every_printed_field_of_the_certificate():
    certificate = seed_certificate()
    snapshot = pdf.certificate_snapshot(certificate)["certificate"]
    printed = {
        "number",
        "reissue",
        "holder_name_zh",
        "holder_name_en",
        "address_zh",
        "address_en",
        "sites",
        "standard_label",
        "scope_zh",
        "scope_en",
        "technical_codes",
        "first_issued_on",
        "issued_on",
        "expires_on",
        "status",
        "status_since",
        "suspended_until",
    }
    assert printed <= set(snapshot)
    assert snapshot["issued_on"] == "2020-02-10" and snapshot["holder_name_zh"] == SEED_HOLDER_ZH
    json.dumps(snapshot)  # JSON-able as stored


# --- safety ----------------------------------------------------------------------------------------


def test_user_text_is_escaped_and_nothing_is_fetched():
    hostile = '<img src="http://127.0.0.1:9/x.png"><img src="file:///etc/passwd">'
    certificate = seed_certificate(scope_en=f"Software {hostile}")
    rendered = render(certificate, "en")
    assert rendered.result.refused_urls == []  # escaped: never an element, never a request
    assert squash("<img") in squash(pdftotext(rendered.result.pdf))
