"""Writing the dossier: notes, conversation summaries, documents, events from other parts of Samen, and hiding an
entry from the household. Each writer checks the policy (except ``event_record``, whose caller already did) and
writes the audit entry in the same transaction."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.assessments.domains import DOMAIN_CATEGORY, ZrmDomain
from samen.consent.models import DataCategory
from samen.consent.policies import writable_categories
from samen.core import audit
from samen.core.actor import Actor, Role
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import require
from samen.core.text import clean_text
from samen.core.transactions import atomic_service
from samen.dossier import documents
from samen.dossier.models import INTAKE_TEXT_MAX_LENGTH, Intake, IntakeSituation
from samen.households.models import Household
from samen.timeline.models import (
    HIDDEN_EXPLANATION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    PARTICIPANTS_MAX_LENGTH,
    Entry,
    EntryKind,
    HiddenReason,
)


def clean_category(value) -> DataCategory:
    try:
        return DataCategory(value)
    except ValueError:
        raise ValidationError(
            {"category": _("Choose what your note is about from the list.")}, code="unknown_category"
        ) from None


def clean_note_text(value) -> str:
    """The note's text as it is stored, or a clear error in the words of a note."""
    return clean_text(
        value,
        field="text",
        max_length=NOTE_MAX_LENGTH,
        messages={
            "required": _("Write something in your note."),
            "null_characters_not_allowed": _("Your note contains a character we cannot store."),
            "max_length": _("Your note is too long: at most %(max)d characters, it has %(length)d."),
        },
    )


def _write_entry(
    actor: Actor, household: Household, kind: EntryKind, category: DataCategory, description: str, **fields
) -> Entry:
    """Create an entry written by ``actor`` (their organisation and role with it) and its audit entry. The caller
    cleaned the input and asked the policy."""
    entry = Entry.objects.create(
        household=household,
        kind=kind,
        category=category.value,
        written_by=actor.user,
        organisation=actor.organisation,
        author_role=str(actor.role),
        **fields,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=entry,
        household_id=household.pk,
        data_category=category.value,
        purpose=_purpose(actor) if actor.user_id is not None else AuditPurpose.OPERATIONS,
        description=description,
    )
    return entry


@atomic_service
def note_add(*, actor: Actor, household: Household, category: DataCategory | str, text: str) -> Entry:
    """Write a note in ``category`` of ``household``. ``ValidationError`` for bad input, ``PermissionDenied``
    when the actor may not write in that category (see ``dossier.add_note``). Scripts and HTML are stored as
    plain text; templates escape them."""
    category = clean_category(category)
    text = clean_note_text(text)
    require(actor, "dossier.add_note", (household, category.value))
    return _write_entry(actor, household, EntryKind.NOTE, category, "note added", text=text)


def _purpose(actor: Actor) -> AuditPurpose:
    return AuditPurpose.CITIZEN if actor.role == Role.CITIZEN else AuditPurpose.CARE_COORDINATION


def clean_participants(value) -> str:
    """Who took part in a conversation, in words (required, one line)."""
    return clean_text(
        value,
        field="participants",
        max_length=PARTICIPANTS_MAX_LENGTH,
        one_line=True,
        messages={"required": _("Write who took part in the conversation.")},
    )


@atomic_service
def conversation_add(
    *, actor: Actor, household: Household, category: DataCategory | str, participants: str, text: str
) -> Entry:
    """Write the summary of a conversation: who took part (in words) and what was said. Who may write one is
    who may write a note (``dossier.add_note``)."""
    category = clean_category(category)
    errors = {}
    try:
        participants = clean_participants(participants)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        text = clean_note_text(text)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    require(actor, "dossier.add_note", (household, category.value))
    return _write_entry(
        actor,
        household,
        EntryKind.CONVERSATION,
        category,
        "conversation summary added",
        text=text,
        participants=participants,
    )


@atomic_service
def document_add(
    *, actor: Actor, household: Household, category: DataCategory | str, upload, description: str = ""
) -> Entry:
    """Store an uploaded document outside the web root under a random name, and its entry. The file is checked
    by its content (``documents.check_upload``); a bad file raises ``ValidationError`` and nothing is stored."""
    category = clean_category(category)
    checked = documents.check_upload(upload)
    description = (description if isinstance(description, str) else "").strip()
    if description:
        description = clean_note_text(description)
    require(actor, "dossier.add_note", (household, category.value))
    stored_name = documents.store(upload)
    try:
        return _write_entry(
            actor,
            household,
            EntryKind.DOCUMENT,
            category,
            "document added",
            text=description or checked.name,
            file_name=checked.name,
            stored_name=stored_name,
            content_type=checked.content_type,
            file_size=checked.size,
        )
    except BaseException:
        documents.delete(stored_name)
        raise


def clean_hidden_explanation(value) -> str:
    return clean_text(
        value,
        field="explanation",
        max_length=HIDDEN_EXPLANATION_MAX_LENGTH,
        messages={"required": _("Explain why the household may not see this.")},
    )


