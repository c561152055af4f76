"""Writing the synthetic demo municipality: the service behind ``manage.py demo_municipality``.

One run is one transaction with one audit entry: either the whole municipality is there, with its
audit entry, or nothing is. Households are generated and inserted in batches (``bulk_create``, no
query per row), so memory stays bounded however many households are asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import reset_queries, transaction
from django.utils import timezone

from samen.accounts.models import User
from samen.core.actor import SYSTEM, Actor, Role
from samen.core.audit import record
from samen.core.models import AuditAction, AuditPurpose
from samen.core.progress import Progress
from samen.demo.generator import (
    CITY,
    DEFAULT_HOUSEHOLDS,
    DEFAULT_SEED,
    MAX_HOUSEHOLDS,
    NETWORKS,
    ORGANISATIONS,
    DemoGenerator,
)
from samen.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from samen.demo.models import DemoDataset
from samen.households.models import Household, HouseholdMember
from samen.organisations.models import Membership, MembershipRole, Network, Organisation

BATCH_SIZE = 2000
MAX_SEED = 10**9


class DemoConflict(Exception):
    """The database already holds something that this run would clash with."""


@dataclass(frozen=True)
class DemoResult:
    status: str  # "generated", "extended" or "already_loaded"
    seed: int
    households: int  # households of this seed in the database after the run
    created_households: int = 0
    created_members: int = 0
    organisations: int = 0
    professionals: int = 0


def demo_municipality_load(
    *,
    seed: int = DEFAULT_SEED,
    households: int = DEFAULT_HOUSEHOLDS,
    actor: Actor = SYSTEM,
    progress_for: Callable[[int], Progress] | None = None,
    batch_size: int = BATCH_SIZE,
) -> DemoResult:
    """Make sure the demo municipality of ``seed`` with at least ``households`` households exists.

    Idempotent: when it is already there this costs one query and creates nothing. With fewer
    households of the same seed it adds the missing ones (the same ones a fresh run would make).
    ``progress_for(n)`` is called with the number of households about to be created.
    """
    if not 0 <= seed < MAX_SEED:
        raise ValueError(f"The seed must be a whole number from 0 to {MAX_SEED - 1}.")
    if not 1 <= households <= MAX_HOUSEHOLDS:
        raise ValueError(f"The number of households must be from 1 to {MAX_HOUSEHOLDS:,}.")
    dataset = DemoDataset.objects.filter(seed=seed).first()
    if dataset is not None and dataset.households >= households:
        return DemoResult("already_loaded", seed, dataset.households)
    if dataset is None:
        other = DemoDataset.objects.order_by("pk").first()
        if other is not None:
            raise DemoConflict(
                f"This database already holds the demo municipality of seed {other.seed}; "
                "another seed needs an empty database."
            )
        if User.objects.filter(email__in=[login.email for login in DEMO_LOGINS]).exists():
            raise DemoConflict("The demo accounts already exist, but no demo municipality was recorded.")
    return _generate(
        seed=seed,
        households=households,
        existing=dataset,
        actor=actor,
        progress_for=progress_for,
        batch_size=batch_size,
    )


@transaction.atomic
def _generate(
    *,
    seed: int,
    households: int,
    existing: DemoDataset | None,
    actor: Actor,
    progress_for: Callable[[int], Progress] | None,
    batch_size: int,
) -> DemoResult:
    generator = DemoGenerator(seed)
    start = existing.households if existing is not None else 0
    organisations = professionals = 0
    citizen_id = None
    if existing is None:
        organisations, professionals, citizen_id = _create_organisations_and_people(generator)

    progress = progress_for(households - start) if progress_for is not None else None
    members = _create_households(generator, start, households, citizen_id, batch_size, progress)
    if progress is not None:
        progress.finish()

    now = timezone.now()
    if existing is None:
        dataset = DemoDataset.objects.create(seed=seed, households=households, members=members, created_at=now)
        description = (
            f"demo municipality generated: seed {seed}, {households} households with {members} members, "
            f"{organisations} organisations, {len(NETWORKS)} networks, {professionals} professionals"
        )
    else:
        dataset = existing
        dataset.households = households
        dataset.members += members
        dataset.updated_at = now
        dataset.save(update_fields=["households", "members", "updated_at"])
        description = (
            f"demo municipality extended: seed {seed}, from {start} to {households} households "
            f"({members} members added)"
        )
    record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=dataset,
        purpose=AuditPurpose.OPERATIONS,
        description=description,
        changes={"seed": seed, "households": [start, households], "members_added": members},
    )
    return DemoResult(
        "generated" if existing is None else "extended",
        seed,
        households,
        created_households=households - start,
        created_members=members,
        organisations=organisations,
        professionals=professionals,
    )


def _create_organisations_and_people(generator: DemoGenerator) -> tuple[int, int, int]:
    """Organisations, networks, professionals with memberships, and the demo accounts.

    Returns the numbers of organisations and professionals, and the citizen account's id.
    """
    organisations = Organisation.objects.bulk_create(
        [Organisation(name=spec.name, type=spec.type, city=CITY) for spec in ORGANISATIONS]
    )
    by_name = {organisation.name: organisation for organisation in organisations}

    demo_hash = make_password(DEMO_PASSWORD)  # argon2 is slow on purpose: hash once, share it
    staff = generator.professionals()
    users = [
        User(
            email=spec.email,
            full_name=spec.full_name,
            password=demo_hash if spec.login is not None else make_password(None),
            is_staff=spec.is_staff,
        )
        for spec in staff
    ]
    # The citizen is the first parent of household 0, a family with children.
    parent = generator.household(0).members[0]
    citizen_login = next(login for login in DEMO_LOGINS if login.role == Role.CITIZEN)
    citizen = User(email=citizen_login.email, full_name=f"{parent.given_name} {parent.family_name}", password=demo_hash)
    User.objects.bulk_create([*users, citizen])

    Membership.objects.bulk_create(
        [
            Membership(user=user, organisation=by_name[spec.organisation], role=spec.role, job_title=spec.job_title)
            for user, spec in zip(users, staff, strict=True)
        ]
    )
    facilitators = [
        user for user, spec in zip(users, staff, strict=True) if spec.role == MembershipRole.NETWORK_FACILITATOR
    ]
    for spec in NETWORKS:
        network = Network.objects.create(name=spec.name, description=spec.description)
        network.organisations.set([by_name[name] for name in spec.organisations])
        network.facilitators.set(facilitators)
    return len(organisations), len(users), citizen.pk


def _create_households(
    generator: DemoGenerator,
    start: int,
    stop: int,
    citizen_id: int | None,
    batch_size: int,
    progress: Progress | None,
) -> int:
    """Households ``start`` up to ``stop``, a batch at a time; returns how many members were made."""
    now = timezone.now()
    created_members = 0
    for batch_start in range(start, stop, batch_size):
        specs = [generator.household(index) for index in range(batch_start, min(stop, batch_start + batch_size))]
        households = Household.objects.bulk_create(
            [Household(name=spec.name, city=CITY, is_synthetic=True, created_at=now) for spec in specs]
        )
        members = [
            HouseholdMember(
                household_id=household.pk,
                given_name=member.given_name,
                family_name=member.family_name,
                date_of_birth=member.date_of_birth,
                relation=member.relation,
                bsn=member.bsn,
                bsn_is_synthetic=bool(member.bsn),
                user_id=citizen_id if spec.index == 0 and position == 0 else None,
            )
            for spec, household in zip(specs, households, strict=True)
            for position, member in enumerate(spec.members)
        ]
        HouseholdMember.objects.bulk_create(members, batch_size=batch_size)
        created_members += len(members)
        del specs, households, members
        reset_queries()  # with DEBUG on, Django would keep every INSERT's SQL in memory
        if progress is not None:
            progress.advance(min(batch_size, stop - batch_start))
    return created_members
