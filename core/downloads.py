"""Serving a stored private file: every download view (evidence, client documents, report and
certificate PDFs) fetches its object through ``restrict()`` and then answers with this."""

from django.dispatch import Signal
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

# Sent when an issued document (a report or certificate PDF version) is downloaded, with
# ``request``, ``record`` (the version) and ``filename``: the activity log (a higher app) records it.
document_downloaded = Signal()


def private_file_response(file, *, filename, content_type="", sha256="", request=None, record=None):
    """An attachment response for ``file`` (a FieldFile), never cached by a shared cache; 404
    when the storage has lost the file. With ``request`` and ``record`` the download is announced
    (``document_downloaded``) for the activity log."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage.")) from None
    if request is not None and record is not None:
        document_downloaded.send(sender=type(record), request=request, record=record, filename=filename)
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type or "application/octet-stream"
    )
    response["Cache-Control"] = "private, no-store"
    if sha256:
        response["X-Content-SHA256"] = sha256
    return response
