"""The PDF engine (reports/pdf): fonts, layout strings, glyph check, URL fetcher, PDF/A.

Renders use reports/templates/reports/pdf/_engine_test.html. Text is read back with pypdf
(keeps the spaces of "第 1 页 共 2 页", reads rotated text) and pdftotext (poppler).
"""

import datetime
import decimal
import hashlib
import http.server
import io
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pypdf
import pytest
from django.conf import settings

from core.pdf import PdfGlyphError, PdfRenderError, json_attachment, render_pdf
from core.pdf.static import PDF_BASE_URL, static_file_for_url

TEMPLATE = "reports/pdf/_engine_test.html"
CB_NAME = "北京国标联合认证有限公司"
REPORT_NO = "ISC-QMS-2020-0108"
CLIENT = "中食互联（北京）科技有限公司"
ROWS = [("朱晓丽", "组长", "负责质量管理体系审核，评价过程的符合性") for _ in range(40)]  # two pages
PRINT_CSS = PDF_BASE_URL + "static/reports/pdf/print.css"
PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def render(**kwargs):
    context = {
        "cb_name": CB_NAME,
        "document_number": REPORT_NO,
        "document_title": "管理体系审核报告",
        "client_name": CLIENT,
        "rows": ROWS,
        **kwargs.pop("context", {}),
    }
    options = {"template_name": TEMPLATE, "language": "zh-hans", "draft": False, **kwargs}
    return render_pdf(context=context, **options)


def reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in reader(pdf).pages]


def pdftotext(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        return subprocess.run(
            ["pdftotext", "-enc", "UTF-8", file.name, "-"], capture_output=True, text=True, check=True
        ).stdout


def all_stream_bytes(pdf: bytes) -> bytes:
    """Every stream of the PDF, decompressed: what a reader of the file could get out of it."""
    pdf_reader = reader(pdf)
    chunks = []
    for generations in pdf_reader.xref.values():  # streams are never inside object streams
        for number in generations:
            obj = pdf_reader.get_object(number)
            if isinstance(obj, pypdf.generic.StreamObject):
                chunks.append(obj.get_data())
    assert chunks
    return b"\n".join(chunks)


@pytest.fixture(scope="module")
def zh_final():
    return render()


@pytest.fixture(scope="module")
def zh_draft():
    return render(draft=True)


@pytest.fixture(scope="module")
def en_final():
    return render(language="en")


REPORT_DATA = {
    "report_number": REPORT_NO,
    "client": CLIENT,
    "audit_end": datetime.date(2020, 1, 8),
    "days": decimal.Decimal("1.5"),
}


@pytest.fixture(scope="module")
def pdfa():
    return render(pdf_variant="pdf/a-3b", attachments=[json_attachment(REPORT_DATA, description="report data")])


# Text, layout strings --------------------------------------------------------------------


def test_chinese_text_is_extracted_back_from_the_pdf(zh_final):
    text = pdftotext(zh_final.pdf)
    for expected in ("管理体系审核报告", CLIENT, "审核组组长（签名）", "负责质量管理体系审核，评价过程的符合性"):
        assert expected in text


def test_chinese_footer_says_page_x_of_y(zh_final):
    assert zh_final.pages == 2
    texts = page_texts(zh_final.pdf)
    assert "第 1 页 共 2 页" in texts[0]
    assert "第 2 页 共 2 页" in texts[1]
    assert "第1页共2页" in re.sub(r"\s", "", pdftotext(zh_final.pdf))


def test_english_footer_says_page_x_of_y(en_final):
    texts = page_texts(en_final.pdf)
    assert "Page 1 of 2" in texts[0]
    assert "Page 2 of 2" in texts[1]
    assert "第 1 页" not in texts[0]


def test_running_header_with_cb_name_and_report_number_on_every_page(zh_final):
    for text in page_texts(zh_final.pdf):
        assert CB_NAME in text
        assert REPORT_NO in text


def test_table_header_row_repeats_on_the_next_page(zh_final):
    second_page = page_texts(zh_final.pdf)[1]
    assert "组内身份" in second_page  # the <thead> of the members table
    assert "三、审核组成员" not in second_page  # ... while the heading stays on page 1


def test_pdf_metadata_title_author_and_language(zh_final, en_final):
    info = reader(zh_final.pdf).metadata
    assert info.title == "管理体系审核报告"
    assert info.author == CB_NAME
    assert reader(zh_final.pdf).trailer["/Root"]["/Lang"] == "zh-CN"
    assert reader(en_final.pdf).trailer["/Root"]["/Lang"] == "en"


def _headings_left_alone(result, sections):
    alone = []
    for text in page_texts(result.pdf):
        for number in range(1, sections + 1):
            if f"第{number}节" in text and not re.search(rf"部门{number}-1(?!\d)", text):
                alone.append(number)
    return alone


def test_headings_are_never_left_alone_at_the_foot_of_a_page():
    strict, loose = [], []
    for rows in (4, 5):  # row counts that bring a heading to a page foot
        sections = [
            {"title": f"第{n}节", "rows": [(f"部门{n}-{r}", "评价过程的符合性", True) for r in range(1, rows + 1)]}
            for n in range(1, 9)
        ]
        strict += _headings_left_alone(render(context={"sections": sections, "rows": []}), 8)
        loose += _headings_left_alone(render(context={"sections": sections, "rows": [], "loose_headings": True}), 8)
    assert loose, "control: without break-after: avoid a heading should have ended a page"
    assert strict == []


# Watermark --------------------------------------------------------------------------------


def test_draft_watermark_on_every_page_of_a_draft(zh_draft):
    texts = page_texts(zh_draft.pdf)
    assert len(texts) == 2
    assert all("草稿 DRAFT" in text for text in texts)


def test_no_draft_watermark_on_a_final_document(zh_final, en_final):
    for text in page_texts(zh_final.pdf) + page_texts(en_final.pdf):
        assert "草稿" not in text and "DRAFT" not in text


# Fonts and glyphs -----------------------------------------------------------------------


def _fonts(pdf: bytes) -> dict[str, pypdf.generic.DictionaryObject]:
    fonts = {}
    for page in reader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    return fonts


def test_fonts_are_embedded_subsets_of_noto_cjk_sc_and_dejavu(zh_final):
    _assert_sc_and_dejavu_subsets(_fonts(zh_final.pdf))


def test_english_pdf_prints_its_chinese_text_in_sc_glyph_forms_too(en_final):
    """With lang="en" fontconfig would pick Noto CJK JP for Chinese; the CSS names SC."""
    _assert_sc_and_dejavu_subsets(_fonts(en_final.pdf))


def _assert_sc_and_dejavu_subsets(fonts):
    families = set()
    for name, font in fonts.items():
        match = re.fullmatch(r"/([A-Z]{6})\+(.+)", name)
        assert match, f"{name} is not a subset (no ABCDEF+ prefix)"
        families.add(re.sub(r"-(Bold|Regular)$", "", match[2]))
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), f"{name} is not embedded"
    assert families == {"Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC", "DejaVu-Sans"}
    assert not any("JP" in name for name in fonts), "Japanese glyph forms chosen"


