"""Writing the conversation: messages, threads between professionals, signals and their escalation, read markers,
a summary for the dossier. Each writer checks the policy on the ``HouseholdAccess`` the view asked, writes the
audit entry in the same transaction, and tells the people concerned through the notification centre
(``samen.reminders.services.notify``), which never e-mails content.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.consent.policies import HouseholdAccess
from samen.conversations import audience
from samen.conversations.models import (
    MESSAGE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    RESOLUTION_MAX_LENGTH,
    SIGNAL_TEXT_MAX_LENGTH,
    TOPIC_MAX_LENGTH,
    Mention,
    Message,
    ReadMarker,
    Signal,
    SignalKind,
    SignalOrganisation,
    Thread,
    ThreadKind,
    ThreadOrganisation,
)
from samen.conversations.workdays import add_working_days
from samen.core import audit
from samen.core.actor import SYSTEM, Actor, Role
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import require
from samen.core.text import clean_text
from samen.core.transactions import atomic_service
from samen.core.vocabulary import DataCategory
from samen.households.models import Household, TeamMember
from samen.organisations.models import SIGNAL_RESPONSE_DAYS_DEFAULT, CaseEventKind, Network
from samen.organisations.services import case_event_record
from samen.reminders.models import NotificationKind
from samen.reminders.services import notify
from samen.timeline.models import EventCode
from samen.timeline.services import event_record


def _purpose(actor: Actor) -> AuditPurpose:
    if actor.user_id is None:
        return AuditPurpose.OPERATIONS
    return AuditPurpose.CITIZEN if actor.role == Role.CITIZEN else AuditPurpose.CARE_COORDINATION


def clean_category(value) -> DataCategory:
    try:
        return DataCategory(value)
    except ValueError:
        raise ValidationError(
            {"category": _("Choose what your message is about from the list.")}, code="unknown_category"
        ) from None


def clean_message_text(value) -> str:
    return clean_text(
        value,
        field="text",
        max_length=MESSAGE_MAX_LENGTH,
        messages={
            "required": _("Write something in your message."),
            "max_length": _("Your message is too long: at most %(max)d characters, it has %(length)d."),
        },
    )


def thread_url(thread: Thread) -> str:
    if thread.kind == ThreadKind.HOUSEHOLD:
        return reverse("conversations:household", args=[thread.household_id])
    return reverse("conversations:thread", args=[thread.household_id, thread.pk])


def _household_thread(household: Household) -> Thread:
    """The household's one group conversation (made the first time someone writes in it)."""
    thread = Thread.objects.filter(household=household, kind=ThreadKind.HOUSEHOLD).first()
    if thread is None:
        thread, _created = Thread.objects.get_or_create(household=household, kind=ThreadKind.HOUSEHOLD)
    return thread


def _lock_household(household: Household) -> None:
    # The lock order (samen/core/transactions.py): the household row first.
    Household.objects.select_for_update(no_key=True).filter(pk=household.pk).values_list("pk").first()


def _thread_organisations(thread: Thread) -> frozenset[int] | None:
    if thread.kind != ThreadKind.PROFESSIONALS:
        return None
    return frozenset(ThreadOrganisation.objects.filter(thread=thread).values_list("organisation_id", flat=True))


MENTION = re.compile(r"@([^\W\d_][\w'-]*(?:[ \t][^\W\d_][\w'-]*)?)")


def mentioned(text: str, people: list[audience.Person]) -> set[int]:
    """The user ids "@name" in ``text`` points to among ``people``: "@Fatima" matches everyone whose first name is
    Fatima, "@Fatima Yilmaz" whose name starts with it (case does not matter)."""
    found: set[int] = set()
    for match in MENTION.finditer(text):
        words = match.group(1).casefold().split()
        for person in people:
            name = person.name.casefold().split()
            if name[: len(words)] == words or (len(words) == 2 and name[:1] == words[:1]):
                found.add(person.user_id)
    return found


