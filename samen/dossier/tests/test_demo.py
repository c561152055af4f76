"""The demo timeline and intake for the showcase household: deterministic, within the demo's own team."""

import datetime

import pytest
from django.core.management import call_command

from samen.dossier.demo import add_demo_timeline
from samen.dossier.models import Entry, EntryKind, Intake
from samen.households.models import Household

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo_municipality", households=3, seed=2026, verbosity=0)
    # The demo made the showcase's timeline already; these tests make it themselves.
    Entry.objects.filter(kind__in=[EntryKind.CONVERSATION, EntryKind.EVENT]).delete()
    return sorted(Household.objects.values_list("pk", flat=True))


def _rows(household_id):
    return list(
        Entry.objects.filter(household_id=household_id, kind__in=[EntryKind.CONVERSATION, EntryKind.EVENT])
        .order_by("created_at", "pk")
        .values_list("kind", "category", "text", "created_at", "written_by_id", "organisation_id")
    )


def test_the_showcase_household_gets_a_year_of_conversations_events_and_an_intake(demo):
    showcase = demo[0]
    added = add_demo_timeline(household_ids=list(reversed(demo)), seed=7, now=NOW)
    rows = _rows(showcase)
    assert added == len(rows) >= 12
    assert {row[0] for row in rows} == {EntryKind.CONVERSATION, EntryKind.EVENT}
    assert min(row[3] for row in rows) >= NOW - datetime.timedelta(days=366)
    assert max(row[3] for row in rows) <= NOW
    assert all(row[5] is not None for row in rows if row[0] == EntryKind.CONVERSATION and row[1] == "finances")
    assert not any(_rows(other) for other in demo[1:])
    intake = Intake.objects.get(household_id=showcase)
    assert intake.situations.count() == 6


def test_the_same_seed_gives_the_same_timeline(demo):
    add_demo_timeline(household_ids=demo, seed=7, now=NOW)
    first = _rows(demo[0])
    Entry.objects.filter(kind__in=[EntryKind.CONVERSATION, EntryKind.EVENT]).delete()
    add_demo_timeline(household_ids=demo, seed=7, now=NOW)
    assert [row[:3] + row[4:] for row in _rows(demo[0])] == [row[:3] + row[4:] for row in first]
    assert [row[3] for row in _rows(demo[0])] == [row[3] for row in first]
    assert Intake.objects.count() == 1


def test_a_second_run_adds_nothing(demo):
    first = add_demo_timeline(household_ids=demo, seed=7, now=NOW)
    assert first > 0
    assert add_demo_timeline(household_ids=demo, seed=7, now=NOW) == 0
    assert len(_rows(demo[0])) == first


def test_no_households_adds_nothing(db):
    assert add_demo_timeline(household_ids=[], seed=1, now=NOW) == 0
