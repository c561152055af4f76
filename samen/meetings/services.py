"""Writing meetings. These services are the only writers of ``samen.meetings.models``: each locks the household's
row first (changes to one household serialise), checks the policy (``samen.meetings.policies``), writes its audit
entry in the same transaction and tells the household's timeline.

Turning an outcome into a change of the plan calls the plan's own services (``samen.plans.services``: a goal, an
action, an agreement) or the households' (``samen.households.services.coordinator_handover``), never the plan's
rows directly; the outcome then points at what it became. Applying an outcome twice is refused.

Changes are optimistic: the caller passes the ``version`` it loaded; when the meeting changed in between,
``MeetingConflict`` is raised and nothing is written. Bad input raises ``ValidationError`` with a message per field.
Calendar invitations go out by e-mail once the transaction has committed (``tasks.send_meeting_invitation``).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from samen.consent.models import DataCategory
from samen.consent.policies import parse_id, writable_categories
from samen.core import audit
from samen.core.actor import Actor, Role
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import require
from samen.core.text import clean_text
from samen.core.transactions import atomic_service
from samen.households import services as household_services
from samen.households.models import Household, HouseholdMember, TeamMember
from samen.meetings import selectors, tasks
from samen.meetings.models import (
    AGENDA_TEXT_MAX_LENGTH,
    MAX_DURATION,
    MIN_DURATION,
    NAME_MAX_LENGTH,
    OUTCOME_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    ROLE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    VIDEO_URL_MAX_LENGTH,
    AgendaItem,
    AgendaKind,
    AppliedAs,
    Meeting,
    MeetingParticipant,
    MeetingStatus,
    Outcome,
)
from samen.plans import services as plan_services
from samen.plans.models import Goal
from samen.reminders.models import NotificationKind
from samen.reminders.services import notify
from samen.timeline.models import EventCode
from samen.timeline.services import event_record

GENERAL = DataCategory.GENERAL
MAX_GUESTS = 20
MAX_QUESTIONS = 20
MAX_OUTCOMES = 50
# A meeting is planned at most this far ahead.
MAX_DAYS_AHEAD = 2 * 366
NO_MARKUP = re.compile(r"[<>]")


@dataclass
class MeetingConflict(Exception):  # noqa: N818 - the name says what happened
    """Someone else changed the meeting after it was loaded; ``current_version`` is the version saved now."""

    current_version: int = 0

    def __str__(self) -> str:
        return f"conflict: the meeting is at version {self.current_version}"


# --- input ---------------------------------------------------------------------------------------------------


def _invalid(field_name: str, message: str, code: str) -> ValidationError:
    return ValidationError({field_name: ValidationError(message, code=code)})


def _one_line(value: Any, *, field: str, max_length: int, required: bool = True) -> str:
    text = clean_text(value, field=field, max_length=max_length, required=required, one_line=True)
    if NO_MARKUP.search(text):
        raise _invalid(field, _("Use letters, numbers and punctuation; the signs < and > are not allowed."), "markup")
    return text


def clean_title(value: Any) -> str:
    return _one_line(value, field="title", max_length=TITLE_MAX_LENGTH)


def clean_place(value: Any) -> str:
    return _one_line(value, field="place", max_length=PLACE_MAX_LENGTH, required=False)


_HTTPS = URLValidator(schemes=["https"])


def clean_video_url(value: Any) -> str:
    """An https link, or empty. Anything else (http, javascript:, spaces, markup) is refused."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _invalid("video_url", _("Enter a link that starts with https://."), "invalid")
    url = value.strip()
    if not url:
        return ""
    if len(url) > VIDEO_URL_MAX_LENGTH:
        raise _invalid("video_url", _("This link is too long."), "max_length")
    try:
        _HTTPS(url)
    except ValidationError:
        raise _invalid("video_url", _("Enter a link that starts with https://."), "not_https") from None
    if NO_MARKUP.search(url) or any(character.isspace() for character in url):
        raise _invalid("video_url", _("Enter a link that starts with https://."), "not_https")
    return url


