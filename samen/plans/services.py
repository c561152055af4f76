"""Writing the plan. These services are the only writers of ``samen.plans.models``: each checks the policy, locks
the household's row (so changes to one household's plan are serialised) and writes its audit entry in the same
transaction.

Updates are optimistic: the caller passes the ``version`` it loaded; when the row changed in between, the
service raises ``PlanConflict`` with the saved and the submitted texts, and writes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.consent.models import DataCategory
from samen.consent.policies import parse_id
from samen.core import audit
from samen.core.actor import Actor, Role
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import require
from samen.core.text import clean_text
from samen.core.transactions import atomic_service
from samen.households.models import Household, HouseholdMember, Relation, TeamMember, TeamRole
from samen.organisations.models import Organisation
from samen.plans.models import (
    ACTION_MAX_LENGTH,
    AGREED_URL_MAX_LENGTH,
    GOAL_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Action,
    ActionStatus,
    Agreement,
    EvaluationMoment,
    Goal,
    GoalStatus,
    Plan,
    PlanVersion,
    ZrmDomain,
    default_category,
)
from samen.socialmap.models import Service
from samen.timeline.models import EventCode
from samen.timeline.services import event_record

ADULT_AGE = 18


@dataclass
class PlanConflict(Exception):  # noqa: N818 - the name says what happened
    """Someone else saved the same thing after it was loaded. ``current``: the saved texts per field;
    ``submitted``: what this person sent; ``current_version``: the version to save on top of."""

    current: dict[str, Any] = field(default_factory=dict)
    submitted: dict[str, Any] = field(default_factory=dict)
    current_version: int = 0

    def __str__(self) -> str:
        return f"conflict: the row is at version {self.current_version}"


# --- input ---------------------------------------------------------------------------------------------------


def _invalid(field_name: str, message: str, code: str) -> ValidationError:
    return ValidationError({field_name: ValidationError(message, code=code)})


def _choice(value: Any, choices, *, field_name: str):
    try:
        return choices(value)
    except ValueError:
        raise _invalid(field_name, _("Choose one of the options in the list."), "unknown") from None


def _version(value: Any) -> int:
    number = parse_id(value)
    if number is None:
        raise _invalid(
            "version", _("This page was out of date. Open it again and make your change once more."), "bad_version"
        )
    return number


def _purpose(actor: Actor) -> AuditPurpose:
    return AuditPurpose.CITIZEN if actor.role == Role.CITIZEN else AuditPurpose.CARE_COORDINATION


def _record(actor: Actor, action: AuditAction, obj, household: Household, category: str, description: str, **extra):
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        household_id=household.pk,
        data_category=str(category),
        purpose=_purpose(actor),
        description=description,
        **extra,
    )


def _event(actor: Actor, household: Household, category, code: EventCode, **params) -> None:
    """Tell the household's timeline what changed in the plan (in the category of what changed)."""
    event_record(actor=actor, household=household, category=category, code=code, params=params)


def _lock(household: Household) -> Household:
    """The household's row, locked until the end of the transaction (serialises changes to its plan)."""
    return Household.objects.select_for_update(no_key=True).get(pk=household.pk)


def current_plan_for_update(household: Household) -> Plan:
    """The household's current plan (created when it has none yet). Call with the household locked."""
    plan = Plan.objects.select_for_update(no_key=True).filter(household=household, is_current=True).first()
    if plan is None:
        plan = Plan.objects.create(household=household, is_current=True)
    return plan


def _member(household: Household, value: Any) -> HouseholdMember | None:
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, HouseholdMember) else parse_id(value)
    member = HouseholdMember.objects.filter(pk=pk, household=household).first() if pk else None
    if member is None:
        raise _invalid("member", _("Choose someone from this household."), "unknown_member")
    return member


def _is_child(member: HouseholdMember | None) -> bool:
    if member is None:
        return False
    if member.relation == Relation.CHILD:
        return True
    if member.date_of_birth is None:
        return False
    today = timezone.localdate()
    born = member.date_of_birth
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return age < ADULT_AGE


def _category_for(value: Any, domain: ZrmDomain, member: HouseholdMember | None) -> DataCategory:
    if value in (None, ""):
        return default_category(domain, about_child=_is_child(member))
    return _choice(value, DataCategory, field_name="category")


@dataclass(frozen=True)
class Owner:
    member: HouseholdMember | None = None
    team_member: TeamMember | None = None
    organisation: Organisation | None = None


