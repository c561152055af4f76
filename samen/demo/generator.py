"""The synthetic municipality "Gemeente Voorbeeldstad": what it holds, drawn deterministically.

Nothing here touches the database; :mod:`samen.demo.services` writes what this module describes.

Determinism: every random draw comes from a seeded Faker (locale ``nl_NL``) and the
``random.Random`` it owns, never from the global generator. Household ``i`` of seed ``s`` depends
only on ``(s, i)`` (its generator is re-seeded per household), so a dataset can be generated in
chunks, and extended from 200 to 100,000 households, with the same first 200.

BSNs: member ``j`` of household ``i`` owns slot ``i * MAX_MEMBERS + j``; a seeded bijection spreads
the slots over seven digits, an eighth digit is chosen so that a check digit exists, and the ninth is
that check digit (the elfproef). Distinct slots give distinct BSNs, with no retries and no lookups.
"""

from __future__ import annotations

import functools
import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.text import slugify

from samen.consent.models import DataCategory
from samen.core.actor import Role
from samen.demo.logins import DEMO_EMAIL_DOMAIN, DEMO_LOGINS, DemoLogin
from samen.households.models import Relation
from samen.organisations.models import MembershipRole, OrganisationType

DEFAULT_SEED = 2026
DEFAULT_HOUSEHOLDS = 200
MAX_MEMBERS = 6
MAX_HOUSEHOLDS = 1_000_000  # MAX_HOUSEHOLDS * MAX_MEMBERS BSN slots fit in seven digits
CITY = "Voorbeeldstad"
MUNICIPALITY = f"Gemeente {CITY}"
# Ages and dates of birth are computed from a fixed date, so a seed gives the same data every day.
REFERENCE_DATE = date(2026, 1, 1)

_SLOTS = 10**7
_HOUSEHOLD_SEED_STRIDE = 10_000_000  # > MAX_HOUSEHOLDS: (seed, index) -> distinct seeds


# --- organisations, networks, professionals ----------------------------------------------------
@dataclass(frozen=True)
class StaffSpec:
    role: MembershipRole
    job_title: str
    count: int = 1
    login: Role | None = None  # this position is a demo login


@dataclass(frozen=True)
class OrganisationSpec:
    name: str
    type: OrganisationType
    staff: tuple[StaffSpec, ...]


P, C = MembershipRole.PROFESSIONAL, MembershipRole.COORDINATOR