def _tell_about_message(actor: Actor, thread: Thread, message: Message, now: datetime.datetime) -> int:
    """Notify the readers of ``message`` (a mention is told as a mention, the rest as a new message)."""
    people = audience.people_around(thread.household_id, now=now)
    readers = audience.readers(people, message.category, organisation_ids=_thread_organisations(thread))
    reader_ids = {person.user_id for person in readers} - {actor.user_id}
    named = mentioned(message.text, readers) & reader_ids
    if named:
        Mention.objects.bulk_create([Mention(message=message, user_id=user_id) for user_id in sorted(named)])
    url = f"{thread_url(thread)}#bericht-{message.pk}"
    name = actor.user.full_name if actor.user is not None else "Samen"
    common = {"actor": actor, "household_id": thread.household_id, "category": message.category, "url": url}
    if named:
        notify(recipients=sorted(named), kind=NotificationKind.MENTION, params={"name": name}, **common)
    others = sorted(reader_ids - named)
    if others:
        notify(
            recipients=others,
            kind=NotificationKind.MESSAGE,
            params={"name": name},
            group_key=f"thread:{thread.pk}",
            **common,
        )
    return len(named) + len(others)


def _write_message(
    actor: Actor, access: HouseholdAccess, thread: Thread, category: DataCategory, text: str, attachment=None
) -> Message:
    now = timezone.now()
    message = Message.objects.create(
        thread=thread,
        household=access.household,
        author=actor.user,
        organisation=actor.organisation,
        author_role=str(actor.role),
        category=category.value,
        text=text,
        created_at=now,
        attachment=attachment,
    )
    Thread.objects.filter(pk=thread.pk, last_message_id__lt=message.pk).update(
        last_message_id=message.pk, last_message_at=now
    )
    _answer_signal(actor, thread, now)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=message,
        household_id=access.household.pk,
        data_category=category.value,
        purpose=_purpose(actor),
        description=f"message written ({thread.kind})",
    )
    _tell_about_message(actor, thread, message, now)
    return message


@atomic_service
def message_post(
    *,
    actor: Actor,
    access: HouseholdAccess,
    thread: Thread | None = None,
    category: DataCategory | str = DataCategory.GENERAL,
    text: str,
    upload=None,
) -> Message:
    """Write a message in ``thread`` (the household conversation when None). ``ValidationError`` for bad input
    (nothing stored); ``PermissionDenied`` when the actor may not write in that category or read that thread. An
    attachment is stored as a dossier document in the same category (``samen.dossier.services.document_add``)."""
    category = clean_category(category)
    text = clean_message_text(text)
    household = access.household
    require(actor, "conversations.post", (access, category.value))
    _lock_household(household)
    if thread is None:
        thread = _household_thread(household)
    organisations = _thread_organisations(thread) or frozenset()
    require(actor, "conversations.view_thread", (access, thread, organisations))
    attachment = None
    if upload is not None:
        from samen.dossier.services import document_add  # the dossier sits above: only for an attachment

        attachment = document_add(actor=actor, household=household, category=category, upload=upload)
    return _write_message(actor, access, thread, category, text, attachment)


@atomic_service
def thread_start(
    *,
    actor: Actor,
    access: HouseholdAccess,
    topic: str,
    reason: str,
    organisation_ids: list[int],
    category: DataCategory | str,
    text: str,
) -> Thread:
    """Start a conversation between professionals: a topic, the reason it is held without the household (the
    household reads both, and the organisations), the organisations in it (the actor's own always), and the first
    message. Only organisations in the household's team can be named."""
    errors: dict[str, list] = {}
    values = {}
    for field, value, max_length, required in (
        ("topic", topic, TOPIC_MAX_LENGTH, _("Write what the conversation is about.")),
        ("reason", reason, REASON_MAX_LENGTH, _("Write why the household is not in this conversation.")),
    ):
        try:
            values[field] = clean_text(
                value, field=field, max_length=max_length, one_line=field == "topic", messages={"required": required}
            )
        except ValidationError as error:
            errors.update(error.message_dict)
    try:
        category = clean_category(category)
        text = clean_message_text(text)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    household = access.household
    require(actor, "conversations.start_thread", access)
    require(actor, "conversations.post", (access, category.value))
    _lock_household(household)
    team_organisations = set(
        TeamMember.objects.filter(household=household, left_at__isnull=True, organisation__isnull=False).values_list(
            "organisation_id", flat=True
        )
    )
    chosen = {_as_int(pk) for pk in organisation_ids or []}
    if None in chosen or not chosen <= team_organisations:
        raise ValidationError({"organisations": _("Choose organisations from the household's team.")})
    chosen.add(actor.organisation_id)
    thread = Thread.objects.create(
        household=household,
        kind=ThreadKind.PROFESSIONALS,
        topic=values["topic"],
        reason=values["reason"],
        created_by=actor.user,
    )
    ThreadOrganisation.objects.bulk_create(
        [ThreadOrganisation(thread=thread, organisation_id=pk) for pk in sorted(chosen)]
    )
    event_record(
        actor=actor,
        household=household,
        category=DataCategory.GENERAL,
        code=EventCode.THREAD_OPENED,
        params={"topic": values["topic"]},
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=thread,
        household_id=household.pk,
        data_category=category.value,
        purpose=_purpose(actor),
        description="conversation between professionals started",
    )
    _write_message(actor, access, thread, category, text)
    return thread


