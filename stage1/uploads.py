"""What a stage 1 document may be: .docx, .pdf or .txt, within the size limit, and readable.

Checked on the content, not the name: the file is read by the analyser's reader before anything
is stored, so an encrypted PDF, a scan without text, a damaged Word file or a binary renamed
``.txt`` is refused with a message the uploader can act on, and nothing is saved.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .analysis import UnreadableDocument
from .analysis.reading import read_document

CONTENT_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
}
DEFAULT_MAX_SIZE = 20 * 1024 * 1024  # CB setting STAGE1_MAX_DOCUMENT_SIZE (bytes); a manual is rarely 5 MB


def max_size() -> int:
    return int(getattr(settings, "STAGE1_MAX_DOCUMENT_SIZE", DEFAULT_MAX_SIZE))


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    size: int
    content_type: str
    sha256: str
    data: bytes


def check_stage1_document(uploaded_file: UploadedFile) -> CheckedUpload:
    """Validate an upload; raises ValidationError (code: empty, too_large, bad_extension or the
    reader's: encrypted, no_text, corrupt_docx, corrupt_pdf, binary, bad_encoding)."""
    name = os.path.basename(uploaded_file.name or "")
    ext = os.path.splitext(name)[1].lower()
    size = uploaded_file.size or 0
    if not size:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    if size > max_size():
        raise ValidationError(
            _(
                "“%(name)s” is %(size)s; documents may be at most %(max)s. Upload the manual without embedded images, or split it."
            )
            % {"name": name, "size": filesizeformat(size), "max": filesizeformat(max_size())},
            code="too_large",
        )
    if ext not in CONTENT_TYPES:
        raise ValidationError(
            _("“%(name)s” cannot be reviewed: upload a .docx, .pdf or .txt file.") % {"name": name},
            code="bad_extension",
        )
    uploaded_file.seek(0)
    data = uploaded_file.read()
    uploaded_file.seek(0)
    try:
        read_document(name, data)
    except UnreadableDocument as refused:
        raise ValidationError(f"“{name}”: {_(refused.message)}", code=refused.code) from None
    return CheckedUpload(name, size, CONTENT_TYPES[ext], hashlib.sha256(data).hexdigest(), data)
