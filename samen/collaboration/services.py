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
import statistics
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from samen.collaboration import practice, prompts, selectors
from samen.collaboration.items import BY_CODE, OPEN_TEXT_MAX_LENGTH, ROTATING_CODES, SCALE, items_of_round
from samen.collaboration.models import (
    INTERVAL_WEEKS_DEFAULT,
    INTERVAL_WEEKS_MAX,
    INTERVAL_WEEKS_MIN,
    LEARNING_TEXT_MAX_LENGTH,
    LEARNING_TITLE_MAX_LENGTH,
    PRINCIPLE_MAX_LENGTH,
    PRINCIPLES_MAX,
    PRINCIPLES_MIN,
    SAFETY_SCALE,
    Answer,
    Cause,
    CharterImpact,
    CharterVersion,
    EntryType,
    LearningAction,
    LearningEntry,
    OpenAnswer,
    Participation,
    PendingResponse,
    PendingSafetyAnswer,
    Principle,
    Prompt,
    PromptStatus,
    PulseRound,
    PulseSettings,
    Response,
    RoundStatus,
    Rule,
    SafetyAnswer,
    SafetyParticipation,
    Trigger,
    Visibility,
)
from samen.collaboration.policies import WORK_ROLES
from samen.consent.models import DataCategory
from samen.consent.policies import parse_id
from samen.core import audit
from samen.core.actor import SYSTEM, Actor
from samen.core.anonymity import K_ANONYMITY
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import require
from samen.core.text import clean_text
from samen.core.transactions import atomic_service
from samen.organisations.models import CaseEvent, CaseEventKind, Membership, Network
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
    if opens_on > today + datetime.timedelta(days=366):
        raise ValidationError({"opens_on": _("Choose a day within a year from today.")}, code="too_far")
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
    pulse_round.alphas = selectors.alphas_to_store(pulse_round)
    pulse_round.practice = practice.for_network(
        pulse_round.network, timezone.localdate(), pulse_round=pulse_round
    ).to_json()
    pulse_round.save(update_fields=["alphas", "practice"])
    _audit(actor, AuditAction.UPDATE, pulse_round, "pulse round closed")
    # The rules read the figures the network page now shows for this round.
    _announce(pulse_round.network, prompts_for_round(pulse_round))
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
    _wait(
        PendingResponse,
        {"round": pulse_round},
        "answers",
        {"organisation": organisation, "answers": cleaned, "open_text": text},
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


def _wait(model, key: dict, field: str, value: Any) -> None:
    """Put ``value`` at a random place in the waiting list of ``model`` (one row per round or entry)."""
    row, _created = model.objects.select_for_update(no_key=True).get_or_create(**key)
    waiting = list(getattr(row, field) or [])
    waiting.insert(secrets.randbelow(len(waiting) + 1), value)
    setattr(row, field, waiting)
    row.save(update_fields=[field])


def _take_waiting(model, key: dict, field: str, *, at_least: int) -> list:
    """The waiting list of ``model`` (emptied), when it holds ``at_least`` values; otherwise nothing."""
    row = model.objects.select_for_update(no_key=True).filter(**key).first()
    waiting = list(getattr(row, field) or []) if row is not None else []
    if not waiting or len(waiting) < at_least:
        return []
    setattr(row, field, [])
    row.save(update_fields=[field])
    return waiting


def _mix(pulse_round: PulseRound, *, force: bool) -> int:
    """Write the waiting answers as a shuffled batch (once ``MIX_BATCH`` wait). With ``force`` (the round closes):
    every answer of the round, the ones written before included, is written again as one shuffled batch, so the last
    few answers (fewer than k) do not form a small batch of their own."""
    pending = _take_waiting(PendingResponse, {"round": pulse_round}, "answers", at_least=1 if force else MIX_BATCH)
    if not pending and not force:
        return 0
    payloads = [payload for payload in pending if isinstance(payload, dict)]
    if force:
        payloads += _written_payloads(pulse_round)
        Response.objects.filter(round=pulse_round).delete()  # their answers go with them (cascade)
        OpenAnswer.objects.filter(round=pulse_round).delete()
    if not payloads:
        return 0
    shuffle = secrets.SystemRandom().shuffle
    shuffle(payloads)
    responses: list[Response] = []
    answers: list[Answer] = []
    open_answers: list[OpenAnswer] = []
    network_organisations = set(pulse_round.network.organisations.values_list("pk", flat=True))
    for payload in payloads:
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
    audit.record(
        actor=SYSTEM,
        action=AuditAction.CREATE,
        object_type="collaboration.response",
        purpose=AuditPurpose.OPERATIONS,
        description="the round's answers written again in one shuffled batch"
        if force
        else "pulse answers written in a shuffled batch",
    )
    return len(payloads)


def _written_payloads(pulse_round: PulseRound) -> list[dict]:
    """The answers of the round written so far, as waiting answers look (the open text apart: it is re-shuffled on
    its own)."""
    by_response: dict = {}
    for response_id, organisation_id, item, value in Answer.objects.filter(response__round=pulse_round).values_list(
        "response_id", "response__organisation_id", "item", "value"
    ):
        entry = by_response.setdefault(response_id, {"organisation": organisation_id, "answers": {}, "open_text": ""})
        entry["answers"][item] = value
    remarks = [
        {"organisation": None, "answers": {}, "open_text": text}
        for text in OpenAnswer.objects.filter(round=pulse_round).values_list("text", flat=True)
    ]
    return [*by_response.values(), *remarks]


# --- the rhythm: opening, reminding and closing by date (daily, in the background worker) -------------------------


def run_schedule(*, today: datetime.date | None = None) -> dict[str, int]:
    """Open the rounds whose day came, remind who did not answer a round that closes soon, close the rounds whose last
    day passed and schedule the next one. Idempotent: running it twice on a day changes nothing the second time."""
    today = today or timezone.localdate()
    done = {"opened": 0, "reminded": 0, "closed": 0, "scheduled": 0, "prompts": 0}
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
    for network in Network.objects.filter(case_events__occurred_on__gte=today - EVENT_LOOKBACK).distinct():
        done["prompts"] += len(prompts_for_events(network=network, today=today))
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


# --- conversation prompts -------------------------------------------------------------------------------------------

# The case events that count for R8 and R9 ("an escalated signal, a failed referral or a missed handover").
EVENT_KINDS = (
    CaseEventKind.SIGNAL_ESCALATED,
    CaseEventKind.SIGNAL_BREAKTHROUGH,
    CaseEventKind.REFERRAL_REJECTED,
    CaseEventKind.REFERRAL_STALLED,
    CaseEventKind.COORDINATOR_HANDOVER,
)
EVENT_LOOKBACK = datetime.timedelta(weeks=4)


def _facts(firings: list[prompts.Firing]) -> dict:
    facts: dict[str, Any] = {"rules": sorted({str(firing.rule) for firing in firings})}
    for firing in firings:
        for key, value in firing.facts.items():
            facts[key] = round(value, 3) if isinstance(value, float) else value
    return facts


def _safety_medians(network: Network, since: datetime.date) -> list[float]:
    """The medians of the safety checks of the network's recent learning entries that have k answers or more."""
    medians = []
    rows = (
        SafetyAnswer.objects.filter(entry__network=network, entry__happened_on__gte=since)
        .order_by("entry_id", "value")
        .values_list("entry_id", "value")
    )
    by_entry: dict[int, list[int]] = {}
    for entry_id, value in rows:
        by_entry.setdefault(entry_id, []).append(value)
    for values in by_entry.values():
        if len(values) >= K_ANONYMITY:
            medians.append(float(statistics.median(values)))
    return medians


def prompts_for_round(pulse_round: PulseRound) -> list[Prompt]:
    """The cards of the rules that fire on the round that just closed: one per theme, none for a theme that had one
    in the round before (at most one per theme per two rounds)."""
    network = pulse_round.network
    board = selectors.dashboard(network)
    if board.latest is None or board.latest.pulse_round.pk != pulse_round.pk:
        return []
    thresholds = prompts.thresholds_for(settings_for(network).thresholds)
    since = pulse_round.closes_on - datetime.timedelta(weeks=6)
    ppgi = [figures.pulse_round.practice.get("ppgi") for figures in board.rounds[-2:]]
    firings = prompts.evaluate_round(board, thresholds, _safety_medians(network, since), ppgi)
    if not firings:
        return []
    recent = set(
        Prompt.objects.filter(network=network, round__number=pulse_round.number - 1).values_list("construct", flat=True)
    )
    by_construct: dict[str, list[prompts.Firing]] = {}
    for firing in firings:
        if firing.construct not in recent:
            by_construct.setdefault(firing.construct, []).append(firing)
    rules = {str(firing.rule) for group in by_construct.values() for firing in group}
    neutral = prompts.neutral_facilitator(rules)
    created = []
    for construct, group in by_construct.items():
        group_rules = {str(firing.rule) for firing in group}
        prompt, made = Prompt.objects.get_or_create(
            network=network,
            rule=min(group_rules),
            construct=construct,
            round=pulse_round,
            defaults={
                "evaluated_on": min(pulse_round.closes_on, timezone.localdate()),
                "structure": prompts.structure_for(group_rules),
                "neutral_facilitator": neutral,
                "facts": _facts(group),
            },
        )
        if made:
            created.append(prompt)
    return created


def _announce(network: Network, created: list[Prompt]) -> None:
    if not created:
        return
    people = [*network.facilitators.values_list("pk", flat=True), *invited_users(network)]
    notify(
        actor=SYSTEM,
        recipients=people,
        household_id=None,
        kind=NotificationKind.PULSE_PROMPT,
        category=DataCategory.GENERAL,
        url=reverse("collaboration:network", kwargs={"network_id": network.pk}) + "#gespreksstarters",
        params={"name": network.name},
        group_key=f"prompts:{network.pk}",
    )
    audit.record(
        actor=SYSTEM,
        action=AuditAction.CREATE,
        object_type=Prompt._meta.label_lower,
        purpose=AuditPurpose.OPERATIONS,
        description=f"{len(created)} conversation prompt(s) for network {network.pk}",
        changes={"prompts": [prompt.pk for prompt in created]},
    )


@atomic_service
def prompts_for_events(*, network: Network, today: datetime.date) -> list[Prompt]:
    """R8 (events between two or more organisations since the last card about them) and R9 (such events in the last
    weeks, but no learning entry since): a card each, once a day at the most; R9 once per its period. The network
    hears of new cards in the notification centre."""
    created = event_prompts(network=network, today=today)
    _announce(network, created)
    return created


def event_prompts(*, network: Network, today: datetime.date) -> list[Prompt]:
    """The cards of ``prompts_for_events``, without telling anyone (the demo generator writes them this way)."""
    thresholds = prompts.thresholds_for(settings_for(network).thresholds)
    events = CaseEvent.objects.filter(network=network, kind__in=EVENT_KINDS, organisation_b__isnull=False)
    last = (
        Prompt.objects.filter(network=network, rule=Rule.EVENT)
        .order_by("-evaluated_on")
        .values_list("evaluated_on", flat=True)
    ).first()
    new = events.filter(occurred_on__gt=last or today - EVENT_LOOKBACK, occurred_on__lte=today)
    kinds = dict(new.values_list("kind").annotate(n=Count("id")).order_by())
    firings: list[tuple[str, dict]] = []
    if kinds:
        firings.append((Rule.EVENT, {"events": sum(kinds.values()), "kinds": kinds}))
    since = today - datetime.timedelta(weeks=thresholds["r9_weeks"])
    stalled = (
        events.filter(occurred_on__gte=since).exists()
        and not LearningEntry.objects.filter(network=network, created_at__date__gte=since).exists()
        and not Prompt.objects.filter(network=network, rule=Rule.LEARNING_STALL, evaluated_on__gte=since).exists()
    )
    if stalled:
        firings.append((Rule.LEARNING_STALL, {"weeks": int(thresholds["r9_weeks"])}))
    neutral = prompts.neutral_facilitator({rule for rule, _facts in firings})
    created = []
    for rule, facts in firings:
        prompt, made = Prompt.objects.get_or_create(
            network=network,
            rule=rule,
            construct="",
            round=None,
            evaluated_on=today,
            defaults={
                "structure": prompts.structure_for({rule}),
                "neutral_facilitator": neutral,
                "facts": {"rules": [str(rule)], **facts},
            },
        )
        if made:
            created.append(prompt)
    return created


def _prompt_for_manager(actor: Actor, prompt: Prompt) -> Prompt:
    prompt = Prompt.objects.select_for_update(no_key=True).select_related("network").get(pk=prompt.pk)
    require(actor, "collaboration.manage", prompt.network)
    return prompt


@atomic_service
def prompt_plan(*, actor: Actor, prompt: Prompt, planned_on: Any) -> Prompt:
    """Put a card on the agenda of the network meeting of ``planned_on``."""
    prompt = _prompt_for_manager(actor, prompt)
    if not isinstance(planned_on, datetime.date) or isinstance(planned_on, datetime.datetime):
        raise ValidationError({"planned_on": _("Enter a date.")}, code="date")
    if planned_on < timezone.localdate():
        raise ValidationError({"planned_on": _("Choose a day from today on.")}, code="past")
    prompt.status = PromptStatus.PLANNED
    prompt.planned_on = planned_on
    prompt.save(update_fields=["status", "planned_on"])
    _audit(actor, AuditAction.UPDATE, prompt, "conversation prompt planned", {"planned_on": planned_on.isoformat()})
    return prompt


@atomic_service
def prompt_set_aside(*, actor: Actor, prompt: Prompt) -> Prompt:
    """Set a card aside (it stays in the list of earlier cards)."""
    prompt = _prompt_for_manager(actor, prompt)
    prompt.status = PromptStatus.DISMISSED
    prompt.save(update_fields=["status"])
    _audit(actor, AuditAction.UPDATE, prompt, "conversation prompt set aside")
    return prompt


# --- the joint-learning log -----------------------------------------------------------------------------------------


def _text(data: Mapping[str, Any], name: str, *, required: bool = False, max_length: int = LEARNING_TEXT_MAX_LENGTH):
    return clean_text(data.get(name) or "", field=name, max_length=max_length, required=required)


def _date(value: Any, name: str, *, required: bool = False) -> datetime.date | None:
    if value in (None, ""):
        if required:
            raise ValidationError({name: _("Enter a date.")}, code="date")
        return None
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise ValidationError({name: _("Enter a date.")}, code="date")
    return value


def _choice(value: Any, choices, name: str, default: str | None = None) -> str:
    if value in (None, "") and default is not None:
        return default
    if value not in choices.values:
        raise ValidationError({name: _("Choose one of the options.")}, code="choice")
    return str(value)


@atomic_service
def learning_entry_create(*, actor: Actor, network: Network, data: Mapping[str, Any]) -> LearningEntry:
    """Write a learning entry in the ten parts of the specification. ``data``: title, happened_on, trigger, prompt
    (a card of this network), entry_type, organisations (ids of the network's), roles, intended, happened,
    perspectives, household_view, causes (codes), causes_text, keep_doing, change, charter_impact, charter_note,
    review_on, follows (an entry of this network), visibility, and actions: a list of dicts with text, owner_role,
    organisation, due_on, experiment. A card it answers is marked as talked about."""
    require(actor, "collaboration.learn", network)
    if not isinstance(data, Mapping):
        raise ValidationError(_("The entry could not be read."), code="data")
    errors: dict[str, list] = {}

    def take(name, function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
            return None

    fields = {
        "title": take("title", _text, data, "title", required=True, max_length=LEARNING_TITLE_MAX_LENGTH),
        "happened_on": take("happened_on", _date, data.get("happened_on"), "happened_on", required=True),
        "trigger": take("trigger", _choice, data.get("trigger"), Trigger, "trigger"),
        "entry_type": take("entry_type", _choice, data.get("entry_type"), EntryType, "entry_type"),
        "roles": take("roles", _text, data, "roles", max_length=LEARNING_TITLE_MAX_LENGTH),
        "intended": take("intended", _text, data, "intended", required=True),
        "happened": take("happened", _text, data, "happened", required=True),
        "perspectives": take("perspectives", _text, data, "perspectives"),
        "household_view": take("household_view", _text, data, "household_view"),
        "causes_text": take("causes_text", _text, data, "causes_text"),
        "keep_doing": take("keep_doing", _text, data, "keep_doing"),
        "change": take("change", _text, data, "change"),
        "charter_impact": take(
            "charter_impact", _choice, data.get("charter_impact"), CharterImpact, "charter_impact", CharterImpact.NONE
        ),
        "charter_note": take("charter_note", _text, data, "charter_note"),
        "review_on": take("review_on", _date, data.get("review_on"), "review_on"),
        "visibility": take("visibility", _choice, data.get("visibility"), Visibility, "visibility", Visibility.NETWORK),
    }
    causes = list(data.get("causes") or [])
    if any(cause not in Cause.values for cause in causes):
        errors.setdefault("causes", []).append(_("Choose from the list."))
    organisation_ids = [parse_id(value) for value in data.get("organisations") or []]
    allowed = set(network.organisations.values_list("pk", flat=True))
    if any(value not in allowed for value in organisation_ids):
        errors.setdefault("organisations", []).append(_("Choose organisations of this network."))
    prompt = follows = None
    if data.get("prompt"):
        prompt = Prompt.objects.filter(pk=parse_id(data["prompt"]), network=network).first()
        if prompt is None:
            errors.setdefault("prompt", []).append(_("Choose a conversation prompt of this network."))
    if data.get("follows"):
        follows = LearningEntry.objects.filter(pk=parse_id(data["follows"]), network=network).first()
        if follows is None:
            errors.setdefault("follows", []).append(_("Choose an entry of this network."))
    actions = [
        take(f"action_{index}", _action, row, allowed, index) for index, row in enumerate(data.get("actions") or [])
    ]
    if errors:
        raise ValidationError(errors)
    entry = LearningEntry.objects.create(
        network=network, prompt=prompt, follows=follows, causes=sorted(set(causes)), **fields
    )
    entry.organisations.set(organisation_ids)
    LearningAction.objects.bulk_create(LearningAction(entry=entry, **action) for action in actions if action)
    if prompt is not None and prompt.status in (PromptStatus.OPEN, PromptStatus.PLANNED):
        prompt.status = PromptStatus.DONE
        prompt.save(update_fields=["status"])
    _audit(actor, AuditAction.CREATE, entry, "learning entry written", {"actions": len([a for a in actions if a])})
    return entry


def _action(row: Any, allowed: set[int], index: int) -> dict | None:
    if not isinstance(row, Mapping):
        raise ValidationError({f"action_{index}": _("The action could not be read.")})
    text = clean_text(row.get("text") or "", field=f"action_{index}", max_length=500, required=False)
    if not text:
        return None
    owner = clean_text(row.get("owner_role") or "", field=f"action_{index}", max_length=200, required=False)
    if not owner:
        raise ValidationError({f"action_{index}": _("Say which role does it.")}, code="owner")
    organisation = parse_id(row.get("organisation")) if row.get("organisation") else None
    if row.get("organisation") and organisation not in allowed:
        raise ValidationError({f"action_{index}": _("Choose organisations of this network.")}, code="organisation")
    return {
        "text": text,
        "owner_role": owner,
        "organisation_id": organisation,
        "due_on": _date(row.get("due_on"), f"action_{index}"),
        "experiment": bool(row.get("experiment")),
    }


@atomic_service
def safety_answer(*, actor: Actor, entry: LearningEntry, value: Any) -> None:
    """Answer an entry's safety check ("Could I say what I wanted to say?", 1-5), once, anonymously: the answer
    waits and is written in a shuffled batch of k, apart from who answered (as the pulse's answers)."""
    require(actor, "collaboration.learn", entry.network)
    if isinstance(value, bool) or str(value).strip() not in {str(point) for point in SAFETY_SCALE}:
        raise ValidationError({"value": _("Choose one of the answers.")}, code="scale")
    try:
        with transaction.atomic():
            SafetyParticipation.objects.create(entry=entry, user_id=actor.user_id)
    except IntegrityError:
        raise ValidationError(_("You already answered this question. Thank you!"), code="twice") from None
    _wait(PendingSafetyAnswer, {"entry": entry}, "values", int(str(value).strip()))
    _audit(actor, AuditAction.CREATE, entry, "answered the safety check")
    transaction.on_commit(lambda: _mix_safety(entry.pk), robust=True)


def _mix_safety(entry_id: int) -> int:
    with transaction.atomic():
        pending = _take_waiting(PendingSafetyAnswer, {"entry_id": entry_id}, "values", at_least=MIX_BATCH)
        secrets.SystemRandom().shuffle(pending)
        SafetyAnswer.objects.bulk_create(SafetyAnswer(entry_id=entry_id, value=value) for value in pending)
        return len(pending)


# --- the charter ----------------------------------------------------------------------------------------------------


@atomic_service
def charter_version_create(
    *, actor: Actor, network: Network, principles: list[Mapping[str, Any]], entry_id: Any = None, note: Any = ""
) -> CharterVersion:
    """A new version of the network's charter: 2 to 7 principles, each one sentence with a one-line why, linked to
    the learning entry that changed it (when there is one)."""
    require(actor, "collaboration.manage", network)
    rows = []
    errors: dict[str, list] = {}
    for index, row in enumerate(principles or [], start=1):
        if not isinstance(row, Mapping):
            continue
        text = clean_text(
            row.get("text") or "", field=f"text_{index}", max_length=PRINCIPLE_MAX_LENGTH, required=False, one_line=True
        )
        why = clean_text(
            row.get("why") or "", field=f"why_{index}", max_length=PRINCIPLE_MAX_LENGTH, required=False, one_line=True
        )
        if text and not why:
            errors.setdefault(f"why_{index}", []).append(_("Say in one line why."))
        elif why and not text:
            errors.setdefault(f"text_{index}", []).append(_("Write the principle as well."))
        elif text:
            rows.append((text, why))
    if not PRINCIPLES_MIN <= len(rows) <= PRINCIPLES_MAX:
        errors.setdefault("__all__", []).append(
            _("A charter has %(min)d to %(max)d principles.") % {"min": PRINCIPLES_MIN, "max": PRINCIPLES_MAX}
        )
    entry = None
    if entry_id not in (None, ""):
        entry = LearningEntry.objects.filter(pk=parse_id(entry_id), network=network).first()
        if entry is None:
            errors.setdefault("entry", []).append(_("Choose an entry of this network."))
    note = clean_text(note or "", field="note", max_length=500, required=False, one_line=True)
    if errors:
        raise ValidationError(errors)
    last = CharterVersion.objects.filter(network=network).select_for_update(no_key=True).order_by("-number").first()
    version = CharterVersion.objects.create(
        network=network, number=(last.number + 1) if last else 1, entry=entry, note=note
    )
    Principle.objects.bulk_create(
        Principle(version=version, position=position, text=text, why=why)
        for position, (text, why) in enumerate(rows, start=1)
    )
    _audit(actor, AuditAction.CREATE, version, "charter changed", {"principles": len(rows)})
    return version


@atomic_service
def pulse_thresholds_set(*, actor: Actor, network: Network, values: Mapping[str, Any]) -> PulseSettings:
    """The network's own thresholds for the rules (``prompts.THRESHOLDS``): a value per key within its range; a key
    left out (or empty) goes back to the default."""
    require(actor, "collaboration.manage", network)
    if not isinstance(values, Mapping):
        raise ValidationError(_("The thresholds could not be read."), code="thresholds")
    chosen: dict[str, float] = {}
    errors: dict[str, list] = {}
    for key, value in values.items():
        threshold = prompts.THRESHOLDS.get(key)
        if threshold is None:
            errors.setdefault("__all__", []).append(_("The thresholds could not be read."))
            continue
        if value in (None, ""):
            continue
        try:
            number = float(str(value).replace(",", "."))
        except ValueError:
            number = float("nan")
        if isinstance(value, bool) or not threshold.low <= number <= threshold.high:
            errors.setdefault(key, []).append(
                _("Choose a number from %(low)s to %(high)s.")
                % {"low": formats.number_format(threshold.low), "high": formats.number_format(threshold.high)}
            )
            continue
        if number != threshold.default:
            chosen[key] = number
    if errors:
        raise ValidationError(errors)
    pulse_settings, _created = PulseSettings.objects.update_or_create(network=network, defaults={"thresholds": chosen})
    _audit(actor, AuditAction.UPDATE, pulse_settings, "prompt thresholds", {"thresholds": chosen})
    return pulse_settings
