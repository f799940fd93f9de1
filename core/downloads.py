"""Serving a stored private file: every download view (evidence, client documents, report and
certificate PDFs) fetches its object through ``restrict()`` and then answers with this."""

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _


def private_file_response(file, *, filename, content_type="", sha256=""):
    """An attachment response for ``file`` (a FieldFile), never cached by a shared cache; 404
    when the storage has lost the file."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage.")) from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type or "application/octet-stream"
    )
    response["Cache-Control"] = "private, no-store"
    if sha256:
        response["X-Content-SHA256"] = sha256
    return response
