"""The reminder pages for everyone around a household: the cast of the authorization matrix
(``samen/consent/tests/test_authorization_matrix.py``), each with reminders about the cast household's plan.

The reminder URLs carry no household id, so the matrix and its crawler (which walk the household URLs) do not list
them; this module asks the same questions of them: the answer per person and URL, and exactly one access entry for
a response that shows household data (none for a refusal, or a page without reminders).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db.models import Max
from django.shortcuts import resolve_url
from django.urls import reverse

from samen.consent.models import DataCategory
from samen.consent.tests.matrix_terms import GET, HIDDEN, LOGIN, OK, POST
from samen.consent.tests.test_authorization_matrix import CAST_ROLES, Cast, cast_for_module
from samen.core.actor import Role
from samen.core.models import AuditAction, AuditEntry
from samen.households.models import HouseholdMember
from samen.plans.models import Plan
from samen.plans.tests.factories import ActionFactory, EvaluationMomentFactory, GoalFactory
from samen.reminders.models import Reminder
from samen.reminders.tests.conftest import in_days
from samen.reminders.tests.factories import ReminderFactory

# Per URL: the method and the form data (nothing invalid: the buttons take no input but the page number).
ENDPOINTS = {
    "reminders:list": (GET, {}),
    "reminders:mark_read": (POST, {"page": "1"}),  # their own reminder about an action in the general category
    "reminders:mark_all_read": (POST, {"page": "1"}),
}

# Who may see the general part of the cast household's plan (``plans.view_goal`` for general, see the matrix's
# CATEGORY_MATRIX): their reminder about it is shown and can be marked read; for everyone else it is "not found".
SEES_THE_PLAN = {
    "citizen",
    "child",  # a member under 16 sees general (and youth), not finances
    "representative",
    "informal_with_grant",
    "professional_with_consent",
    "coordinator",
    "supporter",
}
# Who also sees finances (the second reminder each person has).
SEES_FINANCES = {"citizen", "representative", "professional_with_consent"}

EXPECTED = {
    who: (
        dict.fromkeys(ENDPOINTS, LOGIN)
        if role == Role.ANONYMOUS
        else {
            "reminders:list": OK,
            "reminders:mark_read": OK if who in SEES_THE_PLAN else HIDDEN,
            "reminders:mark_all_read": OK,
        }
    )
    for who, role in CAST_ROLES.items()
}
CASES = [(who, name) for who, row in EXPECTED.items() for name in row]


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker):
    """The matrix's cast; everyone in it has a reminder about an action in general, one in finances and one about an
    evaluation moment, all in the cast household's plan (whether or not they may see them)."""
    with cast_for_module(django_db_blocker) as built:
        with django_db_blocker.unblock():
            household = built.household
            plan = Plan.objects.get(household=household, is_current=True)
            owner = HouseholdMember.objects.filter(household=household).first()
            general = ActionFactory(
                goal=GoalFactory(plan=plan, category=DataCategory.GENERAL), owner_member=owner, due_date=in_days(1)
            )
            finances = ActionFactory(
                goal=GoalFactory(plan=plan, category=DataCategory.FINANCES), owner_member=owner, due_date=in_days(2)
            )
            evaluation = EvaluationMomentFactory(plan=plan, date=in_days(5))
            built.reminders = {}
            for who, user in built.users.items():
                if user is not None:
                    built.reminders[who] = [
                        ReminderFactory(recipient=user, action=general),
                        ReminderFactory(recipient=user, action=finances),
                        ReminderFactory(recipient=user, about_evaluation=True, evaluation=evaluation),
                    ]
        yield built


def _url(cast: Cast, who: str, name: str) -> str:
    if name == "reminders:mark_read":
        reminders = cast.reminders.get(who) or cast.reminders["citizen"]
        return reverse(name, args=[reminders[0].pk])
    return reverse(name)


def _last_sequence() -> int:
    return AuditEntry.objects.aggregate(last=Max("sequence"))["last"] or 0


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "name"), CASES, ids=[f"{who}-{name}" for who, name in CASES])
def test_reminder_page_and_button_access(cast, who, name):
    method, data = ENDPOINTS[name]
    expected = EXPECTED[who][name]
    client = cast.client(who)
    url = _url(cast, who, name)
    response = client.get(url) if method == GET else client.post(url, data)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    elif expected == HIDDEN:
        assert response.status_code == 404
    elif method == GET:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"] == reverse("reminders:list")


@pytest.mark.django_db
@pytest.mark.parametrize("who", [who for who in CAST_ROLES if who != "anonymous"])
def test_another_person_s_reminder_is_not_found(cast, who):
    other = "coordinator" if who == "citizen" else "citizen"
    response = cast.client(who).post(reverse("reminders:mark_read", args=[cast.reminders[other][0].pk]))
    assert response.status_code == 404
    assert Reminder.objects.get(pk=cast.reminders[other][0].pk).read_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("who", list(CAST_ROLES))
def test_the_page_shows_what_they_may_see_and_writes_one_entry_when_it_shows_household_data(cast, who):
    client = cast.client(who)  # logging in happens before the baseline: only the request itself counts
    before = _last_sequence()
    response = client.get(reverse("reminders:list"))
    entries = list(AuditEntry.objects.filter(sequence__gt=before))
    if who == "anonymous":
        assert response.status_code == 302 and entries == []
        return
    assert response.status_code == 200
    html = response.content.decode()
    general, finances, evaluation = cast.reminders[who]
    shown = {
        reminder.pk for reminder in cast.reminders[who] if reverse("reminders:mark_read", args=[reminder.pk]) in html
    }
    expected = set()
    if who in SEES_THE_PLAN:
        expected = {general.pk, evaluation.pk} | ({finances.pk} if who in SEES_FINANCES else set())
    assert shown == expected, who
    if not expected:
        assert entries == [], f"{who}: a page without reminders wrote {len(entries)} entries"
        assert cast.household.name not in html
        return
    assert len(entries) == 1, f"{who}: {len(entries)} access entries for one page"
    (entry,) = entries
    actor = cast.actor(who)
    assert entry.action == AuditAction.READ
    assert (entry.user_id, entry.role, entry.organisation_id) == (actor.user_id, actor.role, actor.organisation_id)
    assert entry.changes["households"] == [cast.household.pk]
    assert sorted(entry.changes["reminders"]) == sorted(expected)
    assert entry.data_category == ("general,finances" if who in SEES_FINANCES else "general")
