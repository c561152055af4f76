"""The demo timelines and intakes: coded events made from the demo data, conversation summaries only where the
writer's organisation has consent, deterministic for a seed, a fixed number of queries, nothing added twice."""

import math
import re
from collections import Counter, defaultdict
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from samen.accounts.models import User
from samen.assessments.domains import DOMAIN_CATEGORY
from samen.consent.models import ConsentGrant, DataCategory
from samen.consent.policies import consented_categories
from samen.core.actor import Role
from samen.demo.logins import DEMO_LOGINS
from samen.dossier.demo import SHOWCASE_CONVERSATIONS, add_demo_timeline
from samen.dossier.models import Intake, IntakeSituation
from samen.households.models import Household, TeamMember, TeamRole
from samen.organisations.actors import actor_for_user
from samen.organisations.models import Membership
from samen.plans.models import Action, Goal, PlanVersion
from samen.timeline import events
from samen.timeline.models import Entry, EntryKind, EventCode

pytestmark = pytest.mark.django_db

G = DataCategory
TIMELINE = [EntryKind.CONVERSATION, EntryKind.EVENT]
GENERAL_EVENTS = {
    EventCode.PLAN_CHANGED,
    EventCode.EVALUATION_PLANNED,
    EventCode.EVALUATION_RECORDED,
    EventCode.VERSION_SAVED,
    EventCode.VERSION_AGREED,
    EventCode.EMERGENCY_ACCESS,
    EventCode.COORDINATOR_CHANGED,
    EventCode.TEAM_JOINED,
    EventCode.TEAM_LEFT,
}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _demo(households: int = 40) -> list[int]:
    call_command("demo_municipality", households=households, seed=2026, verbosity=0)
    return sorted(Household.objects.values_list("pk", flat=True))


@pytest.fixture
def demo() -> list[int]:
    """A small demo town, made by ``manage.py demo_municipality`` (which writes the timelines)."""
    return _demo()


def _forget_timelines() -> None:
    IntakeSituation.objects.all().delete()
    Intake.objects.all().delete()
    Entry.objects.filter(kind__in=TIMELINE).delete()


def _rows(household_ids) -> list[tuple]:
    return list(
        Entry.objects.filter(household_id__in=household_ids, kind__in=TIMELINE)
        .order_by("household_id", "created_at", "pk")
        .values_list(
            "household_id",
            "kind",
            "category",
            "text",
            "participants",
            "event_code",
            "event_params",
            "created_at",
            "written_by_id",
            "organisation_id",
            "author_role",
        )
    )


def _with_professionals(household_ids) -> set[int]:
    return set(
        TeamMember.objects.filter(
            household_id__in=household_ids, role=TeamRole.PROFESSIONAL, organisation__isnull=False
        ).values_list("household_id", flat=True)
    )


# --- counting queries without counting the batches of one bulk insert ---------------------------------------------


@contextmanager
def statements():
    """Every statement run in the block, as (sql, rows it carries: its number of parameters, or for PostgreSQL's
    ``INSERT ... SELECT * FROM UNNEST(%s, ...)`` (how Django bulk-inserts there) the rows in each array times the
    columns)."""
    seen: list[tuple[str, int]] = []

    def wrapper(execute, sql, params, many, context):
        params = params or ()
        if "UNNEST(" in sql and params and isinstance(params[0], list | tuple):
            seen.append((sql, len(params[0]) * len(params)))
        else:
            seen.append((sql, len(params)))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield seen


INSERT = re.compile(r'INSERT INTO "(\w+)" \((.*?)\) ')


