"""``PreparedQuery`` answers exactly what its ORM query answers, builds it once per connection, and refuses what it
cannot prepare safely (a parameter the query does not use, a value of another kind)."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from samen.consent.policies import (
    CITIZEN_GATE,
    CITIZEN_RELATION,
    INFORMAL_GRANTS,
    PLACES,
    PROFESSIONAL_GATE,
    _citizen_gate,
    _citizen_relation_rows,
    _informal_grants,
    _places,
    _professional_gate,
)
from samen.consent.tests.test_authorization_matrix import cast_for_module
from samen.core.prepared import PreparedQuery
from samen.households.models import Household, HouseholdMember
from samen.households.tests.factories import HouseholdFactory, HouseholdMemberFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _households(name: str, since: datetime.datetime, member_name: str):
    members = HouseholdMember.objects.filter(household_id=OuterRef("pk"), given_name=member_name)
    return (
        Household.objects.filter(Q(name=name) | Q(created_at__gte=since))
        .annotate(has_member=Exists(members))
        .order_by("pk")
        .values_list("id", "name", "created_at", "is_synthetic", "has_member")
    )


HOUSEHOLDS = PreparedQuery(_households, name=str, since=datetime.datetime, member_name=str)


@pytest.fixture
def households():
    old = HouseholdFactory(name="Familie Oud", created_at=NOW - datetime.timedelta(days=400))
    new = HouseholdFactory(name="Familie Nieuw", created_at=NOW - datetime.timedelta(days=2))
    HouseholdMemberFactory(household=new, given_name="Sanne")
    HouseholdMemberFactory(household=old, given_name="Bram")
    return old, new


@pytest.mark.parametrize(
    ("name", "days", "member"),
    [
        ("Familie Oud", 30, "Sanne"),
        ("Familie Oud", 1000, "Bram"),
        ("niemand", 1, "niemand"),
        ("'; DROP TABLE households_household; --", 30, "<script>alert(1)</script>"),
        ("Familie Nieuw", 0, ""),
    ],
)
def test_a_prepared_query_answers_what_the_orm_answers(households, name, days, member):
    since = NOW - datetime.timedelta(days=days)
    expected = list(_households(name, since, member))
    assert HOUSEHOLDS.rows(name=name, since=since, member_name=member) == expected
    assert Household.objects.count() == 2  # nothing was run as SQL text


def test_the_values_come_back_as_the_orm_gives_them(households):
    _, new = households
    [row] = HOUSEHOLDS.rows(name="Familie Nieuw", since=NOW, member_name="Sanne")
    assert row == (new.pk, "Familie Nieuw", new.created_at, new.is_synthetic, True)
    assert isinstance(row[2], datetime.datetime) and row[2].tzinfo is not None
    assert row[4] is True


def test_the_query_is_built_once_per_connection(households):
    built = []

    def build(name):
        built.append(name)
        return Household.objects.filter(name=name).values_list("id")

    query = PreparedQuery(build, name=str)
    for name in ("Familie Oud", "Familie Nieuw", "x"):
        query.rows(name=name)
    assert len(built) == 1
    assert query.rows(name="Familie Oud") == [(households[0].pk,)]


def test_a_parameter_the_query_does_not_use_is_refused_when_preparing(households):
    query = PreparedQuery(lambda pk, name: Household.objects.filter(pk=pk).values_list("id"), pk=int, name=str)
    with pytest.raises(ValueError, match="name"):
        query.rows(pk=1, name="x")


@pytest.mark.parametrize(
    "build",
    [
        lambda now: Household.objects.filter(created_at__gte=now - datetime.timedelta(days=7)).values_list("id"),
        lambda pk: Household.objects.filter(pk=pk + 1).values_list("id"),
        lambda name: Household.objects.filter(name=f"Familie {name}").values_list("id"),
        lambda now: Household.objects.filter(
            created_at__lte=now, created_at__gte=now - datetime.timedelta(days=7)
        ).values_list("id"),
    ],
    ids=["moment minus a week", "id plus one", "text in an f-string", "the moment, and a week before it"],
)
def test_a_value_computed_from_a_parameter_is_refused_when_preparing(build):
    """It would be compiled as a constant and run with that value every time: a wrong answer, never allowed."""
    name = build.__code__.co_varnames[0]
    kind = {"now": datetime.datetime, "pk": int, "name": str}[name]
    value = {"now": NOW, "pk": 1, "name": "x"}[name]
    with pytest.raises(ValueError, match="computed"):
        PreparedQuery(build, **{name: kind}).rows(**{name: value})


@pytest.mark.parametrize(
    "values",
    [
        {"name": 1, "since": NOW, "member_name": "x"},
        {"name": "x", "since": "2026-01-01", "member_name": "x"},
        {"name": "x", "since": NOW},
        {"name": "x", "since": NOW, "member_name": "x", "other": 1},
    ],
)
def test_values_of_another_kind_or_missing_are_refused(values):
    with pytest.raises(TypeError):
        HOUSEHOLDS.rows(**values)


def test_a_bool_is_not_an_int():
    query = PreparedQuery(lambda pk: Household.objects.filter(pk=pk).values_list("id"), pk=int)
    with pytest.raises(TypeError):
        query.rows(pk=True)


def test_only_int_text_and_moments_can_be_parameters():
    with pytest.raises(TypeError):
        PreparedQuery(lambda day: Household.objects.none(), day=datetime.date)


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker):
    with cast_for_module(django_db_blocker) as built:
        yield built


def test_samens_prepared_queries_answer_what_their_orm_queries_answer(cast):
    """The gates, the citizen's relation, the informal network's grants and the workspace's places
    (``samen.consent.policies``), for everyone around a household (the authorization matrix's cast), for that
    household, the household next door and a missing one, now and a year ago."""
    other = Household.objects.exclude(pk=cast.household.pk).first()
    checked = 0
    for user in cast.users.values():
        if user is None:
            continue
        for organisation_id in [*user.memberships.values_list("organisation_id", flat=True), 0]:
            for pk in (cast.household.pk, other.pk, other.pk + 1000):
                for now in (NOW, NOW - datetime.timedelta(days=365)):
                    gate = {"pk": pk, "user_id": user.pk, "organisation_id": organisation_id, "now": now}
                    assert PROFESSIONAL_GATE.rows(**gate) == list(_professional_gate(**gate))
                    citizen = {"pk": pk, "user_id": user.pk, "now": now}
                    assert CITIZEN_GATE.rows(**citizen) == list(_citizen_gate(**citizen))
                    household = {"household_id": pk, "user_id": user.pk, "now": now}
                    assert CITIZEN_RELATION.rows(**household) == list(_citizen_relation_rows(**household))
                    assert INFORMAL_GRANTS.rows(**household) == list(_informal_grants(**household))
                    places = {"household_id": pk, "user_id": user.pk}
                    assert PLACES.rows(**places) == list(_places(**places))
                    checked += 1
    assert checked > 100
