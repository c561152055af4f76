"""The caseload selector: only what the access policy lets through, annotated in one query."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from samen.caseload import selectors
from samen.consent.models import DataCategory
from samen.consent.policies import households_visible_to
from samen.consent.tests.factories import ConsentGrantFactory, ConsentRequestFactory, TeamMemberFactory
from samen.core.testing import count_queries
from samen.households.tests.factories import HouseholdFactory
from samen.organisations.actors import actor_for_user

pytestmark = pytest.mark.django_db


def names(households) -> list[str]:
    return [household.name for household in households]


def test_rows_are_exactly_the_households_the_policy_lets_through(world):
    rows = selectors.caseload(world.actor)
    assert names(rows) == ["Familie Aalbers", "Familie Bakker", "Familie Claassen"]
    assert {h.pk for h in rows} == set(households_visible_to(world.actor).values_list("pk", flat=True))


def test_never_revoked_expired_another_teams_or_without_a_place(world):
    shown = {household.pk for household in selectors.caseload(world.actor)}
    for hidden in (world.revoked, world.expired, world.other_team, world.other_org_grant, world.waiting):
        assert hidden.pk not in shown


def test_annotations(world):
    rows = {household.name: household for household in selectors.caseload(world.actor)}
    coordinated, member_of, emergency = rows["Familie Aalbers"], rows["Familie Bakker"], rows["Familie Claassen"]
    assert (coordinated.is_coordinator, coordinated.is_team_member, coordinated.is_emergency) == (True, True, False)
    assert coordinated.coordinator_organisation == "Wijkteam Noord"
    assert coordinated.team_size == 3
    assert coordinated.access_since == world.grant_start  # the earliest active grant
    assert (member_of.is_coordinator, member_of.is_team_member, member_of.is_emergency) == (False, True, False)
    assert member_of.coordinator_organisation == "Schuldhulp Voorbeeldstad"
    assert member_of.team_size == 2
    assert (emergency.is_coordinator, emergency.is_team_member, emergency.is_emergency) == (False, False, True)
    assert emergency.access_since is None
    assert emergency.team_size == 1


def test_four_queries_for_the_caseload_whatever_its_size(world):
    """The rows (one ORM query), the grants in force, the running emergency accesses and the facts of the work
    queue (one plain SQL statement): four, for three households as for three hundred (see the next tests)."""
    actor = world.actor
    assert count_queries(lambda: list(selectors.caseload(actor)[:25])) == 4


def test_search_is_case_insensitive_and_filters(world):
    assert names(selectors.caseload(world.actor, query="bakk")) == ["Familie Bakker"]
    assert names(selectors.caseload(world.actor, query="FAMILIE C")) == ["Familie Claassen"]
    assert names(selectors.caseload(world.actor, query="Gerritsen")) == []
    assert names(selectors.caseload(world.actor, only=selectors.FILTER_COORDINATOR)) == ["Familie Aalbers"]
    assert names(selectors.caseload(world.actor, only=selectors.FILTER_EMERGENCY)) == ["Familie Claassen"]
    assert names(selectors.caseload(world.actor, query="aalbers", only=selectors.FILTER_EMERGENCY)) == []


def test_a_revocation_takes_effect_at_once(world):
    grant = world.member_of.consent_grants.get()
    grant.revoked_at, grant.revoked_by = timezone.now(), world.user
    grant.save(update_fields=["revoked_at", "revoked_by"])
    assert "Familie Bakker" not in names(selectors.caseload(world.actor))


def test_the_supporter_sees_households_with_a_personal_grant_and_its_date():
    place = TeamMemberFactory(supporter=True, household=HouseholdFactory(name="Familie Jansen"))
    since = timezone.now() - datetime.timedelta(days=9)
    ConsentGrantFactory(household=place.household, organisation=None, team_member=place, valid_from=since)
    organisation_only = TeamMemberFactory(
        supporter=True,
        user=place.user,
        organisation=place.organisation,
        membership=False,
        household=HouseholdFactory(name="Familie Kok"),
    )
    ConsentGrantFactory(household=organisation_only.household, organisation=place.organisation)
    rows = list(selectors.caseload(actor_for_user(place.user)))
    assert names(rows) == ["Familie Jansen"]
    assert rows[0].access_since == since
    assert rows[0].is_team_member and not rows[0].is_coordinator


def test_waiting_for_permission_lists_places_with_an_open_request_only(world):
    waiting = selectors.waiting_for_permission(world.actor)
    assert [place.household_id for place in waiting] == [world.waiting.pk]
    assert waiting[0].asked_at == world.waiting.consent_requests.get().requested_at


def test_waiting_ends_when_the_household_grants(world):
    ConsentGrantFactory(household=world.waiting, organisation=world.wijkteam, category=DataCategory.GENERAL)
    assert selectors.waiting_for_permission(world.actor) == []


def test_waiting_is_one_query_and_not_for_other_organisations(world):
    other = TeamMemberFactory(household=world.waiting, organisation=world.schuldhulp)
    ConsentRequestFactory(team_member=other)
    actor = world.actor
    assert count_queries(selectors.waiting_for_permission, actor) == 1
    assert selectors.waiting_for_permission(actor_for_user(other.user))[0].household_id == world.waiting.pk


# --- the work queue -----------------------------------------------------------------------------------------------


def _rows(actor, **kwargs) -> dict:
    return {household.name: household for household in selectors.caseload(actor, **kwargs)}


def _queue(household) -> tuple:
    return (
        household.overdue_actions,
        household.evaluations_due,
        household.requests_open,
        household.requests_answered,
        household.is_emergency,
        household.handovers_to_me,
    )


def test_what_needs_the_coordinator_per_household(queue):
    rows = _rows(queue.actor)
    assert set(rows) == {"Familie Aalbers", "Familie Bakker", "Familie Claassen"}  # never Familie Gerritsen
    # Aalbers: the general and the youth action past their date (not: done, due today, without a date, finances,
    # a reached goal, an old plan); the passed evaluation and the one in seven days (not: in eight days, with an
    # outcome); Wijkteam Noord's open request and the one answered three days ago; the handover to the user.
    assert _queue(rows["Familie Aalbers"]) == (2, 2, 1, 1, False, 1)
    # Bakker: one action; a colleague's emergency access is not the user's; the handover went to someone else.
    assert _queue(rows["Familie Bakker"]) == (1, 0, 0, 0, False, 0)
    # Claassen: the user's emergency access runs; its plan does not count (no consent, only an emergency look).
    assert _queue(rows["Familie Claassen"]) == (0, 0, 0, 0, True, 0)


def test_the_totals_add_up_the_whole_caseload_in_three_queries_or_from_the_rows(queue):
    actor = queue.actor
    assert count_queries(selectors.attention_totals, actor) == 3
    rows = selectors.caseload(actor)
    assert count_queries(selectors.attention_totals, actor, rows=rows) == 0
    assert selectors.attention_totals(actor, rows=rows) == selectors.attention_totals(actor)
    assert selectors.attention_totals(actor) == selectors.AttentionTotals(
        overdue_actions=3,
        evaluations_due=2,
        requests_open=1,
        requests_answered=1,
        emergency_households=1,
        handed_over_households=1,
    )


def test_nothing_needs_someone_without_households():
    from samen.organisations.tests.factories import MembershipFactory

    totals = selectors.attention_totals(actor_for_user(MembershipFactory().user))
    assert totals == selectors.AttentionTotals() and totals.is_empty
    assert selectors.attention_lines(totals) == []


def test_an_action_done_no_longer_counts(queue):
    from samen.plans.models import ActionStatus

    queue.overdue.status, queue.overdue.done_at = ActionStatus.DONE, timezone.now()
    queue.overdue.save(update_fields=["status", "done_at"])
    assert _rows(queue.actor)["Familie Aalbers"].overdue_actions == 1


def test_a_category_the_household_did_not_allow_does_not_count_and_a_new_grant_does(queue):
    rows = _rows(queue.actor)
    assert rows["Familie Aalbers"].overdue_actions == 2  # the finances action is not among them
    ConsentGrantFactory(household=queue.world.coordinated, organisation=queue.world.wijkteam, category="finances")
    assert _rows(queue.actor)["Familie Aalbers"].overdue_actions == 3


def test_a_revoked_category_stops_counting_and_a_revoked_general_removes_the_household(queue):
    world = queue.world
    youth = world.coordinated.consent_grants.get(category=DataCategory.YOUTH)
    youth.revoked_at, youth.revoked_by = timezone.now(), world.user
    youth.save(update_fields=["revoked_at", "revoked_by"])
    assert _rows(queue.actor)["Familie Aalbers"].overdue_actions == 1
    general = world.member_of.consent_grants.get()
    general.revoked_at, general.revoked_by = timezone.now(), world.user
    general.save(update_fields=["revoked_at", "revoked_by"])
    assert "Familie Bakker" not in _rows(queue.actor)
    assert selectors.attention_totals(queue.actor).overdue_actions == 1


def test_without_general_nothing_of_the_plan_counts(queue):
    """The rule of ``plans.view_goal``: the general category and the goal's own; youth alone is not enough."""
    world = queue.world
    general = world.coordinated.consent_grants.get(category=DataCategory.GENERAL)
    general.revoked_at, general.revoked_by = timezone.now(), world.user
    general.save(update_fields=["revoked_at", "revoked_by"])
    aalbers = _rows(queue.actor)["Familie Aalbers"]  # still in the list: the youth grant is active
    assert (aalbers.overdue_actions, aalbers.evaluations_due) == (0, 0)


