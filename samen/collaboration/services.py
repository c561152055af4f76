"""The only writers of the network pulse. Each takes the acting ``Actor``, checks the policy, writes an audit entry
(never an answer's content) and runs in one transaction.

Anonymity by construction (``models``): ``pulse_answer`` writes that the person answered (``Participation``) and the
answer itself as a ``PendingResponse``; ``mix_pending`` moves waiting answers into ``Response``, ``Answer`` and
``OpenAnswer`` in a shuffled order with random keys, in a transaction of its own, once ``MIX_BATCH`` of them wait
(and whatever waits when the round closes), and deletes them from the waiting table. A response can then not be
joined to a participation: not by a key, not by a time, not by the order of the rows, not by the transaction that
wrote it. When a round closes, an organisation with fewer than k responses is cleared from them.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from samen.collaboration.items import BY_CODE, OPEN_TEXT_MAX_LENGTH, ROTATING_CODES, SCALE, items_of_round
from samen.collaboration.models import (
    INTERVAL_WEEKS_DEFAULT,
    INTERVAL_WEEKS_MAX,
    INTERVAL_WEEKS_MIN,
    Answer,
    OpenAnswer,
    Participation,
    PendingResponse,
    PulseRound,
    PulseSettings,
    Response,
    RoundStatus,
)
from samen.collaboration.policies import WORK_ROLES
from samen.consent.models import DataCategory
from samen.core import audit
from samen.core.actor import SYSTEM, Actor
from samen.core.anonymity import K_ANONYMITY
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import require
from samen.core.text import clean_text
from samen.core.transactions import atomic_service
from samen.organisations.models import Membership, Network
from samen.reminders.models import NotificationKind
from samen.reminders.services import notify

# Answers wait until this many can be shuffled together (k: the batch hides each among at least k people).
MIX_BATCH = K_ANONYMITY
# How long a round stays open: two weeks, or a day less than the interval when that is shorter.
OPEN_DAYS = 14
# The reminder goes this many days before a round closes, to those who did not answer yet.
REMIND_DAYS_BEFORE_CLOSE = 3


def _audit(actor: Actor, action: AuditAction, obj: Any, description: str, changes: dict | None = None) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        purpose=AuditPurpose.OPERATIONS,
        description=description,
        changes=changes or {},
    )


def settings_for(network: Network) -> PulseSettings:
    return PulseSettings.objects.filter(network=network).first() or PulseSettings(network=network)


@atomic_service
def pulse_settings_set(*, actor: Actor, network: Network, interval_weeks: Any) -> PulseSettings:
    """How many weeks between the rounds of ``network`` (2 to 12)."""
    require(actor, "collaboration.manage", network)
    try:
        weeks = int(str(interval_weeks).strip())
    except (TypeError, ValueError):
        weeks = 0
    if isinstance(interval_weeks, bool) or not INTERVAL_WEEKS_MIN <= weeks <= INTERVAL_WEEKS_MAX:
        raise ValidationError(
            {
                "interval_weeks": _("Choose a number of weeks from %(min)d to %(max)d.")
                % {"min": INTERVAL_WEEKS_MIN, "max": INTERVAL_WEEKS_MAX}
            },
            code="interval",
        )
    pulse_settings, _created = PulseSettings.objects.update_or_create(
        network=network, defaults={"interval_weeks": weeks}
    )
    _audit(actor, AuditAction.UPDATE, pulse_settings, "pulse interval", {"interval_weeks": weeks})
    return pulse_settings


def _open_days(interval_weeks: int) -> int:
    return min(OPEN_DAYS, interval_weeks * 7 - 1)


@atomic_service
def round_schedule(*, actor: Actor, network: Network, opens_on: datetime.date | None = None) -> PulseRound:
    """Schedule the network's next round: ``opens_on`` (by default one interval after the last round opened, or
    today for the first), open for two weeks, asking the rotating item the previous round did not ask."""
    require(actor, "collaboration.manage", network)
    today = timezone.localdate()
    weeks = settings_for(network).interval_weeks or INTERVAL_WEEKS_DEFAULT
    last = PulseRound.objects.filter(network=network).select_for_update(no_key=True).order_by("-number").first()
    if opens_on is None:
        opens_on = max(today, last.opens_on + datetime.timedelta(weeks=weeks)) if last else today
    if not isinstance(opens_on, datetime.date) or isinstance(opens_on, datetime.datetime):
        raise ValidationError({"opens_on": _("Enter a date.")}, code="date")
    if opens_on < today:
        raise ValidationError({"opens_on": _("A round cannot start in the past.")}, code="past")
    if last is not None and opens_on <= last.closes_on:
        raise ValidationError(
            {
                "opens_on": _("The previous round is open until %(date)s. Choose a later date.")
                % {"date": formats.date_format(last.closes_on, "j F Y")}
            },
            code="overlap",
        )
    number = (last.number + 1) if last else 1
    rotating = ROTATING_CODES[(number - 1) % len(ROTATING_CODES)]
    pulse_round = PulseRound.objects.create(
        network=network,
        number=number,
        opens_on=opens_on,
        closes_on=opens_on + datetime.timedelta(days=_open_days(weeks)),
        rotating_item=rotating,
    )
    _audit(actor, AuditAction.CREATE, pulse_round, "pulse round scheduled", {"opens_on": opens_on.isoformat()})
    return pulse_round


def invited_users(network: Network) -> list[int]:
    """Who may answer the network's rounds: everyone with an active membership as professional, coordinator or client
    supporter of one of its organisations (each person once)."""
    return sorted(
        set(
            Membership.objects.filter(
                organisation__networks=network,
                role__in=[role.value for role in WORK_ROLES],
                is_active=True,
                user__is_active=True,
            ).values_list("user_id", flat=True)
        )
    )


def answer_url(pulse_round: PulseRound) -> str:
    return reverse("collaboration:answer", kwargs={"round_id": pulse_round.pk})


@atomic_service
def round_open(*, actor: Actor, pulse_round: PulseRound) -> PulseRound:
    """Open a scheduled round now: count who is invited and tell them in the notification centre."""
    pulse_round = PulseRound.objects.select_for_update(no_key=True).select_related("network").get(pk=pulse_round.pk)
    require(actor, "collaboration.manage", pulse_round.network)
    if pulse_round.status != RoundStatus.SCHEDULED:
        raise ValidationError(_("This round is not waiting to be opened."), code="not_scheduled")
    if PulseRound.objects.filter(network=pulse_round.network, status=RoundStatus.OPEN).exists():
        raise ValidationError(_("Another round of this network is still open. Close it first."), code="one_open")
    today = timezone.localdate()
    if pulse_round.closes_on <= today:
        raise ValidationError(_("This round's closing date has passed. Schedule a new round."), code="too_late")
    people = invited_users(pulse_round.network)
    pulse_round.status = RoundStatus.OPEN
    pulse_round.invited = len(people)
    if pulse_round.opens_on > today:
        pulse_round.opens_on = today
    pulse_round.save(update_fields=["status", "invited", "opens_on"])
    _audit(actor, AuditAction.UPDATE, pulse_round, "pulse round opened", {"invited": len(people)})
    _tell(actor, pulse_round, people, NotificationKind.PULSE_OPEN)
    return pulse_round


def _tell(actor: Actor, pulse_round: PulseRound, recipients: list[int], kind: NotificationKind) -> int:
    """The invitation or the reminder in the notification centre: the network's name, the closing date, a link."""
    return notify(
        actor=actor,
        recipients=recipients,
        household_id=None,
        kind=kind,
        category=DataCategory.GENERAL,
        url=answer_url(pulse_round),
        params={"name": pulse_round.network.name, "date": pulse_round.closes_on},
        group_key=f"pulse:{pulse_round.pk}",
    )