def bulk_query_profile(func, **kwargs) -> tuple[int, dict[str, int]]:
    """Run ``func`` and return (the number of statements that are not an INSERT, the rows inserted per table).
    Fails when one table's rows were inserted in more statements than the database's parameter limit needs:
    every INSERT of a table but its last carries as many rows as the largest one (``bulk_create`` batches), so
    no INSERT runs per household."""
    with statements() as seen:
        func(**kwargs)
    other = 0
    per_table: dict[str, list[int]] = defaultdict(list)
    for sql, params in seen:
        match = INSERT.match(sql)
        if match is None:
            other += 1
            continue
        columns = match.group(2).count(",") + 1
        per_table[match.group(1)].append(params // columns)
    for table, rows in per_table.items():
        assert len(rows) == math.ceil(sum(rows) / max(rows)), f"{table}: {rows}"
        assert all(count == max(rows) for count in rows[:-1]), f"{table}: {rows}"
    return other, {table: sum(rows) for table, rows in per_table.items()}


# --- the showcase household ----------------------------------------------------------------------------------------


def test_the_showcase_household_has_a_story_that_fits_its_team_consent_and_plan(demo):
    showcase = demo[0]
    citizen = User.objects.get(email=next(login.email for login in DEMO_LOGINS if login.role == Role.CITIZEN))
    given_name = citizen.full_name.split(" ")[0]
    conversations = Entry.objects.filter(household_id=showcase, kind=EntryKind.CONVERSATION).order_by("created_at")
    assert conversations.count() == len(SHOWCASE_CONVERSATIONS)
    assert {entry.category for entry in conversations} == {G.GENERAL, G.FINANCES, G.YOUTH, G.SAFETY}
    assert all(given_name in entry.participants for entry in conversations)
    texts = " ".join(entry.text + entry.participants for entry in conversations)
    assert not any(name in texts for name in ("Fatima", "Noor", "Sem", "{", "}"))

    showcase_events = Entry.objects.filter(household_id=showcase, kind=EntryKind.EVENT)
    codes = set(showcase_events.values_list("event_code", flat=True))
    assert codes >= {
        EventCode.CONSENT_GIVEN,
        EventCode.CONSENT_WITHDRAWN,
        EventCode.COORDINATOR_CHANGED,
        EventCode.TEAM_JOINED,
        EventCode.TEAM_LEFT,
        EventCode.EMERGENCY_ACCESS,
        EventCode.GOAL_ADDED,
        EventCode.ACTION_ADDED,
        EventCode.ACTION_DONE,
        EventCode.EVALUATION_PLANNED,
        EventCode.EVALUATION_RECORDED,
        EventCode.VERSION_SAVED,
        EventCode.VERSION_AGREED,
    }
    # Version numbers that exist, agreed by the citizen who agreed with them.
    versions = dict(PlanVersion.objects.filter(plan__household_id=showcase).values_list("number", "agreed_by_id"))
    for entry in showcase_events.filter(event_code__in=[EventCode.VERSION_SAVED, EventCode.VERSION_AGREED]):
        assert entry.event_params["number"] in versions
        if entry.event_code == EventCode.VERSION_AGREED:
            assert entry.written_by_id == versions[entry.event_params["number"]] == citizen.pk
            assert entry.author_role == Role.CITIZEN
    # The coordinators are named by their own names; the handover is recorded by the one who handed over.
    coordinators = showcase_events.filter(event_code=EventCode.COORDINATOR_CHANGED).order_by("created_at")
    current = TeamMember.objects.get(household_id=showcase, is_coordinator=True)
    assert coordinators.last().event_params == {
        "name": current.user.full_name,
        "organisation": current.organisation.name,
    }
    earlier = TeamMember.objects.get(household_id=showcase, left_at__isnull=False)
    assert coordinators.last().written_by_id == earlier.user_id
    assert coordinators.last().text == f"{current.user.full_name} van {current.organisation.name} is nu de regisseur."
    # The consent the citizen gave and took back, in the category of that grant.
    withdrawn = showcase_events.get(event_code=EventCode.CONSENT_WITHDRAWN)
    grant = ConsentGrant.objects.get(household_id=showcase, revoked_at__isnull=False)
    assert withdrawn.category == grant.category == withdrawn.event_params["category"]
    assert withdrawn.event_params["receiver"] == grant.organisation.name
    assert (withdrawn.written_by_id, withdrawn.organisation_id, withdrawn.author_role) == (
        citizen.pk,
        None,
        Role.CITIZEN,
    )
    intake = Intake.objects.get(household_id=showcase)
    assert (intake.filled_by_id, intake.filled_by_role, intake.version) == (citizen.pk, Role.CITIZEN, 2)
    assert intake.situations.count() == 6
    assert given_name in " ".join(intake.situations.values_list("text", flat=True))


def test_the_showcase_timeline_shows_the_events_in_dutch_and_in_english(demo, client):
    showcase = demo[0]
    citizen = User.objects.get(email=next(login.email for login in DEMO_LOGINS if login.role == Role.CITIZEN))
    client.force_login(citizen)
    url = reverse("dossier:timeline", args=[showcase])
    number = PlanVersion.objects.filter(plan__household_id=showcase).order_by("-number").first().number
    dutch = client.get(url, {"kind": "event"}, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    english = client.get(url, {"kind": "event"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Versie {number} van het plan is bewaard." in dutch
    assert f"Version {number} of the plan was saved." in english
    assert f"Version {number} of the plan was saved." not in dutch


# --- every household with a professional ---------------------------------------------------------------------------


def test_every_event_is_a_valid_coded_event_in_the_category_of_what_changed(demo):
    entries = list(Entry.objects.filter(kind=EntryKind.EVENT))
    assert len(entries) > 10 * len(_with_professionals(demo))
    goal_categories = defaultdict(Counter)
    for household_id, category in Goal.objects.filter(plan__is_current=True).values_list(
        "plan__household_id", "category"
    ):
        goal_categories[household_id][category] += 1
    action_categories = defaultdict(Counter)
    for household_id, category in Action.objects.values_list("goal__plan__household_id", "goal__category"):
        action_categories[household_id][category] += 1
    added_goals, added_actions = defaultdict(Counter), defaultdict(Counter)
    now = timezone.now()
    for entry in entries:
        code = EventCode(entry.event_code)
        assert set(entry.event_params) == events.PARAMS[code]
        assert entry.source == events.SOURCES[code]
        assert entry.created_at <= now
        with translation.override("nl"):
            assert entry.text == events.sentence(code, entry.event_params)
        with translation.override("en"):
            english = events.sentence(code, entry.event_params)
        assert english and english != entry.text
        for name in ("receiver", "name", "organisation", "owner"):
            if name in entry.event_params:
                assert entry.event_params[name] in english and entry.event_params[name] in entry.text
        if code in GENERAL_EVENTS:
            assert entry.category == G.GENERAL
        elif code in (EventCode.CONSENT_GIVEN, EventCode.CONSENT_WITHDRAWN):
            assert entry.category == entry.event_params["category"]
        elif code == EventCode.GOAL_ADDED:
            added_goals[entry.household_id][entry.category] += 1
        elif code == EventCode.ACTION_ADDED:
            added_actions[entry.household_id][entry.category] += 1
    assert added_goals == {pk: counts for pk, counts in goal_categories.items() if pk in added_goals}
    assert added_actions == {pk: counts for pk, counts in action_categories.items() if pk in added_actions}
    assert set(added_goals) == _with_professionals(demo) & set(goal_categories)


def test_events_are_written_by_who_did_it(demo):
    """Consent by who recorded it, a team member joining by the coordinator (the first coordinator: themselves), an
    action done by who did it; a professional for their organisation in their membership's role."""
    roles = {
        user_id: (organisation_id, role)
        for user_id, organisation_id, role in Membership.objects.values_list("user_id", "organisation_id", "role")
    }
    granted = {
        (grant.household_id, grant.category, grant.organisation.name if grant.organisation_id else None): grant
        for grant in ConsentGrant.objects.select_related("organisation")
    }
    for entry in Entry.objects.filter(kind=EntryKind.EVENT):
        if entry.written_by_id in roles:
            assert (entry.organisation_id, entry.author_role) == roles[entry.written_by_id]
        elif entry.written_by_id is not None:
            assert (entry.organisation_id, entry.author_role) == (None, Role.CITIZEN)
        if entry.event_code == EventCode.CONSENT_GIVEN:
            grant = granted.get((entry.household_id, entry.category, entry.event_params["receiver"]))
            if grant is not None:
                assert entry.written_by_id == grant.granted_by_id
    joined = Entry.objects.filter(event_code=EventCode.TEAM_JOINED)
    assert not joined.filter(written_by__isnull=True).exists()


def test_conversations_only_in_categories_the_writers_organisation_may_see(demo):
    conversations = list(Entry.objects.filter(kind=EntryKind.CONVERSATION).select_related("written_by"))
    households = {entry.household_id for entry in conversations}
    assert len(households) >= len(_with_professionals(demo)) * 3 // 4
    now = timezone.now()
    for entry in conversations:
        place = TeamMember.objects.get(
            household_id=entry.household_id, user_id=entry.written_by_id, organisation_id=entry.organisation_id
        )
        assert place.role == TeamRole.PROFESSIONAL
        assert place.joined_at <= entry.created_at <= now
        assert place.left_at is None or entry.created_at < place.left_at
        grants = ConsentGrant.objects.filter(
            household_id=entry.household_id, organisation_id=entry.organisation_id, category=entry.category
        )
        assert any(
            grant.valid_from <= moment
            and (grant.valid_until is None or moment < grant.valid_until)
            and (grant.revoked_at is None or moment < grant.revoked_at)
            for grant in grants
            for moment in (entry.created_at, now)
        )
        if place.left_at is None:  # the policy itself agrees (for who is in the team now)
            actor = actor_for_user(entry.written_by)
            assert entry.category in consented_categories(actor, entry.household_id)
        assert entry.participants and entry.text
        assert "{" not in entry.text + entry.participants


def test_the_other_households_differ_and_some_have_an_intake(demo):
    others = _with_professionals(demo) - {demo[0]}
    texts = Counter(
        Entry.objects.filter(household_id__in=others, kind=EntryKind.CONVERSATION).values_list("text", flat=True)
    )
    assert len(texts) >= 0.7 * sum(texts.values())  # mostly different summaries
    intakes = list(Intake.objects.filter(household_id__in=others).select_related("filled_by"))
    assert 0 < len(intakes) < len(others)
    for intake in intakes:
        place = TeamMember.objects.get(household_id=intake.household_id, user=intake.filled_by, is_coordinator=True)
        allowed = set(
            ConsentGrant.objects.filter(
                household_id=intake.household_id, organisation_id=place.organisation_id, revoked_at__isnull=True
            ).values_list("category", flat=True)
        )
        assert G.GENERAL in allowed
        assert all(DOMAIN_CATEGORY[situation.domain] in allowed for situation in intake.situations.all())
        assert intake.updated_at >= place.joined_at


def test_households_without_a_professional_get_no_timeline(demo):
    lonely = set(demo) - _with_professionals(demo)
    assert lonely
    assert not Entry.objects.filter(household_id__in=lonely, kind__in=TIMELINE).exists()
    assert not Intake.objects.filter(household_id__in=lonely).exists()


# --- deterministic, idempotent, a fixed number of queries ----------------------------------------------------------


def test_the_same_seed_gives_the_same_timelines_and_another_seed_other_ones(demo):
    now = timezone.now()
    _forget_timelines()
    added = add_demo_timeline(household_ids=demo, seed=7, now=now)
    first = _rows(demo)
    intakes = list(Intake.objects.order_by("household_id").values_list("household_id", "question", "updated_at"))
    assert added == len(first) > 0
    _forget_timelines()
    add_demo_timeline(household_ids=list(reversed(demo)), seed=7, now=now)
    assert _rows(demo) == first
    assert list(Intake.objects.order_by("household_id").values_list("household_id", "question", "updated_at")) == (
        intakes
    )
    _forget_timelines()
    add_demo_timeline(household_ids=demo, seed=8, now=now)
    conversations = [row for row in first if row[1] == EntryKind.CONVERSATION]
    assert [row for row in _rows(demo) if row[1] == EntryKind.CONVERSATION] != conversations
    # The events tell what is in the data: the same for any seed.
    assert [row for row in _rows(demo) if row[1] == EntryKind.EVENT] == [
        row for row in first if row[1] == EntryKind.EVENT
    ]


def test_a_second_run_adds_nothing(demo):
    before = (Entry.objects.count(), Intake.objects.count(), IntakeSituation.objects.count())
    assert add_demo_timeline(household_ids=demo, seed=2026, now=timezone.now()) == 0
    call_command("demo_municipality", households=len(demo), seed=2026, verbosity=0)
    assert (Entry.objects.count(), Intake.objects.count(), IntakeSituation.objects.count()) == before


def test_the_number_of_queries_does_not_grow_with_the_households():
    ids = _demo(200)
    _forget_timelines()
    now = timezone.now()
    profiles = []
    for household_ids in (ids[:20], ids):
        with transaction.atomic():
            profiles.append(bulk_query_profile(add_demo_timeline, household_ids=household_ids, seed=1, now=now))
            transaction.set_rollback(True)
    (few_reads, few_rows), (many_reads, many_rows) = profiles
    assert few_reads == many_reads
    assert set(few_rows) == set(many_rows)
    assert many_rows["dossier_entry"] > 5 * few_rows["dossier_entry"]


def test_no_households_adds_nothing(db):
    assert add_demo_timeline(household_ids=[], seed=1, now=timezone.now()) == 0
