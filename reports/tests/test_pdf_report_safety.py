"""User text in the PDF is escaped, and the PDF never fetches anything: markup with URLs typed
into a topic or a nonconformity prints as text, no request reaches the (local) server, and the
PDF still renders."""

import http.server
import threading

import pytest
from django.template.loader import render_to_string

from reports.versions.render import build_print_document, load_report, render_report

from .version_factories import add_nonconformity, approved_setup, body_text, squash

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_server():
    """An HTTP server on 127.0.0.1 that records every request it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], hits
    server.shutdown()
    server.server_close()


def hostile(port):
    return (
        f'<img src="http://127.0.0.1:{port}/topic.png">'
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/topic.css">'
        f"<style>@import url(http://127.0.0.1:{port}/import.css);</style>"
        '<img src="file:///etc/passwd">'
        f'<a rel="attachment" href="file:///etc/hostname">x</a>'
    )


def test_markup_in_findings_is_printed_and_nothing_is_fetched(local_server):
    port, hits = local_server
    setup = approved_setup(text="审核发现：" + hostile(port))
    add_nonconformity(
        setup, statement="不符合：" + hostile(port), evidence=f'<img src="http://127.0.0.1:{port}/nc.png">'
    )
    report = load_report(setup.report.pk)
    rendered = render_report(report=report, language="zh-hans", number="CB-Q-2030-0001", draft=True, strict_glyphs=True)
    assert hits == []
    assert rendered.result.pages > 1 and rendered.result.pdf.startswith(b"%PDF")
    assert rendered.result.refused_urls == []  # escaped text is never a resource to fetch
    text = body_text(rendered.result.pdf)
    assert squash(f'<img src="http://127.0.0.1:{port}/topic.png">') in text
    assert squash('<img src="file:///etc/passwd">') in text


def test_the_html_given_to_weasyprint_escapes_user_text(local_server):
    port, _hits = local_server
    setup = approved_setup(text=hostile(port))
    document = build_print_document(report=load_report(setup.report.pk), language="zh-hans", number="N")
    html = render_to_string(
        "reports/pdf/report.html",
        {
            "parts": document.parts,
            "cover": document.cover,
            "plan": [],
            "nonconformities": [],
            "attachment_titles": {},
            "colon": "：",
            "pdf": {"lang": "zh-CN", "page_label": ("", "", "")},
        },
    )
    assert '<img src="http://127.0.0.1' not in html and "&lt;img src=&quot;http://127.0.0.1" in html
    assert "<style>@import" not in html
