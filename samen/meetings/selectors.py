"""Reads for the meeting pages. Each read is a fixed number of queries, whatever the number of meetings,
participants, agenda items or outcomes. Selectors do not decide access and write no access entry: the view asks the
policy first and passes the categories the reader may see."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samen.consent.models import DataCategory
from samen.conversations import selectors as conversation_selectors
from samen.conversations.models import Signal
from samen.households.models import Household, HouseholdMember, TeamMember, TeamRole
from samen.households.selectors import handover_candidates
from samen.meetings.models import AgendaItem, Meeting, MeetingParticipant, Outcome
from samen.plans.models import EvaluationMoment, Goal

# An evaluation moment without an outcome is suggested for the agenda from this many days before its date (and
# when it is overdue).
EVALUATION_DAYS_AHEAD = 14


def _values(categories: Iterable) -> list[str]:
    return [DataCategory(category).value for category in categories]


def _participants() -> Prefetch:
    return Prefetch("participants", queryset=MeetingParticipant.objects.order_by("position", "pk"))


def meetings_of(household: Household, categories: Iterable) -> list[Meeting]:
    """The household's meetings, the one starting latest first, each with its participants and the number of its
    outcomes in ``categories`` (``outcome_count``). Two queries."""
    values = _values(categories)
    return list(
        Meeting.objects.filter(household=household)
        .annotate(outcome_count=Count("outcomes", filter=Q(outcomes__category__in=values)))
        .prefetch_related(_participants())
        .order_by("-starts_at", "-pk")
    )


def meeting_in(household: Household, meeting_id: int | None) -> Meeting | None:
    """A meeting of ``household`` (None for another household's, or no id), with who planned, held or cancelled it."""
    if meeting_id is None:
        return None
    return (
        Meeting.objects.filter(pk=meeting_id, household=household)
        .select_related("created_by", "held_by", "cancelled_by")
        .first()
    )


def participants(meeting: Meeting) -> list[MeetingParticipant]:
    """The participants, with their account, member or team place (for ``role_of``). One query."""
    return list(
        MeetingParticipant.objects.filter(meeting=meeting)
        .select_related("user", "member", "team_member__organisation")
        .order_by("position", "pk")
    )


def role_of(participant: MeetingParticipant) -> str:
    """What a participant is, in words: the relation of a member, what someone in the team does (and for which
    organisation), or what the planner typed for someone without an account."""
    if participant.member_id is not None:
        return str(participant.member.relation_label)
    if participant.team_member_id is not None:
        return _team_role(participant.team_member)
    return participant.role


def _team_role(place: TeamMember) -> str:
    role = place.description or str(TeamRole(place.role).label)
    if place.is_coordinator:
        role = _("coordinator")
    if place.organisation_id is not None:
        role = f"{role}, {place.organisation.name}"
    return role


def agenda(meeting: Meeting, categories: Iterable) -> list[AgendaItem]:
    """The agenda items in ``categories``, with their evaluation moment and signal (one query)."""
    return list(
        AgendaItem.objects.filter(meeting=meeting, category__in=_values(categories))
        .select_related("evaluation", "signal")
        .order_by("position", "pk")
    )


def outcomes(meeting: Meeting, categories: Iterable) -> list[Outcome]:
    """The outcomes in ``categories``, with what they became in the plan and who put them there (one query)."""
    return list(
        Outcome.objects.filter(meeting=meeting, category__in=_values(categories))
        .select_related(
            "created_by",
            "applied_by",
            "applied_goal",
            "applied_action__goal",
            "applied_agreement",
            "applied_handover__to_member__user",
            "applied_handover__to_member__organisation",
        )
        .order_by("position", "pk")
    )


def outcome_in(household: Household, outcome_id: int | None) -> Outcome | None:
    """An outcome of a meeting of ``household``, with its meeting (None for another household's, or no id)."""
    if outcome_id is None:
        return None
    return Outcome.objects.filter(pk=outcome_id, meeting__household=household).select_related("meeting").first()


# --- planning: who can take part, what can go on the agenda -----------------------------------------------------


@dataclass(frozen=True)
class ParticipantChoice:
    key: str  # "member:<id>" or "team:<id>"
    name: str
    role: str
    user_id: int | None
    has_email: bool


def participant_choices(household: Household) -> list[ParticipantChoice]:
    """The household's members and its team now, as people to invite (two queries)."""
    choices = []
    for member in (
        HouseholdMember.objects.filter(household=household).select_related("user").order_by("date_of_birth", "pk")
    ):
        choices.append(
            ParticipantChoice(
                key=f"member:{member.pk}",
                name=str(member),
                role=str(member.relation_label),
                user_id=member.user_id,
                has_email=bool(member.user_id and member.user.email and member.user.is_active),
            )
        )
    team = (
        TeamMember.objects.filter(household=household, left_at__isnull=True)
        .select_related("user", "organisation")
        .order_by("-is_coordinator", "joined_at", "pk")
    )
    for place in team:
        role = _team_role(place)
        choices.append(
            ParticipantChoice(
                key=f"team:{place.pk}",
                name=place.user.get_full_name(),
                role=role,
                user_id=place.user_id,
                has_email=bool(place.user.email and place.user.is_active),
            )
        )
    return choices


def due_evaluations(household: Household, *, today: datetime.date | None = None) -> list[EvaluationMoment]:
    """The evaluation moments of the household's current plan without an outcome, overdue or within
    ``EVALUATION_DAYS_AHEAD`` days, the earliest first (one query). Evaluations are about the whole plan: general."""
    today = today or timezone.localdate()
    return list(
        EvaluationMoment.objects.filter(
            plan__household=household,
            plan__is_current=True,
            outcome="",
            date__lte=today + datetime.timedelta(days=EVALUATION_DAYS_AHEAD),
        ).order_by("date", "pk")
    )


def open_signals(household: Household, categories: Iterable) -> list[Signal]:
    """The household's open signals (``samen.conversations.selectors.open_signals``, oldest first) in
    ``categories`` (one query)."""
    values = set(_values(categories))
    return [signal for signal in conversation_selectors.open_signals(household) if signal.category in values]


def goals_for_actions(household: Household, categories: Iterable) -> list[Goal]:
    """The goals of the household's current plan in ``categories`` (one query): where an action can go."""
    values = _values(categories)
    if not values:
        return []
    return list(
        Goal.objects.filter(plan__household=household, plan__is_current=True, category__in=values).order_by(
            "created_at", "pk"
        )
    )


def coordinator_candidates(household: Household):
    return handover_candidates(household)
