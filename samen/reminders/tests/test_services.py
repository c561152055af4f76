"""The daily job: who is reminded of what (per kind of owner), only while they may see it, once per date; marking
read; the audit entries; a query count that does not grow with the number of households."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from samen.accounts.tests.factories import UserFactory
from samen.consent.models import ConsentGrant
from samen.consent.tests.factories import ConsentGrantFactory, RepresentativeFactory, TeamMemberFactory
from samen.core.actor import SYSTEM
from samen.core.models import AuditAction, AuditEntry, AuditPurpose
from samen.core.testing import count_queries
from samen.households.models import Relation
from samen.households.tests.factories import CitizenFactory, HouseholdFactory, HouseholdMemberFactory
from samen.organisations.actors import actor_for_user
from samen.organisations.tests.factories import MembershipFactory
from samen.plans.models import ActionStatus, GoalStatus
from samen.plans.tests.factories import ActionFactory, EvaluationMomentFactory, GoalFactory, PlanFactory
from samen.reminders import services
from samen.reminders.models import Reminder, ReminderKind
from samen.reminders.tests.conftest import G, in_days, member_of, place_of

pytestmark = pytest.mark.django_db


def run(**kwargs):
    return services.create_due_reminders(**kwargs)


def recipients(target) -> set:
    """Who got a reminder about ``target`` (an action or an evaluation moment)."""
    field = "action" if target._meta.model_name == "action" else "evaluation"
    return set(Reminder.objects.filter(**{field: target}).values_list("recipient", flat=True))


def ids(*users) -> set:
    return {user.pk for user in users}


# --- who hears about an action, per owner --------------------------------------------------------------------


def test_an_action_of_a_member_reminds_their_account(setting, due_action):
    action = due_action(member=member_of(setting, setting.citizen))
    run()
    assert recipients(action) == ids(setting.citizen)


def test_an_action_of_a_member_without_account_reminds_their_representative_within_the_scope(setting, due_action):
    grandmother = setting.household.members.get(relation=Relation.GRANDPARENT)
    general = due_action(G.GENERAL, member=grandmother)
    finances = due_action(G.FINANCES, member=grandmother)
    health = due_action(G.HEALTH, member=grandmother)  # outside the representation's scope
    run()
    assert recipients(general) == ids(setting.representative)
    assert recipients(finances) == ids(setting.representative)
    assert recipients(health) == set()


def test_an_ended_representation_reminds_nobody(setting, due_action):
    member = HouseholdMemberFactory(household=setting.household)
    RepresentativeFactory(member=member, ended=True)
    RepresentativeFactory(member=member, expired=True)
    action = due_action(member=member)
    run()
    assert recipients(action) == set()


def test_an_action_of_a_professional_reminds_them_in_the_categories_their_organisation_may_see(setting, due_action):
    place = place_of(setting, setting.professional)
    finances = due_action(G.FINANCES, place=place)
    youth = due_action(G.YOUTH, place=place)  # Schuldhulp Zuid has no consent for youth
    run()
    assert recipients(finances) == ids(setting.professional)
    assert recipients(youth) == set()


def test_an_action_of_an_organisation_reminds_its_active_professionals_in_the_team(setting, due_action):
    colleague = TeamMemberFactory(household=setting.household, organisation=setting.schuldhulp)
    gone = TeamMemberFactory(household=setting.household, organisation=setting.schuldhulp)
    gone.left_at = timezone.now()
    gone.save(update_fields=["left_at"])
    MembershipFactory(organisation=setting.schuldhulp)  # a colleague outside this team
    action = due_action(G.FINANCES, organisation=setting.schuldhulp)
    run()
    assert recipients(action) == ids(setting.professional, colleague.user)


def test_the_coordinator_the_supporter_and_the_informal_network_within_their_consent(setting, due_action):
    coordinator = due_action(G.YOUTH, place=place_of(setting, setting.coordinator))
    supporter_health = due_action(G.HEALTH, place=place_of(setting, setting.supporter))
    supporter_finances = due_action(G.FINANCES, place=place_of(setting, setting.supporter))
    informal = due_action(G.GENERAL, place=place_of(setting, setting.informal))
    informal_without_grant = due_action(G.GENERAL, place=place_of(setting, setting.informal_without_grant))
    run()
    assert recipients(coordinator) == ids(setting.coordinator)
    assert recipients(supporter_health) == ids(setting.supporter)
    assert recipients(supporter_finances) == set()
    assert recipients(informal) == ids(setting.informal)
    assert recipients(informal_without_grant) == set()


def test_revoked_or_expired_consent_means_no_reminder(setting, due_action):
    revoked = due_action(G.GENERAL, place=place_of(setting, setting.revoked))
    expired = due_action(G.GENERAL, place=place_of(setting, setting.expired))
    ConsentGrant.objects.filter(household=setting.household, organisation=setting.schuldhulp).update(
        revoked_at=timezone.now(), revoked_by=setting.citizen
    )
    of_the_organisation = due_action(G.FINANCES, organisation=setting.schuldhulp)
    run()
    assert recipients(revoked) == set()
    assert recipients(expired) == set()
    assert recipients(of_the_organisation) == set()


def test_someone_who_left_the_team_or_was_blocked_is_not_reminded(setting, due_action):
    professional, coordinator = place_of(setting, setting.professional), place_of(setting, setting.coordinator)
    left = due_action(G.GENERAL, place=professional)
    professional.left_at = timezone.now()
    professional.save(update_fields=["left_at"])
    blocked = due_action(G.GENERAL, place=coordinator)
    setting.coordinator.is_active = False
    setting.coordinator.save(update_fields=["is_active"])
    run()
    assert recipients(left) == set()
    assert recipients(blocked) == set()


def test_a_professional_who_no_longer_works_for_the_organisation_is_not_reminded(setting, due_action):
    action = due_action(G.GENERAL, place=place_of(setting, setting.professional))
    setting.professional.memberships.update(is_active=False)
    run()
    assert recipients(action) == set()


def test_a_member_who_works_as_a_professional_is_not_reminded_as_a_citizen(setting, due_action):
    """They act for their organisation, never as a citizen, so they could not see it."""
    citizen = member_of(setting, setting.citizen)
    MembershipFactory(user=setting.citizen)
    action = due_action(member=citizen)
    run()
    assert recipients(action) == set()


# --- what is due ---------------------------------------------------------------------------------------------------


def test_only_open_actions_from_a_month_overdue_to_three_days_ahead(setting, due_action):
    citizen = member_of(setting, setting.citizen)
    due = {days: due_action(member=citizen, days=days) for days in (-31, -30, -1, 0, 3, 4)}
    done = due_action(member=citizen, days=1, status=ActionStatus.DONE, done_at=timezone.now())
    no_date = due_action(member=citizen, days=1)
    no_date.due_date = None
    no_date.save(update_fields=["due_date"])
    run()
    reminded = {days for days, action in due.items() if recipients(action)}
    assert reminded == {-30, -1, 0, 3}
    assert recipients(done) == set()
    assert recipients(no_date) == set()


def test_no_reminder_for_a_closed_goal_or_an_old_plan(setting):
    citizen = member_of(setting, setting.citizen)
    old = PlanFactory(household=setting.household, is_current=False)
    in_old_plan = ActionFactory(goal=GoalFactory(plan=old), owner_member=citizen, due_date=in_days(1))
    current = PlanFactory(household=setting.household)
    reached = GoalFactory(plan=current, status=GoalStatus.REACHED)
    of_reached_goal = ActionFactory(goal=reached, owner_member=citizen, due_date=in_days(1))
    run()
    assert recipients(in_old_plan) == set()
    assert recipients(of_reached_goal) == set()


def test_an_evaluation_within_a_week_reminds_the_coordinator_and_the_members_with_an_account(setting, due_evaluation):
    partner = CitizenFactory(household=setting.household)
    soon = due_evaluation(days=7)
    today = due_evaluation(days=0)
    later = due_evaluation(days=8)
    past = due_evaluation(days=-1)
    evaluated = due_evaluation(days=2, outcome="Het gaat beter.", evaluated_at=timezone.now())
    run()
    assert recipients(soon) == ids(setting.citizen, partner.user, setting.coordinator)
    assert recipients(today) == ids(setting.citizen, partner.user, setting.coordinator)
    assert recipients(later) == recipients(past) == recipients(evaluated) == set()


def test_an_evaluation_without_a_coordinator_with_consent_reminds_only_the_household(setting, due_evaluation):
    ConsentGrant.objects.filter(household=setting.household, organisation=setting.wijkteam).update(
        revoked_at=timezone.now(), revoked_by=setting.citizen
    )
    evaluation = due_evaluation(days=2)
    run()
    assert recipients(evaluation) == ids(setting.citizen)


def test_an_evaluation_reminder_says_what_and_when(setting, due_evaluation):
    evaluation = due_evaluation(days=4)
    run()
    reminder = Reminder.objects.get(evaluation=evaluation, recipient=setting.citizen)
    assert reminder.kind == ReminderKind.EVALUATION_DUE
    assert reminder.action_id is None
    assert reminder.household == setting.household
    assert reminder.due_date == evaluation.date
    assert reminder.read_at is None and reminder.emailed_at is None


# --- once, and set-based ---------------------------------------------------------------------------------------------


def test_running_twice_creates_nothing_new(setting, due_action, due_evaluation):
    due_action(member=member_of(setting, setting.citizen))
    due_action(G.FINANCES, organisation=setting.schuldhulp)
    due_evaluation()
    first = run()
    assert first.created == Reminder.objects.count() == 4  # citizen x2, professional, coordinator
    assert first.recipients == 3
    second = run()
    assert (second.created, second.recipients) == (0, 0)
    assert Reminder.objects.count() == 4


def test_a_new_due_date_gets_a_new_reminder_and_the_old_one_stays_once(setting, due_action):
    action = due_action(member=member_of(setting, setting.citizen), days=-3)
    run()
    action.due_date = in_days(2)
    action.save(update_fields=["due_date"])
    run()
    run()
    assert sorted(Reminder.objects.filter(action=action).values_list("due_date", flat=True)) == [
        in_days(-3),
        in_days(2),
    ]


def test_one_reminder_per_person_when_they_are_reached_twice(setting, due_action):
    """The account of the owner who is also a representative of that member gets one reminder."""
    citizen = member_of(setting, setting.citizen)
    RepresentativeFactory(member=citizen, user=setting.citizen)
    action = due_action(member=citizen)
    run()
    assert Reminder.objects.filter(action=action).count() == 1


def test_a_run_for_another_day(setting, due_action):
    action = due_action(member=member_of(setting, setting.citizen), days=10)
    assert run().created == 0
    assert run(today=in_days(8)).created == 1
    assert recipients(action) == ids(setting.citizen)


def test_one_audit_entry_per_run_as_the_system_for_operations(setting, due_action):
    due_action(member=member_of(setting, setting.citizen))
    run()
    run()
    entries = list(AuditEntry.objects.filter(object_type="reminders.reminder"))
    assert len(entries) == 2
    first, second = entries
    assert first.action == AuditAction.CREATE and first.purpose == AuditPurpose.OPERATIONS
    assert first.role == "system" and first.user_id is None and first.household_id is None
    assert first.changes == {"date": timezone.localdate().isoformat(), "created": 1, "recipients": 1}
    assert second.changes["created"] == 0


def test_only_the_system_runs_the_job(setting):
    with pytest.raises(PermissionDenied):
        run(actor=actor_for_user(setting.coordinator))


def _town(households: int) -> None:
    """``households`` households, each with an account, a coordinator with consent, and three things due (owned
    by the member, by the coordinator, by the organisation) plus an evaluation."""
    for _ in range(households):
        household = HouseholdFactory()
        citizen = CitizenFactory(household=household)
        coordinator = TeamMemberFactory(household=household, coordinator=True)
        ConsentGrantFactory(household=household, organisation=coordinator.organisation)
        goal = GoalFactory(plan=PlanFactory(household=household))
        ActionFactory(goal=goal, owner_member=citizen, due_date=in_days(1))
        ActionFactory(goal=goal, owner_member=None, owner_team_member=coordinator, due_date=in_days(0))
        ActionFactory(goal=goal, owner_member=None, owner_organisation=coordinator.organisation, due_date=in_days(-2))
        EvaluationMomentFactory(plan=goal.plan, date=in_days(5))


def test_the_number_of_queries_does_not_grow_with_the_number_of_households(db):
    run()  # the audit chain's first entry costs a few queries once
    _town(3)
    few = count_queries(run)
    Reminder.objects.all().delete()
    _town(30)
    many = count_queries(run)
    assert Reminder.objects.count() == 30 * 5 + 3 * 5
    assert few == many, f"{few} queries for 3 households, {many} for 33"


def test_batches_cover_everything(monkeypatch, db):
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    _town(3)
    assert run().created == 3 * 5


# --- marking read ------------------------------------------------------------------------------------------------


@pytest.fixture
def reminded(setting, due_action):
    """The citizen's reminder about an action due tomorrow, made by the job."""
    action = due_action(member=member_of(setting, setting.citizen))
    run()
    return Reminder.objects.get(action=action, recipient=setting.citizen)


