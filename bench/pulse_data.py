"""The network pulse's benchmark data: a large network and a small one, with closed rounds of synthetic answers.

Written the way ``samen/collaboration/demo.py`` writes the demo's rounds (``bulk_create`` of rounds,
participations, responses in a shuffled order, answers and open answers), not through the services: those are
audited one answer at a time, which would take far longer than the benchmark itself. An organisation with fewer
than k responses in a round is cleared from its responses, as closing a round does.

The large network: ``professionals`` people (users with an unusable password, each with one active membership as a
professional) in 8 organisations of uneven size (the smallest near k: in some rounds fewer than k of its people
answer, so its responses are cleared and the breakdown must protect it), ``rounds`` closed rounds every 4 weeks up
to today, about 80 % answering each round, every item of the round answered (10 core items and the round's rotating
one), and a third of them writing an open answer. Answers come from the item's mean, the organisation's and the
person's outlook, a slow drift over the rounds and noise, on 1..7. The small network (3 organisations of 10) has the
same number of rounds, so every query of the large one's page must filter by network. Each network's facilitator
has a membership as a network facilitator (their role when they log in).
"""

from __future__ import annotations

import datetime
import math
import random
import sys
import time
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from samen.accounts.models import User
from samen.collaboration.items import ROTATING_CODES, items_of_round
from samen.collaboration.models import Answer, OpenAnswer, Participation, PulseRound, Response, RoundStatus
from samen.collaboration.selectors import alphas_to_store
from samen.core.anonymity import K_ANONYMITY
from samen.organisations.models import Membership, MembershipRole, Network, Organisation, OrganisationType

INTERVAL = datetime.timedelta(weeks=4)
OPEN_DAYS = 14
# The shares of the large network's people per organisation. The last one has 6 people at 1,000: with about 80 %
# answering, some rounds have fewer than k responses of it (cleared at the close) and the breakdown must protect it.
ORGANISATION_SHARES = (0.31, 0.22, 0.16, 0.12, 0.09, 0.06, 0.034, 0.006)
ORGANISATION_TYPES = (
    OrganisationType.NEIGHBOURHOOD_TEAM,
    OrganisationType.MUNICIPALITY,
    OrganisationType.YOUTH_CARE,
    OrganisationType.DEBT_COUNSELLING,
    OrganisationType.MENTAL_HEALTH,
    OrganisationType.HOUSING_CORPORATION,
    OrganisationType.WELFARE,
    OrganisationType.GP_PRACTICE,
)
SMALL_ORGANISATIONS, SMALL_SIZE = 3, 10
MEANS = {
    "trust": 5.3, "voice": 5.0, "silence": 2.6, "influence": 4.6, "status": 4.8, "interests": 4.1, "failure": 5.0,
    "simplify": 4.6, "paper": 4.4, "learning": 4.2, "resilience": 4.9, "ambition": 5.6,
}  # fmt: skip
REMARKS = (
    "Wie pakt de regie als twee organisaties allebei denken dat de ander het doet?",
    "De wachtlijst bij de jeugdhulp: wat beloven we inwoners eigenlijk?",
    "Meer tijd om samen terug te kijken, niet alleen vooruit.",
    "Wat doen we als het plan op papier niet meer klopt?",
    "Wie beslist er over geld, en weet iedereen dat?",
    "Korter overleg, maar vaker.",
)
BATCH = 5000  # rows per INSERT batch


def sizes_of(professionals: int, shares: tuple[float, ...] = ORGANISATION_SHARES) -> list[int]:
    """The organisations' sizes: ``professionals`` people split by ``shares`` (every organisation at least 1, the
    rounding left over to the largest)."""
    sizes = [max(1, round(professionals * share)) for share in shares]
    sizes[0] += professionals - sum(sizes)
    if sizes[0] < 1:
        raise ValueError(f"too few professionals ({professionals}) for {len(shares)} organisations")
    return sizes


def _say(progress: Callable[[str], None] | None, text: str) -> None:
    if progress is not None:
        progress(text)