def test_ballot_boxes_render_without_glyph_warnings(zh_final):
    assert zh_final.warnings == []
    assert zh_final.glyph_warnings == []
    text = page_texts(zh_final.pdf)[0]
    assert "☑" in text and "☐" in text


def test_a_character_no_font_has_is_reported_as_a_glyph_warning():
    result = render(context={"extra_text": "\ue000", "rows": []})  # Private Use Area: no font has it
    assert result.glyph_warnings, result.warnings
    assert any("U+E000" in message and ".notdef" in message for message in result.glyph_warnings)


def test_strict_glyphs_refuses_a_pdf_with_missing_glyphs():
    with pytest.raises(PdfGlyphError) as error:
        render(context={"extra_text": "\U0010fffd", "rows": []}, strict_glyphs=True)
    assert error.value.result.pdf.startswith(b"%PDF")
    assert "U+10FFFD" in str(error.value)


def test_glyph_check_works_even_when_weasyprint_logging_is_set_to_errors_only():
    logger = logging.getLogger("weasyprint")
    previous = logger.level
    logger.setLevel(logging.ERROR)
    try:
        result = render(context={"extra_text": "\ue000", "rows": []})
    finally:
        logger.setLevel(previous)
    assert result.glyph_warnings


# Result object --------------------------------------------------------------------------


