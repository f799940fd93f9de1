"""The one rule for what a PDF may load: the project's own static files, nothing else.

WeasyPrint resolves every URL in a PDF template (stylesheets, images, fonts, ``<link
rel=attachment>``) against the document's base URL and asks the URL fetcher for it. The
engine renders with the base URL ``https://pdf.auditbody.invalid/`` (``.invalid`` is a
reserved top-level domain: it can never resolve), so ``{% static "reports/pdf/print.css" %}``
— ``/static/reports/pdf/print.css`` — becomes
``https://pdf.auditbody.invalid/static/reports/pdf/print.css``. Only URLs under that prefix
(or under ``STATIC_URL`` itself when it is an absolute URL) are served, and only from files on
disk that Django's staticfiles would serve: ``STATIC_ROOT`` (after ``collectstatic``, also the
hashed names of the manifest storage) or the staticfiles finders (app ``static/`` folders and
``STATICFILES_DIRS``). Nothing is ever fetched over the network.

This module is plain Django (no WeasyPrint import), so the rule can be tested on its own.
"""

import mimetypes
import os
import posixpath
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation

#: The base URL every PDF is rendered with. Relative and root-relative URLs resolve to it.
PDF_BASE_URL = "https://pdf.auditbody.invalid/"

#: ``data:`` URLs are accepted for these image types only (a QR code, a generated chart).
DATA_URL_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"})


def static_url_prefixes() -> list[str]:
    """The URL prefixes served from static files, e.g. ``https://pdf.auditbody.invalid/static/``."""
    static_url = settings.STATIC_URL or "/static/"
    prefixes = [urljoin(PDF_BASE_URL, static_url)]
    if urlsplit(static_url).scheme:  # STATIC_URL on a CDN: map it to the local files too
        prefixes.append(static_url)
    return [prefix if prefix.endswith("/") else prefix + "/" for prefix in prefixes]


def static_name_for_url(url: str) -> str | None:
    """The static file name (``reports/pdf/print.css``) a URL points to, or None if it is not ours.

    Query strings and fragments are ignored (``sprite.svg#icon``, ``print.css?v=2``). Names that
    try to leave the static folders (``..``, absolute paths, backslashes, NUL) give None.
    """
    parts = urlsplit(url)
    bare = parts._replace(query="", fragment="").geturl()
    for prefix in static_url_prefixes():
        if bare.startswith(prefix):
            name = unquote(bare[len(prefix) :])
            break
    else:
        return None
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return None
    segments = name.split("/")
    if any(segment in ("", ".", "..") for segment in segments):
        return None
    return posixpath.join(*segments)


def _static_roots() -> list[Path]:
    """Every folder a static file may come from: STATIC_ROOT and each finder's storage."""
    roots = []
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location))
    return [Path(os.path.realpath(root)) for root in roots]


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


def static_file_for_url(url: str) -> Path | None:
    """The file on disk for one of our static URLs, or None (not ours, or no such file).

    Looks in STATIC_ROOT first (what production serves, hashed names included), then asks the
    staticfiles finders (development, tests). The resolved path (symlinks followed) must be a
    regular file inside one of the static folders.
    """
    name = static_name_for_url(url)
    if name is None:
        return None
    candidates = []
    try:
        if hasattr(staticfiles_storage, "path"):
            candidates.append(staticfiles_storage.path(name))
    except (SuspiciousFileOperation, NotImplementedError):  # remote storages have no local path
        return None
    try:
        found = finders.find(name)
    except SuspiciousFileOperation:
        return None
    if found:
        candidates.append(found)
    roots = _static_roots()
    for candidate in candidates:
        path = Path(os.path.realpath(candidate))
        if path.is_file() and _inside(path, roots):
            return path
    return None


def content_type_for(path: Path) -> str:
    content_type, _encoding = mimetypes.guess_type(path.name, strict=False)
    return content_type or "application/octet-stream"