ORGANISATIONS: tuple[OrganisationSpec, ...] = (
    OrganisationSpec(
        MUNICIPALITY,
        OrganisationType.MUNICIPALITY,
        (
            StaffSpec(MembershipRole.POLICY_ADVISOR, "Beleidsadviseur sociaal domein", login=Role.POLICY_ADVISOR),
            StaffSpec(MembershipRole.FUNCTIONAL_ADMIN, "Functioneel beheerder", login=Role.FUNCTIONAL_ADMIN),
            StaffSpec(P, "Wmo-consulent"),
            StaffSpec(P, "Consulent werk en inkomen"),
        ),
    ),
    OrganisationSpec(
        "Wijkteam Noord",
        OrganisationType.NEIGHBOURHOOD_TEAM,
        (
            StaffSpec(C, "Regisseur", login=Role.COORDINATOR),
            StaffSpec(C, "Regisseur"),
            StaffSpec(P, "Wijkcoach", count=3),
            StaffSpec(P, "Maatschappelijk werker"),
        ),
    ),
    OrganisationSpec(
        "Wijkteam Zuid",
        OrganisationType.NEIGHBOURHOOD_TEAM,
        (
            StaffSpec(C, "Regisseur", count=2),
            StaffSpec(P, "Wijkcoach", count=2),
            StaffSpec(P, "Maatschappelijk werker"),
        ),
    ),
    OrganisationSpec(
        f"Jeugdhulp {CITY}",
        OrganisationType.YOUTH_CARE,
        (StaffSpec(C, "Gezinsregisseur"), StaffSpec(P, "Jeugdhulpverlener", count=2), StaffSpec(P, "Gezinscoach")),
    ),
    OrganisationSpec(
        "Schuldhulp Voorbeeldstad",
        OrganisationType.DEBT_COUNSELLING,
        (
            StaffSpec(P, "Schuldhulpverlener", login=Role.PROFESSIONAL),
            StaffSpec(P, "Schuldhulpverlener"),
            StaffSpec(P, "Budgetcoach"),
        ),
    ),
    OrganisationSpec(
        "GGZ Voorbeeldstad",
        OrganisationType.MENTAL_HEALTH,
        (
            StaffSpec(P, "Sociaal psychiatrisch verpleegkundige", count=2),
            StaffSpec(P, "GZ-psycholoog"),
            StaffSpec(P, "Ervaringsdeskundige"),
        ),
    ),
    OrganisationSpec(
        "Woonstichting Thuis", OrganisationType.HOUSING_CORPORATION, (StaffSpec(P, "Woonconsulent", count=2),)
    ),
    OrganisationSpec(
        "Huisartsenpraktijk De Linde",
        OrganisationType.GP_PRACTICE,
        (StaffSpec(P, "Huisarts"), StaffSpec(P, "Praktijkondersteuner GGZ")),
    ),
    OrganisationSpec("Huisartsenpraktijk Zuiderpark", OrganisationType.GP_PRACTICE, (StaffSpec(P, "Huisarts"),)),
    OrganisationSpec(
        f"Welzijn {CITY}",
        OrganisationType.WELFARE,
        (
            StaffSpec(MembershipRole.NETWORK_FACILITATOR, "Netwerkcoördinator", login=Role.NETWORK_FACILITATOR),
            StaffSpec(P, "Opbouwwerker", count=2),
            StaffSpec(P, "Ouderenadviseur"),
        ),
    ),
    OrganisationSpec(
        f"Cliëntondersteuning {CITY}",
        OrganisationType.CLIENT_SUPPORT,
        (
            StaffSpec(MembershipRole.CLIENT_SUPPORTER, "Cliëntondersteuner", login=Role.CLIENT_SUPPORTER),
            StaffSpec(MembershipRole.CLIENT_SUPPORTER, "Cliëntondersteuner", count=2),
        ),
    ),
    OrganisationSpec(
        f"Voedselbank {CITY}",
        OrganisationType.VOLUNTEER_INITIATIVE,
        (StaffSpec(P, "Coördinator vrijwilligers"), StaffSpec(P, "Intaker")),
    ),
)


@dataclass(frozen=True)
class NetworkSpec:
    name: str
    description: str
    organisations: tuple[str, ...]


NETWORKS: tuple[NetworkSpec, ...] = (
    NetworkSpec(
        "Netwerk Noord",
        "Samenwerking rond huishoudens in Voorbeeldstad-Noord.",
        (
            "Wijkteam Noord",
            f"Jeugdhulp {CITY}",
            "Schuldhulp Voorbeeldstad",
            "GGZ Voorbeeldstad",
            "Woonstichting Thuis",
            "Huisartsenpraktijk De Linde",
            f"Welzijn {CITY}",
        ),
    ),
    NetworkSpec(
        "Netwerk Zuid",
        "Samenwerking rond huishoudens in Voorbeeldstad-Zuid.",
        (
            "Wijkteam Zuid",
            f"Jeugdhulp {CITY}",
            "Schuldhulp Voorbeeldstad",
            "Woonstichting Thuis",
            "Huisartsenpraktijk Zuiderpark",
            f"Welzijn {CITY}",
            f"Voedselbank {CITY}",
        ),
    ),
)


@dataclass(frozen=True)
class ProfessionalSpec:
    email: str
    full_name: str
    organisation: str
    role: MembershipRole
    job_title: str
    login: DemoLogin | None = None

    @property
    def is_staff(self) -> bool:
        return self.role == MembershipRole.FUNCTIONAL_ADMIN  # the support admin; never a superuser


