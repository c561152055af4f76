import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from samen.consent.models import DataCategory
from samen.core.models import AuditAction, AuditEntry
from samen.households.models import Relation
from samen.households.tests.factories import HouseholdMemberFactory
from samen.organisations.actors import actor_for_user
from samen.plans import services
from samen.plans.models import Action, ActionStatus, Goal, Plan, PlanVersion, ZrmDomain
from samen.plans.tests.factories import GoalFactory, PlanFactory

pytestmark = pytest.mark.django_db
G = DataCategory


def _goal(setting, **kwargs):
    values = {"text": "Ik wil weer rustig slapen", "domain": ZrmDomain.TIME_USE} | kwargs
    return services.goal_add(actor=actor_for_user(setting.citizen), household=setting.household, **values)


def test_goal_add_defaults_the_category_from_the_domain_and_audits(setting):
    goal = _goal(setting, domain=ZrmDomain.FINANCES)
    assert goal.category == G.FINANCES
    assert goal.plan.is_current
    entry = AuditEntry.objects.filter(action=AuditAction.CREATE, object_type="plans.goal", object_id=str(goal.pk)).get()
    assert entry.data_category == G.FINANCES
    assert "slapen" not in entry.description
    assert _goal(setting, domain=ZrmDomain.DOMESTIC_RELATIONS).category == G.SAFETY
    assert _goal(setting, domain=ZrmDomain.HOUSING).category == G.GENERAL


def test_a_goal_about_a_child_is_youth_unless_the_domain_is_more_specific(setting):
    child = HouseholdMemberFactory(
        household=setting.household, relation=Relation.CHILD, date_of_birth=datetime.date(2015, 1, 1)
    )
    assert _goal(setting, member=child.pk).category == G.YOUTH
    assert _goal(setting, member=child.pk, domain=ZrmDomain.MENTAL_HEALTH).category == G.MENTAL_HEALTH


def test_a_member_of_another_household_is_refused(setting):
    stranger = HouseholdMemberFactory(household=setting.other_household)
    with pytest.raises(ValidationError) as error:
        _goal(setting, member=stranger.pk)
    assert "member" in error.value.message_dict
    assert not Goal.objects.exists()


def test_a_writer_chooses_only_a_category_they_may_write(setting):
    coordinator = actor_for_user(setting.coordinator)
    with pytest.raises(PermissionDenied):
        services.goal_add(actor=coordinator, household=setting.household, text="Schulden", domain=ZrmDomain.FINANCES)
    goal = services.goal_add(
        actor=coordinator,
        household=setting.household,
        text="Naar school",
        domain=ZrmDomain.WORK_EDUCATION,
        category="youth",
    )
    assert goal.category == G.YOUTH


def test_the_informal_network_cannot_write(setting):
    with pytest.raises(PermissionDenied):
        services.goal_add(
            actor=actor_for_user(setting.informal), household=setting.household, text="x", domain=ZrmDomain.HOUSING
        )


@pytest.mark.parametrize("text", ["", "   ", "x" * 1001, "a\x00b", None])
def test_bad_goal_text_is_refused(setting, text):
    with pytest.raises(ValidationError):
        _goal(setting, text=text)
    assert not Goal.objects.exists()


def test_the_second_save_of_the_same_goal_is_a_conflict_and_nothing_is_overwritten(setting):
    goal = _goal(setting)
    first, second = Goal.objects.get(pk=goal.pk), Goal.objects.get(pk=goal.pk)  # two sessions load it
    common = {"domain": ZrmDomain.TIME_USE, "status": "in_progress"}
    services.goal_update(
        actor=actor_for_user(setting.citizen),
        goal=first,
        expected_version=first.version,
        text="Versie van Fatima",
        **common,
    )
    with pytest.raises(services.PlanConflict) as conflict:
        services.goal_update(
            actor=actor_for_user(setting.professional),
            goal=second,
            expected_version=second.version,
            text="Versie van Sanne",
            **common,
        )
    assert conflict.value.current["text"] == "Versie van Fatima"
    assert conflict.value.submitted["text"] == "Versie van Sanne"
    assert conflict.value.current_version == 2
    goal.refresh_from_db()
    assert (goal.text, goal.version) == ("Versie van Fatima", 2)
    # Saving again on top of the new version works.
    services.goal_update(
        actor=actor_for_user(setting.professional), goal=goal, expected_version=2, text="Samen", **common
    )
    goal.refresh_from_db()
    assert (goal.text, goal.version) == ("Samen", 3)