def owner_value(action: Action) -> str:
    """The form value of an action's owner: ``member:<id>``, ``team:<id>`` or ``organisation:<id>``."""
    if action.owner_member_id:
        return f"member:{action.owner_member_id}"
    if action.owner_team_member_id:
        return f"team:{action.owner_team_member_id}"
    return f"organisation:{action.owner_organisation_id}"


def owner_label(action: Action) -> str:
    """Who does the action, in words: the member, the team member's name or the organisation."""
    if action.owner_member_id:
        return str(action.owner_member)
    if action.owner_team_member_id:
        return _name(action.owner_team_member.user)
    return action.owner_organisation.name


def parse_owner(household: Household, value: Any) -> Owner:
    """The owner named by ``value`` (see ``owner_value``), who must belong to ``household``: one of its members,
    someone in its team now, or the organisation of a professional in its team now."""
    kind, _sep, raw = (value if isinstance(value, str) else "").partition(":")
    pk = parse_id(raw)
    owner = None
    if pk is not None and kind == "member":
        found = HouseholdMember.objects.filter(pk=pk, household=household).first()
        owner = Owner(member=found) if found else None
    elif pk is not None and kind == "team":
        found = TeamMember.objects.filter(pk=pk, household=household, left_at__isnull=True).first()
        owner = Owner(team_member=found) if found else None
    elif pk is not None and kind == "organisation":
        in_team = TeamMember.objects.filter(
            household=household, organisation_id=pk, role=TeamRole.PROFESSIONAL, left_at__isnull=True
        )
        found = Organisation.objects.filter(pk=pk).first() if in_team.exists() else None
        owner = Owner(organisation=found) if found else None
    if owner is None:
        raise _invalid("owner", _("Choose who does this from the list."), "unknown_owner")
    return owner


def clean_due_date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise _invalid("due_date", _("Enter a date, for example 2027-03-31."), "bad_date") from None


# --- the plan's general parts ----------------------------------------------------------------------------------

PLAN_FIELDS = ("question", "strengths", "worries")


@atomic_service
def plan_update(
    *, actor: Actor, household: Household, expected_version: Any, question: Any, strengths: Any, worries: Any
) -> Plan:
    """Change the question, strengths and worries. ``PlanConflict`` when the plan changed since it was loaded."""
    submitted = {
        name: clean_text(value, field=name, max_length=TEXT_MAX_LENGTH, required=False)
        for name, value in zip(PLAN_FIELDS, (question, strengths, worries), strict=True)
    }
    expected = _version(expected_version)
    household = _lock(household)
    require(actor, "plans.write", (household, DataCategory.GENERAL))
    plan = current_plan_for_update(household)
    if plan.version != expected:
        raise PlanConflict(
            current={name: getattr(plan, name) for name in PLAN_FIELDS},
            submitted=submitted,
            current_version=plan.version,
        )
    changed = [name for name in PLAN_FIELDS if getattr(plan, name) != submitted[name]]
    for name in PLAN_FIELDS:
        setattr(plan, name, submitted[name])
    plan.version += 1
    plan.updated_at = timezone.now()
    plan.updated_by = actor.user
    plan.save()
    _record(
        actor, AuditAction.UPDATE, plan, household, DataCategory.GENERAL, "plan changed", changes={"fields": changed}
    )
    if changed:
        _event(actor, household, DataCategory.GENERAL, EventCode.PLAN_CHANGED)
    return plan


# --- goals -----------------------------------------------------------------------------------------------------


class AgreedIn(NamedTuple):
    """Where a plan item was agreed, when a meeting made it (``samen.meetings``): the day and the meeting's page."""

    day: datetime.date
    url: str


def _agreed(agreed_in: AgreedIn | None) -> dict[str, Any]:
    if agreed_in is None:
        return {}
    url = str(agreed_in.url)
    if not url.startswith("/") or url.startswith("//") or len(url) > AGREED_URL_MAX_LENGTH:
        raise ValueError("agreed_in.url must be a local path")
    if not isinstance(agreed_in.day, datetime.date):
        raise ValueError("agreed_in.day must be a date")
    return {"agreed_on": agreed_in.day, "agreed_url": url}