def test_an_evaluation_with_an_outcome_no_longer_counts(queue):
    evaluation = queue.plan.evaluations.get(date=timezone.localdate() - datetime.timedelta(days=3))
    evaluation.outcome, evaluation.evaluated_at = "Besproken aan de keukentafel.", timezone.now()
    evaluation.save(update_fields=["outcome", "evaluated_at"])
    assert _rows(queue.actor)["Familie Aalbers"].evaluations_due == 1


def test_the_evaluation_window_is_the_reminders_window(queue):
    from samen.reminders.services import EVALUATION_DAYS_AHEAD

    assert selectors.EVALUATION_DAYS_AHEAD == EVALUATION_DAYS_AHEAD == 7


def test_another_organisations_requests_do_not_count(queue):
    world = queue.world
    ConsentGrantFactory(household=world.coordinated, organisation=world.schuldhulp)
    asking = world.coordinated.consent_requests.get(organisation=world.schuldhulp)
    rows = _rows(actor_for_user(asking.team_member.user))
    # For Schuldhulp: its own open request, not Wijkteam Noord's (open or answered) ...
    assert (rows["Familie Aalbers"].requests_open, rows["Familie Aalbers"].requests_answered) == (1, 0)
    # ... and for the user: Wijkteam Noord's, not Schuldhulp's.
    assert (
        _rows(queue.actor)["Familie Aalbers"].requests_open,
        _rows(queue.actor)["Familie Aalbers"].requests_answered,
    ) == (1, 1)


