"""WeasyPrint's URL fetcher for our PDFs: serves static files, refuses everything else.

Imported only by ``core.pdf.engine.render_pdf`` at render time (it imports WeasyPrint).

WeasyPrint 70 API: a fetcher is a subclass of ``weasyprint.urls.URLFetcher`` (itself a
``urllib.request.OpenerDirector``); WeasyPrint calls ``fetcher(url)`` -> ``fetch(url,
headers=None)``, which returns a ``URLFetcherResponse(url, body, headers)``. Any exception
raised in ``fetch`` is caught by WeasyPrint and logged ("Failed to load image at ...") unless
``fail_on_errors`` is set; the resource is then simply left out.

This fetcher never calls the parent's ``fetch``/``open`` (which would use urllib's HTTP, FTP
and file handlers and follow redirects): it answers from the static folders or refuses. So no
request leaves the process, and WeasyPrint's redirect handling never comes into play. As a
second lock, the parent is built with ``allowed_protocols=()`` and ``allow_redirects=False``.
"""

import base64
from urllib.parse import unquote_to_bytes

from weasyprint.urls import URLFetcher, URLFetcherResponse

from .static import DATA_URL_IMAGE_TYPES, content_type_for, static_file_for_url, static_name_for_url


class RefusedURL(ValueError):
    """A URL the PDF may not load (logged by WeasyPrint as a failed resource)."""


class StaticOnlyURLFetcher(URLFetcher):
    def __init__(self):
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False, timeout=1)
        self.served: list[str] = []
        self.refused: list[str] = []
        #: static URLs (under our prefix) whose file does not exist: a deployment bug
        self.missing_static: list[str] = []

    def fetch(self, url, headers=None):
        if url[:5].lower() == "data:":
            return self._data_url(url)
        path = static_file_for_url(url)
        if path is None:
            self.refused.append(url)
            if static_name_for_url(url) is not None:
                self.missing_static.append(url)
                raise RefusedURL(f"no such static file: {url}")
            raise RefusedURL(f"only the project's static files may be loaded in a PDF, refused {url[:200]}")
        self.served.append(url)
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type_for(path)})

    def open(self, url, data=None, timeout=None):
        # urllib's entry point; never used by WeasyPrint with this fetcher, closed anyway.
        target = getattr(url, "full_url", url)
        self.refused.append(str(target))
        raise RefusedURL(f"network access is disabled for PDFs: {target}")

    def _data_url(self, url):
        header, comma, payload = url[5:].partition(",")
        params = [part.strip() for part in header.split(";")]
        media_type = (params[0] or "text/plain").lower()
        if not comma or media_type not in DATA_URL_IMAGE_TYPES:
            self.refused.append(url[:60])
            raise RefusedURL(f"data: URLs are allowed for images only, refused {url[:60]}")
        body = unquote_to_bytes(payload)
        if "base64" in (param.lower() for param in params[1:]):
            body = base64.b64decode(body)
        self.served.append(url[:60])
        return URLFetcherResponse(url, body=body, headers={"Content-Type": media_type})
