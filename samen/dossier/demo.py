"""Demo timeline: conversation summaries and events over the past year for the showcase household (the lowest id
of ``household_ids``), and its intake. Deterministic for a ``seed`` and ``now``; written with ``bulk_create``
(the demo generator calls this; it writes no audit entries, like the rest of the demo data).

Synthetic text only: no real person, no BSN.
"""

from __future__ import annotations

import datetime
import random

from django.db.models import Q

from samen.consent.models import ConsentGrant, DataCategory
from samen.core.actor import Role
from samen.dossier.models import Entry, EntryKind, Intake, IntakeSituation
from samen.households.models import HouseholdMember, TeamMember, TeamRole

G = DataCategory

# (days ago, category, who took part, what was said)
CONVERSATIONS = [
    (
        350,
        G.GENERAL,
        "Fatima, de regisseur",
        "Kennismaking thuis. Fatima vertelde over de schulden, de kinderen en "
        "haar wens om weer te werken. Afgesproken: eerst rust in de financiën.",
    ),
    (
        300,
        G.FINANCES,
        "Fatima, de schuldhulpverlener",
        "Alle brieven samen geopend en op een rij gezet. Er zijn "
        "zes schuldeisers. Fatima brengt volgende week de loonstroken mee.",
    ),
    (
        260,
        G.YOUTH,
        "Fatima, Noor, de regisseur",
        "Noor gaat niet graag naar school. Afgesproken dat de regisseur contact opneemt met de mentor.",
    ),
    (
        220,
        G.FINANCES,
        "Fatima, de schuldhulpverlener, de cliëntondersteuner",
        "Aanvraag schuldhulp samen ingevuld. Budgetbeheer gaat volgende maand in.",
    ),
    (
        170,
        G.GENERAL,
        "Fatima, de regisseur, de buurvrouw",
        "Gesprek over wie wat doet. De buurvrouw haalt de kinderen op dinsdag en donderdag van school.",
    ),
    (
        120,
        G.GENERAL,
        "Fatima, de oude en de nieuwe regisseur",
        "Warme overdracht. Fatima vertelde wat goed ging en wat ze van de nieuwe regisseur verwacht.",
    ),
    (
        75,
        G.FINANCES,
        "Fatima, de schuldhulpverlener",
        "De betalingsregeling loopt. Er zijn geen nieuwe aanmaningen. Fatima is trots dat ze het volhoudt.",
    ),
    (
        40,
        G.YOUTH,
        "Fatima, Noor, de jeugdhulpverlener",
        "Noor heeft weer plezier op school. Twee keer per maand thuis een gesprek over opvoeden.",
    ),
    (
        12,
        G.GENERAL,
        "Fatima, de regisseur",
        "Evaluatie van het plan. Drie van de vijf doelen zijn gehaald. "
        "Fatima wil nu werk zoeken voor twee dagen per week.",
    ),
]

# (days ago, category, source, text)
EVENTS = [
    (345, G.GENERAL, "consent", "Fatima gaf Wijkteam Noord toestemming voor algemene gegevens."),
    (330, G.GENERAL, "plans", "Het plan is gemaakt."),
    (200, G.GENERAL, "consent", "Fatima gaf Schuldhulp toestemming voor financiën en schulden."),
    (150, G.GENERAL, "plans", "Het plan is veranderd: een doel over school toegevoegd."),
    (120, G.GENERAL, "households", "De regisseur is gewisseld."),
    (30, G.GENERAL, "consent", "Fatima trok de toestemming voor gezondheid in."),
    (10, G.GENERAL, "plans", "Fatima ging akkoord met versie 3 van het plan."),
]

INTAKE_SITUATIONS = {
    "finances": "Zes schulden, samen ongeveer 9.000 euro. Er loopt nu een betalingsregeling.",
    "work_education": "Fatima werkte tot drie jaar geleden in een supermarkt. Ze wil weer aan het werk.",
    "housing": "Huurwoning met drie kamers. De huur is betaald.",
    "domestic_relations": "Fatima zorgt alleen voor Noor en Sem. Het contact met hun vader is rustig.",
    "physical_health": "Fatima slaapt slecht door de zorgen.",
    "social_network": "Een buurvrouw helpt met de kinderen. Weinig familie in de buurt.",
}


