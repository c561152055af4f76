"""The demo municipality's network pulse: a year of rounds (every 4 weeks) for both networks, and an open round.

Synthetic answers with a story the figures make visible: in Netwerk Noord trust falls after round 9 (a referral that
was turned down) and slowly recovers; in Netwerk Zuid the professionals of Wijkteam Zuid keep concerns to themselves
more and more often (silence rises in one organisation). The last round of Netwerk Noord is open, and the demo
professional has not answered it yet, so anyone can try it. Written like the real thing: answers without a person,
in a shuffled order, participations apart.
"""

from __future__ import annotations

import datetime
import random

from samen.collaboration import practice
from samen.collaboration.items import ROTATING_CODES, items_of_round
from samen.collaboration.models import (
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
    Principle,
    Prompt,
    PromptStatus,
    PulseRound,
    Response,
    RoundStatus,
    Trigger,
    Visibility,
)
from samen.collaboration.selectors import alphas_to_store
from samen.collaboration.services import answer_url, event_prompts, invited_users, prompts_for_round
from samen.consent.models import DataCategory
from samen.core.anonymity import K_ANONYMITY
from samen.organisations.models import CaseEvent, CaseEventKind, Membership, Network
from samen.reminders.models import NotificationKind
from samen.reminders.services import write_notifications

ROUNDS = 13
INTERVAL = datetime.timedelta(weeks=4)
OPEN_DAYS = 14

BASE = {
    "trust": 5.4, "voice": 5.3, "silence": 2.4, "influence": 5.2, "status": 5.3, "interests": 5.1, "failure": 5.3,
    "simplify": 5.1, "paper": 5.1, "learning": 5.0, "resilience": 5.2, "ambition": 5.7,
}  # fmt: skip

REMARKS = (
    "Wie pakt de regie als twee organisaties allebei denken dat de ander het doet?",
    "De wachtlijst bij de jeugdhulp: wat beloven we inwoners eigenlijk?",
    "Hoe we omgaan met een afgewezen verwijzing, zonder dat het persoonlijk wordt.",
    "Meer tijd om samen terug te kijken, niet alleen vooruit.",
    "Wat doen we als het plan op papier niet meer klopt?",
    "Wie beslist er over geld, en weet iedereen dat?",
    "Korter overleg, maar vaker.",
    "Hoe we de inwoner zelf meer aan het woord laten in het overleg.",
)


def _story(network_name: str, number: int, organisation_name: str) -> dict[str, float]:
    means = dict(BASE)
    if network_name == "Netwerk Noord":
        if 9 <= number <= 11:
            means["trust"] = 4.0
            means["interests"] = 3.7
        elif number >= 12:
            means["trust"] = 4.6
            means["learning"] = 5.0
    if network_name == "Netwerk Zuid" and organisation_name.startswith("Wijkteam") and number >= 7:
        means["silence"] = min(2.6 + 0.45 * (number - 6), 5.6)
        means["voice"] = max(5.0 - 0.3 * (number - 6), 3.2)
    return means


def _answer(rng: random.Random, mean: float, person: float, reverse: bool, dont_know: float) -> int | None:
    """One answer: the item's mean, how this person sees the collaboration in general (the same for all their
    answers, turned round for a reverse item), and some noise; now and then "don't know"."""
    if rng.random() < dont_know:
        return None
    return max(1, min(7, round(mean + (-person if reverse else person) + rng.gauss(0, 0.7))))