# The staff positions in the order ``DemoGenerator.professionals()`` returns them: (organisation, role, job title).
STAFF: tuple[tuple[str, MembershipRole, str], ...] = tuple(
    (organisation.name, staff.role, staff.job_title)
    for organisation in ORGANISATIONS
    for staff in organisation.staff
    for _ in range(staff.count)
)


@functools.cache
def staff_positions(organisation: str, *roles: MembershipRole, job_title: str | None = None) -> tuple[int, ...]:
    """The positions in ``STAFF`` of ``organisation``'s staff with one of ``roles`` (and ``job_title``)."""
    return tuple(
        position
        for position, (name, role, title) in enumerate(STAFF)
        if name == organisation and role in roles and (job_title is None or title == job_title)
    )


def login_position(role: Role) -> int:
    """The position in ``STAFF`` of the demo login for ``role``."""
    position = 0
    for organisation in ORGANISATIONS:
        for staff in organisation.staff:
            if staff.login == role:
                return position
            position += staff.count
    raise LookupError(f"no demo login for {role}")


# A municipality's staff grows with its households: every block of ``STAFF_BLOCK`` households has professionals
# of its own (block 0 holds the demo logins and the other roles), so a professional's caseload is about the same
# in a town of 1,000 households and in one of 100,000.
STAFF_BLOCK = 250
BLOCK_ROLES = frozenset({MembershipRole.PROFESSIONAL, MembershipRole.COORDINATOR})


def staff_block(index: int) -> int:
    """The staff block that works for household ``index``."""
    return index // STAFF_BLOCK


def staff_key(block: int, position: int) -> int:
    """The key of the professional at ``position`` in ``STAFF`` of staff block ``block`` (block 0: the position)."""
    return block * len(STAFF) + position


# --- households --------------------------------------------------------------------------------
@dataclass(frozen=True)
class MemberSpec:
    given_name: str
    family_name: str
    date_of_birth: date
    relation: Relation
    bsn: str = field(default="", repr=False)  # never in a repr, a log line or a traceback


@dataclass(frozen=True)
class HouseholdSpec:
    index: int
    name: str
    members: tuple[MemberSpec, ...]


# Kinds of household and how often they occur (weights).
SINGLE, COUPLE, FAMILY, SINGLE_PARENT, THREE_GENERATIONS, HOUSEMATES = range(6)
_KINDS = (SINGLE, COUPLE, FAMILY, SINGLE_PARENT, THREE_GENERATIONS, HOUSEMATES)
_KIND_WEIGHTS = (30, 20, 28, 12, 4, 6)
_STREETS = (
    "Lindelaan", "Kastanjehof", "Molenweg", "Havenstraat", "Beukenrode", "Schoolstraat",
    "Vlinderhof", "Dijkzicht", "Kerkpad", "Zonnebloemstraat", "Stationsweg", "Esdoornplein",
)  # fmt: skip
# A Dutch family name: optional lower-case prefixes (tussenvoegsels), then one capitalised word.
_FAMILY_NAME = re.compile(r"(?:(?:van|de|der|den|ter|ten|te|in|het|'t|op|'s) )*[A-Z][a-zà-ÿ']+")


def display_family_name(name: str) -> str:
    """Without a first name before it, a prefix takes a capital: "Gezin Van der Berg"."""
    return name[:1].upper() + name[1:]


def synthetic_bsn_permutation(seed: int) -> tuple[int, int]:
    """The seeded bijection ``slot -> (a * slot + b) mod 10**7``; ``a`` is coprime with 10."""
    rng = random.Random(f"samen-demo-bsn-{seed}")
    a = rng.randrange(1_000_001, _SLOTS, 2)
    while a % 5 == 0:
        a += 2
    return a, rng.randrange(_SLOTS)


def bsn_for_slot(slot: int, permutation: tuple[int, int]) -> str:
    """A BSN that passes the elfproef, unique per slot (0 <= slot < 10**7)."""
    if not 0 <= slot < _SLOTS:
        raise ValueError("BSN slot out of range")
    a, b = permutation
    prefix = f"{(a * slot + b) % _SLOTS:07d}"
    partial = sum((9 - i) * int(d) for i, d in enumerate(prefix))  # weights 9..3
    for eighth in range(10):
        check = (partial + 2 * eighth) % 11
        if check <= 9 and not (prefix == "0000000" and eighth == 0):
            return f"{prefix}{eighth}{check}"
    raise AssertionError("unreachable: two consecutive eighth digits cannot both give check 10")