@atomic_service
def round_close(*, actor: Actor, pulse_round: PulseRound) -> PulseRound:
    """Close an open round: write every waiting answer (shuffled), and clear the organisation of the responses of
    every organisation with fewer than k of them."""
    pulse_round = PulseRound.objects.select_for_update(no_key=True).select_related("network").get(pk=pulse_round.pk)
    require(actor, "collaboration.manage", pulse_round.network)
    if pulse_round.status != RoundStatus.OPEN:
        raise ValidationError(_("This round is not open."), code="not_open")
    _mix(pulse_round, force=True)
    small = [
        row["organisation"]
        for row in Response.objects.filter(round=pulse_round, organisation__isnull=False)
        .values("organisation")
        .annotate(n=Count("id"))
        .order_by()
        if row["n"] < K_ANONYMITY
    ]
    if small:
        Response.objects.filter(round=pulse_round, organisation__in=small).update(organisation=None)
    pulse_round.status = RoundStatus.CLOSED
    pulse_round.save(update_fields=["status"])
    _audit(actor, AuditAction.UPDATE, pulse_round, "pulse round closed")
    return pulse_round


def _clean_answers(pulse_round: PulseRound, answers: Mapping[str, Any]) -> dict[str, int]:
    if not isinstance(answers, Mapping):
        raise ValidationError(_("The answers could not be read."), code="answers")
    asked = {item.code for item in items_of_round(pulse_round.rotating_item)}
    unknown = set(answers) - asked
    if unknown:
        raise ValidationError(_("The answers could not be read."), code="unknown_item")
    cleaned: dict[str, int] = {}
    for code, value in answers.items():
        if value in (None, ""):
            continue  # don't know / not applicable
        if isinstance(value, bool):
            raise ValidationError({code: _("Choose one of the answers.")}, code="scale")
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError({code: _("Choose one of the answers.")}, code="scale") from None
        if number not in SCALE or str(value).strip() != str(number):
            raise ValidationError({code: _("Choose one of the answers.")}, code="scale")
        cleaned[code] = number
    return cleaned


