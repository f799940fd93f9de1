"""What a client document may be: size and type limits, checked on the name AND the content.

The extension alone proves nothing (a program renamed ``manual.pdf``), so the first bytes of
the file must match the type the extension claims. The first bytes prove little either (a PNG
header followed by an HTML page passes them), so the structure is checked too: a PDF must parse
(pypdf) and have a page, an image must open and verify (Pillow) and decode, and Office Open XML
files (DOCX/XLSX) are ZIP archives that must contain the parts of a Word or Excel document.
Legacy DOC/XLS (OLE2 compound files) are checked by their header only.
"""

import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from PIL import Image
from pypdf import PdfReader

MAX_DOCUMENT_SIZE = 20 * 1024 * 1024  # 20 MB

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc / .xls (Compound File Binary)
ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    magic: tuple[bytes, ...]
    zip_part: str | None = None  # a member the ZIP must contain (OOXML)
    structure: str | None = None  # "pdf" or "image": parsed, not only sniffed


ALLOWED_TYPES = {
    ".pdf": FileType("PDF", "application/pdf", (b"%PDF-",), structure="pdf"),
    ".doc": FileType("DOC", "application/msword", (OLE2,)),
    ".docx": FileType(
        "DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (ZIP,), "word/"
    ),
    ".xls": FileType("XLS", "application/vnd.ms-excel", (OLE2,)),
    ".xlsx": FileType("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,), "xl/"),
    ".png": FileType("PNG", "image/png", (b"\x89PNG\r\n\x1a\n",), structure="image"),
    ".jpg": FileType("JPG", "image/jpeg", (b"\xff\xd8\xff",), structure="image"),
    ".jpeg": FileType("JPG", "image/jpeg", (b"\xff\xd8\xff",), structure="image"),
}
ALLOWED_LABELS = "PDF, DOC, DOCX, XLS, XLSX, PNG, JPG"


@dataclass(frozen=True)
class CheckedDocument:
    """An upload ``check_document`` accepted: its name as uploaded, its size and content type."""

    name: str
    size: int
    content_type: str


# Recognised only to explain a refusal better.
_KNOWN_OTHER = (
    (b"MZ", gettext_noop("a Windows program")),
    (b"\x7fELF", gettext_noop("a Linux program")),
    (b"#!", gettext_noop("a script")),
)


def _what_it_looks_like(head: bytes) -> str | None:
    for magic, what in _KNOWN_OTHER:
        if head.startswith(magic):
            return what
    return None


def check_document(uploaded_file: UploadedFile) -> CheckedDocument:
    """Validate an uploaded document; return its name, size and content type. Raises
    ValidationError with a message the uploader can act on."""
    uploaded_name = uploaded_file.name or ""
    name = os.path.basename(uploaded_name)
    ext = os.path.splitext(name)[1].lower()
    size = uploaded_file.size
    if not size:  # 0, or None: a file object that cannot tell its size
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    if size > MAX_DOCUMENT_SIZE:
        raise ValidationError(
            _("“%(name)s” is %(size)s; documents may be at most %(max)s.")
            % {"name": name, "size": filesizeformat(size), "max": filesizeformat(MAX_DOCUMENT_SIZE)},
            code="too_large",
        )
    file_type = ALLOWED_TYPES.get(ext)
    if file_type is None:
        raise ValidationError(
            _("“%(name)s” is not an accepted type. Accepted: %(types)s.") % {"name": name, "types": ALLOWED_LABELS},
            code="bad_extension",
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    if (
        not any(head.startswith(magic) for magic in file_type.magic)
        or (file_type.zip_part and not _zip_contains(uploaded_file, file_type.zip_part))
        or (file_type.structure and not _STRUCTURE_CHECKS[file_type.structure](uploaded_file))
    ):
        looks_like = _what_it_looks_like(head)
        if looks_like:
            message = _("The content of “%(name)s” is not a %(type)s file but %(what)s; it was refused.") % {
                "name": name,
                "type": file_type.label,
                "what": _(looks_like),
            }
        else:
            message = _(
                "The content of “%(name)s” is not a %(type)s file (the name says %(type)s, the content does not); "
                "save it again as %(type)s and upload it."
            ) % {"name": name, "type": file_type.label}
        raise ValidationError(message, code="content_mismatch")
    # The extension check refused an empty name, so ``uploaded_name`` is the uploaded file's name.
    return CheckedDocument(name=uploaded_name, size=size, content_type=file_type.content_type)


def _zip_contains(uploaded_file: UploadedFile, prefix: str) -> bool:
    try:
        uploaded_file.seek(0)
        with zipfile.ZipFile(uploaded_file) as archive:
            found = any(member.startswith(prefix) for member in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        found = False
    uploaded_file.seek(0)
    return found


def _pdf_parses(uploaded_file: UploadedFile) -> bool:
    """The file is a PDF pypdf reads (strictly: no repairing of a broken cross-reference table)
    with at least one page."""
    try:
        uploaded_file.seek(0)
        reader = PdfReader(uploaded_file, strict=True)
        parses = len(reader.pages) > 0
    except Exception:  # pypdf raises many kinds of errors on a malformed file; each one refuses it
        parses = False
    uploaded_file.seek(0)
    return parses


def _image_verifies(uploaded_file: UploadedFile) -> bool:
    """Pillow identifies the image, verifies its structure (chunks and checksums) and decodes it;
    Pillow's decompression-bomb limit refuses an image too large to decode."""
    try:
        uploaded_file.seek(0)
        with Image.open(uploaded_file) as image:
            image.verify()
        uploaded_file.seek(0)
        with Image.open(uploaded_file) as image:
            image.load()
        verifies = True
    except Exception:  # UnidentifiedImageError, SyntaxError, OSError, DecompressionBombError, ...
        verifies = False
    uploaded_file.seek(0)
    return verifies


_STRUCTURE_CHECKS: dict[str, Callable[[UploadedFile], bool]] = {"pdf": _pdf_parses, "image": _image_verifies}