@atomic_service
def goal_add(
    *,
    actor: Actor,
    household: Household,
    text: Any,
    domain: Any,
    member: Any = None,
    category: Any = None,
    agreed_in: AgreedIn | None = None,
) -> Goal:
    text = clean_text(text, field="text", max_length=GOAL_MAX_LENGTH)
    domain = _choice(domain, ZrmDomain, field_name="domain")
    household = _lock(household)
    member = _member(household, member)
    category = _category_for(category, domain, member)
    require(actor, "plans.write", (household, category))
    plan = current_plan_for_update(household)
    goal = Goal.objects.create(
        plan=plan,
        text=text,
        domain=domain,
        member=member,
        category=category,
        updated_by=actor.user,
        **_agreed(agreed_in),
    )
    _record(actor, AuditAction.CREATE, goal, household, category, "goal added")
    _event(actor, household, category, EventCode.GOAL_ADDED)
    return goal


def _locked_goal(actor: Actor, goal: Goal) -> tuple[Household, Goal]:
    household = _lock(goal.plan.household)
    goal = Goal.objects.select_for_update(no_key=True).select_related("plan").get(pk=goal.pk)
    require(actor, "plans.view_goal", (household, goal.category), hide=True)
    require(actor, "plans.write", (household, goal.category))
    return household, goal


GOAL_FIELDS = ("text", "domain", "status", "member", "category")


def _goal_texts(goal: Goal) -> dict[str, Any]:
    return {
        "text": goal.text,
        "domain": goal.domain,
        "status": goal.status,
        "member": goal.member_id,
        "category": goal.category,
    }


@atomic_service
def goal_update(
    *,
    actor: Actor,
    goal: Goal,
    expected_version: Any,
    text: Any,
    domain: Any,
    status: Any,
    member: Any = None,
    category: Any = None,
) -> Goal:
    text = clean_text(text, field="text", max_length=GOAL_MAX_LENGTH)
    domain = _choice(domain, ZrmDomain, field_name="domain")
    status = _choice(status, GoalStatus, field_name="status")
    expected = _version(expected_version)
    household, goal = _locked_goal(actor, goal)
    member = _member(household, member)
    category = _category_for(category, domain, member)
    require(actor, "plans.write", (household, category))
    submitted = {
        "text": text,
        "domain": domain.value,
        "status": status.value,
        "member": member.pk if member else None,
        "category": category.value,
    }
    if goal.version != expected:
        raise PlanConflict(current=_goal_texts(goal), submitted=submitted, current_version=goal.version)
    changed = [name for name in GOAL_FIELDS if _goal_texts(goal)[name] != submitted[name]]
    goal.text, goal.domain, goal.status, goal.member, goal.category = text, domain, status, member, category
    goal.version += 1
    goal.updated_at = timezone.now()
    goal.updated_by = actor.user
    goal.save()
    _record(actor, AuditAction.UPDATE, goal, household, category, "goal changed", changes={"fields": changed})
    if changed:
        _event(actor, household, category, EventCode.GOAL_CHANGED)
    return goal


# --- actions ---------------------------------------------------------------------------------------------------


@atomic_service
def action_add(
    *,
    actor: Actor,
    goal: Goal,
    text: Any,
    owner: Any,
    due_date: Any = None,
    agreed_in: AgreedIn | None = None,
    service: Service | None = None,
) -> Action:
    """Add an action to a goal; ``service``: the social map's service it uses (from "Put in the plan")."""
    text = clean_text(text, field="text", max_length=ACTION_MAX_LENGTH)
    due_date = clean_due_date(due_date)
    household, goal = _locked_goal(actor, goal)
    who = owner if isinstance(owner, Owner) else parse_owner(household, owner)
    action = Action.objects.create(
        goal=goal,
        text=text,
        owner_member=who.member,
        owner_team_member=who.team_member,
        owner_organisation=who.organisation,
        due_date=due_date,
        service=service,
        updated_by=actor.user,
        **_agreed(agreed_in),
    )
    _record(actor, AuditAction.CREATE, action, household, goal.category, "action added")
    _event(actor, household, goal.category, EventCode.ACTION_ADDED, owner=owner_label(action))
    return action


def _locked_action(actor: Actor, action: Action) -> tuple[Household, Action]:
    household, _goal = _locked_goal(actor, action.goal)
    return household, Action.objects.select_for_update(no_key=True).select_related("goal").get(pk=action.pk)


def _action_texts(action: Action) -> dict[str, Any]:
    return {
        "text": action.text,
        "owner": owner_value(action),
        "due_date": action.due_date.isoformat() if action.due_date else "",
    }