@atomic_service
def pulse_answer(
    *,
    actor: Actor,
    pulse_round: PulseRound,
    organisation_id: Any,
    answers: Mapping[str, Any],
    open_text: Any = "",
) -> None:
    """Store ``actor``'s answer to an open round, once. ``organisation_id``: the organisation they chose in the context
    question (one of the network's), or None for "I'd rather not say". ``answers``: item code -> 1..7, or None for
    "don't know". Returns nothing: the caller learns only that it was stored."""
    pulse_round = PulseRound.objects.select_related("network").get(pk=pulse_round.pk)
    require(actor, "collaboration.answer", pulse_round)
    cleaned = _clean_answers(pulse_round, answers)
    organisation = None
    if organisation_id not in (None, ""):
        try:
            organisation = int(organisation_id)
        except (TypeError, ValueError):
            organisation = None
        if organisation is None or not pulse_round.network.organisations.filter(pk=organisation).exists():
            raise ValidationError({"organisation": _("Choose an organisation from the list.")}, code="organisation")
    text = clean_text(open_text or "", field="open_text", max_length=OPEN_TEXT_MAX_LENGTH, required=False)
    if not cleaned and not text:
        raise ValidationError(_("Answer at least one question."), code="empty")
    try:
        with transaction.atomic():
            Participation.objects.create(round=pulse_round, user_id=actor.user_id)
    except IntegrityError:
        raise ValidationError(_("You already answered this round. Thank you!"), code="twice") from None
    PendingResponse.objects.create(
        round=pulse_round, payload={"organisation": organisation, "answers": cleaned, "open_text": text}
    )
    # Who answered, never what: the entry names the round only.
    _audit(actor, AuditAction.CREATE, pulse_round, "answered the pulse")
    transaction.on_commit(lambda: mix_pending(pulse_round.pk), robust=True)


def mix_pending(round_id: int) -> int:
    """Write the round's waiting answers once ``MIX_BATCH`` of them wait (in a transaction of its own); how many."""
    with transaction.atomic():
        pulse_round = PulseRound.objects.select_for_update(no_key=True).filter(pk=round_id).first()
        if pulse_round is None:
            return 0
        return _mix(pulse_round, force=False)