def test_another_persons_emergency_access_is_not_the_users(queue):
    colleague = actor_for_user(queue.world.member_of.break_the_glass.get().user)
    assert _rows(colleague)["Familie Bakker"].is_emergency
    assert not _rows(queue.actor)["Familie Bakker"].is_emergency
    assert selectors.attention_totals(queue.actor).emergency_households == 1  # Familie Claassen only


def test_a_handover_to_someone_else_or_recorded_by_the_user_does_not_count(queue):
    from samen.households.models import CoordinatorHandover

    world = queue.world
    ConsentGrantFactory(household=world.member_of, organisation=world.schuldhulp)
    schuldhulp = actor_for_user(world.member_of.team.get(is_coordinator=True).user)
    # The handover in Familie Bakker went to Schuldhulp's coordinator: news for them, not for the user ...
    assert selectors.attention_totals(schuldhulp).handed_over_households == 1
    assert _rows(queue.actor)["Familie Bakker"].handovers_to_me == 0
    # ... and a handover the user recorded themselves is no news to them either.
    handover = CoordinatorHandover.objects.get(household=world.coordinated)
    handover.recorded_by = world.user
    handover.save(update_fields=["recorded_by"])
    assert selectors.attention_totals(queue.actor).handed_over_households == 0


def test_old_news_does_not_count(queue):
    from samen.households.models import CoordinatorHandover

    CoordinatorHandover.objects.update(occurred_at=timezone.now() - datetime.timedelta(days=15))
    assert selectors.attention_totals(queue.actor).handed_over_households == 0
    assert selectors.attention_totals(queue.actor).requests_answered == 1  # the one answered three days ago