def _as_int(value) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


@atomic_service
def thread_mark_read(*, actor: Actor, thread: Thread, up_to: int) -> None:
    """Remember that ``actor`` was shown ``thread`` up to message ``up_to`` (never backwards). A person's own
    reading place, not case data: not in the audit log (the page view that showed the messages is)."""
    if actor.user_id is None or up_to <= 0:
        return
    updated = ReadMarker.objects.filter(thread=thread, user_id=actor.user_id, last_read_id__lt=up_to).update(
        last_read_id=up_to, updated_at=timezone.now()
    )
    if not updated:
        ReadMarker.objects.get_or_create(thread=thread, user_id=actor.user_id, defaults={"last_read_id": up_to})


# --- signals ---------------------------------------------------------------------------------------------------


def household_network(household: Household) -> Network | None:
    """The network of the household's coordinator's organisation (the first by name), whose response norm and
    facilitators apply to its signals; None when there is none."""
    coordinator = (
        TeamMember.objects.filter(household=household, is_coordinator=True, left_at__isnull=True)
        .values_list("organisation_id", flat=True)
        .first()
    )
    if coordinator is None:
        return None
    return Network.objects.filter(organisations=coordinator).order_by("name").first()


@atomic_service
def signal_raise(
    *,
    actor: Actor,
    access: HouseholdAccess,
    kind: SignalKind | str,
    text: str,
    category: DataCategory | str = DataCategory.GENERAL,
    organisation_ids: list[int] | None = None,
) -> Signal:
    """ "Het loopt niet goed": a signal with a kind, a text and the organisations it concerns. It opens a thread
    (the text is its first message) owned by the coordinator, who must respond within the network's norm in
    working days. Told to the coordinator and the team; a timeline event for the household; a case event for the
    network when it concerns two or more organisations."""
    errors: dict[str, list] = {}
    try:
        kind = SignalKind(kind)
    except ValueError:
        errors["kind"] = [_("Choose what is wrong.")]
    try:
        text = clean_text(
            text,
            field="text",
            max_length=SIGNAL_TEXT_MAX_LENGTH,
            messages={
                "required": _("Write what is not going well."),
                "max_length": _("This is too long: at most %(max)d characters, it has %(length)d."),
            },
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        category = clean_category(category)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    household = access.household
    require(actor, "conversations.raise_signal", access)
    require(actor, "conversations.post", (access, category.value))
    _lock_household(household)
    team = list(
        TeamMember.objects.filter(household=household, left_at__isnull=True).values_list(
            "organisation_id", "is_coordinator", "user_id"
        )
    )
    team_organisations = {organisation for organisation, _c, _u in team if organisation is not None}
    chosen = {_as_int(pk) for pk in organisation_ids or []}
    if None in chosen or not chosen <= team_organisations:
        raise ValidationError({"organisations": _("Choose organisations from the household's team.")})
    coordinator = next(((organisation, user) for organisation, is_c, user in team if is_c), (None, None))
    network = household_network(household)
    days = network.signal_response_days if network is not None else SIGNAL_RESPONSE_DAYS_DEFAULT
    now = timezone.now()
    due = add_working_days(now, days)
    thread = Thread.objects.create(
        household=household, kind=ThreadKind.SIGNAL, topic=str(kind.label), created_by=actor.user
    )
    signal = Signal.objects.create(
        household=household,
        thread=thread,
        kind=kind,
        category=category.value,
        text=text,
        raised_by=actor.user,
        raised_by_role=str(actor.role),
        raised_by_organisation=actor.organisation,
        owner_id=coordinator[1],
        owner_organisation_id=coordinator[0],
        network=network,
        response_days=days,
        raised_at=now,
        due_at=due,
        second_due_at=add_working_days(due, days),
    )
    SignalOrganisation.objects.bulk_create(
        [SignalOrganisation(signal=signal, organisation_id=pk) for pk in sorted(chosen)]
    )
    name = actor.user.full_name
    event_record(
        actor=actor, household=household, category=category, code=EventCode.SIGNAL_RAISED, params={"name": name}
    )
    if len(chosen) >= 2:
        case_event_record(
            actor=actor,
            kind=CaseEventKind.SIGNAL_SHARED,
            organisation_ids=chosen,
            occurred_on=timezone.localdate(now),
            signal_kind=kind.value,
        )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=signal,
        household_id=household.pk,
        data_category=category.value,
        purpose=_purpose(actor),
        description=f"signal raised ({kind.value})",
    )
    message = Message.objects.create(
        thread=thread,
        household=household,
        author=actor.user,
        organisation=actor.organisation,
        author_role=str(actor.role),
        category=category.value,
        text=text,
        created_at=now,
    )
    Thread.objects.filter(pk=thread.pk).update(last_message_id=message.pk, last_message_at=now)
    readers = audience.readers(audience.people_around(household.pk, now=now), category)
    recipients = sorted({person.user_id for person in readers} - {actor.user_id})
    if recipients:
        notify(
            actor=actor,
            recipients=recipients,
            household_id=household.pk,
            kind=NotificationKind.SIGNAL,
            category=category.value,
            url=thread_url(thread),
            params={"name": name},
        )
    return signal