def _mix(pulse_round: PulseRound, *, force: bool) -> int:
    pending = list(PendingResponse.objects.select_for_update(no_key=True).filter(round=pulse_round).order_by())
    if not pending or (len(pending) < MIX_BATCH and not force):
        return 0
    shuffle = secrets.SystemRandom().shuffle
    shuffle(pending)
    responses: list[Response] = []
    answers: list[Answer] = []
    open_answers: list[OpenAnswer] = []
    network_organisations = set(pulse_round.network.organisations.values_list("pk", flat=True))
    for row in pending:
        payload = row.payload if isinstance(row.payload, dict) else {}
        organisation = payload.get("organisation")
        response = Response(
            round=pulse_round, organisation_id=organisation if organisation in network_organisations else None
        )
        values = payload.get("answers") or {}
        if values:
            responses.append(response)
            answers.extend(
                Answer(response=response, item=code, value=value)
                for code, value in values.items()
                if code in BY_CODE and value in SCALE
            )
        if payload.get("open_text"):
            open_answers.append(OpenAnswer(round=pulse_round, text=str(payload["open_text"])))
    # The open answers get an order of their own: the n-th remark must not be the n-th response's.
    shuffle(open_answers)
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(answers)
    OpenAnswer.objects.bulk_create(open_answers)
    PendingResponse.objects.filter(pk__in=[row.pk for row in pending]).delete()
    audit.record(
        actor=SYSTEM,
        action=AuditAction.CREATE,
        object_type="collaboration.response",
        purpose=AuditPurpose.OPERATIONS,
        description=f"pulse answers written in a shuffled batch of {len(pending)}",
    )
    return len(pending)


# --- the rhythm: opening, reminding and closing by date (daily, in the background worker) -------------------------


def run_schedule(*, today: datetime.date | None = None) -> dict[str, int]:
    """Open the rounds whose day came, remind who did not answer a round that closes soon, close the rounds whose last
    day passed and schedule the next one. Idempotent: running it twice on a day changes nothing the second time."""
    today = today or timezone.localdate()
    done = {"opened": 0, "reminded": 0, "closed": 0, "scheduled": 0}
    for pulse_round in PulseRound.objects.filter(status=RoundStatus.OPEN, closes_on__lt=today).select_related(
        "network"
    ):
        round_close(actor=SYSTEM, pulse_round=pulse_round)
        done["closed"] += 1
        if not PulseRound.objects.filter(network=pulse_round.network, number__gt=pulse_round.number).exists():
            _schedule_next(pulse_round, today)
            done["scheduled"] += 1
    for pulse_round in PulseRound.objects.filter(
        status=RoundStatus.SCHEDULED, opens_on__lte=today, closes_on__gt=today
    ).select_related("network"):
        if not PulseRound.objects.filter(network=pulse_round.network, status=RoundStatus.OPEN).exists():
            round_open(actor=SYSTEM, pulse_round=pulse_round)
            done["opened"] += 1
    remind_on = today + datetime.timedelta(days=REMIND_DAYS_BEFORE_CLOSE)
    for pulse_round in PulseRound.objects.filter(status=RoundStatus.OPEN, closes_on=remind_on).select_related(
        "network"
    ):
        done["reminded"] += round_remind(pulse_round=pulse_round)
    return done


@atomic_service
def _schedule_next(previous: PulseRound, today: datetime.date) -> PulseRound:
    weeks = settings_for(previous.network).interval_weeks or INTERVAL_WEEKS_DEFAULT
    opens_on = max(today + datetime.timedelta(days=1), previous.opens_on + datetime.timedelta(weeks=weeks))
    number = previous.number + 1
    pulse_round, _created = PulseRound.objects.get_or_create(
        network=previous.network,
        number=number,
        defaults={
            "opens_on": opens_on,
            "closes_on": opens_on + datetime.timedelta(days=_open_days(weeks)),
            "rotating_item": ROTATING_CODES[(number - 1) % len(ROTATING_CODES)],
        },
    )
    _audit(SYSTEM, AuditAction.CREATE, pulse_round, "pulse round scheduled", {"opens_on": opens_on.isoformat()})
    return pulse_round


@atomic_service
def round_remind(*, pulse_round: PulseRound) -> int:
    """Remind everyone invited who has not answered the open round yet (once per round: the notification's group
    bumps an unread invitation instead of adding a line; ``PulseRound.reminded`` makes a second run do nothing). How
    many were reminded."""
    pulse_round = PulseRound.objects.select_for_update(no_key=True).select_related("network").get(pk=pulse_round.pk)
    if pulse_round.status != RoundStatus.OPEN or pulse_round.reminded:
        return 0
    pulse_round.reminded = True
    pulse_round.save(update_fields=["reminded"])
    answered = set(Participation.objects.filter(round=pulse_round).values_list("user_id", flat=True))
    waiting = [user_id for user_id in invited_users(pulse_round.network) if user_id not in answered]
    return _tell(SYSTEM, pulse_round, waiting, NotificationKind.PULSE_REMINDER)