def test_sorting(queue):
    def order(sort: str) -> list[str]:
        return names(selectors.caseload(queue.actor, sort=sort))

    # What needs attention first: the running emergency access, then the most actions past their date.
    assert order(selectors.SORT_ATTENTION) == ["Familie Claassen", "Familie Aalbers", "Familie Bakker"]
    assert order(selectors.SORT_NAME) == ["Familie Aalbers", "Familie Bakker", "Familie Claassen"]
    # The newest access first; the emergency access only (no grant, no date) last.
    assert order(selectors.SORT_ACCESS) == ["Familie Bakker", "Familie Aalbers", "Familie Claassen"]
    assert order("<script>") == order(selectors.SORT_NAME)  # the selector's own default: by name
    queue.overdue.goal.plan.household.consent_grants.update(revoked_at=timezone.now(), revoked_by=queue.world.user)
    assert order(selectors.SORT_ATTENTION) == ["Familie Claassen", "Familie Bakker"]


def test_sorting_by_attention_puts_the_most_first():
    from samen.plans.tests.factories import ActionFactory, GoalFactory, PlanFactory

    place = TeamMemberFactory(coordinator=True, household=HouseholdFactory(name="Familie Zomer"))
    ConsentGrantFactory(household=place.household, organisation=place.organisation)
    quiet = TeamMemberFactory(
        household=HouseholdFactory(name="Familie Aarts"), user=place.user, organisation=place.organisation
    )
    ConsentGrantFactory(household=quiet.household, organisation=place.organisation)
    goal = GoalFactory(plan=PlanFactory(household=place.household))
    ActionFactory(goal=goal, due_date=timezone.localdate() - datetime.timedelta(days=2))
    rows = selectors.caseload(actor_for_user(place.user), sort=selectors.SORT_ATTENTION)
    assert names(rows) == ["Familie Zomer", "Familie Aarts"]


def test_filters_on_what_needs_attention(queue):
    def only(value: str) -> list[str]:
        return names(selectors.caseload(queue.actor, only=value))

    assert only(selectors.FILTER_ATTENTION) == ["Familie Aalbers", "Familie Bakker", "Familie Claassen"]
    assert only(selectors.FILTER_OVERDUE) == ["Familie Aalbers", "Familie Bakker"]
    assert only(selectors.FILTER_EVALUATION) == ["Familie Aalbers"]
    assert only(selectors.FILTER_CONSENT) == ["Familie Aalbers"]
    assert only(selectors.FILTER_HANDOVER) == ["Familie Aalbers"]
    assert only(selectors.FILTER_EMERGENCY) == ["Familie Claassen"]
    assert names(selectors.caseload(queue.actor, query="bakker", only=selectors.FILTER_EVALUATION)) == []


def test_the_work_queue_takes_the_same_queries_for_every_sort(queue):
    actor = queue.actor
    for sort in selectors.SORTS:
        assert count_queries(lambda sort=sort: list(selectors.caseload(actor, sort=sort)[:25])) == 4


def test_the_attention_lines_say_it_in_words_with_links(queue):
    with translation.override("en"):
        lines = selectors.attention_lines(selectors.attention_totals(queue.actor))
    # What asks for work is shown as a warning; what only tells news (answered, handed over) calmly.
    assert lines == [
        {"text": "3 actions past their date", "href": "/mijn-huishoudens/?filter=overdue", "calm": False},
        {"text": "2 evaluations to do", "href": "/mijn-huishoudens/?filter=evaluation", "calm": False},
        {"text": "1 consent request waiting for an answer", "href": "/mijn-huishoudens/?filter=consent", "calm": False},
        {"text": "1 consent request answered", "href": "/mijn-huishoudens/?filter=consent", "calm": True},
        {
            "text": "Emergency access running in 1 household",
            "href": "/mijn-huishoudens/?filter=emergency",
            "calm": False,
        },
        {"text": "1 household handed over to you", "href": "/mijn-huishoudens/?filter=handover", "calm": True},
    ]


