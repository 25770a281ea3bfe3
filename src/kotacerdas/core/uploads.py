"""Upload checks shared by every file field: extension, size and the file's real content (magic bytes)."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

PDF = ("application/pdf", b"%PDF-")
PNG = ("image/png", b"\x89PNG\r\n\x1a\n")
JPEG = ("image/jpeg", b"\xff\xd8\xff")
ZIP = b"PK\x03\x04"
DOCUMENTS: Mapping[str, tuple[str, bytes]] = {".pdf": PDF, ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG}
WORKSHEETS: Mapping[str, tuple[str, bytes]] = {
    **DOCUMENTS,
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
}


def check_upload(upload: UploadedFile, allowed: Mapping[str, tuple[str, bytes]], max_bytes: int) -> str:
    """The content type of an acceptable upload; ValidationError (in the user's language) otherwise."""
    name = (upload.name or "").lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    if extension not in allowed:
        kinds = ", ".join(sorted(e[1:].upper() for e in allowed))
        raise ValidationError(_("Allowed file types: %(kinds)s.") % {"kinds": kinds})
    if upload.size is None or upload.size > max_bytes:
        raise ValidationError(_("Files may be at most %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)})
    content_type, magic = allowed[extension]
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise ValidationError(
            _("The file's content is not a %(type)s file.") % {"type": extension[1:].upper()}
        )
    return content_type


def upload_errors(
    upload: UploadedFile | None, allowed: Mapping[str, tuple[str, bytes]], max_bytes: int
) -> list[str]:
    """Why an optional upload is refused (empty when it is acceptable or absent): for collecting every
    error of a form before refusing it."""
    if upload is None:
        return []
    try:
        check_upload(upload, allowed, max_bytes)
    except ValidationError as exc:
        return list(exc.messages)
    return []
