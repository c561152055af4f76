"""Who sees which reminder: only the recipient, only while they may still see what it is about (the rule of
``plans.view_goal``, checked here for everyone around a household and every category), only while it is still due.
The daily job's view of the same question (``RecipientFacts``) gives the same answers."""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from samen.consent.models import ConsentGrant, DataCategory
from samen.consent.policies import categories_visible_to
from samen.consent.tests.test_authorization_matrix import CAST_ROLES, build_cast
from samen.core.actor import ANONYMOUS, SYSTEM, Role
from samen.core.policy import can
from samen.households.models import HouseholdMember, TeamMember, TeamRole
from samen.organisations.actors import actor_for_user
from samen.plans.models import ActionStatus, GoalStatus, Plan
from samen.plans.tests.factories import ActionFactory, EvaluationMomentFactory, GoalFactory, PlanFactory
from samen.reminders.models import ReminderKind
from samen.reminders.policies import (
    CITIZEN,
    NO_CATEGORIES,
    PROFESSIONAL,
    SUPPORTER,
    Audience,
    RecipientFacts,
    reminder_for,
    reminders_visible_to,
)
from samen.reminders.tests.conftest import G, in_days, member_of, place_of
from samen.reminders.tests.factories import ReminderFactory

pytestmark = pytest.mark.django_db


def visible(user) -> set:
    return set(reminders_visible_to(actor_for_user(user)).values_list("pk", flat=True))


@pytest.fixture
def citizens_reminder(setting, due_action):
    action = due_action(G.FINANCES, member=member_of(setting, setting.citizen))
    return ReminderFactory(recipient=setting.citizen, action=action)


# --- only one's own -------------------------------------------------------------------------------------------------


def test_a_person_sees_only_their_own_reminders(setting, citizens_reminder):
    assert visible(setting.citizen) == {citizens_reminder.pk}
    for user in (setting.professional, setting.coordinator, setting.representative, setting.other_citizen):
        assert visible(user) == set()
        with pytest.raises(Http404):
            reminder_for(actor_for_user(user), citizens_reminder.pk)
        assert not can(actor_for_user(user), "reminders.mark_read", citizens_reminder)
    assert can(actor_for_user(setting.citizen), "reminders.mark_read", citizens_reminder)
    assert reminder_for(actor_for_user(setting.citizen), str(citizens_reminder.pk)) == citizens_reminder


def test_anonymous_and_the_system_see_nothing(citizens_reminder):
    for actor in (ANONYMOUS, SYSTEM):
        assert not reminders_visible_to(actor).exists()
        assert not can(actor, "reminders.view_list")
        assert not can(actor, "reminders.mark_read", citizens_reminder)
        with pytest.raises(Http404):
            reminder_for(actor, citizens_reminder.pk)
    assert can(SYSTEM, "reminders.create_due")
    assert not can(ANONYMOUS, "reminders.create_due")


@pytest.mark.parametrize("bad", ["", "abc", "0", "-1", "1.5", "١", "9" * 30, None, True, [], "<script>"])
def test_a_bad_id_is_not_found_without_a_query(setting, bad, django_assert_num_queries):
    actor = actor_for_user(setting.professional)
    with django_assert_num_queries(0), pytest.raises(Http404):
        reminder_for(actor, bad)


def test_marking_read_needs_a_saved_reminder(setting):
    assert not can(actor_for_user(setting.citizen), "reminders.mark_read", None)
    assert not can(actor_for_user(setting.citizen), "reminders.mark_read", "1")


# --- only while they may see it, and while it is due ------------------------------------------------------------


def test_consent_revoked_after_the_reminder_was_made_hides_it(setting, due_action):
    action = due_action(G.FINANCES, place=place_of(setting, setting.professional))
    reminder = ReminderFactory(recipient=setting.professional, action=action)
    assert visible(setting.professional) == {reminder.pk}
    ConsentGrant.objects.filter(
        household=setting.household, category=G.FINANCES, organisation=setting.schuldhulp
    ).update(revoked_at=timezone.now(), revoked_by=setting.citizen)
    assert visible(setting.professional) == set()


def test_leaving_the_team_hides_it(setting, due_action):
    place = place_of(setting, setting.coordinator)
    reminder = ReminderFactory(recipient=setting.coordinator, action=due_action(G.YOUTH, place=place))
    assert visible(setting.coordinator) == {reminder.pk}
    TeamMember.objects.filter(pk=place.pk).update(left_at=timezone.now(), is_coordinator=False)
    assert visible(setting.coordinator) == set()


def test_an_ended_representation_hides_it(setting, due_action):
    grandmother = setting.household.members.get(relation="grandparent")
    reminder = ReminderFactory(recipient=setting.representative, action=due_action(G.FINANCES, member=grandmother))
    assert visible(setting.representative) == {reminder.pk}
    setting.representative.representations.update(ended_at=timezone.now())
    assert visible(setting.representative) == set()


