"""``note_add``: who may write, what is stored, what is audited, and bad input changing nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from samen.consent.models import DataCategory
from samen.core.actor import ANONYMOUS, Role
from samen.core.models import AuditAction, AuditEntry, AuditPurpose
from samen.dossier.services import note_add
from samen.organisations.actors import actor_for_user
from samen.timeline.models import NOTE_MAX_LENGTH, Entry, EntryKind

pytestmark = pytest.mark.django_db


def test_citizen_adds_a_note(setting):
    entry = note_add(
        actor=actor_for_user(setting.citizen),
        household=setting.household,
        category="general",
        text="  Het gaat goed.  ",
    )
    entry.refresh_from_db()
    assert entry.household == setting.household
    assert entry.kind == EntryKind.NOTE
    assert entry.category == "general"
    assert entry.text == "Het gaat goed."
    assert entry.written_by == setting.citizen
    assert entry.organisation is None
    assert entry.author_role == Role.CITIZEN
    assert "Het gaat goed" not in str(entry)

    (audit,) = AuditEntry.objects.all()
    assert audit.action == AuditAction.CREATE
    assert audit.household_id == setting.household.pk
    assert audit.data_category == "general"
    assert audit.purpose == AuditPurpose.CITIZEN
    assert audit.object_id == str(entry.pk)
    assert "Het gaat goed" not in audit.description and "Het gaat goed" not in str(audit.changes)


def test_professional_writes_for_their_organisation(setting):
    entry = note_add(
        actor=actor_for_user(setting.professional),
        household=setting.household,
        category=DataCategory.FINANCES,
        text="Betalingsregeling met de energieleverancier getroffen.",
    )
    assert entry.organisation == setting.schuldhulp
    assert entry.author_role == Role.PROFESSIONAL
    audit = AuditEntry.objects.get()
    assert audit.purpose == AuditPurpose.CARE_COORDINATION
    assert audit.organisation_id == setting.schuldhulp.pk
    assert audit.data_category == "finances"


def test_script_is_stored_as_plain_text(setting):
    text = "<script>alert('x')</script> en <b>vet</b>"
    entry = note_add(actor=actor_for_user(setting.citizen), household=setting.household, category="general", text=text)
    assert Entry.objects.get(pk=entry.pk).text == text


def test_line_endings_are_made_uniform(setting):
    entry = note_add(
        actor=actor_for_user(setting.citizen), household=setting.household, category="general", text="een\r\ntwee"
    )
    assert entry.text == "een\ntwee"


@pytest.mark.parametrize(
    ("category", "text", "field", "message"),
    [
        ("general", "", "text", "Write something in your note."),
        ("general", "   \n\t ", "text", "Write something in your note."),
        ("general", "x" * (NOTE_MAX_LENGTH + 1), "text", "too long"),
        ("general", "a\x00b", "text", "cannot store"),
        ("no-such-category", "Tekst", "category", "from the list"),
        ("", "Tekst", "category", "from the list"),
        (None, "Tekst", "category", "from the list"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_changes(setting, category, text, field, message):
    with pytest.raises(ValidationError) as error, translation.override("en"):
        note_add(actor=actor_for_user(setting.citizen), household=setting.household, category=category, text=text)
    assert message in " ".join(error.value.message_dict[field])
    assert not Entry.objects.exists()
    assert not AuditEntry.objects.exists()


def test_exactly_the_maximum_length_is_fine(setting):
    entry = note_add(
        actor=actor_for_user(setting.citizen),
        household=setting.household,
        category="general",
        text="x" * NOTE_MAX_LENGTH,
    )
    assert len(entry.text) == NOTE_MAX_LENGTH


@pytest.mark.parametrize(
    ("who", "category"),
    [
        ("informal", "general"),  # reads general, may not write
        ("informal_without_grant", "general"),
        ("emergency", "safety"),  # break the glass reads only
        ("professional", "health"),  # no consent for health
        ("coordinator", "finances"),
        ("supporter", "finances"),
        ("representative", "health"),  # outside the scope
        ("expired", "general"),
        ("revoked", "general"),
        ("stranger", "general"),  # another organisation
        ("other_citizen", "general"),  # a citizen of another household
    ],
)
def test_who_may_not_write(setting, who, category):
    with pytest.raises(PermissionDenied):
        note_add(
            actor=actor_for_user(getattr(setting, who)), household=setting.household, category=category, text="Tekst"
        )
    assert not Entry.objects.exists()
    assert not AuditEntry.objects.exists()


def test_anonymous_may_not_write(setting):
    with pytest.raises(PermissionDenied):
        note_add(actor=ANONYMOUS, household=setting.household, category="general", text="Tekst")
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("who", "category"),
    [("representative", "finances"), ("coordinator", "youth"), ("supporter", "health"), ("citizen", "justice")],
)
def test_who_may_write(setting, who, category):
    note_add(actor=actor_for_user(getattr(setting, who)), household=setting.household, category=category, text="Tekst")
    assert Entry.objects.filter(category=category).count() == 1