def clean_duration(value: Any) -> int:
    number = value if isinstance(value, int) and not isinstance(value, bool) else parse_id(value)
    if number is None or not MIN_DURATION <= number <= MAX_DURATION:
        raise _invalid(
            "duration",
            _("Choose a duration from %(min)d minutes to %(max)d minutes.")
            % {"min": MIN_DURATION, "max": MAX_DURATION},
            "bad_duration",
        )
    return number


def clean_starts_at(value: Any, *, now: datetime.datetime, unchanged: datetime.datetime | None = None):
    """An aware moment in the future (or the meeting's own, unchanged), at most ``MAX_DAYS_AHEAD`` days ahead."""
    if not isinstance(value, datetime.datetime) or timezone.is_naive(value):
        raise _invalid("starts_at", _("Enter a date and a time."), "invalid")
    if unchanged is not None and value == unchanged:
        return value
    if value <= now:
        raise _invalid("starts_at", _("This moment has passed. Choose a date and time in the future."), "past")
    if value > now + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise _invalid("starts_at", _("Choose a date within two years."), "too_far")
    return value


def _lines(value: Any, *, field: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not isinstance(value, Iterable):
        raise _invalid(field, _("Enter text."), "invalid")
    lines = []
    for line in value:
        if not isinstance(line, str):
            raise _invalid(field, _("Enter text."), "invalid")
        if line.strip():
            lines.append(line.strip())
    return lines


def clean_guests(value: Any) -> list[tuple[str, str]]:
    """People without an account, one per line: a name, and after a comma what they do (``Ans, buurvrouw``)."""
    guests = []
    for line in _lines(value, field="guests"):
        name, _comma, role = line.partition(",")
        name = _one_line(name, field="guests", max_length=NAME_MAX_LENGTH)
        role = _one_line(role, field="guests", max_length=ROLE_MAX_LENGTH, required=False)
        guests.append((name, role))
    if len(guests) > MAX_GUESTS:
        raise _invalid("guests", _("Write at most %(count)d names.") % {"count": MAX_GUESTS}, "too_many")
    return guests


def clean_questions(value: Any) -> list[str]:
    """Questions for the agenda, one per line."""
    questions = [
        clean_text(line, field="questions", max_length=AGENDA_TEXT_MAX_LENGTH, one_line=True)
        for line in _lines(value, field="questions")
    ]
    if len(questions) > MAX_QUESTIONS:
        raise _invalid("questions", _("Write at most %(count)d questions.") % {"count": MAX_QUESTIONS}, "too_many")
    return questions


def _ids(values: Any, *, field: str) -> list[int]:
    if values is None:
        return []
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise _invalid(field, _("Choose from the list."), "invalid")
    ids = []
    for value in values:
        pk = value.pk if hasattr(value, "pk") else parse_id(value)
        if pk is None:
            raise _invalid(field, _("Choose from the list."), "invalid")
        if pk not in ids:
            ids.append(pk)
    return ids


@dataclass(frozen=True)
class Chosen:
    """A participant chosen from the household or its team."""

    member: HouseholdMember | None
    team_member: TeamMember | None

    @property
    def key(self) -> str:
        return f"member:{self.member.pk}" if self.member is not None else f"team:{self.team_member.pk}"


def _chosen_participants(household: Household, values: Any) -> list[Chosen]:
    """``member:<id>`` and ``team:<id>`` of this household (its members; its team now). Two queries at most."""
    if values is None:
        values = []
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise _invalid("participants", _("Choose people from the list."), "invalid")
    member_ids: list[int] = []
    team_ids: list[int] = []
    for value in values:
        kind, _sep, raw = (value if isinstance(value, str) else "").partition(":")
        pk = parse_id(raw)
        if pk is None or kind not in ("member", "team"):
            raise _invalid("participants", _("Choose people from the list."), "unknown")
        (member_ids if kind == "member" else team_ids).append(pk)
    members = (
        {m.pk: m for m in HouseholdMember.objects.filter(household=household, pk__in=member_ids).select_related("user")}
        if member_ids
        else {}
    )
    team = (
        {
            t.pk: t
            for t in TeamMember.objects.filter(
                household=household, pk__in=team_ids, left_at__isnull=True
            ).select_related("user", "organisation")
        }
        if team_ids
        else {}
    )
    if set(member_ids) - set(members) or set(team_ids) - set(team):
        raise _invalid("participants", _("Choose people from the list."), "unknown")
    chosen = [Chosen(members[pk], None) for pk in dict.fromkeys(member_ids)]
    chosen += [Chosen(None, team[pk]) for pk in dict.fromkeys(team_ids)]
    users = [c.member.user_id if c.member else c.team_member.user_id for c in chosen]
    users = [user for user in users if user is not None]
    if len(users) != len(set(users)):
        raise _invalid("participants", _("Choose each person once."), "twice")
    return chosen


def _participant_row(meeting: Meeting, chosen: Chosen, position: int) -> MeetingParticipant:
    """A participant from the household or its team: the name as it is now; the role is read from the member or the
    team place when shown (``selectors.role_of``), in the reader's language."""
    if chosen.member is not None:
        member = chosen.member
        return MeetingParticipant(
            meeting=meeting,
            member=member,
            user_id=member.user_id,
            name=str(member)[:NAME_MAX_LENGTH],
            position=position,
        )
    place = chosen.team_member
    return MeetingParticipant(
        meeting=meeting,
        team_member=place,
        user_id=place.user_id,
        name=place.user.get_full_name()[:NAME_MAX_LENGTH],
        position=position,
    )


def _agenda_rows(
    meeting: Meeting,
    *,
    household: Household,
    evaluations: Any,
    signals: Any,
    questions: list[str],
    visible: frozenset[DataCategory],
) -> list[AgendaItem]:
    """The agenda: the chosen signals (open, in a category the planner sees), the chosen evaluation moments (due),
    then the questions. A choice that is not among the suggestions is refused."""
    evaluation_ids = _ids(evaluations, field="evaluations")
    signal_ids = _ids(signals, field="signals")
    rows: list[AgendaItem] = []
    if signal_ids:
        offered = {signal.pk: signal for signal in selectors.open_signals(household, visible)}
        if meeting.pk:  # a signal on the agenda stays allowed, also when it was solved since
            kept = AgendaItem.objects.filter(meeting_id=meeting.pk, signal_id__in=signal_ids).select_related("signal")
            offered |= {item.signal_id: item.signal for item in kept if item.category in {c.value for c in visible}}
        if set(signal_ids) - set(offered):
            raise _invalid("signals", _("Choose signals from the list."), "unknown")
        rows += [
            AgendaItem(meeting=meeting, kind=AgendaKind.SIGNAL, signal_id=pk, category=offered[pk].category)
            for pk in signal_ids
        ]
    if evaluation_ids:
        due = {evaluation.pk for evaluation in selectors.due_evaluations(household)}
        kept = set(
            AgendaItem.objects.filter(meeting_id=meeting.pk, evaluation_id__in=evaluation_ids).values_list(
                "evaluation_id", flat=True
            )
            if meeting.pk
            else []
        )
        if set(evaluation_ids) - due - kept:
            raise _invalid("evaluations", _("Choose evaluation moments from the list."), "unknown")
        rows += [AgendaItem(meeting=meeting, kind=AgendaKind.EVALUATION, evaluation_id=pk) for pk in evaluation_ids]
    rows += [AgendaItem(meeting=meeting, kind=AgendaKind.QUESTION, text=question) for question in questions]
    for position, row in enumerate(rows, start=1):
        row.position = position
    return rows


# --- helpers ---------------------------------------------------------------------------------------------------


def _purpose(actor: Actor) -> AuditPurpose:
    return AuditPurpose.CITIZEN if actor.role == Role.CITIZEN else AuditPurpose.CARE_COORDINATION


def _record(actor: Actor, action: AuditAction, obj, household_id: int, category, description: str, **extra) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        household_id=household_id,
        data_category=str(category),
        purpose=_purpose(actor),
        description=description,
        **extra,
    )