def stderr_progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def generate(
    *,
    professionals: int = 1000,
    rounds: int = 26,
    seed: int = 2026,
    response_rate: float = 0.8,
    prefix: str = "Bench",
    progress: Callable[[str], None] | None = None,
    progress_every: int = 5,
) -> dict:
    """Write both networks; return what the benchmark needs to know about them (ids and counts)."""
    rng = random.Random(seed)
    started = time.monotonic()
    unusable = make_password(None)
    today = timezone.localdate()
    facts: dict = {}
    for key, name, sizes in (
        ("large", f"{prefix} netwerk groot", sizes_of(professionals)),
        ("small", f"{prefix} netwerk klein", [SMALL_SIZE] * SMALL_ORGANISATIONS),
    ):
        with transaction.atomic():
            network, facilitator, people = _network(name, sizes, key, prefix, unusable)
        counts = {"responses": 0, "answers": 0, "open_answers": 0}
        organisation_effect = {organisation: rng.gauss(0, 0.3) for organisation in set(people.values())}
        first_opens = today - INTERVAL * rounds
        for index in range(rounds):
            opens_on = first_opens + INTERVAL * index
            with transaction.atomic():
                written = _round(
                    rng, network, index, opens_on, people, organisation_effect, response_rate, rounds=rounds
                )
            for what, count in written.items():
                counts[what] += count
            if key == "large" and ((index + 1) % progress_every == 0 or index + 1 == rounds):
                _say(
                    progress,
                    f"    {name}: {index + 1} of {rounds} rounds, {counts['responses']:,} responses, "
                    f"{counts['answers']:,} answers ({time.monotonic() - started:.0f} s)",
                )
        # As ``services.round_close`` does: the last round keeps the reliability of the rounds before it.
        last = PulseRound.objects.filter(network=network).order_by("-number").first()
        last.alphas = alphas_to_store(last)
        last.save(update_fields=["alphas"])
        facts[key] = {
            "network_id": network.pk,
            "name": name,
            "facilitator_id": facilitator.pk,
            "professionals": len(people),
            "organisations": len(sizes),
            "organisation_sizes": sizes,
            "rounds": rounds,
            **counts,
        }
    facts["seconds"] = round(time.monotonic() - started, 1)
    _say(progress, f"    {facts['small']['name']}: {rounds} rounds ({facts['seconds']:.0f} s in all)")
    return facts


def _network(name: str, sizes: list[int], key: str, prefix: str, password: str) -> tuple[Network, User, dict]:
    """The network, its organisations, its people (user id -> organisation id) and its facilitator."""
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"{prefix} {key} organisatie {number + 1}", type=ORGANISATION_TYPES[number % 8])
        for number in range(len(sizes))
    )
    domain = f"{key}.{prefix.lower()}.samen.test"
    users = User.objects.bulk_create(
        (User(email=f"p{number}@{domain}", full_name=f"Professional {number}", password=password))
        for number in range(sum(sizes))
    )
    facilitator = User.objects.create(email=f"facilitator@{domain}", full_name="Netwerkcoördinator", password=password)
    people: dict[int, int] = {}
    memberships = []
    users_left = iter(users)
    for organisation, size in zip(organisations, sizes, strict=True):
        for _ in range(size):
            user = next(users_left)
            people[user.pk] = organisation.pk
            memberships.append(Membership(user=user, organisation=organisation, role=MembershipRole.PROFESSIONAL))
    memberships.append(
        Membership(user=facilitator, organisation=organisations[0], role=MembershipRole.NETWORK_FACILITATOR)
    )
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    network = Network.objects.create(name=name)
    network.organisations.set(organisations)
    network.facilitators.set([facilitator])
    return network, facilitator, people


def _round(
    rng: random.Random,
    network: Network,
    index: int,
    opens_on: datetime.date,
    people: dict[int, int],
    organisation_effect: dict[int, float],
    response_rate: float,
    *,
    rounds: int,
) -> dict[str, int]:
    pulse_round = PulseRound.objects.create(
        network=network,
        number=index + 1,
        opens_on=opens_on,
        closes_on=opens_on + datetime.timedelta(days=OPEN_DAYS),
        status=RoundStatus.CLOSED,
        rotating_item=ROTATING_CODES[index % len(ROTATING_CODES)],
        invited=len(people),
        reminded=True,
    )
    rate = min(1.0, max(0.0, rng.uniform(response_rate - 0.06, response_rate + 0.06)))
    answering = rng.sample(sorted(people), max(min(len(people), K_ANONYMITY), round(len(people) * rate)))
    Participation.objects.bulk_create(
        (Participation(round=pulse_round, user_id=user) for user in answering), batch_size=BATCH
    )
    rng.shuffle(answering)  # the responses carry no trace of who answered, nor in which order
    drift = 0.4 * math.sin(2 * math.pi * index / max(rounds, 2))
    items = items_of_round(pulse_round.rotating_item)
    responses, answers = [], []
    for user in answering:
        organisation_id = people[user]
        response = Response(round=pulse_round, organisation_id=organisation_id)
        responses.append(response)
        outlook = rng.gauss(0, 0.8) + organisation_effect[organisation_id] + drift
        for item in items:
            value = MEANS[item.code] + (-outlook if item.reverse else outlook) + rng.gauss(0, 0.7)
            answers.append(Answer(response=response, item=item.code, value=max(1, min(7, round(value)))))
    _clear_small_organisations(responses)
    Response.objects.bulk_create(responses, batch_size=BATCH)
    Answer.objects.bulk_create(answers, batch_size=BATCH)
    remarks = [OpenAnswer(round=pulse_round, text=rng.choice(REMARKS)) for _ in range(len(answering) // 3)]
    OpenAnswer.objects.bulk_create(remarks, batch_size=BATCH)
    return {"responses": len(responses), "answers": len(answers), "open_answers": len(remarks)}


def _clear_small_organisations(responses: list[Response]) -> None:
    """As ``services.round_close`` does: an organisation with fewer than k responses in a round is cleared."""
    counts: dict[int | None, int] = {}
    for response in responses:
        counts[response.organisation_id] = counts.get(response.organisation_id, 0) + 1
    for response in responses:
        if counts[response.organisation_id] < K_ANONYMITY:
            response.organisation_id = None