def test_result_sha256_and_page_count_match_the_pdf_bytes(zh_final):
    assert zh_final.sha256 == hashlib.sha256(zh_final.pdf).hexdigest()
    assert zh_final.pages == len(reader(zh_final.pdf).pages)
    assert zh_final.size == len(zh_final.pdf)
    assert zh_final.html_seconds >= 0 and zh_final.render_seconds >= 0


def test_context_key_pdf_is_reserved_for_the_engine():
    with pytest.raises(ValueError, match="reserved"):
        render(context={"pdf": {}})


def test_base_url_outside_our_origin_is_refused():
    with pytest.raises(ValueError, match="base_url"):
        render(base_url="http://127.0.0.1:8000/")


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="language"):
        render(language="fr")


# PDF/A-3b with the data attached ----------------------------------------------------------


def test_pdfa_3b_carries_the_json_data_attachment(pdfa):
    attachments = reader(pdfa.pdf).attachments
    assert list(attachments) == ["report.json"]
    data = json.loads(attachments["report.json"][0])
    assert data == {"report_number": REPORT_NO, "client": CLIENT, "audit_end": "2020-01-08", "days": "1.5"}
    root = reader(pdfa.pdf).trailer["/Root"]
    associated = [ref.get_object() for ref in root["/AF"]]
    assert len(associated) == 1  # WeasyPrint 70 lists it twice; the engine dedupes
    assert associated[0]["/AFRelationship"] == "/Data"
    assert associated[0]["/EF"]["/F"].get_object()["/Subtype"] == "/application/json"