def test_plan_update_conflict(setting):
    citizen = actor_for_user(setting.citizen)
    texts = {"question": "Rust", "strengths": "", "worries": ""}
    services.plan_update(actor=citizen, household=setting.household, expected_version=1, **texts)
    with pytest.raises(services.PlanConflict):
        services.plan_update(
            actor=citizen, household=setting.household, expected_version=1, **texts | {"question": "B"}
        )
    assert Plan.objects.get().question == "Rust"


def test_actions_owner_done_and_conflict(setting):
    goal = _goal(setting)
    citizen_member = setting.citizen.household_member
    action = services.action_add(
        actor=actor_for_user(setting.professional),
        goal=goal,
        text="Bel de woningcorporatie",
        owner=f"member:{citizen_member.pk}",
    )
    with pytest.raises(ValidationError):
        services.action_add(actor=actor_for_user(setting.citizen), goal=goal, text="x", owner="member:999999")
    other = HouseholdMemberFactory(household=setting.other_household)
    with pytest.raises(ValidationError):
        services.action_add(actor=actor_for_user(setting.citizen), goal=goal, text="x", owner=f"member:{other.pk}")
    services.action_update(
        actor=actor_for_user(setting.citizen),
        action=action,
        expected_version=1,
        text="Bel Woonstad",
        owner=f"member:{citizen_member.pk}",
    )
    with pytest.raises(services.PlanConflict):
        services.action_update(
            actor=actor_for_user(setting.professional),
            action=action,
            expected_version=1,
            text="Nee",
            owner=f"member:{citizen_member.pk}",
        )
    done = services.action_mark_done(actor=actor_for_user(setting.citizen), action=action, note="Gelukt")
    assert (done.status, done.done_note, done.done_by) == (ActionStatus.DONE, "Gelukt", setting.citizen)
    with pytest.raises(ValidationError):
        services.action_mark_done(actor=actor_for_user(setting.citizen), action=action, note="")


