"""Writing the synthetic demo municipality: the service behind ``manage.py demo_municipality``.

One run is one transaction with one audit entry: either the whole municipality is there, with its
audit entry, or nothing is. Households, their teams and their consent are generated and inserted in
batches (``bulk_create``, no query per row), so memory stays bounded however many households are asked for.

The rows are written directly, not through the household and consent services: those take one household at
a time and audit every change, which is right for people and wrong for 100,000 synthetic households (the run
is one bulk operation by the system, with one audit entry). Every database constraint still holds.

Who "granted" consent in a household without a citizen account: the household's coordinator, who recorded
the consent the resident gave on paper (``legal_basis=consent``). Only the showcase household's citizen has
an account; a user per household would cost far more than the demo is worth.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import reset_queries
from django.utils import timezone

from samen.accounts.models import User
from samen.assessments.demo import add_demo_assessments
from samen.collaboration.demo import add_demo_pulse
from samen.consent.models import (
    BREAK_THE_GLASS_HOURS,
    BreakTheGlass,
    BreakTheGlassGround,
    ConsentGrant,
    ConsentRequest,
    ConsentRequestStatus,
    DataCategory,
    LegalBasis,
)
from samen.conversations.demo import add_demo_conversations
from samen.core.actor import SYSTEM, Actor, Role
from samen.core.audit import record
from samen.core.models import AuditAction, AuditPurpose
from samen.core.progress import Progress
from samen.core.transactions import atomic_service
from samen.demo.generator import (
    CITY,
    DEBT_COUNSELLING,
    DEFAULT_HOUSEHOLDS,
    DEFAULT_SEED,
    MAX_HOUSEHOLDS,
    NETWORKS,
    ORGANISATIONS,
    STAFF,
    YOUTH_CARE,
    DemoGenerator,
    GrantSpec,
    login_position,
    staff_block,
    staff_key,
    staff_positions,
)
from samen.demo.logins import DEMO_EMAIL_DOMAIN, DEMO_LOGINS, DEMO_PASSWORD
from samen.demo.models import DemoDataset
from samen.dossier.demo import add_demo_timeline
from samen.households.models import (
    CoordinatorHandover,
    Household,
    HouseholdMember,
    Invitation,
    TeamMember,
    TeamRole,
)
from samen.households.tokens import hash_token, new_salt, token_for
from samen.meetings.demo import add_demo_meetings
from samen.operations.demo import add_demo_failed_task
from samen.organisations.models import Membership, MembershipRole, Network, Organisation
from samen.plans.demo import add_demo_plans
from samen.referrals.demo import add_demo_referrals
from samen.reminders.demo import add_demo_reminders
from samen.socialmap.demo import add_demo_socialmap
from samen.socialmap.demo_network import add_demo_network
from samen.timeline.models import Entry, EntryKind

BATCH_SIZE = 2000
MAX_SEED = 10**9
NEIGHBOUR_EMAIL = f"buurvrouw@{DEMO_EMAIL_DOMAIN}"  # the showcase household's informal network; no login
# Why a professional who just joined a team asks for one more category (``generator.RequestSpec``). Synthetic.
WAITING_REQUEST_REASON = (
    "Ik ben net bij het team gekomen. Om goed te kunnen helpen, wil ik ook dit deel van jullie gegevens kunnen zien."
)


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
    teams: int = 0  # households that got a team in this run
    team_members: int = 0
    grants: int = 0
    notes: int = 0
    plans: int = 0
    assessments: int = 0
    timeline: int = 0


@dataclass
class _Counts:
    members: int = 0
    teams: int = 0
    team_members: int = 0
    grants: int = 0
    notes: int = 0


DETAILED_HOUSEHOLDS = 1000  # households that get a plan, self-assessments and a timeline in the demo


@dataclass(frozen=True)
class _People:
    """The ids the households refer to: staff by ``staff_key`` (block 0: the position in ``STAFF``),
    organisations by name."""

    staff: dict[int, tuple[int, int]]  # (user id, organisation id)
    organisations: dict[str, int]
    citizen_id: int | None = None
    neighbour_id: int | None = None


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
        if User.objects.filter(email__in=[*(login.email for login in DEMO_LOGINS), NEIGHBOUR_EMAIL]).exists():
            raise DemoConflict("The demo accounts already exist, but no demo municipality was recorded.")
    return _generate(
        seed=seed,
        households=households,
        existing=dataset,
        actor=actor,
        progress_for=progress_for,
        batch_size=batch_size,
    )


@atomic_service
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
    now = timezone.now()
    organisations = professionals = 0
    if existing is None:
        organisations, professionals, people = _create_organisations_and_people(generator)
    else:
        people = _people_in_database(generator)

    progress = progress_for(households - start) if progress_for is not None else None
    counts = _create_households(generator, start, households, people, now, batch_size, progress)
    if progress is not None:
        progress.finish()
    if existing is None:
        # Plans, self-assessments, timelines and intakes, once, when the town is made, for the first
        # ``DETAILED_HOUSEHOLDS`` households (the lowest id is the showcase household, with the richest story):
        # enough to try every page, and a town of 100,000 stays quick to make. Households added by extending get none.
        ids = list(Household.objects.order_by("pk").values_list("pk", flat=True)[:DETAILED_HOUSEHOLDS])
        counts.plans = add_demo_plans(household_ids=ids, seed=seed, now=now)
        counts.assessments = add_demo_assessments(household_ids=ids, seed=seed, now=now)
        add_demo_reminders(household_ids=ids, now=now)
        add_demo_failed_task(now=now)  # the functional administrator's task page shows one failed task
        # Last: the timeline tells what happened in the teams, the consent and the plans made above.
        counts.timeline = add_demo_timeline(household_ids=ids, seed=seed, now=now)
        # The conversation, after the history: its signals and messages are the newest things that happened.
        add_demo_conversations(household_ids=ids, seed=seed, now=now)
        # After the timeline (whose generator skips a household that already has events): a referral in every
        # state, the inbox not empty.
        add_demo_referrals(household_ids=ids, now=now)
        add_demo_meetings(household_ids=ids, now=now)  # last: the next meeting has the open signals on its agenda
        # The networks' pulse: a year of rounds, and an open one that the demo logins have not answered yet.
        logins = set(User.objects.filter(email__in=[login.email for login in DEMO_LOGINS]).values_list("pk", flat=True))
        add_demo_pulse(seed=seed, now=now, skip_user_ids=logins)
        add_demo_socialmap(seed=seed, now=now)  # about 300 services, informal initiatives among them
        add_demo_network(household_ids=ids, seed=seed, now=now)  # after the map: a volunteer comes through a service

    members = counts.members
    if existing is None:
        dataset = DemoDataset.objects.create(seed=seed, households=households, members=members, created_at=now)
        description = (
            f"demo municipality generated: seed {seed}, {households} households with {members} members, "
            f"{organisations} organisations, {len(NETWORKS)} networks, {professionals} professionals, "
            f"{counts.teams} teams with {counts.team_members} members, {counts.grants} consent grants, "
            f"{counts.notes} notes, {counts.plans} plans, {counts.assessments} self-assessments, "
            f"{counts.timeline} timeline entries"
        )
    else:
        dataset = existing
        dataset.households = households
        dataset.members += members
        dataset.updated_at = now
        dataset.save(update_fields=["households", "members", "updated_at"])
        description = (
            f"demo municipality extended: seed {seed}, from {start} to {households} households "
            f"({members} members, {counts.teams} teams, {counts.grants} consent grants, {counts.notes} notes added)"
        )
    record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=dataset,
        purpose=AuditPurpose.OPERATIONS,
        description=description,
        changes={
            "seed": seed,
            "households": [start, households],
            "members_added": members,
            "teams_added": counts.teams,
            "team_members_added": counts.team_members,
            "grants_added": counts.grants,
            "notes_added": counts.notes,
        },
    )
    return DemoResult(
        "generated" if existing is None else "extended",
        seed,
        households,
        created_households=households - start,
        created_members=members,
        organisations=organisations,
        professionals=professionals,
        teams=counts.teams,
        team_members=counts.team_members,
        grants=counts.grants,
        notes=counts.notes,
    )


def _create_organisations_and_people(generator: DemoGenerator) -> tuple[int, int, _People]:
    """Organisations, networks, professionals with memberships, the demo accounts and the showcase neighbour.

    Returns the numbers of organisations and professionals, and the ids the households refer to.
    """
    organisations = Organisation.objects.bulk_create(
        [Organisation(name=spec.name, type=spec.type, city=CITY) for spec in ORGANISATIONS]
    )
    by_name = {organisation.name: organisation for organisation in organisations}

    demo_hash = make_password(DEMO_PASSWORD)  # argon2 is slow on purpose: hash once, share it
    unusable = make_password(None)
    staff = generator.professionals()
    users = [
        User(
            email=spec.email,
            full_name=spec.full_name,
            password=demo_hash if spec.login is not None else unusable,
            is_staff=spec.is_staff,
        )
        for spec in staff
    ]
    # The citizen is the first parent of household 0, a family with children.
    parent = generator.household(0).members[0]
    citizen_login = next(login for login in DEMO_LOGINS if login.role == Role.CITIZEN)
    citizen = User(email=citizen_login.email, full_name=f"{parent.given_name} {parent.family_name}", password=demo_hash)
    # A neighbour in the showcase household's informal network: an account (she accepted the invitation)
    # without a usable password, so not a demo login.
    neighbour = User(email=NEIGHBOUR_EMAIL, full_name=" ".join(generator.showcase_neighbour()), password=unusable)
    User.objects.bulk_create([*users, citizen, neighbour])

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
    people = _People(
        staff={
            position: (user.pk, by_name[spec.organisation].pk)
            for position, (user, spec) in enumerate(zip(users, staff, strict=True))
        },
        organisations={name: organisation.pk for name, organisation in by_name.items()},
        citizen_id=citizen.pk,
        neighbour_id=neighbour.pk,
    )
    return len(organisations), len(users), people


def _people_in_database(generator: DemoGenerator) -> _People:
    """The staff and organisations of an earlier run, for extending it (two queries)."""
    emails = [spec.email for spec in generator.professionals()]
    rows = Membership.objects.filter(user__email__in=emails).values_list("user__email", "user_id", "organisation_id")
    by_email = {email: (user_id, organisation_id) for email, user_id, organisation_id in rows}
    organisations = dict(
        Organisation.objects.filter(name__in=[spec.name for spec in ORGANISATIONS]).values_list("name", "pk")
    )
    return _People(staff=dict(enumerate(by_email[email] for email in emails)), organisations=organisations)


def _ensure_staff_blocks(generator: DemoGenerator, people: _People, blocks: range) -> None:
    """The professionals of staff blocks ``blocks`` (see ``STAFF_BLOCK``) in the database and in ``people``:
    created when missing, looked up when an earlier run made them. A few queries per block."""
    unusable = make_password(None)
    for block in blocks:
        if block < 1 or any(key in people.staff for key in range(staff_key(block, 0), staff_key(block + 1, 0))):
            continue  # block 0 is made with the organisations; this block is here already
        specs = generator.block_professionals(block)
        existing = dict(
            Membership.objects.filter(user__email__in=[spec.email for _, spec in specs]).values_list(
                "user__email", "user_id"
            )
        )
        missing = [(key, spec) for key, spec in specs if spec.email not in existing]
        users = User.objects.bulk_create(
            [User(email=spec.email, full_name=spec.full_name, password=unusable) for _, spec in missing]
        )
        Membership.objects.bulk_create(
            [
                Membership(
                    user=user,
                    organisation_id=people.organisations[spec.organisation],
                    role=spec.role,
                    job_title=spec.job_title,
                )
                for user, (_, spec) in zip(users, missing, strict=True)
            ]
        )
        created = {spec.email: user.pk for user, (_, spec) in zip(users, missing, strict=True)}
        for key, spec in specs:
            people.staff[key] = (
                existing.get(spec.email) or created[spec.email],
                people.organisations[spec.organisation],
            )


def _create_households(
    generator: DemoGenerator,
    start: int,
    stop: int,
    people: _People,
    now: datetime,
    batch_size: int,
    progress: Progress | None,
) -> _Counts:
    """Households ``start`` up to ``stop`` with their teams and consent, a batch at a time."""
    counts = _Counts()
    for batch_start in range(start, stop, batch_size):
        batch_stop = min(stop, batch_start + batch_size)
        _ensure_staff_blocks(generator, people, range(staff_block(batch_start), staff_block(batch_stop - 1) + 1))
        specs = [generator.household(index) for index in range(batch_start, batch_stop)]
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
                user_id=people.citizen_id if spec.index == 0 and position == 0 else None,
            )
            for spec, household in zip(specs, households, strict=True)
            for position, member in enumerate(spec.members)
        ]
        HouseholdMember.objects.bulk_create(members, batch_size=batch_size)
        counts.members += len(members)
        teams = [(household.pk, generator.team(spec)) for spec, household in zip(specs, households, strict=True)]
        _create_teams([(pk, team) for pk, team in teams if team is not None], people, now, batch_size, counts)
        if specs[0].index == 0:
            _create_showcase(households[0].pk, people, now, counts)
        del specs, households, members, teams
        reset_queries()  # with DEBUG on, Django would keep every INSERT's SQL in memory
        if progress is not None:
            progress.advance(min(batch_size, stop - batch_start))
    return counts


def _days_ago(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)


def _grant_row(
    household_id: int, spec: GrantSpec, organisation_id: int, granted_by: int, now: datetime
) -> ConsentGrant:
    granted = _days_ago(now, spec.granted_days_ago)
    revoked = _days_ago(now, spec.revoked_days_ago) if spec.revoked_days_ago is not None else None
    return ConsentGrant(
        household_id=household_id,
        category=spec.category,
        organisation_id=organisation_id,
        legal_basis=LegalBasis.CONSENT,
        valid_from=granted,
        valid_until=granted + timedelta(days=spec.valid_days) if spec.valid_days is not None else None,
        granted_by_id=granted_by,
        granted_at=granted,
        revoked_by_id=granted_by if revoked is not None else None,
        revoked_at=revoked,
    )


def _create_teams(teams, people: _People, now: datetime, batch_size: int, counts: _Counts) -> None:
    """The teams of one batch: its members, the first coordinator's record and the grants (three INSERTs).

    The coordinator records the consent the resident gave (and its revocation) as ``granted_by``.
    """
    if not teams:
        return
    places = [
        TeamMember(
            household_id=household_id,
            user_id=people.staff[place.staff][0],
            organisation_id=people.staff[place.staff][1],
            role=TeamRole.PROFESSIONAL,
            is_coordinator=place.is_coordinator,
            joined_at=_days_ago(now, place.joined_days_ago),
        )
        for household_id, team in teams
        for place in team.places
    ]
    TeamMember.objects.bulk_create(places, batch_size=batch_size)
    coordinators = [place for place in places if place.is_coordinator]
    CoordinatorHandover.objects.bulk_create(
        [
            CoordinatorHandover(
                household_id=member.household_id,
                to_member_id=member.pk,
                occurred_at=member.joined_at,
                recorded_by_id=member.user_id,
            )
            for member in coordinators
        ],
        batch_size=batch_size,
    )
    grants = [
        _grant_row(household_id, spec, people.organisations[spec.organisation], coordinator.user_id, now)
        for (household_id, team), coordinator in zip(teams, coordinators, strict=True)
        for spec in team.grants
    ]
    ConsentGrant.objects.bulk_create(grants, batch_size=batch_size)
    notes = []
    position_in_places = 0
    for household_id, team in teams:
        team_places = places[position_in_places : position_in_places + len(team.places)]
        position_in_places += len(team.places)
        for note in team.notes:
            place, spec = team_places[note.place], team.places[note.place]
            role = (
                Role.COORDINATOR
                if STAFF[spec.staff % len(STAFF)][1] == MembershipRole.COORDINATOR
                else Role.PROFESSIONAL
            )
            notes.append(
                Entry(
                    household_id=household_id,
                    kind=EntryKind.NOTE,
                    category=note.category,
                    text=note.text,
                    written_by_id=place.user_id,
                    organisation_id=place.organisation_id,
                    author_role=role,
                    created_at=_days_ago(now, note.written_days_ago),
                )
            )
    Entry.objects.bulk_create(notes, batch_size=batch_size)
    requests = []
    position_in_places = 0
    for household_id, team in teams:
        team_places = places[position_in_places : position_in_places + len(team.places)]
        position_in_places += len(team.places)
        for spec in team.requests:
            place = team_places[spec.place]
            requests.append(
                ConsentRequest(
                    household_id=household_id,
                    organisation_id=place.organisation_id,
                    team_member_id=place.pk,
                    categories=[spec.category],
                    legal_basis=LegalBasis.CONSENT,
                    reason=WAITING_REQUEST_REASON,
                    requested_by_id=place.user_id,
                    requested_at=_days_ago(now, spec.asked_days_ago),
                )
            )
    ConsentRequest.objects.bulk_create(requests, batch_size=batch_size)
    counts.teams += len(teams)
    counts.team_members += len(places)
    counts.grants += len(grants)
    counts.notes += len(notes)


def _create_showcase(household_id: int, people: _People, now: datetime, counts: _Counts) -> None:
    """Household 0, where the demo citizen lives: a team across three organisations (neighbourhood team, debt
    counselling, youth care), a neighbour, the independent client supporter, and consent with a history: a
    coordinator handover, a revoked grant, an open consent request, one the household declined last week, a
    break-the-glass access that ended."""
    citizen = people.citizen_id
    org = people.organisations
    coordinator_position = login_position(Role.COORDINATOR)
    earlier_coordinator = next(
        p for p in staff_positions("Wijkteam Noord", MembershipRole.COORDINATOR) if p != coordinator_position
    )
    youth_worker, youth_worker_on_duty = staff_positions(
        YOUTH_CARE, MembershipRole.PROFESSIONAL, job_title="Jeugdhulpverlener"
    )[:2]

    def professional(position: int, days: int, description: str, **fields) -> TeamMember:
        user_id, organisation_id = people.staff[position]
        return TeamMember(
            household_id=household_id,
            user_id=user_id,
            organisation_id=organisation_id,
            role=TeamRole.PROFESSIONAL,
            description=description,
            joined_at=_days_ago(now, days),
            **fields,
        )

    handed_over = _days_ago(now, 120)
    earlier = professional(
        earlier_coordinator,
        420,
        "Regisseur tot de overdracht",
        left_at=handed_over,
        left_reason="Coördinatie overgedragen; ik werk nu met huishoudens in een andere wijk.",
    )
    coordinator = professional(
        coordinator_position, 130, "Regisseur: houdt het overzicht over het plan en de afspraken", is_coordinator=True
    )
    debt = professional(
        login_position(Role.PROFESSIONAL), 200, "Schuldhulpverlening: overzicht van schulden en een betalingsregeling"
    )
    youth = professional(youth_worker, 60, "Opvoedondersteuning thuis en contact met school")
    neighbour = TeamMember(
        household_id=household_id,
        user_id=people.neighbour_id,
        role=TeamRole.INFORMAL,
        description="Buurvrouw; haalt de kinderen op dinsdag en donderdag van school",
        joined_at=_days_ago(now, 90),
    )
    supporter_user, supporter_organisation = people.staff[login_position(Role.CLIENT_SUPPORTER)]
    supporter = TeamMember(
        household_id=household_id,
        user_id=supporter_user,
        organisation_id=supporter_organisation,
        role=TeamRole.SUPPORTER,
        description="Onafhankelijke cliëntondersteuning bij de aanvraag voor schuldhulp",
        joined_at=_days_ago(now, 180),
    )
    team = [earlier, coordinator, debt, youth, neighbour, supporter]
    TeamMember.objects.bulk_create(team)

    CoordinatorHandover.objects.bulk_create(
        [
            CoordinatorHandover(
                household_id=household_id,
                to_member_id=earlier.pk,
                occurred_at=earlier.joined_at,
                recorded_by_id=earlier.user_id,
            ),
            CoordinatorHandover(
                household_id=household_id,
                from_member_id=earlier.pk,
                to_member_id=coordinator.pk,
                reason=(
                    "De caseload van Wijkteam Noord is opnieuw verdeeld: ik ga naar een andere wijk. De overdracht "
                    "is met het gezin besproken tijdens een huisbezoek."
                ),
                occurred_at=handed_over,
                recorded_by_id=earlier.user_id,
            ),
        ]
    )
    neighbour_salt = new_salt()
    Invitation.objects.create(
        household_id=household_id,
        email=NEIGHBOUR_EMAIL,
        name=User.objects.filter(pk=people.neighbour_id).values_list("full_name", flat=True).get(),
        description=neighbour.description,
        token_hash=hash_token(token_for(neighbour_salt)),
        token_salt=neighbour_salt,
        invited_by_id=citizen,
        created_at=_days_ago(now, 92),
        expires_at=_days_ago(now, 78),
        sent_at=_days_ago(now, 92),
        accepted_at=neighbour.joined_at,
        accepted_by_id=people.neighbour_id,
    )

    G = DataCategory

    def grant(category: DataCategory, days: int, **fields) -> ConsentGrant:
        granted = _days_ago(now, days)
        return ConsentGrant(
            household_id=household_id,
            category=category,
            legal_basis=LegalBasis.CONSENT,
            valid_from=granted,
            granted_at=granted,
            granted_by_id=citizen,
            **fields,
        )

    neighbourhood_team, debt_counselling, youth_care = org["Wijkteam Noord"], org[DEBT_COUNSELLING], org[YOUTH_CARE]
    grants = [
        *(grant(category, 420, organisation_id=neighbourhood_team) for category in (G.GENERAL, G.YOUTH, G.SAFETY)),
        *(grant(category, 200, organisation_id=debt_counselling) for category in (G.GENERAL, G.FINANCES)),
        # Health, given for the debt plan, taken back a month ago: history, no longer access.
        grant(G.HEALTH, 200, organisation_id=debt_counselling, revoked_at=_days_ago(now, 30), revoked_by_id=citizen),
        *(
            grant(category, 55, organisation_id=youth_care, valid_until=_days_ago(now, -310))
            for category in (G.GENERAL, G.YOUTH)
        ),
        grant(G.GENERAL, 88, team_member_id=neighbour.pk),
        grant(G.GENERAL, 178, team_member_id=supporter.pk),
        grant(G.FINANCES, 178, team_member_id=supporter.pk, valid_until=_days_ago(now, -187)),
        grant(G.HEALTH, 100, team_member_id=supporter.pk),
    ]
    ConsentGrant.objects.bulk_create(grants)
    notes = _showcase_notes(household_id, citizen, coordinator, debt, supporter, now)
    Entry.objects.bulk_create(notes)
    counts.notes += len(notes)

    youth_worker_user = youth.user_id
    ConsentRequest.objects.bulk_create(
        [
            ConsentRequest(
                household_id=household_id,
                organisation_id=youth_care,
                team_member_id=youth.pk,
                categories=[G.GENERAL, G.YOUTH],
                approved_categories=[G.GENERAL, G.YOUTH],
                legal_basis=LegalBasis.CONSENT,
                reason="Om het gezin te ondersteunen bij de opvoeding moeten we weten wie er thuis wonen en hoe het "
                "met de kinderen gaat.",
                status=ConsentRequestStatus.APPROVED,
                requested_by_id=youth_worker_user,
                requested_at=_days_ago(now, 60),
                answered_by_id=citizen,
                answered_at=_days_ago(now, 55),
            ),
            # The coordinator asked to see finances too; the household said no last week: money matters stay with
            # debt counselling (the demo coordinator's work queue shows the answer).
            ConsentRequest(
                household_id=household_id,
                organisation_id=neighbourhood_team,
                team_member_id=coordinator.pk,
                categories=[G.FINANCES],
                legal_basis=LegalBasis.CONSENT,
                reason="Om samen met de schuldhulp het overzicht over de rekeningen te houden, wil ik ook de gegevens "
                "over geld en schulden kunnen zien.",
                status=ConsentRequestStatus.DECLINED,
                requested_by_id=coordinator.user_id,
                requested_at=_days_ago(now, 9),
                answered_by_id=citizen,
                answered_at=_days_ago(now, 4),
            ),
            ConsentRequest(
                household_id=household_id,
                organisation_id=youth_care,
                team_member_id=youth.pk,
                categories=[G.MENTAL_HEALTH],
                legal_basis=LegalBasis.CONSENT,
                reason="De oudste heeft veel zorgen en slaapt slecht. Met informatie over eerdere hulp van de GGZ "
                "kunnen we beter passende hulp zoeken.",
                requested_by_id=youth_worker_user,
                requested_at=_days_ago(now, 5),
            ),
        ]
    )
    started = _days_ago(now, 150) + timedelta(hours=16, minutes=20)
    on_duty_user, on_duty_organisation = people.staff[youth_worker_on_duty]
    BreakTheGlass.objects.create(
        household_id=household_id,
        user_id=on_duty_user,
        organisation_id=on_duty_organisation,
        categories=[G.GENERAL, G.YOUTH, G.SAFETY],
        reason=(
            "School meldde blauwe plekken bij een van de kinderen; het gezin was niet bereikbaar. Volgens de "
            "Meldcode nagaan of er al hulp is en wie betrokken is, voordat we met de ouders spreken."
        ),
        legal_ground=BreakTheGlassGround.MELDCODE,
        started_at=started,
        expires_at=started + timedelta(hours=BREAK_THE_GLASS_HOURS),
        ended_at=started + timedelta(hours=2, minutes=10),
    )
    counts.teams += 1
    counts.team_members += len(team)
    counts.grants += len(grants)


def _showcase_notes(
    household_id: int, citizen: int, coordinator: TeamMember, debt: TeamMember, supporter: TeamMember, now: datetime
) -> list[Entry]:
    """The showcase household's dossier: finances by debt counselling, youth by the coordinator, health by the
    client supporter, general by the citizen. Synthetic."""
    G = DataCategory
    written = [
        (
            G.GENERAL, citizen, None, Role.CITIZEN, 40,
            "We hebben de afspraken van het keukentafelgesprek op de koelkast gehangen.",
        ),
        (
            G.GENERAL, citizen, None, Role.CITIZEN, 6,
            "Ik heb een sollicitatiegesprek gehad bij de bakkerij. Volgende week hoor ik meer.",
        ),
        (
            G.FINANCES, debt.user_id, debt.organisation_id, Role.PROFESSIONAL, 150,
            "Overzicht van alle schulden gemaakt: zeven schuldeisers, samen ongeveer 14.000 euro.",
        ),
        (
            G.FINANCES, debt.user_id, debt.organisation_id, Role.PROFESSIONAL, 90,
            "Betalingsregeling met de energieleverancier getroffen: 45 euro per maand.",
        ),
        (
            G.FINANCES, debt.user_id, debt.organisation_id, Role.PROFESSIONAL, 12,
            "Aanvraag voor een schuldregeling verstuurd. Tot het besluit geen nieuwe betalingsafspraken maken.",
        ),
        (
            G.YOUTH, coordinator.user_id, coordinator.organisation_id, Role.COORDINATOR, 70,
            "Gesprek met de mentor van de oudste: meer aanwezig op school sinds er thuis rust is.",
        ),
        (
            G.YOUTH, coordinator.user_id, coordinator.organisation_id, Role.COORDINATOR, 20,
            "Jeugdhulp start met opvoedondersteuning thuis, eens per week op woensdagmiddag.",
        ),
        (
            G.HEALTH, supporter.user_id, supporter.organisation_id, Role.CLIENT_SUPPORTER, 95,
            "Samen de vragen voor de huisarts voorbereid over slecht slapen en rugklachten.",
        ),
        (
            G.HEALTH, supporter.user_id, supporter.organisation_id, Role.CLIENT_SUPPORTER, 30,
            "Hulp bij de Wmo-aanvraag voor huishoudelijke hulp; het gesprek met de gemeente is gepland.",
        ),
    ]  # fmt: skip
    return [
        Entry(
            household_id=household_id,
            kind=EntryKind.NOTE,
            category=category,
            text=text,
            written_by_id=user_id,
            organisation_id=organisation_id,
            author_role=role,
            created_at=_days_ago(now, days),
        )
        for category, user_id, organisation_id, role, days, text in written
    ]