def add_demo_pulse(*, seed: int, now: datetime.datetime, skip_user_ids: set[int] | None = None) -> int:
    """A year of closed rounds per network and one open round in Netwerk Noord; how many responses were written.
    ``skip_user_ids``: people who have not answered the open round (the demo logins)."""
    rng = random.Random(seed * 7919 + 13)  # noqa: S311 - synthetic demo data, not security
    today = now.date()
    written = 0
    for network in Network.objects.order_by("name"):
        people = invited_users(network)
        if len(people) < K_ANONYMITY:
            continue
        organisation_of = dict(
            Membership.objects.filter(organisation__networks=network, user_id__in=people, is_active=True)
            .order_by("created_at")
            .values_list("user_id", "organisation__name")
        )
        organisation_ids = dict(network.organisations.values_list("name", "pk"))
        has_open = network.name == "Netwerk Noord"
        # Netwerk Noord's open round opened 3 days ago; Netwerk Zuid's last round closed a week ago.
        last_opens = today - datetime.timedelta(days=3) if has_open else today - datetime.timedelta(days=OPEN_DAYS + 7)
        first_opens = last_opens - INTERVAL * (ROUNDS - (0 if has_open else 1))
        for index in range(ROUNDS + (1 if has_open else 0)):
            number = index + 1
            opens_on = first_opens + INTERVAL * index
            is_open = has_open and index == ROUNDS
            pulse_round = PulseRound.objects.create(
                network=network,
                number=number,
                opens_on=opens_on,
                closes_on=opens_on + datetime.timedelta(days=OPEN_DAYS),
                status=RoundStatus.OPEN if is_open else RoundStatus.CLOSED,
                rotating_item=ROTATING_CODES[index % len(ROTATING_CODES)],
                invited=len(people),
                reminded=not is_open,
            )
            rate = 0.45 if is_open else rng.uniform(0.72, 0.92)
            candidates = [user for user in people if not (is_open and user in (skip_user_ids or set()))]
            answering = rng.sample(candidates, max(K_ANONYMITY, min(len(candidates), round(len(people) * rate))))
            if not is_open:
                # The neighbourhood team answers every round: its figures can be shown on their own.
                answering += [
                    user
                    for user in people
                    if organisation_of.get(user, "").startswith("Wijkteam") and user not in answering
                ]
            Participation.objects.bulk_create(Participation(round=pulse_round, user_id=user) for user in answering)
            if is_open:
                # The answers so far: whole batches of k written (shown once the round closes), the rest waiting; and
                # the invitation in the notification centre of who has not answered yet.
                _open_round_answers(rng, network, pulse_round, answering, organisation_of, organisation_ids)
                write_notifications(
                    skip=None,
                    recipients=[user for user in people if user not in answering],
                    household_id=None,
                    kind=NotificationKind.PULSE_OPEN,
                    category=DataCategory.GENERAL,
                    url=answer_url(pulse_round),
                    params={"name": network.name, "date": pulse_round.closes_on},
                    group_key=f"pulse:{pulse_round.pk}",
                    now=now,
                )
                continue
            rng.shuffle(answering)
            responses, answers = [], []
            for user in answering:
                organisation_name = organisation_of.get(user, "")
                response = Response(round=pulse_round, organisation_id=organisation_ids.get(organisation_name))
                responses.append(response)
                means = _story(network.name, number, organisation_name)
                person = rng.gauss(0, 0.8)
                for item in items_of_round(pulse_round.rotating_item):
                    # (The small neighbourhood team answers every question, so that it stays at k on each.)
                    dont_know = 0.0 if organisation_name.startswith("Wijkteam") else 0.05
                    value = _answer(rng, means[item.code], person, item.reverse, dont_know)
                    if value is not None:
                        answers.append(Answer(response=response, item=item.code, value=value))
            _clear_small_organisations(responses)
            Response.objects.bulk_create(responses)
            Answer.objects.bulk_create(answers)
            remarks = [OpenAnswer(round=pulse_round, text=rng.choice(REMARKS)) for _ in range(len(answering) // 3)]
            OpenAnswer.objects.bulk_create(remarks)
            written += len(responses)
            pulse_round.alphas = alphas_to_store(pulse_round)
            # Paper and practice as the case data showed it on the day the round closed (the demo's households have
            # half a year of history: the early rounds count too few to show most indicators).
            pulse_round.practice = practice.for_network(
                network, min(pulse_round.closes_on, today), pulse_round=pulse_round
            ).to_json()
            pulse_round.save(update_fields=["alphas", "practice"])
            # The rules fire as they would have when the round closed; cards of earlier rounds were talked about.
            for prompt in prompts_for_round(pulse_round):
                if index < ROUNDS - 2:
                    prompt.status = PromptStatus.DONE
                    prompt.save(update_fields=["status"])
        _learning_and_charter(network, first_opens)
        event_prompts(network=network, today=today)
    return written


CHARTER = (
    ("Wie de situatie het best kent, beslist mee.", "Goede besluiten komen van wie dichtbij de inwoner staat."),
    ("We zeggen het als iets niet loopt, ook over onszelf.", "Kleine problemen worden groot als niemand ze noemt."),
    ("Eén plan, één regisseur per huishouden.", "Inwoners hoeven hun verhaal maar één keer te vertellen."),
)
NEW_PRINCIPLE = (
    "Een verwijzing wijzen we niet af zonder eerst samen te bellen.",
    "Een afwijzing op papier voelde als een dichte deur; een gesprek vindt vaak een andere weg.",
)


def _learning_and_charter(network: Network, first_opens: datetime.date) -> None:
    """Netwerk Noord looked back on the referral that was turned down (the card of round 9), and added a principle."""
    version = CharterVersion.objects.create(network=network, number=1, note="Eerste versie.")
    version.created_at = datetime.datetime.combine(first_opens, datetime.time(10), tzinfo=datetime.UTC)
    version.save(update_fields=["created_at"])
    Principle.objects.bulk_create(
        Principle(version=version, position=position, text=text, why=why)
        for position, (text, why) in enumerate(CHARTER, start=1)
    )
    if network.name != "Netwerk Noord":
        return
    # The referral from the neighbourhood team that youth care turned down, just before trust fell (round 9).
    pair = list(
        network.organisations.filter(name__in=["Wijkteam Noord", "Jeugdhulp Voorbeeldstad"]).values_list(
            "pk", flat=True
        )
    )
    if len(pair) == 2:
        # Written as the referral service would have (``case_event_record``), without an audit entry of its own: the
        # demo run writes one for everything it made.
        low, high = sorted(pair)
        CaseEvent.objects.create(
            network=network,
            kind=CaseEventKind.REFERRAL_REJECTED,
            organisation_a_id=low,
            organisation_b_id=high,
            occurred_on=first_opens + INTERVAL * 8 + datetime.timedelta(days=5),
            hours=30,
        )
    card = Prompt.objects.filter(network=network, round__number__in=(9, 10), construct="trust").first()
    organisations = list(
        network.organisations.filter(name__in=["Wijkteam Noord", "Jeugdhulp Voorbeeldstad"]).order_by("name")
    )
    entry = LearningEntry.objects.create(
        network=network,
        title="De afgewezen verwijzing naar de jeugdhulp",
        happened_on=first_opens + INTERVAL * 9 + datetime.timedelta(days=20),
        trigger=Trigger.PROMPT if card else Trigger.EVENT,
        prompt=card,
        entry_type=EntryType.INCIDENT,
        roles="regisseur, jeugdhulpverlener, schuldhulpverlener",
        intended="Het gezin zou binnen twee weken een gesprek met de jeugdhulp hebben, zoals in het plan stond.",
        happened="De verwijzing werd op papier afgewezen omdat een formulier ontbrak. Niemand belde. Het gezin "
        "wachtte zes weken.",
        perspectives="Wijkteam: we dachten dat het geregeld was. Jeugdhulp: zonder het formulier mochten we niet "
        "beginnen.",
        causes=[Cause.PROTOCOL, Cause.INFORMATION, Cause.TRUST],
        causes_text="Het protocol woog zwaarder dan het gesprek.",
        keep_doing="Snel verwijzen als het plan dat vraagt.",
        change="Eerst bellen, dan pas afwijzen.",
        charter_impact=CharterImpact.ADD,
        charter_note="Een nieuw principe over afwijzen.",
        # Shared upwards: the policy advisor and the other network read its lesson, without what happened.
        visibility=Visibility.SHARED,
    )
    entry.organisations.set(organisations)
    LearningAction.objects.create(
        entry=entry,
        text="Een vast belmoment per week tussen wijkteam en jeugdhulp",
        owner_role="teamleider",
        organisation=organisations[0] if organisations else None,
        experiment=True,
    )
    if card is not None:
        card.status = PromptStatus.DONE
        card.save(update_fields=["status"])
    second = CharterVersion.objects.create(network=network, number=2, entry=entry, note="Principe 4 toegevoegd.")
    Principle.objects.bulk_create(
        Principle(version=second, position=position, text=text, why=why)
        for position, (text, why) in enumerate((*CHARTER, NEW_PRINCIPLE), start=1)
    )


def _open_round_answers(rng, network, pulse_round, answering, organisation_of, organisation_ids) -> None:
    payloads = []
    for user in answering:
        organisation_name = organisation_of.get(user, "")
        means = _story(network.name, pulse_round.number, organisation_name)
        person = rng.gauss(0, 0.8)
        values = {
            item.code: value
            for item in items_of_round(pulse_round.rotating_item)
            if (value := _answer(rng, means[item.code], person, item.reverse, 0.05)) is not None
        }
        payloads.append({"organisation": organisation_ids.get(organisation_name), "answers": values, "open_text": ""})
    rng.shuffle(payloads)
    waiting = len(payloads) % K_ANONYMITY
    responses, answers = [], []
    for payload in payloads[waiting:]:
        response = Response(round=pulse_round, organisation_id=payload["organisation"])
        responses.append(response)
        answers.extend(Answer(response=response, item=code, value=value) for code, value in payload["answers"].items())
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(answers)
    PendingResponse.objects.create(round=pulse_round, answers=payloads[:waiting])


def _clear_small_organisations(responses: list[Response]) -> None:
    """As ``services.round_close`` does: an organisation with fewer than k responses in a round is cleared."""
    counts: dict[int | None, int] = {}
    for response in responses:
        counts[response.organisation_id] = counts.get(response.organisation_id, 0) + 1
    for response in responses:
        if counts.get(response.organisation_id, 0) < K_ANONYMITY:
            response.organisation_id = None
