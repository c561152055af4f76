"""Uploads: checked by content, size and name; stored under a random name outside the web root; bad files
store nothing."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from samen.consent.models import DataCategory
from samen.core.models import AuditAction, AuditEntry
from samen.dossier import documents
from samen.dossier.services import document_add
from samen.dossier.tests.factories import TINY_PDF
from samen.organisations.actors import actor_for_user
from samen.timeline.models import Entry, EntryKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.exe", "MZ")
    return buffer.getvalue()


class NamedUpload(io.BytesIO):
    """An upload whose name is kept as given (Django's own classes already strip path parts)."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name
        self.size = len(data)


def _stored_files(directory: Path) -> list[Path]:
    return [path for path in directory.rglob("*") if path.is_file()] if directory.exists() else []


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (TINY_PDF, "brief.pdf", documents.PDF),
        (PNG, "foto.png", documents.PNG),
        (JPEG, "foto.JPG", documents.JPEG),
        (JPEG, "foto.jpeg", documents.JPEG),
        ("Afspraken van dinsdag: € 50 per maand.".encode(), "afspraken.txt", documents.TEXT),
        (_docx(), "plan.docx", documents.DOCX),
    ],
)
def test_accepted_types_are_found_by_their_content(setting, documents_dir, data, name, content_type):
    entry = document_add(
        actor=actor_for_user(setting.professional),
        household=setting.household,
        category=DataCategory.FINANCES,
        upload=SimpleUploadedFile(name, data, content_type="application/octet-stream"),
    )
    entry.refresh_from_db()
    assert entry.kind == EntryKind.DOCUMENT
    assert entry.content_type == content_type
    assert entry.file_name == name
    assert entry.file_size == len(data)
    assert entry.text == name  # no description: the name
    (stored,) = _stored_files(documents_dir)
    assert stored.name == entry.stored_name and "." not in stored.name and len(stored.name) == 32
    assert stored.read_bytes() == data
    (audit,) = AuditEntry.objects.filter(action=AuditAction.CREATE)
    assert audit.data_category == "finances" and name not in audit.description


def test_documents_are_stored_outside_the_web_root(settings):
    del settings.SAMEN_DOCUMENTS_DIR
    assert documents.documents_dir() == Path(settings.VAR_DIR) / "documents"
    assert documents.documents_dir() != Path(settings.STATIC_ROOT)
    assert not str(documents.documents_dir()).startswith(str(settings.STATIC_ROOT))


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("leeg.pdf", b""), "The file is empty."),
        (SimpleUploadedFile("virus.pdf", b"MZ\x90\x00\x03" + b"\x00" * 20), "We only accept these kinds of files"),
        (SimpleUploadedFile("pagina.pdf", b"<html><script>alert(1)</script></html>\x00"), "We only accept"),
        (SimpleUploadedFile("archief.docx", _zip()), "We only accept these kinds of files"),
        (SimpleUploadedFile("foto.pdf", PNG), "The file is not what its name says"),
        (SimpleUploadedFile("brief.exe", TINY_PDF), "The file is not what its name says"),
        (SimpleUploadedFile("<script>alert(1)</script>.pdf", TINY_PDF), "The file name may only contain"),
        (NamedUpload(TINY_PDF, "../../etc/brief.pdf"), "The file name may only contain"),
        (NamedUpload(TINY_PDF, "..\\brief.pdf"), "The file name may only contain"),
        (NamedUpload(TINY_PDF, ""), "The file has no name"),
        (NamedUpload(TINY_PDF, "a" * 200 + ".pdf"), "The file name is too long"),
        (None, "Choose a file to upload."),
    ],
)
def test_bad_files_store_nothing(setting, documents_dir, upload, message):
    with pytest.raises(ValidationError) as caught:
        document_add(
            actor=actor_for_user(setting.professional),
            household=setting.household,
            category=DataCategory.GENERAL,
            upload=upload,
        )
    assert message in caught.value.message_dict["upload"][0]
    assert not Entry.objects.exists()
    assert not AuditEntry.objects.exists()
    assert _stored_files(documents_dir) == []


def test_too_big_stores_nothing(setting, settings, documents_dir):
    settings.SAMEN_DOCUMENT_MAX_SIZE = 1024 * 1024
    upload = SimpleUploadedFile("groot.pdf", TINY_PDF + b" " * (1024 * 1024))
    with pytest.raises(ValidationError) as caught:
        document_add(
            actor=actor_for_user(setting.professional),
            household=setting.household,
            category=DataCategory.GENERAL,
            upload=upload,
        )
    assert "The file is too big: at most 1 MB." in caught.value.message_dict["upload"]
    assert _stored_files(documents_dir) == []


def test_the_default_limit_is_ten_megabytes():
    assert documents.DEFAULT_MAX_SIZE == 10 * 1024 * 1024


@pytest.mark.parametrize("who", ["informal", "emergency", "stranger", "other_citizen"])
def test_who_may_not_upload_stores_nothing(setting, documents_dir, who):
    with pytest.raises(PermissionDenied):
        document_add(
            actor=actor_for_user(getattr(setting, who)),
            household=setting.household,
            category=DataCategory.GENERAL,
            upload=SimpleUploadedFile("brief.pdf", TINY_PDF),
        )
    assert not Entry.objects.exists()
    assert _stored_files(documents_dir) == []


def test_professional_may_not_upload_outside_consent(setting, documents_dir):
    with pytest.raises(PermissionDenied):
        document_add(
            actor=actor_for_user(setting.professional),
            household=setting.household,
            category=DataCategory.HEALTH,
            upload=SimpleUploadedFile("brief.pdf", TINY_PDF),
        )
    assert _stored_files(documents_dir) == []


def test_a_failing_database_write_removes_the_file(setting, documents_dir, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr("samen.dossier.services.audit.record", boom)
    with pytest.raises(RuntimeError):
        document_add(
            actor=actor_for_user(setting.professional),
            household=setting.household,
            category=DataCategory.GENERAL,
            upload=SimpleUploadedFile("brief.pdf", TINY_PDF),
        )
    assert _stored_files(documents_dir) == []
