"""Writing an event in a household's timeline, for any part of Samen ("Version 3 of the plan was saved.").

This is the one writer of events. It imports nothing above ``samen.core``, so consent, households, plans,
conversations and referrals can all call it without importing the dossier. Notes, conversation summaries and
documents are written by ``samen.dossier.services``; the dossier's pages read both.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from samen.core import audit
from samen.core.actor import Actor, Role
from samen.core.models import AuditAction, AuditPurpose
from samen.core.transactions import atomic_service
from samen.core.vocabulary import DataCategory
from samen.timeline import events
from samen.timeline.models import Entry, EntryKind, EventCode


def _purpose(actor: Actor) -> AuditPurpose:
    if actor.user_id is None:
        return AuditPurpose.OPERATIONS
    return AuditPurpose.CITIZEN if actor.role == Role.CITIZEN else AuditPurpose.CARE_COORDINATION


@atomic_service
def event_record(
    *,
    actor: Actor,
    household,
    category: DataCategory | str,
    code: EventCode | str,
    params: dict | None = None,
) -> Entry:
    """Write an event in the timeline of ``household`` (a ``Household`` or its id). The caller already decided that
    ``actor`` may do what the event tells about; this only writes it (no policy check here), in the caller's
    transaction. ``code`` says what happened; ``params`` are the facts its sentence needs and nothing more
    (``samen.timeline.events.PARAMS``). ``category`` is the data category the event belongs to: an event about a
    goal on health is shown only to whoever may see health. ``actor`` may be the system."""
    try:
        category = DataCategory(category)
    except ValueError:
        raise ValidationError({"category": "Unknown data category."}, code="unknown_category") from None
    try:
        code = EventCode(code)
    except ValueError:
        raise ValidationError({"code": "Unknown event."}, code="unknown_event") from None
    params = dict(params or {})
    if set(params) != events.PARAMS[code]:
        raise ValidationError({"code": f"The event {code.value} needs exactly: {sorted(events.PARAMS[code])}."})
    params = {name: value if isinstance(value, int) else str(value) for name, value in params.items()}
    with translation.override(settings.LANGUAGE_CODE):
        text = events.sentence(code, params)
    household_id = getattr(household, "pk", household)
    entry = Entry.objects.create(
        household_id=household_id,
        kind=EntryKind.EVENT,
        category=category.value,
        written_by=actor.user,
        organisation=actor.organisation,
        author_role=str(actor.role),
        text=text,
        source=events.SOURCES[code],
        event_code=code.value,
        event_params=params,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=entry,
        household_id=household_id,
        data_category=category.value,
        purpose=_purpose(actor),
        description=f"event added ({code.value})",
    )
    return entry