def _event(actor: Actor, household: Household, meeting: Meeting, code: EventCode) -> None:
    event_record(actor=actor, household=household, category=GENERAL, code=code, params={"date": meeting.date_iso})


def _lock(household: Household) -> Household:
    return Household.objects.select_for_update(no_key=True).get(pk=household.pk)


def _locked_meeting(actor: Actor, meeting: Meeting, *, rule: str = "meetings.manage") -> tuple[Household, Meeting]:
    household = _lock(meeting.household)
    require(actor, "meetings.view", household, hide=True)
    require(actor, rule, household)
    return household, Meeting.objects.select_for_update(no_key=True).get(pk=meeting.pk)


def _version(value: Any) -> int:
    number = parse_id(value)
    if number is None:
        raise _invalid(
            "version", _("This page was out of date. Open it again and make your change once more."), "bad_version"
        )
    return number


def _invite(meeting: Meeting) -> None:
    """Once committed, send every participant with an account the calendar invitation (or its update, or the
    cancellation) of the meeting's current ``sequence``."""
    ids = list(
        MeetingParticipant.objects.filter(meeting=meeting, user__isnull=False, user__is_active=True)
        .exclude(user__email="")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        transaction.on_commit(partial(tasks.send_meeting_invitation.enqueue, pk, meeting.sequence), robust=True)


def _notify(actor: Actor, meeting: Meeting, kind: NotificationKind, recipients: Iterable[int]) -> None:
    """Tell ``recipients`` (user ids) in Samen (the notification centre; the actor is skipped there)."""
    notify(
        actor=actor,
        recipients=recipients,
        household_id=meeting.household_id,
        kind=kind,
        category=GENERAL,
        url=reverse("meetings:detail", args=[meeting.household_id, meeting.pk]),
        params={"date": meeting.date_iso},
        group_key=f"meeting:{meeting.pk}",
    )


def _participant_users(meeting: Meeting) -> list[int]:
    return list(
        MeetingParticipant.objects.filter(meeting=meeting, user__isnull=False).values_list("user_id", flat=True)
    )


# --- planning, changing, cancelling ----------------------------------------------------------------------------


@atomic_service
def meeting_plan(
    *,
    actor: Actor,
    household: Household,
    title: Any,
    starts_at: Any,
    duration: Any,
    place: Any = "",
    video_url: Any = "",
    participants: Any = (),
    guests: Any = "",
    evaluations: Any = (),
    signals: Any = (),
    questions: Any = "",
) -> Meeting:
    """Plan a meeting of ``household``: when, where, who and the agenda. The participants with an account get a
    calendar invitation by e-mail."""
    now = timezone.now()
    title = clean_title(title)
    starts_at = clean_starts_at(starts_at, now=now)
    duration = clean_duration(duration)
    place = clean_place(place)
    video_url = clean_video_url(video_url)
    if not place and not video_url:
        raise _invalid("place", _("Fill in a place, a video link or both."), "no_place")
    guests = clean_guests(guests)
    questions = clean_questions(questions)
    household = _lock(household)
    require(actor, "meetings.view", household, hide=True)
    require(actor, "meetings.manage", household)
    chosen = _chosen_participants(household, participants)
    meeting = Meeting(
        household=household,
        title=title,
        starts_at=starts_at,
        duration=duration,
        place=place,
        video_url=video_url,
        created_by=actor.user,
        created_at=now,
        updated_at=now,
        updated_by=actor.user,
    )
    visible = writable_categories(actor, household)
    agenda = _agenda_rows(
        meeting,
        household=household,
        evaluations=evaluations,
        signals=signals,
        questions=questions,
        visible=visible,
    )
    meeting.save()
    _save_participants(meeting, chosen, guests)
    for row in agenda:
        row.meeting = meeting
    AgendaItem.objects.bulk_create(agenda)
    _record(actor, AuditAction.CREATE, meeting, household.pk, GENERAL, "meeting planned")
    _event(actor, household, meeting, EventCode.MEETING_PLANNED)
    _invite(meeting)
    _notify(actor, meeting, NotificationKind.MEETING_INVITED, _participant_users(meeting))
    return meeting


def _save_participants(meeting: Meeting, chosen: list[Chosen], guests: list[tuple[str, str]]) -> None:
    rows = [_participant_row(meeting, person, position) for position, person in enumerate(chosen, start=1)]
    rows += [
        MeetingParticipant(meeting=meeting, name=name, role=role, position=position)
        for position, (name, role) in enumerate(guests, start=len(rows) + 1)
    ]
    MeetingParticipant.objects.bulk_create(rows)


def _sync_participants(meeting: Meeting, chosen: list[Chosen], guests: list[tuple[str, str]]) -> bool:
    """Make the participants those chosen and the guests, keeping the rows (and what was sent to them) of who stays.
    Returns whether anyone came or went."""
    existing = list(MeetingParticipant.objects.filter(meeting=meeting))

    def key(row: MeetingParticipant) -> str:
        if row.member_id:
            return f"member:{row.member_id}"
        if row.team_member_id:
            return f"team:{row.team_member_id}"
        return f"guest:{row.name}\n{row.role}"

    wanted = [person.key for person in chosen] + [f"guest:{name}\n{role}" for name, role in guests]
    by_key = {key(row): row for row in existing}
    gone = [row.pk for row in existing if key(row) not in wanted]
    changed = bool(gone) or any(item not in by_key for item in wanted)
    MeetingParticipant.objects.filter(pk__in=gone).delete()
    new_rows = []
    for position, person in enumerate(chosen, start=1):
        row = by_key.get(person.key)
        if row is None:
            new_rows.append(_participant_row(meeting, person, position))
        elif row.position != position:
            MeetingParticipant.objects.filter(pk=row.pk).update(position=position)
    for position, (name, role) in enumerate(guests, start=len(chosen) + 1):
        row = by_key.get(f"guest:{name}\n{role}")
        if row is None:
            new_rows.append(MeetingParticipant(meeting=meeting, name=name, role=role, position=position))
        elif row.position != position:
            MeetingParticipant.objects.filter(pk=row.pk).update(position=position)
    MeetingParticipant.objects.bulk_create(new_rows)
    return changed


def _refuse_unless_planned(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.HELD:
        raise _invalid("status", _("This meeting was held already."), "held")
    if meeting.status == MeetingStatus.CANCELLED:
        raise _invalid("status", _("This meeting was cancelled."), "cancelled")


@atomic_service
def meeting_update(
    *,
    actor: Actor,
    meeting: Meeting,
    expected_version: Any,
    title: Any,
    starts_at: Any,
    duration: Any,
    place: Any = "",
    video_url: Any = "",
    participants: Any = (),
    guests: Any = "",
    evaluations: Any = (),
    signals: Any = (),
    questions: Any = "",
) -> Meeting:
    """Change a planned meeting. When the moment, the place, the title or the participants change, the calendar
    invitation goes out again with a higher sequence (calendars replace the old one)."""
    now = timezone.now()
    title = clean_title(title)
    duration = clean_duration(duration)
    place = clean_place(place)
    video_url = clean_video_url(video_url)
    if not place and not video_url:
        raise _invalid("place", _("Fill in a place, a video link or both."), "no_place")
    guests = clean_guests(guests)
    questions = clean_questions(questions)
    expected = _version(expected_version)
    household, meeting = _locked_meeting(actor, meeting)
    if meeting.version != expected:
        raise MeetingConflict(current_version=meeting.version)
    _refuse_unless_planned(meeting)
    starts_at = clean_starts_at(starts_at, now=now, unchanged=meeting.starts_at)
    chosen = _chosen_participants(household, participants)
    visible = writable_categories(actor, household)
    # The agenda items the planner cannot see stay as they are; the rest is made again from the form.
    hidden = list(AgendaItem.objects.filter(meeting=meeting).exclude(category__in=[c.value for c in visible]))
    agenda = _agenda_rows(
        meeting,
        household=household,
        evaluations=evaluations,
        signals=signals,
        questions=questions,
        visible=visible,
    )
    calendar_fields = {
        "title": title,
        "starts_at": starts_at,
        "duration": duration,
        "place": place,
        "video_url": video_url,
    }
    changed = [name for name, value in calendar_fields.items() if getattr(meeting, name) != value]
    for name, value in calendar_fields.items():
        setattr(meeting, name, value)
    before = set(_participant_users(meeting))
    people_changed = _sync_participants(meeting, chosen, guests)
    AgendaItem.objects.filter(meeting=meeting).delete()
    for position, row in enumerate([*hidden, *agenda], start=1):
        row.pk = None
        row.position = position
    AgendaItem.objects.bulk_create([*hidden, *agenda])
    if changed or people_changed:
        meeting.sequence += 1
    meeting.version += 1
    meeting.updated_at = now
    meeting.updated_by = actor.user
    meeting.save()
    _record(
        actor,
        AuditAction.UPDATE,
        meeting,
        household.pk,
        GENERAL,
        "meeting changed",
        changes={"fields": changed, "participants": people_changed},
    )
    if changed or people_changed:
        _invite(meeting)
    newcomers = set(_participant_users(meeting)) - before
    if newcomers:
        _notify(actor, meeting, NotificationKind.MEETING_INVITED, newcomers)
    return meeting


@atomic_service
def meeting_cancel(*, actor: Actor, meeting: Meeting, expected_version: Any) -> Meeting:
    """Cancel a planned meeting. The participants' calendars get the cancellation."""
    expected = _version(expected_version)
    household, meeting = _locked_meeting(actor, meeting)
    if meeting.version != expected:
        raise MeetingConflict(current_version=meeting.version)
    _refuse_unless_planned(meeting)
    now = timezone.now()
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_at = now
    meeting.cancelled_by = actor.user
    meeting.sequence += 1
    meeting.version += 1
    meeting.updated_at = now
    meeting.updated_by = actor.user
    meeting.save()
    _record(actor, AuditAction.UPDATE, meeting, household.pk, GENERAL, "meeting cancelled")
    _event(actor, household, meeting, EventCode.MEETING_CANCELLED)
    _invite(meeting)
    return meeting


# --- holding: the outcomes -------------------------------------------------------------------------------------


def clean_outcomes(values: Any, *, writable: frozenset[DataCategory]) -> list[tuple[str, DataCategory]]:
    """``(text, category)`` pairs, the empty lines left out; at least one. A category must be one the writer may
    write in. Errors name the line: ``outcome-<n>`` (from 0)."""
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise _invalid("outcomes", _("Write down what was agreed."), "invalid")
    cleaned = []
    for index, value in enumerate(values):
        if not isinstance(value, tuple | list) or len(value) != 2:
            raise _invalid("outcomes", _("Write down what was agreed."), "invalid")
        text, category = value
        text = clean_text(text, field=f"outcome-{index}", max_length=OUTCOME_MAX_LENGTH, required=False)
        if not text:
            continue
        try:
            category = DataCategory(category or GENERAL)
        except ValueError:
            raise _invalid(f"outcome-{index}", _("Choose a kind of information from the list."), "unknown") from None
        if category not in writable:
            raise _invalid(
                f"outcome-{index}", _("You cannot write about this kind of information."), "category_not_writable"
            )
        cleaned.append((text, category))
    if not cleaned:
        raise _invalid("outcomes", _("Write down at least one thing that was agreed."), "required")
    if len(cleaned) > MAX_OUTCOMES:
        raise _invalid("outcomes", _("Write at most %(count)d outcomes.") % {"count": MAX_OUTCOMES}, "too_many")
    return cleaned


@atomic_service
def meeting_hold(*, actor: Actor, meeting: Meeting, expected_version: Any, outcomes: Any) -> Meeting:
    """Record that the meeting was held, with its outcomes (``(text, category)`` pairs, in this order)."""
    expected = _version(expected_version)
    household, meeting = _locked_meeting(actor, meeting)
    if meeting.version != expected:
        raise MeetingConflict(current_version=meeting.version)
    _refuse_unless_planned(meeting)
    cleaned = clean_outcomes(outcomes, writable=writable_categories(actor, household))
    now = timezone.now()
    meeting.status = MeetingStatus.HELD
    meeting.held_at = now
    meeting.held_by = actor.user
    meeting.version += 1
    meeting.updated_at = now
    meeting.updated_by = actor.user
    meeting.save()
    Outcome.objects.bulk_create(
        Outcome(meeting=meeting, position=position, text=text, category=category, created_by=actor.user, created_at=now)
        for position, (text, category) in enumerate(cleaned, start=1)
    )
    categories = audit.categories_value(c.value for c in DataCategory if c in {category for _t, category in cleaned})
    _record(
        actor,
        AuditAction.UPDATE,
        meeting,
        household.pk,
        categories,
        "meeting held",
        changes={"outcomes": len(cleaned)},
    )
    _event(actor, household, meeting, EventCode.MEETING_HELD)
    # The household sees the outcomes: its members with an account are told, with everyone who took part.
    members = HouseholdMember.objects.filter(household=household, user__isnull=False).values_list("user_id", flat=True)
    _notify(actor, meeting, NotificationKind.MEETING_OUTCOMES, {*_participant_users(meeting), *members})
    return meeting


# --- an outcome becomes a change of the plan -------------------------------------------------------------------


def meeting_label(meeting: Meeting) -> str:
    """ "the meeting of 3 December 2026", in the active language."""
    day = timezone.localtime(meeting.starts_at).date()
    return _("the meeting of %(date)s") % {"date": formats.date_format(day, "j F Y")}


def _agreed_in(outcome: Outcome) -> plan_services.AgreedIn:
    """Where the plan item was agreed: the meeting's day and page (the plan links back to the meeting)."""
    meeting = outcome.meeting
    return plan_services.AgreedIn(
        day=timezone.localdate(meeting.starts_at),
        url=reverse("meetings:detail", args=[meeting.household_id, meeting.pk]),
    )


def _locked_outcome(actor: Actor, outcome: Outcome) -> tuple[Household, Outcome]:
    """The household (locked first), then the outcome (locked); refuses an outcome that is applied already or of a
    meeting that was not held, and an actor who may not see it or may not write its category in the plan."""
    household = _lock(outcome.meeting.household)
    require(actor, "meetings.view", household, hide=True)
    outcome = Outcome.objects.select_for_update(no_key=True).select_related("meeting").get(pk=outcome.pk)
    require(actor, "meetings.view_item", (household, outcome.category), hide=True)
    require(actor, "meetings.apply", (household, outcome.category))
    if outcome.meeting.status != MeetingStatus.HELD:
        raise _invalid("outcome", _("Only the outcomes of a meeting that was held can go into the plan."), "not_held")
    if outcome.applied_as != AppliedAs.NONE:
        raise _invalid("outcome", _("This outcome is in the plan already."), "already_applied")
    return household, outcome


def _applied(actor: Actor, household: Household, outcome: Outcome, applied_as: AppliedAs, **target) -> Outcome:
    outcome.applied_as = applied_as
    for name in Outcome.TARGETS:
        setattr(outcome, name, target.get(name))
    outcome.applied_at = timezone.now()
    outcome.applied_by = actor.user
    outcome.save(update_fields=["applied_as", *Outcome.TARGETS, "applied_at", "applied_by"])
    _record(
        actor,
        AuditAction.UPDATE,
        outcome,
        household.pk,
        outcome.category,
        f"meeting outcome put in the plan as {applied_as.value}",
    )
    return outcome


@atomic_service
def outcome_to_goal(*, actor: Actor, outcome: Outcome, domain: Any) -> Outcome:
    """The outcome becomes a goal in the plan (its text, its category, in ``domain``)."""
    household, outcome = _locked_outcome(actor, outcome)
    goal = plan_services.goal_add(
        actor=actor,
        household=household,
        text=outcome.text,
        domain=domain,
        category=outcome.category,
        agreed_in=_agreed_in(outcome),
    )
    return _applied(actor, household, outcome, AppliedAs.GOAL, applied_goal=goal)


def _goal_for_action(household: Household, outcome: Outcome, value: Any) -> Goal:
    """The goal an action of ``outcome`` goes under: a goal of the current plan in the outcome's category, or any
    goal when the outcome is general (an action never shows more widely than what was said)."""
    pk = value.pk if isinstance(value, Goal) else parse_id(value)
    goal = (
        Goal.objects.filter(pk=pk, plan__household=household, plan__is_current=True).select_related("plan").first()
        if pk
        else None
    )
    if goal is None:
        raise _invalid("goal", _("Choose a goal from the list."), "unknown_goal")
    if outcome.category != GENERAL and goal.category != outcome.category:
        raise _invalid(
            "goal", _("Choose a goal about the same kind of information as this outcome."), "category_mismatch"
        )
    return goal


@atomic_service
def outcome_to_action(*, actor: Actor, outcome: Outcome, goal: Any, owner: Any, due_date: Any = None) -> Outcome:
    """The outcome becomes an action under ``goal``, for ``owner`` (``member:<id>``, ``team:<id>`` or
    ``organisation:<id>``), before ``due_date`` if given."""
    household, outcome = _locked_outcome(actor, outcome)
    goal = _goal_for_action(household, outcome, goal)
    action = plan_services.action_add(
        actor=actor, goal=goal, text=outcome.text, owner=owner, due_date=due_date, agreed_in=_agreed_in(outcome)
    )
    return _applied(actor, household, outcome, AppliedAs.ACTION, applied_action=action)


def _general_only(outcome: Outcome, message: str) -> None:
    if outcome.category != GENERAL:
        raise _invalid("outcome", message, "not_general")


@atomic_service
def outcome_to_agreement(*, actor: Actor, outcome: Outcome) -> Outcome:
    """The outcome becomes an agreement in the plan (agreements are for everyone who sees the plan: general only)."""
    household, outcome = _locked_outcome(actor, outcome)
    _general_only(outcome, _("Only an outcome in the general kind of information can become an agreement."))
    agreement = plan_services.agreement_add(
        actor=actor, household=household, text=outcome.text, agreed_in=_agreed_in(outcome)
    )
    return _applied(actor, household, outcome, AppliedAs.AGREEMENT, applied_agreement=agreement)


@atomic_service
def outcome_to_coordinator(*, actor: Actor, outcome: Outcome, to_member: Any) -> Outcome:
    """The outcome is a handover of the coordination to ``to_member`` (the household's services decide who may); the
    reason says it was agreed in the meeting."""
    household, outcome = _locked_outcome(actor, outcome)
    _general_only(outcome, _("Only an outcome in the general kind of information can change the coordinator."))
    pk = to_member.pk if isinstance(to_member, TeamMember) else parse_id(to_member)
    member = TeamMember.objects.filter(pk=pk, household=household).first() if pk else None
    if member is None:
        raise _invalid("to_member", _("Choose a professional from the list."), "unknown")
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("Agreed in %(meeting)s: %(text)s") % {
            "meeting": meeting_label(outcome.meeting),
            "text": outcome.text,
        }
    handover = household_services.coordinator_handover(
        actor=actor, household=household, to_member=member, reason=reason[: household_services.REASON_MAX_LENGTH]
    )
    return _applied(actor, household, outcome, AppliedAs.COORDINATOR, applied_handover=handover)