# --- teams and consent -------------------------------------------------------------------------
# Times are "days before the run": a team joined 200 days ago is 200 days old whenever the demo is made,
# so active grants are active, and revoked or expired ones lie in the past, on every day.
TEAM_SHARE = 0.6  # households (other than the showcase) with a team around them
NEIGHBOURHOOD_TEAMS = ("Wijkteam Noord", "Wijkteam Zuid")
YOUTH_CARE = f"Jeugdhulp {CITY}"
DEBT_COUNSELLING = "Schuldhulp Voorbeeldstad"
CLIENT_SUPPORT = f"Cliëntondersteuning {CITY}"
G = DataCategory
# The categories an organisation typically asks for besides "general" (always granted).
_TYPICAL_CATEGORIES: dict[str, tuple[DataCategory, ...]] = {
    MUNICIPALITY: (G.FINANCES,),
    "Wijkteam Noord": (G.YOUTH, G.SAFETY, G.FINANCES, G.HEALTH, G.MENTAL_HEALTH),
    "Wijkteam Zuid": (G.YOUTH, G.SAFETY, G.FINANCES, G.HEALTH, G.MENTAL_HEALTH),
    YOUTH_CARE: (G.YOUTH, G.SAFETY, G.MENTAL_HEALTH),
    DEBT_COUNSELLING: (G.FINANCES,),
    "GGZ Voorbeeldstad": (G.MENTAL_HEALTH, G.HEALTH),
    "Woonstichting Thuis": (G.FINANCES,),
    "Huisartsenpraktijk De Linde": (G.HEALTH, G.MENTAL_HEALTH),
    "Huisartsenpraktijk Zuiderpark": (G.HEALTH, G.MENTAL_HEALTH),
    f"Welzijn {CITY}": (G.FINANCES,),
    f"Voedselbank {CITY}": (G.FINANCES,),
}
_NETWORK_OF_TEAM = {spec.organisations[0]: spec for spec in NETWORKS}
_CATEGORY_ORDER = {category: position for position, category in enumerate(DataCategory)}


@dataclass(frozen=True)
class PlaceSpec:
    """A professional's place in a household's team."""

    staff: int  # ``staff_key(block, position in STAFF)``
    joined_days_ago: int
    is_coordinator: bool = False


@dataclass(frozen=True)
class GrantSpec:
    """A consent grant to an organisation; active unless it expired (``valid_days``) or was revoked."""

    organisation: str
    category: DataCategory
    granted_days_ago: int
    valid_days: int | None = None  # valid_until = valid_from + valid_days
    revoked_days_ago: int | None = None

    def is_active(self) -> bool:
        expired = self.valid_days is not None and self.valid_days <= self.granted_days_ago
        return self.revoked_days_ago is None and not expired


@dataclass(frozen=True)
class NoteSpec:
    """A note in the household's dossier, written by a professional of the team (a place in ``places``)."""

    place: int  # position in the team's ``places``
    category: DataCategory
    text: str
    written_days_ago: int


@dataclass(frozen=True)
class RequestSpec:
    """A consent request still waiting for the household's answer, by a professional of the team (a place in
    ``places``) for one category their organisation has no consent for yet."""

    place: int  # position in the team's ``places``
    category: DataCategory
    asked_days_ago: int


# A professional who joined a team fewer days ago than this still waits for the answer to the consent request they
# made when they joined (``team_add_professional`` asks on joining): the work queue of the demo shows it.
REQUEST_WAITING_DAYS = 21


@dataclass(frozen=True)
class TeamSpec:
    index: int  # the household's
    places: tuple[PlaceSpec, ...]  # the coordinator first
    grants: tuple[GrantSpec, ...]
    notes: tuple[NoteSpec, ...] = ()
    requests: tuple[RequestSpec, ...] = ()


