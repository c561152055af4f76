"""Documents in the dossier: what an upload may be, and where it is kept.

A file is accepted by its CONTENT (its first bytes, and for DOCX the parts inside the ZIP), never by the name or
the type the browser sent; the name must fit the type found. Files are stored under ``documents_dir()``, in the
var directory outside the web root, under a random name without extension; they are only ever served by the
``dossier:document`` view after the policy.

Settings (optional): ``SAMEN_DOCUMENTS_DIR`` (default ``VAR_DIR / "documents"``) and
``SAMEN_DOCUMENT_MAX_SIZE`` in bytes (default 10 MB).
"""

from __future__ import annotations

import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _

from samen.timeline.models import FILE_NAME_MAX_LENGTH

DEFAULT_MAX_SIZE = 10 * 1024 * 1024

PDF, PNG, JPEG, TEXT, DOCX = (
    "application/pdf",
    "image/png",
    "image/jpeg",
    "text/plain",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
# The types we accept, with the name endings that fit each.
EXTENSIONS = {
    PDF: (".pdf",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
    TEXT: (".txt",),
    DOCX: (".docx",),
}
TYPE_NAMES = "PDF, PNG, JPEG, DOCX, TXT"
_FORBIDDEN_IN_NAME = set('/\\<>:"|?*')


def max_size() -> int:
    return int(getattr(settings, "SAMEN_DOCUMENT_MAX_SIZE", DEFAULT_MAX_SIZE))


def documents_dir() -> Path:
    return Path(getattr(settings, "SAMEN_DOCUMENTS_DIR", Path(settings.VAR_DIR) / "documents"))


def storage() -> FileSystemStorage:
    # No base_url: these files have no public address.
    return FileSystemStorage(location=documents_dir(), base_url=None)


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int


def _error(message: str, code: str) -> ValidationError:
    return ValidationError({"upload": message}, code=code)


def clean_file_name(value) -> str:
    """The name as shown later: one plain file name, no path parts, no markup, no control characters."""
    name = unicodedata.normalize("NFC", value if isinstance(value, str) else "").strip()
    if not name:
        raise _error(_("The file has no name. Give it a name and try again."), "no_name")
    if (
        any(char in _FORBIDDEN_IN_NAME for char in name)
        or any(unicodedata.category(char).startswith("C") for char in name)
        or name.startswith(".")
        or ".." in name
    ):
        raise _error(
            _("The file name may only contain letters, numbers, spaces, dots, dashes and underscores. Rename it."),
            "bad_name",
        )
    if len(name) > FILE_NAME_MAX_LENGTH:
        raise _error(
            _("The file name is too long: at most %(max)d characters.") % {"max": FILE_NAME_MAX_LENGTH}, "long_name"
        )
    return name


def _is_text(upload) -> bool:
    """Plain text: UTF-8 without NUL characters (the file is at most ``max_size()``, checked before)."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _is_docx(upload) -> bool:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
        return "[Content_Types].xml" in names and "word/document.xml" in names
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)


def content_type_of(upload) -> str | None:
    """The accepted type the content shows, or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return DOCX if _is_docx(upload) else None
    if _is_text(upload):
        return TEXT
    return None


def check_upload(upload) -> CheckedUpload:
    """The upload's name, type (from its content) and size, or a ``ValidationError`` on ``upload`` saying what
    is wrong (missing, empty, too big, a bad name, a type we do not accept, a name that does not fit the
    content)."""
    if upload is None or not hasattr(upload, "read"):
        raise _error(_("Choose a file to upload."), "missing")
    name = clean_file_name(getattr(upload, "name", ""))
    size = getattr(upload, "size", None) or 0
    if size <= 0:
        raise _error(_("The file is empty."), "empty")
    limit = max_size()
    if size > limit:
        raise _error(_("The file is too big: at most %(max)d MB.") % {"max": max(limit // (1024 * 1024), 1)}, "too_big")
    content_type = content_type_of(upload)
    if content_type is None:
        raise _error(_("We only accept these kinds of files: %(types)s.") % {"types": TYPE_NAMES}, "wrong_type")
    if not name.lower().endswith(EXTENSIONS[content_type]):
        raise _error(_("The file is not what its name says. Check that you chose the right file."), "name_does_not_fit")
    return CheckedUpload(name=name, content_type=content_type, size=size)


def store(upload) -> str:
    """Save the (checked) upload under a new random name; the name it got."""
    upload.seek(0)
    return storage().save(secrets.token_hex(16), upload)


def open_stored(stored_name: str):
    return storage().open(stored_name, "rb")


def delete(stored_name: str) -> None:
    if stored_name:
        storage().delete(stored_name)