def test_the_supporter_counts_what_the_household_allowed_them_personally():
    from samen.plans.tests.factories import ActionFactory, EvaluationMomentFactory, GoalFactory, PlanFactory

    place = TeamMemberFactory(supporter=True, household=HouseholdFactory(name="Familie Jansen"))
    household = place.household
    for category in (DataCategory.GENERAL, DataCategory.HEALTH):
        ConsentGrantFactory(household=household, organisation=None, team_member=place, category=category)
    ConsentGrantFactory(household=household, category=DataCategory.FINANCES)  # to an organisation, not to them
    plan = PlanFactory(household=household)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for category in (DataCategory.GENERAL, DataCategory.HEALTH, DataCategory.FINANCES):
        ActionFactory(goal=GoalFactory(plan=plan, category=category), due_date=yesterday)
    EvaluationMomentFactory(plan=plan, date=yesterday)
    (row,) = selectors.caseload(actor_for_user(place.user))
    assert (row.overdue_actions, row.evaluations_due) == (2, 1)


# --- the counts follow the consent policy ------------------------------------------------------------------------


CATEGORY_SETS = [
    (),
    (DataCategory.GENERAL,),
    (DataCategory.YOUTH,),
    (DataCategory.GENERAL, DataCategory.YOUTH),
    (DataCategory.GENERAL, DataCategory.FINANCES, DataCategory.SAFETY),
]


def test_the_set_based_counts_agree_with_the_consent_policy_household_by_household():
    """For a professional in many households with different grants (and one more place without a grant, and one of
    another organisation), the counts are exactly the actions of goals that ``plans.view_goal`` lets them see with
    ``consented_categories`` (``categories_visible_to`` without break-the-glass), and ``grants_in_force_for`` gives
    per household exactly ``consented_categories``."""
    from samen.consent.policies import consented_categories
    from samen.consent.selectors import grants_in_force_for
    from samen.core.policy import can
    from samen.plans.models import Action
    from samen.plans.tests.factories import ActionFactory, GoalFactory, PlanFactory

    me = TeamMemberFactory(household=HouseholdFactory(name="Familie 0"))
    organisation, user = me.organisation, me.user
    other = TeamMemberFactory(household=me.household).organisation
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    households = [me.household]
    for number, categories in enumerate(CATEGORY_SETS * 2, start=1):
        household = HouseholdFactory(name=f"Familie {number}")
        households.append(household)
        if number % 4:  # every fourth: not in the team, a grant all the same
            TeamMemberFactory(household=household, user=user, organisation=organisation, membership=False)
        for category in categories:
            ConsentGrantFactory(household=household, organisation=organisation, category=category)
        ConsentGrantFactory(household=household, organisation=other, category=DataCategory.HEALTH)
        plan = PlanFactory(household=household)
        for category in DataCategory:
            ActionFactory(goal=GoalFactory(plan=plan, category=category), due_date=yesterday)
    actor = actor_for_user(user)
    rows = {household.pk: household for household in selectors.caseload(actor)}
    grants = grants_in_force_for(actor)
    counted = []
    for household in households:
        visible = consented_categories(actor, household)
        assert frozenset(grants.filter(household=household).values_list("category", flat=True)) == visible
        expected = sum(
            1
            for action in Action.objects.filter(goal__plan__household=household).select_related("goal")
            if can(actor, "plans.view_goal", (household, action.goal.category, visible))
        )
        if household.pk in rows:
            assert rows[household.pk].overdue_actions == expected, household.name
            counted.append(expected)
        else:
            assert expected == 0, household.name
    assert sorted(set(counted)) == [0, 1, 2, 3]  # nothing, general alone, with youth, with finances and safety