def _answer_signal(actor: Actor, thread: Thread, now: datetime.datetime) -> None:
    """A professional of the team writing in a signal's thread answers it (the first time only)."""
    if thread.kind != ThreadKind.SIGNAL or actor.role not in (Role.PROFESSIONAL, Role.COORDINATOR):
        return
    signal = Signal.objects.filter(thread=thread).only("pk", "household_id", "category", "answered_at").first()
    if signal is None or signal.answered_at is not None:
        return
    answered = Signal.objects.filter(pk=signal.pk, answered_at__isnull=True).update(
        answered_at=now, answered_by=actor.user
    )
    if answered:
        event_record(
            actor=actor,
            household=signal.household_id,
            category=signal.category,
            code=EventCode.SIGNAL_ANSWERED,
            params={"name": actor.user.full_name},
        )


@atomic_service
def signal_resolve(
    *, actor: Actor, access: HouseholdAccess, signal: Signal, is_coordinator: bool, resolution: str
) -> Signal:
    """Close a signal with what was agreed (the coordinator, or whoever raised it)."""
    resolution = clean_text(
        resolution,
        field="resolution",
        max_length=RESOLUTION_MAX_LENGTH,
        messages={"required": _("Write what was agreed, so everyone knows why it is solved.")},
    )
    require(actor, "conversations.resolve_signal", (access, signal, is_coordinator))
    _lock_household(access.household)
    now = timezone.now()
    updated = Signal.objects.filter(pk=signal.pk, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=actor.user, resolution=resolution
    )
    if not updated:
        raise ValidationError({"resolution": _("This signal was already solved.")})
    signal.refresh_from_db()
    event_record(
        actor=actor,
        household=access.household,
        category=signal.category,
        code=EventCode.SIGNAL_RESOLVED,
        params={"name": actor.user.full_name},
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=signal,
        household_id=access.household.pk,
        data_category=signal.category,
        purpose=_purpose(actor),
        description="signal resolved",
    )
    return signal


@dataclass
class EscalationRun:
    escalated: int = 0
    breakthrough: int = 0


def _facilitators(signal: Signal) -> list[int]:
    if signal.network_id is None:
        return []
    return sorted(signal.network.facilitators.filter(is_active=True).values_list("pk", flat=True))


def _concerned(signal: Signal) -> set[int]:
    concerned = set(signal.signal_organisations.values_list("organisation_id", flat=True))
    for organisation in (signal.owner_organisation_id, signal.raised_by_organisation_id):
        if organisation is not None:
            concerned.add(organisation)
    return concerned