# Short synthetic notes per category, for the teams of the demo households (no real people or cases).
NOTE_TEXTS: dict[DataCategory, tuple[str, ...]] = {
    G.GENERAL: (
        "Kennismakingsgesprek gehad aan de keukentafel. Afgesproken om over twee weken weer bij elkaar te komen.",
        "Het huishouden wil graag één vast aanspreekpunt. De regisseur blijft het eerste contact.",
        "Nieuwe afspraken gemaakt over wie wat doet; iedereen heeft het overzicht gekregen.",
        "Telefonisch contact gehad: het gaat iets beter, de volgende afspraak staat.",
    ),
    G.FINANCES: (
        "Overzicht van inkomsten en vaste lasten gemaakt. Er is elke maand een klein tekort.",
        "Betalingsregeling aangevraagd bij de energieleverancier.",
        "Aanvraag voor bijzondere bijstand samen ingevuld en verstuurd.",
        "Post doorgenomen: twee nieuwe aanmaningen, beide doorgestuurd naar de schuldhulpverlener.",
    ),
    G.YOUTH: (
        "Gesprek met de mentor op school: het gaat beter met de aanwezigheid.",
        "Afspraak gemaakt voor opvoedondersteuning thuis, eens per week.",
        "De kinderen gaan na de vakantie naar de sportclub; de bijdrage is geregeld.",
    ),
    G.HEALTH: (
        "Samen een afspraak bij de huisarts voorbereid.",
        "Hulpmiddel aangevraagd via de Wmo; het huishouden hoort binnen zes weken meer.",
    ),
    G.MENTAL_HEALTH: (
        "Gesprek over stress en slecht slapen. Verwezen naar de praktijkondersteuner.",
        "De begeleiding door de GGZ loopt; de volgende evaluatie is over een maand.",
    ),
    G.SAFETY: (
        "Veiligheid thuis besproken. Er zijn op dit moment geen zorgen.",
        "Afspraken over een veilige thuissituatie nog eens doorgenomen met beide ouders.",
    ),
    G.JUSTICE: ("Contact gehad met de reclassering over de afspraken.",),
}
NOTES_PER_TEAM = (0, 1, 2, 3)