def test_something_no_longer_due_is_not_shown(setting, due_action, due_evaluation):
    citizen = setting.citizen
    done = ReminderFactory(recipient=citizen, action=due_action(member=member_of(setting, citizen)))
    moved = ReminderFactory(recipient=citizen, action=due_action(member=member_of(setting, citizen)))
    closed = ReminderFactory(recipient=citizen, action=due_action(G.HEALTH, member=member_of(setting, citizen)))
    evaluated = ReminderFactory(recipient=citizen, about_evaluation=True, evaluation=due_evaluation(days=2))
    still = ReminderFactory(recipient=citizen, about_evaluation=True, evaluation=due_evaluation(days=3))
    assert visible(citizen) == {done.pk, moved.pk, closed.pk, evaluated.pk, still.pk}
    done.action.status, done.action.done_at = ActionStatus.DONE, timezone.now()
    done.action.save()
    moved.action.due_date = moved.due_date + datetime.timedelta(days=7)
    moved.action.save()
    closed.action.goal.status = GoalStatus.STOPPED
    closed.action.goal.save()
    evaluated.evaluation.outcome, evaluated.evaluation.evaluated_at = "Het gaat goed.", timezone.now()
    evaluated.evaluation.save()
    assert visible(citizen) == {still.pk}


def test_a_new_plan_hides_the_old_plan_s_reminders(setting, due_action):
    reminder = ReminderFactory(recipient=setting.citizen, action=due_action(member=member_of(setting, setting.citizen)))
    reminder.action.goal.plan.is_current = False
    reminder.action.goal.plan.save()
    PlanFactory(household=setting.household)
    assert visible(setting.citizen) == set()


# --- the same answers as the plan's policy, for everyone around the household -----------------------------------


def _audience(who: str, user, household) -> Audience | None:
    """The capacity in which someone of the cast would be reminded (None: they never are)."""
    actor = actor_for_user(user)
    if actor.role == Role.CITIZEN:
        return Audience(user.pk, household.pk, CITIZEN)
    if actor.role in (Role.PROFESSIONAL, Role.COORDINATOR):
        return Audience(user.pk, household.pk, PROFESSIONAL, actor.organisation_id)
    if actor.role == Role.CLIENT_SUPPORTER:
        return Audience(user.pk, household.pk, SUPPORTER, actor.organisation_id)
    return None


def test_the_rules_agree_with_the_plan_policy_for_everyone_and_every_category(db):
    cast = build_cast()
    household = cast.household
    plan = Plan.objects.get(household=household, is_current=True)  # the plans table made one
    owner = HouseholdMember.objects.filter(household=household).first()
    actions = {
        category: ActionFactory(goal=GoalFactory(plan=plan, category=category), owner_member=owner, due_date=in_days(1))
        for category in DataCategory
    }
    evaluation = EvaluationMomentFactory(plan=plan, date=in_days(2))
    facts = RecipientFacts.load([household.pk], now=timezone.now())
    for who, role in CAST_ROLES.items():
        user = cast.users[who]
        if user is None:
            continue
        actor = actor_for_user(user)
        reminders = {category: ReminderFactory(recipient=user, action=action) for category, action in actions.items()}
        about_evaluation = ReminderFactory(recipient=user, about_evaluation=True, evaluation=evaluation)
        shown = set(reminders_visible_to(actor).values_list("pk", flat=True))
        for category, reminder in reminders.items():
            allowed = can(actor, "plans.view_goal", (household, category))
            if who == "break_the_glass":
                allowed = False  # an emergency look brings no reminders (it may not see the plan here anyway)
            assert (reminder.pk in shown) == allowed, f"{who} ({role}), {category}: shown {reminder.pk in shown}"
        assert (about_evaluation.pk in shown) == can(actor, "plans.view_goal", (household, DataCategory.GENERAL)), who
        audience = _audience(who, user, household)
        if audience is not None:
            expected = NO_CATEGORIES if who == "break_the_glass" else categories_visible_to(actor, household)
            assert facts.categories(audience) == expected, who


def test_someone_in_the_team_in_another_capacity_sees_nothing_in_the_wrong_one(setting):
    facts = RecipientFacts.load([setting.household.pk], now=timezone.now())
    household = setting.household.pk
    # The professional as a citizen, the supporter as a professional, the citizen for an organisation: nothing.
    assert facts.categories(Audience(setting.professional.pk, household, CITIZEN)) == NO_CATEGORIES
    assert facts.categories(Audience(setting.supporter.pk, household, PROFESSIONAL, setting.schuldhulp.pk)) == set()
    assert facts.categories(Audience(setting.citizen.pk, household, SUPPORTER, setting.schuldhulp.pk)) == set()
    assert facts.categories(Audience(setting.coordinator.pk, household, "nonsense", setting.wijkteam.pk)) == set()
    # The informal network member counts their personal grants, not the organisation's.
    informal = TeamMember.objects.get(user=setting.informal, role=TeamRole.INFORMAL)
    assert facts.categories(Audience(informal.user_id, household, CITIZEN)) == {G.GENERAL}