def test_pdfa_3b_is_identified_in_xmp_metadata_with_output_intent(pdfa):
    assert pdfa.pdf.startswith(b"%PDF-1.7")
    root = reader(pdfa.pdf).trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert "<rdf:li>北京国标联合认证有限公司</rdf:li>" in xmp  # dc:creator
    assert "管理体系审核报告" in xmp  # dc:title
    assert root["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"
    assert pdfa.warnings == []


def test_unknown_pdf_variant_is_refused():
    with pytest.raises(ValueError, match="variant"):
        render(pdf_variant="pdf/a-9z")


def test_attachments_are_refused_for_pdfa_variants_that_would_drop_them():
    with pytest.raises(ValueError, match="attachments"):
        render(pdf_variant="pdf/a-2b", attachments=[json_attachment({})])


# The URL fetcher: our static files only ---------------------------------------------------


class _CountingServer(http.server.ThreadingHTTPServer):
    def __init__(self):
        super().__init__(("127.0.0.1", 0), _CountingHandler)
        self.paths: list[str] = []

    @property
    def base(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.paths.append(self.path)
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
            return
        body = b"secret-from-the-intranet"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    server = _CountingServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_control_weasyprints_default_fetcher_does_reach_the_local_server(http_server, monkeypatch):
    """Without our fetcher the probe would be requested: the zero-request tests mean something."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    from weasyprint import HTML

    HTML(string=f'<img src="{http_server.base}/control.png">').write_pdf()
    assert http_server.paths == ["/control.png"]


def test_pdf_makes_no_request_to_a_local_http_server(http_server):
    base = http_server.base
    result = render(
        context={
            "images": [f"{base}/image.png", f"{base}/redirect", "https://127.0.0.1/x.png", "//127.0.0.1/y.png"],
            "stylesheets": [f"{base}/style.css"],
            "backgrounds": [f"{base}/background.png"],
            "attachment_links": [f"{base}/attachment.txt", f"{base}/redirect"],
        }
    )
    assert http_server.paths == []
    assert result.pages >= 2  # the PDF still renders
    assert f"{base}/image.png" in result.refused_urls
    assert f"{base}/redirect" in result.refused_urls
    assert any("Failed to load" in message for message in result.warnings)
    assert reader(result.pdf).attachments == {}
    assert b"secret-from-the-intranet" not in all_stream_bytes(result.pdf)


def test_control_weasyprints_default_fetcher_would_embed_etc_passwd():
    """Without our fetcher <link rel=attachment href=file:///etc/passwd> leaks the file."""
    from weasyprint import HTML

    pdf = HTML(string='<link rel="attachment" href="file:///etc/passwd"><p>x</p>').write_pdf()
    assert b"root:" in all_stream_bytes(pdf)


def test_file_urls_are_refused_and_nothing_leaks():
    secrets = ["file:///etc/passwd", "/etc/passwd", "../../../../etc/passwd", "file:///work/main/auditbody/settings.py"]
    result = render(
        context={"images": secrets, "stylesheets": secrets, "attachment_links": secrets, "backgrounds": secrets}
    )
    assert result.pages >= 2  # the PDF still renders
    assert "file:///etc/passwd" in result.refused_urls
    assert PDF_BASE_URL + "etc/passwd" in result.refused_urls  # relative URLs resolve to our origin, then refused
    assert reader(result.pdf).attachments == {}
    streams = all_stream_bytes(result.pdf)
    assert b"root:" not in streams and b"SECRET_KEY" not in streams


def test_the_fetcher_never_opens_a_url_itself(http_server):
    from core.pdf.fetcher import RefusedURL, StaticOnlyURLFetcher

    fetcher = StaticOnlyURLFetcher()
    for call in (fetcher, fetcher.fetch, fetcher.open):
        with pytest.raises(RefusedURL):
            call(f"{http_server.base}/redirect")
    assert http_server.paths == []


def test_our_print_stylesheet_is_served_from_static_files(zh_final):
    assert zh_final.refused_urls == []
    assert static_file_for_url(PRINT_CSS).read_bytes().startswith(b"/*")


@pytest.mark.parametrize(
    "url",
    [
        PDF_BASE_URL + "static/../auditbody/settings.py",
        PDF_BASE_URL + "static/reports/%2e%2e/%2e%2e/auditbody/settings.py",
        PDF_BASE_URL + "static/%2Fetc/passwd",
        PDF_BASE_URL + "static/reports\\..\\..\\manage.py",
        PDF_BASE_URL + "manage.py",
        "http://pdf.auditbody.invalid/static/reports/pdf/print.css",
        "https://evil.example/static/reports/pdf/print.css",
        "file:///work/main/reports/static/reports/pdf/print.css",
        PDF_BASE_URL + "static/reports/pdf/",
    ],
)
def test_static_rule_refuses_anything_outside_our_static_files(url):
    assert static_file_for_url(url) is None


def test_static_rule_ignores_query_and_fragment():
    assert static_file_for_url(PRINT_CSS + "?v=2#x") == static_file_for_url(PRINT_CSS)


def test_a_missing_static_file_fails_the_render():
    with pytest.raises(PdfRenderError, match="static"):
        render(context={"stylesheets": ["/static/reports/pdf/does-not-exist.css"]})


def test_data_urls_are_allowed_for_images_only():
    result = render(
        context={
            "images": [f"data:image/png;base64,{PNG_1X1}"],
            "stylesheets": ["data:text/css,body{color:red}"],
            "rows": [],
        }
    )
    assert result.refused_urls == ["data:text/css,body{color:red}"]
    assert len(result.warnings) == 1  # only the refused stylesheet, the image loaded


# Escaping -------------------------------------------------------------------------------


def test_user_text_is_escaped_not_turned_into_markup(http_server):
    hostile = f'<img src="{http_server.base}/escaped.png"><link rel="attachment" href="file:///etc/passwd"> & 中'
    result = render(
        context={"client_name": hostile, "rows": [("<b>x</b>", "组长", f'<img src="{http_server.base}/row.png">')]}
    )
    assert http_server.paths == []
    assert result.refused_urls == []  # never parsed as elements, so never even asked for
    text = pdftotext(result.pdf)
    assert f'<img src="{http_server.base}/escaped.png">' in text
    assert "<b>x</b>" in text
    assert reader(result.pdf).attachments == {}


def test_pdf_templates_never_mark_text_safe():
    forbidden = re.compile(r"\|\s*safe\b|safeseq|autoescape\s+off|mark_safe|format_html|SafeString")
    folder = Path(settings.BASE_DIR) / "reports"
    files = list((folder / "templates" / "reports" / "pdf").rglob("*.html")) + list((folder / "pdf").rglob("*.py"))
    assert files
    for path in files:
        assert not forbidden.search(path.read_text()), f"{path} marks text safe"


# Lazy import ----------------------------------------------------------------------------


def test_django_start_up_and_importing_the_engine_do_not_import_weasyprint():
    code = (
        "import sys\n"
        "import auditbody.settings\n"
        "import django\n"
        "django.setup()\n"
        "import auditbody.urls\n"  # every URLconf, view and admin module
        "import core.pdf, core.pdf.static\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('weasyprint', 'pydyf', 'tinyhtml5')))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "auditbody.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]", result.stdout
