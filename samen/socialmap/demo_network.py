"""Demo network maps (synthetic names, plain Dutch) for the demo generator: the people around a household.

The showcase household (the lowest id) gets a hand-made map of nine people: its neighbour (in the team), grandmother,
an uncle, a friend, the coordinator and the debt counsellor (both in the team, linked to their places), the
teacher (a professional who is not in the team), a volunteer driver of the Buurtbus (a service of the social map,
when the map has it) and a man from the walking group. A few more of the demo's detailed households get a map of 6 to
10 people made from the seed, so the coordinator's other households are not empty either. Every name is made up.

Like the other demo modules it writes rows directly (the demo run has one audit entry of its own), in a fixed number
of queries, and does nothing when the households have a map already.
"""

from __future__ import annotations

import datetime
import random

from samen.core.vocabulary import TeamRole
from samen.households.models import TeamMember
from samen.socialmap.models import Closeness, NetworkPerson, NetworkRelation, Service

# How many of the detailed households, besides the showcase, get a generated map.
OTHER_HOUSEHOLDS = 24
R = NetworkRelation
C = Closeness

# The showcase's people not in the team: (name, relation, closeness, what they help with, days ago).
SHOWCASE = [
    ("Oma Truus", R.FAMILY, C.CLOSE, "Past op de kinderen als er een afspraak is. Kookt op zondag.", 300),
    (
        "Linda (vriendin)",
        R.FRIEND,
        C.CLOSE,
        "Luistert als het even niet gaat. Gaat mee naar moeilijke gesprekken.",
        280,
    ),
    ("Oom Karim", R.FAMILY, C.MIDDLE, "Helpt met klussen in huis en met de fiets van de kinderen.", 250),
    ("Meester Bram", R.PROFESSIONAL, C.MIDDLE, "Leerkracht van de oudste. Belt als er iets is op school.", 90),
    ("Henk van de wandelgroep", R.OTHER, C.FURTHER, "Wandelt op woensdag mee met moeder.", 40),
]
BUURTBUS = ("Buurtbus", "Ria, chauffeur Buurtbus", "Rijdt moeder naar de huisarts en de supermarkt.")
# The showcase's team, on the map: (team role, is coordinator, relation, closeness, what they help with).
SHOWCASE_TEAM = [
    (TeamRole.INFORMAL, False, R.NEIGHBOUR, C.CLOSE, "Haalt de kinderen op dinsdag en donderdag van school."),
    (TeamRole.PROFESSIONAL, True, R.PROFESSIONAL, C.MIDDLE, "Onze regisseur: houdt het overzicht."),
]
DEBT_HELP = "Helpt met het overzicht van de schulden en de betalingsregeling."

# Generated maps: made-up first names, and per relation what someone might help with.
FIRST_NAMES = (
    "Anja", "Bas", "Chantal", "Dirk", "Esra", "Freek", "Gerda", "Hamza", "Ilse", "Joost", "Kim", "Lotte", "Mehmet",
    "Nina", "Otto", "Petra", "Rachid", "Sandra", "Tom", "Urszula", "Vera", "Wim", "Yasmina", "Zeynep",
)  # fmt: skip
FAMILY_PREFIXES = ("Oma", "Opa", "Tante", "Oom", "Zus", "Broer", "Nicht", "Neef")
HELPS = {
    R.FAMILY: ("Past op de kinderen.", "Komt elke week langs.", "Helpt met geld lenen in nood.", "Kookt soms."),
    R.FRIEND: ("Luistert als het even niet gaat.", "Gaat mee naar afspraken.", "Sport samen."),
    R.NEIGHBOUR: ("Haalt boodschappen.", "Heeft een sleutel voor noodgevallen.", "Let op de kinderen na school."),
    R.VOLUNTEER: ("Helpt met brieven en formulieren.", "Is maatje van de oudste.", "Rijdt naar afspraken."),
    R.PROFESSIONAL: ("Huisarts.", "Leerkracht op school.", "Wijkagent.", "Begeleider op het werk."),
    R.OTHER: ("Van de moskee.", "Van de sportclub.", "Van het buurthuis."),
}
CLOSENESS_WEIGHTS = {
    R.FAMILY: (5, 3, 2),
    R.FRIEND: (4, 4, 2),
    R.NEIGHBOUR: (2, 5, 3),
    R.VOLUNTEER: (1, 4, 5),
    R.PROFESSIONAL: (1, 3, 6),
    R.OTHER: (1, 3, 6),
}


def _person(household_id: int, name: str, relation, closeness, helps: str, moment: datetime.datetime, **links):
    return NetworkPerson(
        household_id=household_id,
        name=name,
        relation=relation,
        closeness=int(closeness),
        helps_with=helps,
        created_at=moment,
        updated_at=moment,
        **links,
    )


def _showcase(household_id: int, now: datetime.datetime) -> list[NetworkPerson]:
    ago = lambda days: now - datetime.timedelta(days=days)  # noqa: E731 - a one-line helper
    people = [
        _person(household_id, name, relation, closeness, helps, ago(days))
        for name, relation, closeness, helps, days in SHOWCASE
    ]
    team = list(
        TeamMember.objects.filter(household_id=household_id, left_at__isnull=True)
        .select_related("user", "organisation")
        .order_by("joined_at", "pk")
    )
    for role, is_coordinator, relation, closeness, helps in SHOWCASE_TEAM:
        member = next((m for m in team if m.role == role and m.is_coordinator == is_coordinator), None)
        if member is not None:
            name = member.user.get_full_name()
            people.append(_person(household_id, name, relation, closeness, helps, ago(80), team_member=member))
    debt = next(
        (m for m in team if m.role == TeamRole.PROFESSIONAL and not m.is_coordinator and "chuld" in m.description),
        None,
    )
    if debt is not None:
        name = debt.user.get_full_name()
        people.append(_person(household_id, name, R.PROFESSIONAL, C.FURTHER, DEBT_HELP, ago(70), team_member=debt))
    service_name, name, helps = BUURTBUS
    service = Service.objects.filter(name=service_name).order_by("pk").first()
    people.append(_person(household_id, name, R.VOLUNTEER, C.FURTHER, helps, ago(30), service=service))
    return people


def _generated(household_id: int, rng: random.Random, now: datetime.datetime) -> list[NetworkPerson]:
    people = []
    names = rng.sample(FIRST_NAMES, rng.randint(6, 10))
    for name in names:
        relation = rng.choice(list(R))
        if relation == R.FAMILY:
            name = f"{rng.choice(FAMILY_PREFIXES)} {name}"
        closeness = rng.choices(list(C), weights=CLOSENESS_WEIGHTS[relation])[0]
        moment = now - datetime.timedelta(days=rng.randint(5, 400))
        people.append(_person(household_id, name, relation, closeness, rng.choice(HELPS[relation]), moment))
    return people


def add_demo_network(*, household_ids: list[int], seed: int, now: datetime.datetime) -> int:
    """Network maps for the showcase household and a few more (see the module's docstring); returns how many people
    were put on a map."""
    if not household_ids or NetworkPerson.objects.filter(household_id__in=household_ids).exists():
        return 0
    ordered = sorted(household_ids)
    showcase_id, others = ordered[0], ordered[1 : 1 + OTHER_HOUSEHOLDS]
    people = _showcase(showcase_id, now)
    for household_id in others:
        people += _generated(household_id, random.Random(f"{seed}-network-{household_id}"), now)
    NetworkPerson.objects.bulk_create(people, batch_size=500)
    return len(people)
