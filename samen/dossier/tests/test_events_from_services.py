"""The timeline's events written by the other parts of Samen: the plan, consent and the team. Each event is in the
category of what it tells about, so it is shown only to whoever may see that category, and it holds no case
content (only names, a number, a date)."""

import pytest
from django.urls import reverse

from samen.consent import services as consent_services
from samen.consent.models import ConsentGrant, DataCategory
from samen.households import services as household_services
from samen.households.models import TeamMember
from samen.organisations.actors import actor_for_user
from samen.plans import services as plan_services
from samen.plans.models import ZrmDomain
from samen.timeline.models import Entry, EntryKind, EventCode

pytestmark = pytest.mark.django_db
G = DataCategory


def _events(household):
    return list(Entry.objects.filter(household=household, kind=EntryKind.EVENT).order_by("pk"))


def _timeline(client, household) -> str:
    return client.get(reverse("dossier:timeline", args=[household.pk])).content.decode()


def test_plan_changes_are_events_in_the_category_of_the_goal(setting, login):
    citizen = actor_for_user(setting.citizen)
    goal = plan_services.goal_add(
        actor=citizen, household=setting.household, text="Mijn schulden op een rij", domain=ZrmDomain.FINANCES
    )
    member = setting.household.members.get(user=setting.citizen)
    action = plan_services.action_add(
        actor=actor_for_user(setting.professional), goal=goal, text="Alle brieven sorteren", owner=f"member:{member.pk}"
    )
    plan_services.action_mark_done(actor=citizen, action=action, note="Gelukt")
    version = plan_services.plan_save_version(actor=citizen, household=setting.household)
    plan_services.plan_version_agree(actor=citizen, version=version)
    events = _events(setting.household)
    assert [(event.event_code, event.category) for event in events] == [
        (EventCode.GOAL_ADDED, G.FINANCES),
        (EventCode.ACTION_ADDED, G.FINANCES),
        (EventCode.ACTION_DONE, G.FINANCES),
        (EventCode.VERSION_SAVED, G.GENERAL),
        (EventCode.VERSION_AGREED, G.GENERAL),
    ]
    assert events[1].event_params == {"owner": str(member)}
    assert events[3].event_params == {"number": 1}
    assert [event.written_by for event in events] == [
        setting.citizen,
        setting.professional,
        setting.citizen,
        setting.citizen,
        setting.citizen,
    ]
    # No case content in an event: the goal's and the action's words stay in the plan.
    for event in events:
        assert "schulden" not in event.text.lower() and "brieven" not in event.text.lower()
    # Schuldhulp (finances) sees the goal's events; the coordinator's Wijkteam (no finances) does not.
    assert "A goal was added to the plan." in _timeline(login(setting.professional), setting.household)
    coordinator_page = _timeline(login(setting.coordinator), setting.household)
    assert "A goal was added to the plan." not in coordinator_page
    assert "Version 1 of the plan was saved." in coordinator_page


def test_a_plan_edit_that_changes_nothing_writes_no_event(setting):
    citizen = actor_for_user(setting.citizen)
    plan = plan_services.plan_update(
        actor=citizen, household=setting.household, expected_version=1, question="Rust", strengths="", worries=""
    )
    plan_services.plan_update(
        actor=citizen,
        household=setting.household,
        expected_version=plan.version,
        question="Rust",
        strengths="",
        worries="",
    )
    assert [event.event_code for event in _events(setting.household)] == [EventCode.PLAN_CHANGED]


def test_consent_given_and_withdrawn_are_events_in_that_category(setting, login):
    citizen = actor_for_user(setting.citizen)
    grant = consent_services.consent_grant(
        actor=citizen,
        household=setting.household,
        category=G.HEALTH,
        organisation=setting.schuldhulp,
        legal_basis="consent",
    )
    consent_services.consent_revoke(actor=citizen, grant=grant)
    given, withdrawn = _events(setting.household)
    assert (given.event_code, given.category, given.event_params) == (
        EventCode.CONSENT_GIVEN,
        G.HEALTH,
        {"receiver": "Schuldhulp Zuid", "category": "health"},
    )
    assert (withdrawn.event_code, withdrawn.category) == (EventCode.CONSENT_WITHDRAWN, G.HEALTH)
    assert withdrawn.text.startswith("Schuldhulp Zuid mag niet meer zien:")
    page = _timeline(login(setting.citizen), setting.household)
    assert "Schuldhulp Zuid may now see: " in page and "Schuldhulp Zuid may no longer see: " in page
    # Health is not something the coordinator's organisation may see: neither are these events.
    assert "Schuldhulp Zuid may" not in _timeline(login(setting.coordinator), setting.household)


def test_renewing_a_grant_writes_no_second_event(setting):
    citizen = actor_for_user(setting.citizen)
    before = ConsentGrant.objects.count()
    consent_services.consent_grant(
        actor=citizen,
        household=setting.household,
        category=G.FINANCES,
        organisation=setting.schuldhulp,
        legal_basis="consent",
    )
    assert ConsentGrant.objects.count() == before + 1
    assert _events(setting.household) == []


def test_emergency_access_is_an_event(setting):
    outsider = actor_for_user(setting.stranger)
    consent_services.break_the_glass_start(
        actor=outsider,
        household=setting.household,
        categories=[G.SAFETY],
        reason="Melding van acute zorgen over de veiligheid van een kind",
        legal_ground="vital_interest",
    )
    [event] = _events(setting.household)
    assert (event.event_code, event.category, event.event_params) == (
        EventCode.EMERGENCY_ACCESS,
        G.GENERAL,
        {"organisation": "Onbekende Zorg"},
    )
    assert "kind" not in event.text  # the reason stays in the access record


def test_a_coordinator_handover_and_leaving_the_team_are_events(setting, login):
    coordinator = actor_for_user(setting.coordinator)
    schuldhulp = TeamMember.objects.get(household=setting.household, user=setting.professional)
    household_services.coordinator_handover(
        actor=coordinator, household=setting.household, to_member=schuldhulp, reason="Schulden zijn nu het grootst"
    )
    old = TeamMember.objects.get(household=setting.household, user=setting.coordinator)
    household_services.team_member_leave(actor=actor_for_user(setting.professional), member=old, reason="Klaar")
    changed, left = _events(setting.household)
    assert (changed.event_code, changed.event_params) == (
        EventCode.COORDINATOR_CHANGED,
        {"name": "Sanne de Vries", "organisation": "Schuldhulp Zuid"},
    )
    assert (left.event_code, left.event_params) == (EventCode.TEAM_LEFT, {"name": "Kees Regisseur (Wijkteam Noord)"})
    assert changed.category == left.category == G.GENERAL
    page = _timeline(login(setting.citizen), setting.household)
    assert "Sanne de Vries of Schuldhulp Zuid is now the coordinator." in page
    assert "Kees Regisseur (Wijkteam Noord) left the team." in page
    assert "Schulden zijn nu het grootst" not in page