@atomic_service
def entry_hide(*, actor: Actor, entry: Entry, reason: HiddenReason | str, explanation: str) -> Entry:
    """Hide ``entry`` from the household: only a professional who may write in its category, only with a reason
    from the list and an explanation. Who, when and why are stored on the entry and in the audit log (the
    reason, never the explanation: it may hold personal details)."""
    errors = {}
    try:
        reason = HiddenReason(reason)
    except ValueError:
        errors["reason"] = [_("Choose a reason from the list.")]
    try:
        explanation = clean_hidden_explanation(explanation)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    require(actor, "dossier.hide_entry", entry)
    entry = Entry.objects.select_for_update(no_key=True).get(pk=entry.pk)
    if entry.hidden_from_household:
        raise ValidationError(_("This entry is already hidden from the household."), code="already_hidden")
    entry.hidden_from_household = True
    entry.hidden_reason = reason.value
    entry.hidden_explanation = explanation
    entry.hidden_by = actor.user
    entry.hidden_at = timezone.now()
    entry.save(update_fields=["hidden_from_household", "hidden_reason", "hidden_explanation", "hidden_by", "hidden_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=entry,
        household_id=entry.household_id,
        data_category=entry.category,
        purpose=AuditPurpose.CARE_COORDINATION,
        description="entry hidden from the household",
        changes={"hidden_from_household": [False, True], "hidden_reason": reason.value},
    )
    return entry


# --- the intake ("tell your story once") ------------------------------------------------------------------------


class IntakeConflict(Exception):
    """Someone else saved the intake after the form was opened. ``current`` is the intake as it is now."""

    def __init__(self, current: Intake) -> None:
        super().__init__("the intake was saved by someone else")
        self.current = current


def _clean_intake_text(field: str, value, *, required: bool) -> str:
    return clean_text(
        value,
        field=field,
        max_length=INTAKE_TEXT_MAX_LENGTH,
        required=required,
        messages={"required": _("Write the question in your own words.")},
    )


@atomic_service
def intake_save(
    *,
    actor: Actor,
    household: Household,
    version: int | None,
    question: str,
    involved: str = "",
    wants: str = "",
    situations: dict[str, str] | None = None,
) -> Intake:
    """Save the household's intake. ``version`` is the version the form was opened with (None: there was no
    intake yet); when someone saved in between, ``IntakeConflict`` with the current intake and nothing changes.
    ``situations`` maps ZRM domain codes to text; only domains the actor may write in change (an empty text
    removes that domain's situation), the others are kept as they are."""
    errors: dict[str, list[str]] = {}
    cleaned = {}
    for field, value, required in (
        ("question", question, True),
        ("involved", involved, False),
        ("wants", wants, False),
    ):
        try:
            cleaned[field] = _clean_intake_text(field, value, required=required)
        except ValidationError as error:
            errors.update(error.message_dict)
    domain_texts: dict[ZrmDomain, str] = {}
    for code, value in (situations or {}).items():
        try:
            domain = ZrmDomain(code)
        except ValueError:
            errors.setdefault("__all__", []).append(_("Choose a life domain from the list."))
            continue
        try:
            domain_texts[domain] = _clean_intake_text(f"domain_{domain.value}", value, required=False)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    require(actor, "dossier.edit_intake", household)
    writable = writable_categories(actor, household)
    if any(DOMAIN_CATEGORY[domain] not in writable for domain in domain_texts):
        raise PermissionDenied

    intake = Intake.objects.select_for_update(no_key=True).filter(household=household).first()
    if intake is None and version is not None or intake is not None and intake.version != version:
        if intake is None:
            raise ValidationError(_("The intake no longer exists. Start again."), code="gone")
        raise IntakeConflict(intake)
    now = timezone.now()
    if intake is None:
        intake = Intake(household=household, version=1)
        action = AuditAction.CREATE
    else:
        intake.version += 1
        action = AuditAction.UPDATE
    intake.question, intake.involved, intake.wants = cleaned["question"], cleaned["involved"], cleaned["wants"]
    intake.filled_by = actor.user
    intake.filled_by_role = str(actor.role)
    intake.updated_at = now
    intake.save()
    existing = {situation.domain: situation for situation in intake.situations.all()}
    for domain, text in domain_texts.items():
        situation = existing.get(domain.value)
        if not text:
            if situation is not None:
                situation.delete()
        elif situation is None:
            IntakeSituation.objects.create(intake=intake, domain=domain.value, text=text)
        elif situation.text != text:
            situation.text = text
            situation.save(update_fields=["text"])
    categories = [DataCategory.GENERAL, *(DOMAIN_CATEGORY[domain] for domain in domain_texts)]
    audit.record(
        actor=actor,
        action=action,
        obj=intake,
        household_id=household.pk,
        data_category=audit.categories_value(category.value for category in DataCategory if category in categories),
        purpose=_purpose(actor),
        description="intake saved",
        changes={"version": intake.version, "domains": sorted(domain.value for domain in domain_texts)},
    )
    return intake