def _hours(start: datetime.datetime, end: datetime.datetime) -> int:
    return max(int((end - start).total_seconds() // 3600), 0)


@atomic_service
def signals_escalate(*, now: datetime.datetime | None = None, actor: Actor = SYSTEM) -> EscalationRun:
    """The escalation job (idempotent; the background worker runs it, see ``tasks.escalate_signals``): a signal
    nobody answered by its deadline goes to the network's facilitator; one still unresolved at its second deadline
    is marked for the breakthrough route. Each step once (a conditional UPDATE claims it), audited, told to the
    household in its timeline, to the facilitators and the coordinator, and recorded as a case event."""
    now = now or timezone.now()
    run = EscalationRun()
    late = Signal.objects.filter(resolved_at__isnull=True, answered_at__isnull=True, escalated_at__isnull=True)
    for signal in late.filter(due_at__lte=now).select_related("network").order_by("pk"):
        if not Signal.objects.filter(pk=signal.pk, escalated_at__isnull=True).update(escalated_at=now):
            continue
        run.escalated += 1
        _step(
            actor,
            signal,
            now,
            EventCode.SIGNAL_ESCALATED,
            CaseEventKind.SIGNAL_ESCALATED,
            NotificationKind.SIGNAL_ESCALATED,
            {"days": signal.response_days},
        )
    stuck = Signal.objects.filter(resolved_at__isnull=True, breakthrough_at__isnull=True, second_due_at__lte=now)
    for signal in stuck.select_related("network").order_by("pk"):
        if not Signal.objects.filter(pk=signal.pk, breakthrough_at__isnull=True).update(breakthrough_at=now):
            continue
        run.breakthrough += 1
        _step(
            actor,
            signal,
            now,
            EventCode.SIGNAL_BREAKTHROUGH,
            CaseEventKind.SIGNAL_BREAKTHROUGH,
            NotificationKind.SIGNAL_BREAKTHROUGH,
            {},
        )
    return run


def _step(actor, signal: Signal, now, code, case_kind, notification_kind, params) -> None:
    event_record(actor=actor, household=signal.household_id, category=signal.category, code=code, params=params)
    case_event_record(
        actor=actor,
        kind=case_kind,
        organisation_ids=_concerned(signal),
        occurred_on=timezone.localdate(now),
        signal_kind=signal.kind,
        hours=_hours(signal.raised_at, now),
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=signal,
        household_id=signal.household_id,
        data_category=signal.category,
        purpose=AuditPurpose.OPERATIONS,
        description=f"signal {code.value.removeprefix('signal_')}",
    )
    facilitators = _facilitators(signal)
    if facilitators:
        notify(
            actor=actor,
            recipients=facilitators,
            household_id=None,
            kind=notification_kind,
            category=DataCategory.GENERAL,
            url=reverse("conversations:facilitator"),
            params={},
        )
    if signal.owner_id is not None:
        notify(
            actor=actor,
            recipients=[signal.owner_id],
            household_id=signal.household_id,
            kind=notification_kind,
            category=signal.category,
            url=reverse("conversations:thread", args=[signal.household_id, signal.thread_id]),
            params={},
        )


# --- a summary for the dossier ---------------------------------------------------------------------------------

SUMMARY_MESSAGES = 60


@atomic_service
def summary_save(*, actor: Actor, access: HouseholdAccess, thread: Thread, category: DataCategory | str):
    """Save the thread's messages of one category (the newest ``SUMMARY_MESSAGES``, oldest first) as a conversation
    summary in the dossier's timeline, with who took part: one click. Who may write a note in that category may."""
    from samen.dossier.services import conversation_add  # the dossier sits above

    category = clean_category(category)
    organisations = _thread_organisations(thread) or frozenset()
    require(actor, "conversations.view_thread", (access, thread, organisations))
    messages = list(
        Message.objects.filter(thread=thread, category=category.value)
        .select_related("author")
        .order_by("-pk")[:SUMMARY_MESSAGES]
    )[::-1]
    if not messages:
        raise ValidationError({"category": _("There are no messages about this yet.")})
    names = list(dict.fromkeys(message.author.full_name for message in messages))
    participants = ", ".join(names)[:300]
    lines = [
        f"{timezone.localtime(message.created_at):%d-%m-%Y %H:%M} {message.author.full_name}: {message.text}"
        for message in messages
    ]
    heading = thread.topic or _("The household conversation")
    text = heading + "\n\n" + "\n\n".join(lines)
    if len(text) > MESSAGE_MAX_LENGTH:
        text = text[: MESSAGE_MAX_LENGTH - 1] + "…"
    return conversation_add(
        actor=actor, household=access.household, category=category, participants=participants, text=text
    )
