"""Demo timelines: conversation summaries, coded events and an intake for the demo households.

``add_demo_timeline`` gives every household of ``household_ids`` with a professional in its team a timeline:

- the events the rest of Samen would have written (``samen.timeline.services.event_record``), made from the demo
  data that is already there: who joined the team, who became the coordinator, which consent was given or taken
  back, the break-the-glass access, and what happened in the plan (goals and actions added, actions done,
  evaluations, versions saved and agreed). Each has its code, the facts its sentence needs (real names of
  organisations and people, version numbers and dates that exist), its Dutch sentence, its source and the data
  category of what changed; it is written by whoever did it when the demo data says so (the citizen who gave
  consent, the coordinator who recorded it, the person who did the action), else by the coordinator of the time;
- a few conversation summaries, each in a category the writer's organisation had consent for at the time and
  still has, by a professional of that organisation who was in the team then;
- for some households an intake ("tell your story once"), by the coordinator (or, in the showcase household,
  by the citizen), with situations only in life domains the writer may write in.

The showcase household (the lowest id) gets a longer story of a year and a half that fits its team, consent and
plan. Deterministic for a ``seed``, the data and ``now``: texts are put together from small lists of sentence parts
by a ``random.Random`` per household. A fixed number of queries, whatever the number of households (reads with
``__in``, writes with ``bulk_create``); it writes no audit entries, like the rest of the demo data. Households that
already have conversation summaries or events are left alone, so a second run adds nothing.

Synthetic text only: no real person, no BSN.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone, translation

from samen.assessments.domains import DOMAIN_CATEGORY, ZrmDomain
from samen.consent.models import BreakTheGlass, ConsentGrant, DataCategory
from samen.core.actor import Role
from samen.dossier.models import Intake, IntakeSituation
from samen.households.models import CoordinatorHandover, HouseholdMember, Relation, TeamMember, TeamRole
from samen.organisations.models import Membership
from samen.plans.models import Action, EvaluationMoment, Goal, Plan, PlanVersion
from samen.timeline import events
from samen.timeline.models import Entry, EntryKind, EventCode

G = DataCategory
Z = ZrmDomain
E = EventCode

LANGUAGE = "nl"  # the language ``Entry.text`` keeps an event's sentence in (as ``event_record`` does)
YEAR = datetime.timedelta(days=365)

# --- the showcase household ---------------------------------------------------------------------------------------
# Who writes a showcase conversation: the coordinator of the moment, or a professional of this organisation.
COORDINATOR = "coordinator"
DEBT_COUNSELLING = "Schuldhulp Voorbeeldstad"
YOUTH_CARE = "Jeugdhulp Voorbeeldstad"

# (days ago, category, writer, who took part, what was said). {name}: the citizen; {child}: the oldest child.
# The days fit the showcase's team and consent (``samen.demo.services._create_showcase``) and plan
# (``samen.plans.demo``): the first coordinator from 420 days ago, debt counselling from 200, the handover 120
# days ago, youth care from 55, the plan's evaluation 48 days ago.
SHOWCASE_CONVERSATIONS = [
    (
        418,
        G.GENERAL,
        COORDINATOR,
        "{name}, de regisseur",
        "Kennismaking thuis. {name} vertelde over de schulden, de kinderen en de wens om weer te werken. "
        "Afgesproken: eerst rust in de geldzaken.",
    ),
    (
        385,
        G.YOUTH,
        COORDINATOR,
        "{name}, {child}, de regisseur",
        "{child} gaat niet graag naar school. Afgesproken dat de regisseur contact opneemt met de mentor.",
    ),
    (
        330,
        G.GENERAL,
        COORDINATOR,
        "{name}, de regisseur",
        "Gesprek over de post die blijft liggen. {name} wil hulp bij de schulden. De regisseur vraagt "
        "Schuldhulp Voorbeeldstad om mee te kijken.",
    ),
    (
        195,
        G.FINANCES,
        DEBT_COUNSELLING,
        "{name}, de schuldhulpverlener",
        "Alle brieven samen geopend en op een rij gezet. Er zijn zeven schuldeisers. {name} brengt volgende week "
        "de loonstroken mee.",
    ),
    (
        176,
        G.FINANCES,
        DEBT_COUNSELLING,
        "{name}, de schuldhulpverlener, de cliëntondersteuner",
        "Aanvraag schuldhulp samen ingevuld. Budgetbeheer gaat volgende maand in.",
    ),
    (
        148,
        G.SAFETY,
        COORDINATOR,
        "{name}, de regisseur",
        "Gesprek over de melding van school. Samen besproken hoe het thuis gaat. Er is nu geen reden tot zorg; "
        "school en regisseur houden contact.",
    ),
    (
        122,
        G.GENERAL,
        COORDINATOR,
        "{name}, de oude en de nieuwe regisseur",
        "Warme overdracht aan de keukentafel. {name} vertelde wat goed ging en wat beter kan.",
    ),
    (
        88,
        G.GENERAL,
        COORDINATOR,
        "{name}, de regisseur, de buurvrouw",
        "Gesprek over wie wat doet. De buurvrouw haalt de kinderen op dinsdag en donderdag van school.",
    ),
    (
        75,
        G.FINANCES,
        DEBT_COUNSELLING,
        "{name}, de schuldhulpverlener",
        "De betalingsregeling loopt. Er zijn geen nieuwe aanmaningen. {name} is trots dat het lukt.",
    ),
    (
        48,
        G.GENERAL,
        COORDINATOR,
        "{name}, de regisseur",
        "Evaluatie van het plan. Het gaat beter met de post; de schimmel is er nog. De regisseur gaat mee naar "
        "de woningcorporatie.",
    ),
    (
        40,
        G.YOUTH,
        YOUTH_CARE,
        "{name}, {child}, de jeugdhulpverlener",
        "{child} heeft weer plezier op school. Twee keer per maand thuis een gesprek over opvoeden.",
    ),
    (
        8,
        G.GENERAL,
        COORDINATOR,
        "{name}, de regisseur",
        "Het plan samen bijgewerkt. {name} wil nu werk zoeken voor twee dagen per week.",
    ),
]

# The showcase's intake: first written with the coordinator, then brought up to date by the citizen (version 2).
SHOWCASE_INTAKE = {
    "question": "Ik wil rust in mijn hoofd: van de schulden af, en dat het met de kinderen goed gaat.",
    "involved": "De huisarts, de mentor van {child} op school en de buurvrouw die helpt met de kinderen.",
    "wants": "Over een jaar geen aanmaningen meer, {child} gaat graag naar school en ik werk twee dagen.",
    "situations": {
        Z.FINANCES: "Zeven schuldeisers, samen ongeveer 14.000 euro. Schuldhulp Voorbeeldstad helpt met een "
        "betalingsregeling.",
        Z.WORK_EDUCATION: "{name} werkte tot drie jaar geleden in een supermarkt en wil weer aan het werk.",
        Z.HOUSING: "Huurwoning met drie kamers. In de slaapkamer zit schimmel.",
        Z.DOMESTIC_RELATIONS: "{family}",
        Z.PHYSICAL_HEALTH: "{name} slaapt slecht door de zorgen en heeft last van de rug.",
        Z.SOCIAL_NETWORK: "Een buurvrouw helpt met de kinderen. Weinig familie in de buurt.",
    },
}
SHOWCASE_INTAKE_UPDATED_DAYS = 190  # last saved by the citizen, once the debts were known (version 2)

# --- the other households: sentence parts -------------------------------------------------------------------------
# A conversation summary is an opening and a next step of its category. {name}: the citizen; {child}: the oldest
# child; {count}, {amount}: small numbers.
OPENINGS: dict[DataCategory, tuple[str, ...]] = {
    G.GENERAL: (
        "Kennismaking aan de keukentafel. {name} vertelde wat er speelt en wat al goed gaat.",
        "Gesprek over hoe het nu gaat. {name} heeft het druk, maar houdt het overzicht.",
        "Samen het plan doorgenomen. {name} vindt de doelen nog steeds passend.",
        "Huisbezoek. {name} maakte een rustige indruk en had de vragen van vorige keer opgeschreven.",
        "{name} belde zelf om te vertellen dat het deze week minder goed gaat.",
        "Gesprek over wie wat doet. {name} wil één vast aanspreekpunt.",
        "Gesprek over werk en dagbesteding. {name} wil graag iets doen buiten de deur.",
    ),
    G.FINANCES: (
        "Alle post samen geopend en op een rij gezet. Er staan {count} rekeningen open.",
        "Inkomsten en vaste lasten op een rij gezet. Elke maand is er ongeveer {amount} euro tekort.",
        "Betalingsregeling besproken. {name} betaalt nu elke maand op tijd.",
        "Gesprek over de aanvraag voor schuldhulp. De papieren zijn bijna compleet.",
        "Er is een nieuwe aanmaning gekomen. Samen de schuldeiser gebeld.",
        "De toeslagen nagekeken. {name} heeft recht op meer huurtoeslag.",
    ),
    G.YOUTH: (
        "Gesprek over school. {child} gaat weer vaker naar de lessen.",
        "{child} slaapt slecht en is thuis snel boos. Samen gekeken wat helpt.",
        "Gesprek over opvoeden: vaste tijden voor eten en slapen helpen.",
        "{child} wil op voetbal. Samen gekeken hoe de contributie betaald kan worden.",
    ),
    G.HEALTH: (
        "{name} heeft veel last van de rug en slaapt slecht. Samen de vragen voor de huisarts opgeschreven.",
        "Gesprek over de Wmo-aanvraag voor hulp in het huishouden.",
        "{name} is naar de huisarts geweest. De nieuwe medicijnen helpen een beetje.",
    ),
    G.MENTAL_HEALTH: (
        "Gesprek over stress. {name} piekert veel, vooral 's avonds.",
        "{name} gaat elke week naar de praktijkondersteuner. Dat helpt.",
        "Het gaat minder goed: {name} ziet weinig mensen en blijft vaak binnen.",
    ),
    G.SAFETY: (
        "Veiligheid thuis besproken. Er zijn op dit moment geen zorgen.",
        "Er was vorige week ruzie thuis. Samen besproken wat iedereen dan kan doen.",
        "Het veiligheidsplan doorgenomen. Iedereen weet wie ze kunnen bellen.",
    ),
    G.JUSTICE: ("Gesprek over de afspraken met de reclassering.",),
}
NEXT_STEPS: dict[DataCategory, tuple[str, ...]] = {
    G.GENERAL: (
        "Over twee weken komen we weer bij elkaar.",
        "Afgesproken dat {name} zelf de volgende afspraak maakt.",
        "Volgende keer kijken we samen naar de doelen in het plan.",
        "{name} belt als er iets verandert.",
    ),
    G.FINANCES: (
        "{name} zoekt de loonstroken van de laatste drie maanden op.",
        "Volgende week maken we de aanvraag samen af.",
        "Nieuwe post gaat meteen in de map op de kast.",
        "Over een maand kijken we of de regeling goed loopt.",
    ),
    G.YOUTH: (
        "Over drie weken praten we verder.",
        "Afgesproken dat {name} contact opneemt met de mentor.",
        "Volgende keer praat {child} ook mee.",
    ),
    G.HEALTH: (
        "{name} maakt zelf een afspraak bij de huisarts.",
        "Over een maand kijken we hoe het gaat.",
    ),
    G.MENTAL_HEALTH: (
        "Afgesproken om elke dag even naar buiten te gaan.",
        "Volgende keer praten we verder over wat rust geeft.",
        "Samen een afspraak gemaakt voor een gesprek met een psycholoog.",
    ),
    G.SAFETY: (
        "Over twee weken bespreken we het opnieuw.",
        "{name} belt de regisseur als het thuis niet goed gaat.",
    ),
    G.JUSTICE: ("Over een maand is er weer contact.",),
}
CONVERSATIONS_PER_HOUSEHOLD = (2, 3, 3, 4)
INTAKE_SHARE = 0.4  # the other households with an intake

INTAKE_QUESTIONS = (
    "Ik wil weer overzicht over mijn geld en mijn post.",
    "Ik wil dat het thuis rustiger wordt.",
    "Ik wil graag weer werk, of iets anders zinvols om te doen.",
    "Ik wil beter voor mezelf kunnen zorgen.",
)
INTAKE_INVOLVED = (
    "De huisarts en een buurvrouw die soms helpt.",
    "De school van de kinderen en de huisarts.",
    "Alleen de huisarts; de familie woont ver weg.",
    "Een vriend uit de buurt en de huisarts.",
)
INTAKE_WANTS = (
    "Over een jaar geen achterstanden meer en weer rust in huis.",
    "Weer zelf de post en de rekeningen kunnen doen.",
    "Een paar dagen per week werk of dagbesteding.",
    "Dat iedereen thuis goed slaapt en minder ruzie maakt.",
)
INTAKE_SITUATIONS: dict[ZrmDomain, tuple[str, ...]] = {
    Z.FINANCES: (
        "Er zijn {count} schulden. {name} weet niet precies hoeveel het samen is.",
        "Het inkomen is een uitkering. Aan het eind van de maand is er vaak geen geld meer.",
    ),
    Z.WORK_EDUCATION: (
        "{name} heeft al een paar jaar geen werk en wil graag weer aan de slag.",
        "{name} werkt twee dagen per week en wil meer uren.",
    ),
    Z.TIME_USE: (
        "De dagen hebben weinig vast ritme. {name} slaapt vaak lang uit.",
        "{name} wil graag vrijwilligerswerk doen.",
    ),
    Z.HOUSING: (
        "Huurwoning; de huur is betaald, maar het huis is vochtig.",
        "De woning is te klein voor het huishouden.",
    ),
    Z.SOCIAL_NETWORK: (
        "Weinig mensen om op terug te vallen. Een buurvrouw helpt soms.",
        "Er is familie in de buurt die helpt met boodschappen.",
    ),
    Z.PARTICIPATION: ("{name} gaat soms naar de koffieochtend in het buurthuis.",),
    Z.DOMESTIC_RELATIONS: ("Er is soms ruzie thuis, vooral over geld.",),
    Z.PHYSICAL_HEALTH: ("{name} heeft last van de rug en kan niet lang staan.",),
    Z.INSTRUMENTAL_ADL: ("Het huishouden lukt niet goed meer; de was blijft liggen.",),
    Z.MENTAL_HEALTH: ("{name} piekert veel en slaapt slecht.",),
}


# --- the data a timeline is made from -----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Author:
    user_id: int | None
    organisation_id: int | None
    role: str


SYSTEM_AUTHOR = _Author(None, None, Role.SYSTEM)


@dataclass
class _Place:
    id: int
    user_id: int
    name: str
    organisation_id: int | None
    organisation: str
    role: str  # TeamRole
    is_coordinator: bool
    joined_at: datetime.datetime
    left_at: datetime.datetime | None

    def in_team_at(self, moment: datetime.datetime) -> bool:
        return self.joined_at <= moment and (self.left_at is None or moment < self.left_at)

    @property
    def label(self) -> str:  # as ``samen.households.services`` names a team member in an event
        return f"{self.name} ({self.organisation})" if self.organisation_id is not None else self.name


@dataclass
class _Grant:
    category: str
    organisation_id: int | None
    receiver: str
    valid_from: datetime.datetime
    valid_until: datetime.datetime | None
    granted_at: datetime.datetime
    granted_by_id: int | None
    revoked_at: datetime.datetime | None
    revoked_by_id: int | None

    def valid_at(self, moment: datetime.datetime) -> bool:
        return (
            self.valid_from <= moment
            and (self.valid_until is None or moment < self.valid_until)
            and (self.revoked_at is None or moment < self.revoked_at)
        )


@dataclass
class _Household:
    id: int
    members: list[dict] = field(default_factory=list)
    places: list[_Place] = field(default_factory=list)
    grants: list[_Grant] = field(default_factory=list)
    handovers: list[tuple[datetime.datetime, int, int | None]] = field(default_factory=list)  # (when, to, by)
    emergencies: list[tuple[datetime.datetime, int, int, str]] = field(default_factory=list)  # (when, user, org, name)
    plan: dict | None = None
    goals: list[dict] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)
    evaluations: list[dict] = field(default_factory=list)
    versions: list[dict] = field(default_factory=list)
    has_intake: bool = False

    @property
    def citizen(self) -> dict | None:
        """The member with an account, else the oldest adult (as the plans demo chooses)."""
        with_account = [m for m in self.members if m["user_id"]]
        adults = [m for m in self.members if m["relation"] != Relation.CHILD]
        return (with_account or adults or self.members or [None])[0]

    @property
    def children(self) -> list[dict]:
        return [m for m in self.members if m["relation"] == Relation.CHILD]

    def coordinator_at(self, moment: datetime.datetime) -> _Place | None:
        by_id = {place.id: place for place in self.places}
        current = None
        for occurred, to_member, _by in self.handovers:
            if occurred <= moment:
                current = by_id.get(to_member)
        return current


class _Loader:
    """Everything the timelines need, for all households at once (a fixed number of queries)."""

    def __init__(self, ids: list[int]) -> None:
        done = set(
            Entry.objects.filter(household_id__in=ids, kind__in=[EntryKind.CONVERSATION, EntryKind.EVENT])
            .values_list("household_id", flat=True)
            .distinct()
        )
        households = {pk: _Household(pk) for pk in ids if pk not in done}
        self.households = households
        self.memberships: dict[int, tuple[int, str, str]] = {}  # user id -> (organisation id, role, job title)
        todo = list(households)
        if not todo:
            return
        for pk in Intake.objects.filter(household_id__in=todo).values_list("household_id", flat=True):
            households[pk].has_intake = True
        for row in (
            HouseholdMember.objects.filter(household_id__in=todo)
            .order_by("household_id", "date_of_birth", "pk")
            .values("id", "household_id", "given_name", "family_name", "relation", "user_id")
        ):
            households[row["household_id"]].members.append(row)
        for row in (
            TeamMember.objects.filter(household_id__in=todo)
            .order_by("household_id", "joined_at", "pk")
            .values_list(
                "id",
                "household_id",
                "user_id",
                "user__full_name",
                "organisation_id",
                "organisation__name",
                "role",
                "is_coordinator",
                "joined_at",
                "left_at",
            )
        ):
            pk, household_id, user_id, name, organisation_id, organisation, role, is_coordinator, joined, left = row
            households[household_id].places.append(
                _Place(pk, user_id, name, organisation_id, organisation or "", role, is_coordinator, joined, left)
            )
        for row in (
            ConsentGrant.objects.filter(household_id__in=todo)
            .order_by("household_id", "granted_at", "pk")
            .values_list(
                "household_id",
                "category",
                "organisation_id",
                "organisation__name",
                "team_member__user__full_name",
                "valid_from",
                "valid_until",
                "granted_at",
                "granted_by_id",
                "revoked_at",
                "revoked_by_id",
            )
        ):
            household_id, category, organisation_id, organisation, person, *rest = row
            households[household_id].grants.append(_Grant(category, organisation_id, organisation or person, *rest))
        for household_id, occurred, to_member, recorded_by in (
            CoordinatorHandover.objects.filter(household_id__in=todo)
            .order_by("household_id", "occurred_at", "pk")
            .values_list("household_id", "occurred_at", "to_member_id", "recorded_by_id")
        ):
            households[household_id].handovers.append((occurred, to_member, recorded_by))
        for household_id, started, user_id, organisation_id, organisation in (
            BreakTheGlass.objects.filter(household_id__in=todo)
            .order_by("household_id", "started_at", "pk")
            .values_list("household_id", "started_at", "user_id", "organisation_id", "organisation__name")
        ):
            households[household_id].emergencies.append((started, user_id, organisation_id, organisation))
        plans = {}
        for row in Plan.objects.filter(household_id__in=todo, is_current=True).values(
            "id", "household_id", "question", "created_at"
        ):
            households[row["household_id"]].plan = row
            plans[row["id"]] = households[row["household_id"]]
        for row in (
            Goal.objects.filter(plan_id__in=plans)
            .order_by("plan_id", "created_at", "pk")
            .values("plan_id", "category", "created_at")
        ):
            plans[row["plan_id"]].goals.append(row)
        for row in (
            Action.objects.filter(goal__plan_id__in=plans)
            .order_by("goal__plan_id", "created_at", "pk")
            .values(
                "goal__plan_id",
                "goal__category",
                "created_at",
                "done_at",
                "done_by_id",
                "owner_member__given_name",
                "owner_member__family_name",
                "owner_team_member__user__full_name",
                "owner_organisation__name",
            )
        ):
            plans[row["goal__plan_id"]].actions.append(row)
        for row in (
            EvaluationMoment.objects.filter(plan_id__in=plans)
            .order_by("plan_id", "date", "pk")
            .values("plan_id", "date", "outcome", "evaluated_at", "evaluated_by_id")
        ):
            plans[row["plan_id"]].evaluations.append(row)
        for row in (
            PlanVersion.objects.filter(plan_id__in=plans)
            .order_by("plan_id", "number")
            .values("plan_id", "number", "created_at", "created_by_id", "agreed_by_id", "agreed_at")
        ):
            plans[row["plan_id"]].versions.append(row)

        # A professional's role and job title come from their membership of the organisation they work for: of
        # everyone who did something in these households (in the team, or a professional on duty).
        users = {place.user_id for household in households.values() for place in household.places}
        users |= {user_id for household in households.values() for _s, user_id, _o, _n in household.emergencies}
        self.memberships = {
            user_id: (organisation_id, role, job_title)
            for user_id, organisation_id, role, job_title in Membership.objects.filter(
                user_id__in=users, is_active=True
            )
            .order_by("user_id", "-pk")
            .values_list("user_id", "organisation_id", "role", "job_title")
        }


# --- writing -------------------------------------------------------------------------------------------------------
def add_demo_timeline(*, household_ids: list[int], seed: int, now: datetime.datetime) -> int:
    """Add the timelines and intakes (see the module's docstring); returns the number of entries added (0 without
    households, or when they all have their timeline already)."""
    ids = sorted(set(household_ids))
    if not ids:
        return 0
    showcase_id = ids[0]
    data = _Loader(ids)
    entries: list[Entry] = []
    intakes: list[tuple[Intake, dict[ZrmDomain, str]]] = []
    with translation.override(LANGUAGE):
        for household_id in ids:
            household = data.households.get(household_id)
            if household is None or not any(
                place.role == TeamRole.PROFESSIONAL and place.organisation_id for place in household.places
            ):
                continue  # made already, or no professional around it
            rng = random.Random(f"samen-demo-timeline-{seed}-{household_id}")
            story = _Story(household, data.memberships, now, rng)
            story.events()
            if household_id == showcase_id:
                story.showcase_conversations()
                intake = story.showcase_intake()
            else:
                story.conversations()
                intake = story.intake() if rng.random() < INTAKE_SHARE else None
            entries += story.entries
            if intake is not None and not household.has_intake:
                intakes.append(intake)
    Entry.objects.bulk_create(entries)
    created = Intake.objects.bulk_create([intake for intake, _situations in intakes])
    IntakeSituation.objects.bulk_create(
        IntakeSituation(intake_id=intake.pk, domain=domain.value, text=text)
        for intake, (_unsaved, situations) in zip(created, intakes, strict=True)
        for domain, text in situations.items()
    )
    return len(entries)


def _participant(job_title: str) -> str:
    """A job title as a participant: "de schuldhulpverlener"; a title that starts with an abbreviation keeps its
    capitals ("de Wmo-consulent", "de GZ-psycholoog")."""
    first = job_title.split(" ")[0]
    return f"de {job_title if '-' in first else job_title[:1].lower() + job_title[1:]}"


class _Story:
    """The timeline of one household, built in memory."""

    def __init__(self, household: _Household, memberships: dict, now: datetime.datetime, rng: random.Random):
        self.household = household
        self.memberships = memberships
        self.now = now
        self.rng = rng
        self.entries: list[Entry] = []
        citizen = household.citizen
        children = household.children
        self.words = {
            "name": citizen["given_name"] if citizen else "",
            "child": children[0]["given_name"] if children else "",
            "count": rng.randint(3, 9),
            "amount": rng.randrange(50, 310, 10),
        }
        self.citizen_user = citizen["user_id"] if citizen else None
        self.places_by_user = {place.user_id: place for place in household.places}

    # --- who ---------------------------------------------------------------------------------------------------
    def author(self, user_id: int | None) -> _Author:
        """The person ``user_id`` as the author of an entry: a professional acts for their organisation in their
        membership's role; anyone else (a member, the informal network) as a citizen."""
        if user_id is None:
            return SYSTEM_AUTHOR
        membership = self.memberships.get(user_id)
        if membership is None:
            return _Author(user_id, None, Role.CITIZEN)
        place = self.places_by_user.get(user_id)
        organisation_id = place.organisation_id if place and place.organisation_id else membership[0]
        return _Author(user_id, organisation_id, membership[1])

    def coordinator(self, moment: datetime.datetime) -> _Author:
        """The coordinator at ``moment``, else the professional longest in the team then, else the system."""
        place = self.household.coordinator_at(moment)
        if place is None or not place.in_team_at(moment):
            place = next(
                (
                    p
                    for p in self.household.places
                    if p.role == TeamRole.PROFESSIONAL and p.organisation_id and p.in_team_at(moment)
                ),
                None,
            )
        return self.author(place.user_id) if place is not None else SYSTEM_AUTHOR

    # --- entries -----------------------------------------------------------------------------------------------
    def event(
        self, moment: datetime.datetime, data_category: str, code: EventCode, author: _Author, order: int = 0, **params
    ) -> None:
        """An event as ``event_record`` writes it; ``order`` (seconds) keeps events of one moment in their order."""
        moment = moment + datetime.timedelta(seconds=order)
        if moment > self.now:
            return
        params = {name: value if isinstance(value, int) else str(value) for name, value in params.items()}
        text = events.sentence(code, params)
        if text is None:  # a code and its facts that do not fit: a bug in this module
            raise ValueError(f"the event {code} needs {sorted(events.PARAMS[code])}")
        self.entries.append(
            Entry(
                household_id=self.household.id,
                kind=EntryKind.EVENT,
                category=str(data_category),
                text=text,
                source=events.SOURCES[code],
                event_code=code.value,
                event_params=params,
                written_by_id=author.user_id,
                organisation_id=author.organisation_id,
                author_role=str(author.role),
                created_at=moment,
            )
        )

    def conversation(
        self, moment: datetime.datetime, category: str, place: _Place, participants: str, text: str
    ) -> None:
        self.entries.append(
            Entry(
                household_id=self.household.id,
                kind=EntryKind.CONVERSATION,
                category=str(category),
                participants=participants,
                text=text,
                written_by_id=place.user_id,
                organisation_id=place.organisation_id,
                author_role=str(self.author(place.user_id).role),
                created_at=moment,
            )
        )

    def at_work(self, day: datetime.datetime) -> datetime.datetime:
        """A moment during working hours on ``day`` (never after now)."""
        local = timezone.localtime(day)
        moment = local.replace(hour=self.rng.randint(9, 16), minute=self.rng.randrange(0, 60, 5), second=0)
        return min(moment, self.now - datetime.timedelta(minutes=5))

    # --- events from the data ----------------------------------------------------------------------------------
    def events(self) -> None:
        household = self.household
        for place in household.places:
            self.team_events(place)
        for grant in household.grants:
            self.event(
                grant.granted_at,
                grant.category,
                E.CONSENT_GIVEN,
                self.author(grant.granted_by_id),
                order=2,
                receiver=grant.receiver,
                category=grant.category,
            )
            if grant.revoked_at is not None:
                self.event(
                    grant.revoked_at,
                    grant.category,
                    E.CONSENT_WITHDRAWN,
                    self.author(grant.revoked_by_id),
                    receiver=grant.receiver,
                    category=grant.category,
                )
        for started, user_id, _organisation_id, organisation in household.emergencies:
            self.event(started, G.GENERAL, E.EMERGENCY_ACCESS, self.author(user_id), organisation=organisation)
        if household.plan is not None:
            self.plan_events()

    def team_events(self, place: _Place) -> None:
        household = self.household
        if place.role == TeamRole.INFORMAL:
            joined_by = self.author(place.user_id)  # accepted the household's invitation
        elif place.role == TeamRole.SUPPORTER and self.citizen_user is not None:
            joined_by = self.author(self.citizen_user)  # brought in by the citizen
        else:
            coordinator = self.coordinator(place.joined_at - datetime.timedelta(seconds=1))
            joined_by = coordinator if coordinator.user_id not in (None, place.user_id) else self.author(place.user_id)
        self.event(place.joined_at, G.GENERAL, E.TEAM_JOINED, joined_by, name=place.label, role=place.role)
        for occurred, to_member, recorded_by in household.handovers:
            if to_member == place.id:
                self.event(
                    occurred,
                    G.GENERAL,
                    E.COORDINATOR_CHANGED,
                    self.author(recorded_by),
                    order=1,
                    name=place.name,
                    organisation=place.organisation,
                )
        if place.left_at is not None:
            self.event(place.left_at, G.GENERAL, E.TEAM_LEFT, self.author(place.user_id), order=2, name=place.label)

    def plan_events(self) -> None:
        household = self.household
        plan = household.plan
        created = plan["created_at"]
        self.event(created, G.GENERAL, E.PLAN_CHANGED, self.coordinator(created))
        for goal in household.goals:
            self.event(goal["created_at"], goal["category"], E.GOAL_ADDED, self.coordinator(goal["created_at"]))
        for number, action in enumerate(household.actions):
            owner = (
                action["owner_team_member__user__full_name"]
                or action["owner_organisation__name"]
                or f"{action['owner_member__given_name']} {action['owner_member__family_name']}"
            )
            moment = action["created_at"]
            self.event(
                moment,
                action["goal__category"],
                E.ACTION_ADDED,
                self.coordinator(moment),
                order=1 + number,
                owner=owner,
            )
            if action["done_at"] is not None:
                done_by = action["done_by_id"]
                author = self.author(done_by) if done_by is not None else self.coordinator(action["done_at"])
                self.event(action["done_at"], action["goal__category"], E.ACTION_DONE, author)
        today = timezone.localdate(self.now)
        planned_at = created
        for evaluation in household.evaluations:
            date = evaluation["date"]
            self.event(planned_at, G.GENERAL, E.EVALUATION_PLANNED, self.coordinator(planned_at), order=60, date=date)
            if evaluation["evaluated_at"] is not None:
                moment = evaluation["evaluated_at"]
                by = evaluation["evaluated_by_id"]
                author = self.author(by) if by is not None else self.coordinator(moment)
                self.event(moment, G.GENERAL, E.EVALUATION_RECORDED, author, date=date)
                planned_at = moment
            elif date <= today:
                planned_at = max(planned_at, timezone.make_aware(datetime.datetime.combine(date, datetime.time(12))))
        for version in household.versions:
            moment = version["created_at"]
            by = version["created_by_id"]
            author = self.author(by) if by is not None else self.coordinator(moment)
            self.event(moment, G.GENERAL, E.VERSION_SAVED, author, number=version["number"])
            if version["agreed_at"] is not None:
                self.event(
                    version["agreed_at"],
                    G.GENERAL,
                    E.VERSION_AGREED,
                    self.author(version["agreed_by_id"]),
                    number=version["number"],
                )

    # --- conversations -----------------------------------------------------------------------------------------
    def writers(self, category: str, moment: datetime.datetime) -> list[_Place]:
        """The professionals who may write in ``category`` at ``moment``: in the team then, and their organisation
        had consent for it then and still has now."""
        result = []
        for place in self.household.places:
            if place.role != TeamRole.PROFESSIONAL or not place.organisation_id or not place.in_team_at(moment):
                continue
            grants = [
                g
                for g in self.household.grants
                if g.organisation_id == place.organisation_id and g.category == category
            ]
            if any(g.valid_at(moment) and g.valid_at(self.now) for g in grants):
                result.append(place)
        return result

    def showcase_conversations(self) -> None:
        for days, category, writer, participants, text in SHOWCASE_CONVERSATIONS:
            moment = self.at_work(self.now - datetime.timedelta(days=days))
            candidates = self.writers(category, moment)
            if writer == COORDINATOR:
                coordinator = self.household.coordinator_at(moment)
                preferred = [place for place in candidates if place is coordinator]
            else:
                preferred = [place for place in candidates if place.organisation == writer]
            place = (preferred or candidates or [None])[0]
            if place is not None and (category != G.YOUTH or self.words["child"]):
                self.conversation(moment, category, place, participants.format(**self.words), text.format(**self.words))

    def conversations(self) -> None:
        rng = self.rng
        professionals = [
            place
            for place in self.household.places
            if place.role == TeamRole.PROFESSIONAL and place.organisation_id and place.left_at is None
        ]
        weighted = [place for place in professionals for _ in range(2 if place.is_coordinator else 1)]
        if not weighted:
            return
        used: set[str] = set()
        for _ in range(rng.choice(CONVERSATIONS_PER_HOUSEHOLD)):
            place = rng.choice(weighted)
            grants = [
                g
                for g in self.household.grants
                if g.organisation_id == place.organisation_id
                and g.valid_at(self.now)
                and (g.category != G.YOUTH or self.words["child"])
            ]
            if not grants:
                continue
            grant = rng.choice(grants)
            category = DataCategory(grant.category)
            first = max(place.joined_at, grant.valid_from, self.now - YEAR) + datetime.timedelta(days=1)
            last = self.now - datetime.timedelta(days=1)
            if first > last:
                continue
            day = first + (last - first) * rng.random()
            opening = rng.choice(OPENINGS[category])
            if opening in used:
                continue
            used.add(opening)
            text = f"{opening} {rng.choice(NEXT_STEPS[category])}".format(**self.words)
            who = [self.words["name"]] if self.words["name"] else []
            if category == G.YOUTH and rng.random() < 0.5:
                who.append(self.words["child"])
            job_title = self.memberships.get(place.user_id, (None, None, ""))[2]
            who.append(_participant(job_title) if job_title else place.name)
            others = [p for p in professionals if p is not place and p.joined_at <= day]
            if others and rng.random() < 0.3:
                other_title = self.memberships.get(others[0].user_id, (None, None, ""))[2]
                if other_title and _participant(other_title) not in who:
                    who.append(_participant(other_title))
            moment = self.at_work(day)
            if moment >= place.joined_at and grant.valid_at(moment):
                self.conversation(moment, category, place, ", ".join(who), text)

    # --- intakes -----------------------------------------------------------------------------------------------
    def showcase_intake(self) -> tuple[Intake, dict[ZrmDomain, str]] | None:
        children = [m["given_name"] for m in self.household.children]
        citizen = self.household.citizen
        if citizen is None:
            return None
        partner = next(
            (
                m["given_name"]
                for m in self.household.members
                if m is not citizen and m["relation"] in (Relation.PARENT, Relation.PARTNER)
            ),
            None,
        )
        kids = " en ".join([", ".join(children[:-1]), children[-1]] if len(children) > 1 else children)
        if kids:
            family = (
                f"{citizen['given_name']} en {partner} zorgen samen voor {kids}."
                if partner
                else f"{citizen['given_name']} zorgt alleen voor {kids}."
            )
        else:
            family = "Het is thuis rustig."
        words = {**self.words, "family": family, "child": self.words["child"] or "de kinderen"}
        updated = self.now - datetime.timedelta(days=SHOWCASE_INTAKE_UPDATED_DAYS)
        by = self.citizen_user
        author = self.author(by) if by is not None else self.coordinator(updated)
        if author.user_id is None:
            return None
        intake = Intake(
            household_id=self.household.id,
            question=SHOWCASE_INTAKE["question"].format(**words),
            involved=SHOWCASE_INTAKE["involved"].format(**words),
            wants=SHOWCASE_INTAKE["wants"].format(**words),
            filled_by_id=author.user_id,
            filled_by_role=str(author.role),
            updated_at=updated,
            version=2,
        )
        situations = {domain: text.format(**words) for domain, text in SHOWCASE_INTAKE["situations"].items()}
        return intake, situations

    def intake(self) -> tuple[Intake, dict[ZrmDomain, str]] | None:
        """The intake with the coordinator, soon after the team started: situations only in domains whose category
        the coordinator's organisation has consent for."""
        rng = self.rng
        coordinator = next((p for p in self.household.places if p.is_coordinator and p.left_at is None), None)
        if coordinator is None:
            return None
        moment = self.at_work(min(coordinator.joined_at + datetime.timedelta(days=rng.randint(1, 14)), self.now))
        writable = {
            g.category
            for g in self.household.grants
            if g.organisation_id == coordinator.organisation_id and g.valid_at(moment) and g.valid_at(self.now)
        }
        if G.GENERAL not in writable or moment < coordinator.joined_at:
            return None
        domains = [domain for domain in INTAKE_SITUATIONS if DOMAIN_CATEGORY[domain] in writable]
        chosen = rng.sample(domains, min(len(domains), rng.randint(2, 4)))
        plan = self.household.plan
        intake = Intake(
            household_id=self.household.id,
            question=plan["question"] if plan else rng.choice(INTAKE_QUESTIONS),
            involved=rng.choice(INTAKE_INVOLVED),
            wants=rng.choice(INTAKE_WANTS),
            filled_by_id=coordinator.user_id,
            filled_by_role=str(self.author(coordinator.user_id).role),
            updated_at=moment,
            version=1,
        )
        situations = {
            domain: rng.choice(INTAKE_SITUATIONS[domain]).format(**self.words)
            for domain in sorted(chosen, key=list(ZrmDomain).index)
        }
        return intake, situations