@atomic_service
def action_update(
    *,
    actor: Actor,
    action: Action,
    expected_version: Any,
    text: Any,
    owner: Any,
    due_date: Any = None,
    reason: Any = "",
) -> Action:
    """Change an action. ``reason`` says why its date moves: the move is then recorded as a reasoned deviation (the
    household's timeline tells, the network counts it in "paper and practice"); a reason needs a new date."""
    text = clean_text(text, field="text", max_length=ACTION_MAX_LENGTH)
    due_date = clean_due_date(due_date)
    reason = clean_text(reason, field="reason", max_length=NOTE_MAX_LENGTH, required=False)
    expected = _version(expected_version)
    household, action = _locked_action(actor, action)
    moved = reason and due_date != action.due_date
    if reason and not moved:
        raise _invalid(
            "reason", _("A reason is for a new date. Change the date, or leave the reason empty."), "reason_no_move"
        )
    if reason and due_date is None:
        raise _invalid("due_date", _("Give the new date."), "reason_no_date")
    who = parse_owner(household, owner)
    candidate = Action(owner_member=who.member, owner_team_member=who.team_member, owner_organisation=who.organisation)
    submitted = {"text": text, "owner": owner_value(candidate), "due_date": due_date.isoformat() if due_date else ""}
    if action.version != expected:
        raise PlanConflict(current=_action_texts(action), submitted=submitted, current_version=action.version)
    changed = [name for name, value in _action_texts(action).items() if value != submitted[name]]
    previous_due = action.due_date
    action.text, action.due_date = text, due_date
    action.owner_member, action.owner_team_member, action.owner_organisation = (
        who.member,
        who.team_member,
        who.organisation,
    )
    if moved:
        action.replanned_from = previous_due
        action.replanned_at = timezone.now()
        action.replanned_reason = reason
    action.version += 1
    action.updated_at = timezone.now()
    action.updated_by = actor.user
    action.save()
    _record(
        actor,
        AuditAction.UPDATE,
        action,
        household,
        action.goal.category,
        "action moved with a reason" if moved else "action changed",
        changes={"fields": changed},
    )
    if moved:
        _event(actor, household, action.goal.category, EventCode.ACTION_REPLANNED, date=due_date.isoformat())
    return action


@atomic_service
def action_mark_done(*, actor: Actor, action: Action, note: Any = "") -> Action:
    note = clean_text(note, field="note", max_length=NOTE_MAX_LENGTH, required=False)
    household, action = _locked_action(actor, action)
    if action.status == ActionStatus.DONE:
        raise _invalid("note", _("This action was already marked as done."), "already_done")
    now = timezone.now()
    action.status = ActionStatus.DONE
    action.done_note = note
    action.done_at = now
    action.done_by = actor.user
    action.version += 1
    action.updated_at = now
    action.updated_by = actor.user
    action.save()
    _record(actor, AuditAction.UPDATE, action, household, action.goal.category, "action done")
    _event(actor, household, action.goal.category, EventCode.ACTION_DONE)
    return action


# --- agreements and evaluations --------------------------------------------------------------------------------


@atomic_service
def agreement_add(*, actor: Actor, household: Household, text: Any, agreed_in: AgreedIn | None = None) -> Agreement:
    text = clean_text(text, field="text", max_length=NOTE_MAX_LENGTH)
    household = _lock(household)
    require(actor, "plans.write", (household, DataCategory.GENERAL))
    agreement = Agreement.objects.create(
        plan=current_plan_for_update(household), text=text, created_by=actor.user, **_agreed(agreed_in)
    )
    _record(actor, AuditAction.CREATE, agreement, household, DataCategory.GENERAL, "agreement added")
    return agreement


@atomic_service
def evaluation_add(*, actor: Actor, household: Household, date: Any) -> EvaluationMoment:
    if date in (None, ""):
        raise _invalid("date", _("Enter a date."), "empty")
    day = clean_due_date(date)
    household = _lock(household)
    require(actor, "plans.write", (household, DataCategory.GENERAL))
    evaluation = EvaluationMoment.objects.create(plan=current_plan_for_update(household), date=day)
    _record(actor, AuditAction.CREATE, evaluation, household, DataCategory.GENERAL, "evaluation planned")
    _event(actor, household, DataCategory.GENERAL, EventCode.EVALUATION_PLANNED, date=day.isoformat())
    return evaluation