class DemoGenerator:
    """Draws the professionals and the households of one seed."""

    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        from faker import Faker  # imported here: `demo_municipality` stays fast when already loaded
        from faker.providers.person.nl_NL import Provider as DutchNames

        self.seed = seed
        self.faker = Faker("nl_NL")
        # Seeding gives this Faker a random.Random of its own (until then it shares the global one);
        # every draw below, Faker's and ours, comes from that one instance.
        self.faker.seed_instance(seed)
        self.rng = self.faker.random
        self.family_names = tuple(sorted({n for n in DutchNames.last_names if _FAMILY_NAME.fullmatch(n)}))
        self.bsn_permutation = synthetic_bsn_permutation(seed)
        self._team_rng = random.Random()  # re-seeded per household by ``team``

    # --- people -----------------------------------------------------------------------------
    def _given_name(self, female: bool) -> str:
        return self.faker.first_name_female() if female else self.faker.first_name_male()

    def _family_name(self) -> str:
        return self.rng.choice(self.family_names)

    def _born(self, min_age: int, max_age: int) -> date:
        days = self.rng.randrange(min_age * 365, (max_age + 1) * 365 - 1)
        return REFERENCE_DATE - timedelta(days=days)

    # --- professionals ----------------------------------------------------------------------
    def professionals(self) -> list[ProfessionalSpec]:
        """About forty professionals with memberships; the demo logins among them."""
        self.faker.seed_instance(f"samen-demo-staff-{self.seed}")
        logins = {login.role: login for login in DEMO_LOGINS}
        used: set[str] = {login.email for login in DEMO_LOGINS}
        result = []
        for organisation in ORGANISATIONS:
            for staff in organisation.staff:
                for _ in range(staff.count):
                    given = self._given_name(female=self.rng.random() < 0.7)
                    family = self._family_name()
                    login = logins.get(staff.login) if staff.login else None
                    if login is not None:
                        email = login.email
                    else:
                        local = f"{slugify(given)}.{slugify(family).replace('-', '')}"
                        email, n = f"{local}@{DEMO_EMAIL_DOMAIN}", 1
                        while email in used:
                            n += 1
                            email = f"{local}{n}@{DEMO_EMAIL_DOMAIN}"
                        used.add(email)
                    result.append(
                        ProfessionalSpec(
                            email, f"{given} {family}", organisation.name, staff.role, staff.job_title, login
                        )
                    )
        return result

    def block_professionals(self, block: int) -> list[tuple[int, ProfessionalSpec]]:
        """The professionals and coordinators of staff block ``block`` (1 or more), each with its ``staff_key``:
        the same positions in ``STAFF`` as block 0, other people, no demo logins."""
        if block < 1:
            raise ValueError("block 0 is the staff of professionals()")
        self.faker.seed_instance(f"samen-demo-staff-{self.seed}-block-{block}")
        used: set[str] = set()
        result = []
        for position, (organisation, role, job_title) in enumerate(STAFF):
            if role not in BLOCK_ROLES:
                continue
            given = self._given_name(female=self.rng.random() < 0.7)
            family = self._family_name()
            local = f"{slugify(given)}.{slugify(family).replace('-', '')}.t{block}"
            email, n = f"{local}@{DEMO_EMAIL_DOMAIN}", 1
            while email in used:
                n += 1
                email = f"{local}{n}@{DEMO_EMAIL_DOMAIN}"
            used.add(email)
            spec = ProfessionalSpec(email, f"{given} {family}", organisation, role, job_title, None)
            result.append((staff_key(block, position), spec))
        return result

    # --- households -------------------------------------------------------------------------
    def household(self, index: int) -> HouseholdSpec:
        """Household ``index``: 1 to 6 members; household 0 is always a family with children."""
        if not 0 <= index < MAX_HOUSEHOLDS:
            raise ValueError(f"household index must be below {MAX_HOUSEHOLDS}")
        self.faker.seed_instance(self.seed * _HOUSEHOLD_SEED_STRIDE + index)
        rng = self.rng
        kind = FAMILY if index == 0 else rng.choices(_KINDS, _KIND_WEIGHTS)[0]
        people: list[tuple[str, str, date, Relation]] = []

        if kind == SINGLE:
            female = rng.random() < 0.5
            family = self._family_name()
            given = self._given_name(female)
            people.append((given, family, self._born(18, 92), Relation.OTHER))
            name = f"{given} {family}"
        elif kind == HOUSEMATES:
            for _ in range(rng.randint(2, 4)):
                people.append(
                    (self._given_name(rng.random() < 0.5), self._family_name(), self._born(18, 30), Relation.OTHER)
                )
            name = f"Woongroep {rng.choice(_STREETS)}"
        elif kind == COUPLE:
            family, partner_family = self._couple(people, Relation.PARTNER, rng.randint(22, 85), 20, 92)
            if family == partner_family:
                name = f"Familie {display_family_name(family)}"
            else:
                name = f"{display_family_name(family)} en {display_family_name(partner_family)}"
        else:  # a family, a single parent, or three generations: parents and children
            two_parents = kind != SINGLE_PARENT
            if two_parents:
                family, _ = self._couple(people, Relation.PARENT, rng.randint(27, 52), 21, 60)
            else:
                family = self._family_name()
                age = rng.randint(23, 55)
                people.append((self._given_name(rng.random() < 0.8), family, self._born(age, age), Relation.PARENT))
            youngest_parent = min(_age(p[2]) for p in people)
            most = 3 if kind == THREE_GENERATIONS or not two_parents else 4
            count = rng.choices(range(1, most + 1), (35, 40, 18, 7)[:most])[0]
            oldest_child = max(0, min(youngest_parent - 20, 21))
            child_family = family if rng.random() < 0.9 else people[-1][1]
            for age in sorted((rng.randint(0, oldest_child) for _ in range(count)), reverse=True):
                people.append(
                    (self._given_name(rng.random() < 0.5), child_family, self._born(age, age), Relation.CHILD)
                )
            if kind == THREE_GENERATIONS:
                age = min(95, max(youngest_parent + rng.randint(22, 32), 62))
                people.append(
                    (
                        self._given_name(rng.random() < 0.65),
                        self._family_name(),
                        self._born(age, age),
                        Relation.GRANDPARENT,
                    )
                )
            name = f"Gezin {display_family_name(family)}"

        members = tuple(
            MemberSpec(given, family, born, relation, bsn=self._maybe_bsn(index, position, born))
            for position, (given, family, born, relation) in enumerate(people)
        )
        return HouseholdSpec(index=index, name=name, members=members)

    # --- teams -------------------------------------------------------------------------------
    def team(self, household: HouseholdSpec) -> TeamSpec | None:
        """The professionals around ``household`` and the consent they have, or None (no team).

        Household 0, the showcase, gets its team from ``samen.demo.services``; it depends on the demo logins.
        Depends only on the seed and the household, like the household itself.
        """
        index = household.index
        if index == 0:
            return None
        rng = self._team_rng
        rng.seed(f"samen-demo-team-{self.seed}-{index}")
        if rng.random() >= TEAM_SHARE:
            return None
        lead = rng.choices((*NEIGHBOURHOOD_TEAMS, MUNICIPALITY), (45, 40, 15))[0]
        network = _NETWORK_OF_TEAM[lead] if lead != MUNICIPALITY else rng.choice(NETWORKS)
        has_children = any(member.relation == Relation.CHILD for member in household.members)
        pool = [
            name
            for name in network.organisations
            if name not in NEIGHBOURHOOD_TEAMS and (name != YOUTH_CARE or has_children)
        ]
        organisations = [lead, *rng.sample(pool, rng.choices((0, 1, 2), (35, 45, 20))[0])]

        started = rng.randint(30, 900)
        block = staff_block(index)
        if lead == MUNICIPALITY:
            coordinators = staff_positions(lead, MembershipRole.PROFESSIONAL)
        else:
            coordinators = staff_positions(lead, MembershipRole.COORDINATOR)
        lead_position = rng.choice(coordinators)
        places = [PlaceSpec(staff_key(block, lead_position), started, is_coordinator=True)]
        joined = {lead: started}
        for name in organisations[1:]:
            joined[name] = rng.randint(7, started)
            staff = staff_positions(name, MembershipRole.PROFESSIONAL, MembershipRole.COORDINATOR)
            places.append(PlaceSpec(staff_key(block, rng.choice(staff)), joined[name]))
        if len(places) < 4 and rng.random() < 0.3:  # a colleague of the lead organisation works along
            colleagues = [p for p in staff_positions(lead, MembershipRole.PROFESSIONAL) if p != lead_position]
            places.append(PlaceSpec(staff_key(block, rng.choice(colleagues)), rng.randint(7, started)))

        grants = []
        for name in organisations:
            typical = _TYPICAL_CATEGORIES[name]
            if not has_children:
                typical = tuple(category for category in typical if category != G.YOUTH)
            extra = rng.sample(typical, rng.randint(0, min(3, len(typical))))
            for category in (G.GENERAL, *sorted(extra, key=_CATEGORY_ORDER.__getitem__)):
                grants.append(self._grant(name, category, joined[name]))
        notes = self._notes(places, organisations, grants)
        requests = _waiting_requests(places, organisations, grants, has_children)
        return TeamSpec(index=index, places=tuple(places), grants=tuple(grants), notes=notes, requests=requests)

    def _notes(self, places: list[PlaceSpec], organisations: list[str], grants: list[GrantSpec]) -> tuple:
        """A few notes by the team, each in a category its author's organisation has active consent for.
        Drawn after everything else, so adding notes changed no earlier draw."""
        rng = self._team_rng
        count = rng.choice(NOTES_PER_TEAM)
        # Places 0..len(organisations)-1 belong to the organisations in order; a colleague (if any) comes last.
        allowed = {
            position: [grant.category for grant in grants if grant.organisation == name and grant.is_active()]
            for position, name in enumerate(organisations)
        }
        notes = []
        for _ in range(count):
            position = rng.randrange(len(organisations))
            category = rng.choice(allowed[position])  # "general" is always granted and active
            days = rng.randint(0, max(0, places[position].joined_days_ago - 1))
            notes.append(NoteSpec(position, category, rng.choice(NOTE_TEXTS[category]), days))
        return tuple(sorted(notes, key=lambda note: -note.written_days_ago))

    def _grant(self, organisation: str, category: DataCategory, days_ago: int) -> GrantSpec:
        """Mostly active; a category other than "general" is sometimes revoked, or expired."""
        rng = self._team_rng
        draw = rng.random()
        if category != G.GENERAL and days_ago > 30 and draw < 0.08:
            return GrantSpec(organisation, category, days_ago, revoked_days_ago=rng.randint(1, days_ago - 1))
        if category != G.GENERAL and days_ago > 30 and draw < 0.14:
            return GrantSpec(organisation, category, days_ago, valid_days=rng.randint(14, days_ago - 1))
        if draw < 0.4:  # for a period that has not ended yet
            return GrantSpec(organisation, category, days_ago, valid_days=days_ago + rng.randint(30, 365))
        return GrantSpec(organisation, category, days_ago)

    def showcase_neighbour(self) -> tuple[str, str]:
        """The showcase household's neighbour (informal network): given and family name."""
        self.faker.seed_instance(f"samen-demo-neighbour-{self.seed}")
        return self.faker.first_name_female(), self._family_name()

    def _couple(self, people: list, relation: Relation, age: int, min_age: int, max_age: int) -> tuple[str, str]:
        """Two partners; mostly one shared family name. Returns both family names."""
        rng = self.rng
        first_female = rng.random() < 0.5
        second_female = first_female if rng.random() < 0.06 else not first_female
        partner_age = min(max_age, max(min_age, age + rng.randint(-4, 5)))
        family = self._family_name()
        partner_family = family if rng.random() < 0.75 else self._family_name()
        people.append((self._given_name(first_female), family, self._born(age, age), relation))
        people.append((self._given_name(second_female), partner_family, self._born(partner_age, partner_age), relation))
        return family, partner_family

    def _maybe_bsn(self, index: int, position: int, born: date) -> str:
        """Not everyone has a BSN on record: some adults do not, young children less often."""
        age = _age(born)
        chance = 0.9 if age >= 18 else (0.85 if age >= 4 else 0.5)
        if self.rng.random() >= chance:
            return ""
        return bsn_for_slot(index * MAX_MEMBERS + position, self.bsn_permutation)