def test_marking_read_once_writes_one_entry(setting, reminded):
    citizen = actor_for_user(setting.citizen)
    services.reminder_mark_read(actor=citizen, reminder=reminded)
    first = Reminder.objects.get(pk=reminded.pk).read_at
    assert first is not None
    services.reminder_mark_read(actor=citizen, reminder=reminded)
    assert Reminder.objects.get(pk=reminded.pk).read_at == first
    entries = AuditEntry.objects.filter(description="reminder marked as read")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.user_id == setting.citizen.pk and entry.object_id == str(reminded.pk)
    assert entry.purpose == AuditPurpose.OPERATIONS and entry.household_id is None


def test_nobody_else_marks_someone_s_reminder(setting, reminded):
    for user in (setting.professional, setting.other_citizen, setting.representative):
        with pytest.raises(PermissionDenied):
            services.reminder_mark_read(actor=actor_for_user(user), reminder=reminded)
    with pytest.raises(PermissionDenied):
        services.reminder_mark_read(actor=SYSTEM, reminder=reminded)
    assert Reminder.objects.get(pk=reminded.pk).read_at is None


def test_mark_all_read_marks_only_what_the_person_sees_now(setting, due_action, due_evaluation):
    professional = actor_for_user(setting.professional)
    general = due_action(G.GENERAL, place=place_of(setting, setting.professional))
    finances = due_action(G.FINANCES, place=place_of(setting, setting.professional))
    run()
    ConsentGrant.objects.filter(
        household=setting.household, organisation=setting.schuldhulp, category=G.FINANCES
    ).update(revoked_at=timezone.now(), revoked_by=setting.citizen)
    assert services.reminders_mark_all_read(actor=professional) == 1
    assert Reminder.objects.get(action=general).read_at is not None
    assert Reminder.objects.get(action=finances).read_at is None  # not seen, so not marked
    assert services.reminders_mark_all_read(actor=professional) == 0
    assert AuditEntry.objects.filter(description="all reminders marked as read").get().changes == {"count": 1}


def test_marking_read_by_an_anonymous_or_other_user_is_refused(setting, reminded):
    from samen.core.actor import ANONYMOUS

    with pytest.raises(PermissionDenied):
        services.reminders_mark_all_read(actor=ANONYMOUS)
    with pytest.raises(PermissionDenied):
        services.reminder_mark_read(actor=ANONYMOUS, reminder=reminded)
    stranger = actor_for_user(UserFactory())
    assert services.reminders_mark_all_read(actor=stranger) == 0


def test_a_reminder_of_a_due_date_in_the_past_of_the_window(setting, due_action):
    """A month overdue is the last day a reminder is made; the next day the action is "long overdue"."""
    action = due_action(member=member_of(setting, setting.citizen), days=-30)
    assert run(today=timezone.localdate() + datetime.timedelta(days=1)).created == 0
    assert run().created == 1
    assert recipients(action) == ids(setting.citizen)