def _days_ago(now: datetime.datetime, days: int, rng: random.Random) -> datetime.datetime:
    return now - datetime.timedelta(days=days, hours=rng.randint(0, 8), minutes=rng.randint(0, 59))


def add_demo_timeline(*, household_ids: list[int], seed: int, now: datetime.datetime) -> int:
    """Add the showcase household's timeline and intake; the number of entries added (0 without households, or
    when the showcase has its timeline already).
    Each conversation is written by a team member whose organisation was ever given that category, else by
    the household itself."""
    if not household_ids:
        return 0
    household_id = min(household_ids)
    if Entry.objects.filter(household_id=household_id, kind__in=[EntryKind.CONVERSATION, EntryKind.EVENT]).exists():
        return 0  # made already: running the demo again adds nothing
    rng = random.Random(seed)
    citizen = (
        HouseholdMember.objects.filter(household_id=household_id, user__isnull=False)
        .order_by("date_of_birth", "pk")
        .values_list("user_id", flat=True)
        .first()
    )
    team = list(
        TeamMember.objects.filter(household_id=household_id, role=TeamRole.PROFESSIONAL, organisation__isnull=False)
        .order_by("-is_coordinator", "left_at", "joined_at", "pk")
        .values_list("user_id", "organisation_id", "is_coordinator")
    )
    granted: dict[int, set[str]] = {}
    for organisation_id, category in ConsentGrant.objects.filter(
        Q(household_id=household_id) & Q(organisation__isnull=False)
    ).values_list("organisation_id", "category"):
        granted.setdefault(organisation_id, set()).add(category)

    def writer(category: DataCategory) -> tuple[int | None, int | None, str]:
        for user_id, organisation_id, is_coordinator in team:
            if category.value in granted.get(organisation_id, ()):
                return user_id, organisation_id, Role.COORDINATOR if is_coordinator else Role.PROFESSIONAL
        return citizen, None, Role.CITIZEN

    entries = []
    for days, category, participants, text in CONVERSATIONS:
        user_id, organisation_id, role = writer(category)
        if user_id is None:
            continue
        entries.append(
            Entry(
                household_id=household_id,
                kind=EntryKind.CONVERSATION,
                category=category,
                participants=participants,
                text=text,
                written_by_id=user_id,
                organisation_id=organisation_id,
                author_role=role,
                created_at=_days_ago(now, days, rng),
            )
        )
    for days, category, source, text in EVENTS:
        entries.append(
            Entry(
                household_id=household_id,
                kind=EntryKind.EVENT,
                category=category,
                source=source,
                text=text,
                written_by_id=None,
                author_role=Role.SYSTEM,
                created_at=_days_ago(now, days, rng),
            )
        )
    Entry.objects.bulk_create(entries)

    if not Intake.objects.filter(household_id=household_id).exists():
        coordinator = next(((user, org) for user, org, is_coordinator in team if is_coordinator), None)
        intake = Intake.objects.create(
            household_id=household_id,
            question="Ik wil rust in mijn hoofd: van de schulden af, en dat het met de kinderen goed gaat.",
            involved="De huisarts, de mentor van Noor op school en de buurvrouw die helpt met de kinderen.",
            wants="Over een jaar geen aanmaningen meer, Noor gaat graag naar school en ik werk twee dagen.",
            filled_by_id=coordinator[0] if coordinator else citizen,
            filled_by_role=Role.COORDINATOR if coordinator else Role.CITIZEN,
            updated_at=_days_ago(now, 340, rng),
            version=2,
        )
        IntakeSituation.objects.bulk_create(
            IntakeSituation(intake=intake, domain=domain, text=text) for domain, text in INTAKE_SITUATIONS.items()
        )
    return len(entries)
