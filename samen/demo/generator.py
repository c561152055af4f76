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

import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.text import slugify

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


def _age(born: date) -> int:
    return REFERENCE_DATE.year - born.year - ((REFERENCE_DATE.month, REFERENCE_DATE.day) < (born.month, born.day))