def test_an_evaluation_reminder_kind(setting, due_evaluation):
    reminder = ReminderFactory(recipient=setting.citizen, about_evaluation=True, evaluation=due_evaluation())
    assert reminder.kind == ReminderKind.EVALUATION_DUE
    assert visible(setting.citizen) == {reminder.pk}


def test_a_representation_and_a_personal_grant_add_up_like_in_the_plan_policy(setting, due_action):
    """Represents someone for finances only, and has a personal grant for general in the informal network: may see
    the finances goal (general from the grant, finances from the representation), not health."""
    from samen.consent.tests.factories import ConsentGrantFactory, TeamMemberFactory
    from samen.households.tests.factories import HouseholdMemberFactory, RepresentativeFactory

    neighbour = TeamMemberFactory(household=setting.household, informal=True)
    ConsentGrantFactory(household=setting.household, organisation=None, team_member=neighbour, category=G.GENERAL)
    member = HouseholdMemberFactory(household=setting.household)
    RepresentativeFactory(member=member, user=neighbour.user, scope=[G.FINANCES])
    finances = ReminderFactory(recipient=neighbour.user, action=due_action(G.FINANCES, member=member))
    health = ReminderFactory(recipient=neighbour.user, action=due_action(G.HEALTH, member=member))
    actor = actor_for_user(neighbour.user)
    assert can(actor, "plans.view_goal", (setting.household, G.FINANCES))
    assert visible(neighbour.user) == {finances.pk}
    assert health.pk not in visible(neighbour.user)
    facts = RecipientFacts.load([setting.household.pk], now=timezone.now())
    audience = Audience(neighbour.user_id, setting.household.pk, CITIZEN)
    assert facts.categories(audience) == categories_visible_to(actor, setting.household) == {G.GENERAL, G.FINANCES}


def test_the_unread_count_from_the_grants_in_force_agrees_for_everyone(db):
    """The home page counts a professional's or supporter's unread reminders and notifications with the grants it
    read already (``unread_count_with``); for everyone around a household that is the count of the visible ones
    (``unread_count`` without grants), also after one is read, one is no longer due and a grant is revoked."""
    from samen.consent.selectors import granted_pairs
    from samen.reminders.policies import WORKS_BY_GRANTS
    from samen.reminders.selectors import unread_count, unread_count_with
    from samen.reminders.tests.factories import NotificationFactory

    cast = build_cast()
    household = cast.household
    plan = Plan.objects.get(household=household, is_current=True)
    owner = HouseholdMember.objects.filter(household=household).first()
    actions = [
        ActionFactory(goal=GoalFactory(plan=plan, category=category), owner_member=owner, due_date=in_days(1))
        for category in DataCategory
    ]
    evaluation = EvaluationMomentFactory(plan=plan, date=in_days(2))
    checked = 0
    for who in CAST_ROLES:
        user = cast.users[who]
        if user is None:
            continue
        actor = actor_for_user(user)
        reminders = [ReminderFactory(recipient=user, action=action) for action in actions]
        ReminderFactory(recipient=user, about_evaluation=True, evaluation=evaluation)
        reminders[0].read_at = timezone.now()
        reminders[0].save(update_fields=["read_at"])
        for category in DataCategory:
            NotificationFactory(recipient=user, household=household, category=category)
        NotificationFactory(recipient=user, household=None)
        NotificationFactory(
            recipient=user,
            household=household,
            created_at=timezone.now() - datetime.timedelta(minutes=1),
            read_at=timezone.now(),
        )
        if actor.role not in WORKS_BY_GRANTS:
            assert unread_count_with(actor, granted_pairs(actor)) == 0
            continue
        expected = unread_count(actor)
        assert expected >= 1  # at least the notification without a household
        assert unread_count_with(actor, granted_pairs(actor)) == expected, who
        assert unread_count(actor, granted=granted_pairs(actor)) == expected, who
        checked += 1
    assert checked >= 4  # professionals with and without consent, the coordinator, the supporter
    done = actions[1]
    done.status, done.done_at = ActionStatus.DONE, timezone.now()
    done.save(update_fields=["status", "done_at"])
    ConsentGrant.objects.filter(household=household).update(revoked_at=timezone.now(), revoked_by=cast.users["citizen"])
    for who in ("professional_with_consent", "coordinator", "supporter"):
        actor = actor_for_user(cast.users[who])
        # Only the notification without a household is left.
        assert unread_count_with(actor, granted_pairs(actor)) == unread_count(actor) == 1