def _waiting_requests(
    places: list[PlaceSpec], organisations: list[str], grants: list[GrantSpec], has_children: bool
) -> tuple[RequestSpec, ...]:
    """The open consent requests of the professionals (not the coordinator) who joined fewer than
    ``REQUEST_WAITING_DAYS`` days ago: for the first category typical of their organisation that it has no active
    consent for here. Derived from the team without a draw, so adding it changed no other draw."""
    requests = []
    for position, place in enumerate(places):
        if place.is_coordinator or place.joined_days_ago >= REQUEST_WAITING_DAYS:
            continue
        # Places 0..len(organisations)-1 belong to the organisations in order; a colleague (if any) comes last.
        organisation = organisations[position] if position < len(organisations) else organisations[0]
        granted = {grant.category for grant in grants if grant.organisation == organisation and grant.is_active()}
        wanted = [
            category
            for category in _TYPICAL_CATEGORIES[organisation]
            if category not in granted and (has_children or category != G.YOUTH)
        ]
        if wanted:
            requests.append(RequestSpec(position, wanted[0], place.joined_days_ago))
    return tuple(requests)


def _age(born: date) -> int:
    return REFERENCE_DATE.year - born.year - ((REFERENCE_DATE.month, REFERENCE_DATE.day) < (born.month, born.day))
