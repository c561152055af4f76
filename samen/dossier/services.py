"""Writing the dossier. ``note_add`` is the only writer of notes: it checks the policy and writes the audit
entry in the same transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samen.consent.models import DataCategory
from samen.core import audit
from samen.core.actor import Actor, Role
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import require
from samen.dossier.models import NOTE_MAX_LENGTH, Entry, EntryKind
from samen.households.models import Household


def clean_category(value) -> DataCategory:
    try:
        return DataCategory(value)
    except ValueError:
        raise ValidationError(
            {"category": _("Choose what your note is about from the list.")}, code="unknown_category"
        ) from None


def clean_note_text(value) -> str:
    """The text as it is stored: line endings made uniform, spaces around it removed; or a clear error."""
    text = (value if isinstance(value, str) else "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ValidationError({"text": _("Write something in your note.")}, code="empty")
    if "\x00" in text:
        raise ValidationError({"text": _("Your note contains a character we cannot store.")}, code="null_character")
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("Your note is too long: at most %(max)d characters, it has %(length)d.")
                % {"max": NOTE_MAX_LENGTH, "length": len(text)}
            },
            code="too_long",
        )
    return text


@transaction.atomic
def note_add(*, actor: Actor, household: Household, category: DataCategory | str, text: str) -> Entry:
    """Write a note in ``category`` of ``household``. ``ValidationError`` for bad input, ``PermissionDenied``
    when the actor may not write in that category (see ``dossier.add_note``). Scripts and HTML are stored as
    plain text; templates escape them."""
    category = clean_category(category)
    text = clean_note_text(text)
    require(actor, "dossier.add_note", (household, category.value))
    entry = Entry.objects.create(
        household=household,
        kind=EntryKind.NOTE,
        category=category.value,
        text=text,
        written_by=actor.user,
        organisation=actor.organisation,
        author_role=str(actor.role),
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=entry,
        household_id=household.pk,
        data_category=category.value,
        purpose=AuditPurpose.CITIZEN if actor.role == Role.CITIZEN else AuditPurpose.CARE_COORDINATION,
        description="note added",
    )
    return entry