@atomic_service
def evaluation_record_outcome(
    *, actor: Actor, evaluation: EvaluationMoment, outcome: Any, expected_version: Any
) -> EvaluationMoment:
    """Write down (or correct) how the evaluation went. ``PlanConflict`` when someone else saved it since it was
    loaded; an evaluation is about the whole plan, so it is in the general category."""
    outcome = clean_text(outcome, field="outcome", max_length=TEXT_MAX_LENGTH)
    expected = _version(expected_version)
    household = _lock(evaluation.plan.household)
    require(actor, "plans.write", (household, DataCategory.GENERAL))
    evaluation = EvaluationMoment.objects.select_for_update(no_key=True).get(pk=evaluation.pk)
    if evaluation.version != expected:
        raise PlanConflict(
            current={"outcome": evaluation.outcome}, submitted={"outcome": outcome}, current_version=evaluation.version
        )
    first = not evaluation.outcome
    evaluation.outcome = outcome
    evaluation.evaluated_at = timezone.now()
    evaluation.evaluated_by = actor.user
    evaluation.version += 1
    evaluation.save()
    _record(actor, AuditAction.UPDATE, evaluation, household, DataCategory.GENERAL, "evaluation recorded")
    if first:
        _event(actor, household, DataCategory.GENERAL, EventCode.EVALUATION_RECORDED, date=evaluation.date.isoformat())
    return evaluation


# --- versions --------------------------------------------------------------------------------------------------


def _name(user) -> str:
    return user.get_full_name() if user is not None else ""


def snapshot_of(plan: Plan) -> dict[str, Any]:
    """Everything in the plan, as plain data (a fixed number of queries)."""
    goals = list(
        Goal.objects.filter(plan=plan)
        .select_related("member")
        .prefetch_related("actions__owner_member", "actions__owner_team_member__user", "actions__owner_organisation")
    )

    return {
        "question": plan.question,
        "strengths": plan.strengths,
        "worries": plan.worries,
        "goals": [
            {
                "id": goal.pk,
                "text": goal.text,
                "domain": goal.domain,
                "status": goal.status,
                "category": goal.category,
                "member": str(goal.member) if goal.member else "",
                "actions": [
                    {
                        "id": action.pk,
                        "text": action.text,
                        "owner": owner_label(action),
                        "due_date": action.due_date.isoformat() if action.due_date else "",
                        "status": action.status,
                        "done_note": action.done_note,
                    }
                    for action in goal.actions.all()
                ],
            }
            for goal in goals
        ],
        "agreements": [agreement.text for agreement in Agreement.objects.filter(plan=plan)],
        "evaluations": [
            {"date": evaluation.date.isoformat(), "outcome": evaluation.outcome}
            for evaluation in EvaluationMoment.objects.filter(plan=plan)
        ],
    }


@atomic_service
def plan_save_version(*, actor: Actor, household: Household) -> PlanVersion:
    """Save the whole plan as the next numbered, immutable version."""
    household = _lock(household)
    require(actor, "plans.write", (household, DataCategory.GENERAL))
    plan = current_plan_for_update(household)
    last = PlanVersion.objects.filter(plan=plan).order_by("-number").values_list("number", flat=True).first() or 0
    version = PlanVersion.objects.create(plan=plan, number=last + 1, snapshot=snapshot_of(plan), created_by=actor.user)
    _record(actor, AuditAction.CREATE, version, household, DataCategory.GENERAL, "plan version saved")
    _event(actor, household, DataCategory.GENERAL, EventCode.VERSION_SAVED, number=version.number)
    return version


@atomic_service
def plan_version_agree(*, actor: Actor, version: PlanVersion) -> PlanVersion:
    """The household (a member or a representative) agrees with ``version``: who and when are recorded once."""
    household = _lock(version.plan.household)
    require(actor, "plans.agree", household)
    version = PlanVersion.objects.select_for_update(no_key=True).get(pk=version.pk)
    if version.agreed_at is not None:
        raise _invalid("version", _("Someone already agreed with this version."), "already_agreed")
    PlanVersion.objects.filter(pk=version.pk).update(agreed_by=actor.user, agreed_at=timezone.now())
    version.refresh_from_db()
    _record(actor, AuditAction.UPDATE, version, household, DataCategory.GENERAL, "plan version agreed")
    _event(actor, household, DataCategory.GENERAL, EventCode.VERSION_AGREED, number=version.number)
    return version