def test_the_database_keeps_one_owner_and_one_current_plan(setting):
    goal = GoalFactory(plan=PlanFactory(household=setting.household))
    member = setting.citizen.household_member
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.create(goal=goal, text="x", owner_member=member, owner_organisation=setting.schuldhulp)
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.create(goal=goal, text="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanFactory(household=setting.household)
    PlanFactory(household=setting.household, is_current=False)


def test_versions_are_numbered_snapshots_and_the_household_agrees(setting):
    goal = _goal(setting, domain=ZrmDomain.FINANCES)
    services.agreement_add(
        actor=actor_for_user(setting.citizen), household=setting.household, text="Elke maandag bellen"
    )
    evaluation = services.evaluation_add(
        actor=actor_for_user(setting.professional), household=setting.household, date="2027-03-31"
    )
    services.evaluation_record_outcome(
        actor=actor_for_user(setting.professional), evaluation=evaluation, outcome="Goed", expected_version=1
    )
    first = services.plan_save_version(actor=actor_for_user(setting.professional), household=setting.household)
    second = services.plan_save_version(actor=actor_for_user(setting.citizen), household=setting.household)
    assert (first.number, second.number) == (1, 2)
    assert first.snapshot["goals"][0]["text"] == goal.text
    assert first.snapshot["agreements"] == ["Elke maandag bellen"]
    with pytest.raises(PermissionDenied):
        services.plan_version_agree(actor=actor_for_user(setting.professional), version=second)
    agreed = services.plan_version_agree(actor=actor_for_user(setting.citizen), version=second)
    assert agreed.agreed_by == setting.citizen and agreed.agreed_at is not None
    with pytest.raises(ValidationError):
        services.plan_version_agree(actor=actor_for_user(setting.representative), version=second)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanVersion.objects.create(plan=first.plan, number=1, snapshot={})


def test_an_item_agreed_in_a_meeting_links_back_only_to_a_local_page(setting):
    import datetime

    from django.db import IntegrityError, transaction

    from samen.plans.models import Agreement

    day = datetime.date(2026, 12, 3)
    citizen = actor_for_user(setting.citizen)
    agreement = services.agreement_add(
        actor=citizen,
        household=setting.household,
        text="Elke maandag bellen",
        agreed_in=services.AgreedIn(day, "/huishoudens/1/overleggen/2/"),
    )
    assert (agreement.agreed_on, agreement.agreed_url) == (day, "/huishoudens/1/overleggen/2/")
    for url in ("https://elders.example/", "//elders.example/", "javascript:alert(1)"):
        with pytest.raises(ValueError):
            services.agreement_add(
                actor=citizen, household=setting.household, text="x", agreed_in=services.AgreedIn(day, url)
            )
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(agreed_url="//elders.example/")
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(agreed_on=None)


def test_moving_a_date_with_a_reason_records_a_deviation_and_tells_the_timeline(setting):
    from samen.timeline.models import Entry, EventCode

    goal = _goal(setting)
    member = setting.citizen.household_member
    owner = f"member:{member.pk}"
    action = services.action_add(
        actor=actor_for_user(setting.professional), goal=goal, text="Bel de bank", owner=owner,
        due_date=datetime.date(2027, 3, 1),
    )  # fmt: skip
    moved = services.action_update(
        actor=actor_for_user(setting.citizen), action=action, expected_version=1, text="Bel de bank", owner=owner,
        due_date="2027-04-01", reason="  De bank heeft pas in april tijd.  ",
    )  # fmt: skip
    moved.refresh_from_db()
    assert (moved.due_date, moved.replanned_from) == (datetime.date(2027, 4, 1), datetime.date(2027, 3, 1))
    assert moved.replanned_reason == "De bank heeft pas in april tijd."
    assert moved.replanned_at is not None
    event = Entry.objects.get(household=setting.household, event_code=EventCode.ACTION_REPLANNED)
    assert event.event_params == {"date": "2027-04-01"}
    assert "bank" not in event.text  # the reason stays with the action, not in the timeline's sentence
    audit = AuditEntry.objects.filter(object_type="plans.action", object_id=str(action.pk)).last()
    assert audit.description == "action moved with a reason"


def test_a_change_without_a_reason_is_no_deviation_and_a_reason_needs_a_new_date(setting):
    goal = _goal(setting)
    owner = f"member:{setting.citizen.household_member.pk}"
    action = services.action_add(
        actor=actor_for_user(setting.citizen), goal=goal, text="Post openen", owner=owner,
        due_date=datetime.date(2027, 3, 1),
    )  # fmt: skip
    changed = services.action_update(
        actor=actor_for_user(setting.citizen), action=action, expected_version=1, text="Post openen", owner=owner,
        due_date="2027-03-08",
    )  # fmt: skip
    assert (changed.replanned_reason, changed.replanned_at) == ("", None)
    with pytest.raises(ValidationError) as same_date:
        services.action_update(
            actor=actor_for_user(setting.citizen), action=changed, expected_version=2, text="Post openen",
            owner=owner, due_date="2027-03-08", reason="Toch later",
        )  # fmt: skip
    assert "reason" in same_date.value.message_dict
    with pytest.raises(ValidationError) as no_date:
        services.action_update(
            actor=actor_for_user(setting.citizen), action=changed, expected_version=2, text="Post openen",
            owner=owner, due_date="", reason="Toch later",
        )  # fmt: skip
    assert "due_date" in no_date.value.message_dict
    with pytest.raises(ValidationError):
        services.action_update(
            actor=actor_for_user(setting.citizen), action=changed, expected_version=2, text="Post openen",
            owner=owner, due_date="2027-05-01", reason="x" * 4001,
        )  # fmt: skip
    unchanged = Action.objects.get(pk=action.pk)
    assert (unchanged.version, unchanged.due_date, unchanged.replanned_reason) == (2, datetime.date(2027, 3, 8), "")


def test_the_database_refuses_a_deviation_without_a_reason_or_a_time(setting):
    goal = _goal(setting)
    action = services.action_add(
        actor=actor_for_user(setting.citizen),
        goal=goal,
        text="Post",
        owner=f"member:{setting.citizen.household_member.pk}",
    )
    with transaction.atomic(), pytest.raises(IntegrityError):
        Action.objects.filter(pk=action.pk).update(replanned_reason="Ziek")
