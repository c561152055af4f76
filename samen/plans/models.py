"""The household's plan: one current plan per household, with goals, actions, agreements, evaluation moments and
immutable versions the household agrees with.

Only ``samen.plans.services`` writes these models; reads go through ``samen.plans.selectors`` after the policy
(``samen.plans.policies``, built on ``samen.consent.policies``) decided what the reader may see. Goals carry a data
category: a goal (and its actions) is shown only to whoever may see that category.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen.assessments.domains import CURRENT_INSTRUMENT, DOMAIN_CATEGORY, ZrmDomain
from samen.consent.models import DataCategory

TEXT_MAX_LENGTH = 4000
GOAL_MAX_LENGTH = 1000
ACTION_MAX_LENGTH = 1000
NOTE_MAX_LENGTH = 1000


# The ZRM life domains and their data categories live in one place, with the self-assessment.
ZRM_INSTRUMENT_VERSION = CURRENT_INSTRUMENT


def default_category(domain: str, *, about_child: bool = False) -> DataCategory:
    """The category of a goal in ``domain``: the domain's own; for a goal about a child, youth unless the domain
    maps to something more specific; otherwise general."""
    specific = DOMAIN_CATEGORY.get(domain, DataCategory.GENERAL)
    if specific != DataCategory.GENERAL:
        return specific
    return DataCategory.YOUTH if about_child else DataCategory.GENERAL


AGREED_URL_MAX_LENGTH = 200


class GoalStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    REACHED = "reached", _("reached")
    STOPPED = "stopped", _("stopped")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("to do")
    DONE = "done", _("done")


class Plan(models.Model):
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="plans", verbose_name=_("household")
    )
    is_current = models.BooleanField(_("current"), default=True)
    question = models.TextField(_("our question"), max_length=TEXT_MAX_LENGTH, blank=True)
    strengths = models.TextField(_("what goes well"), max_length=TEXT_MAX_LENGTH, blank=True)
    worries = models.TextField(_("what worries us"), max_length=TEXT_MAX_LENGTH, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["household", "-created_at", "-pk"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=models.Q(is_current=True), name="plan_one_current_per_household"
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="plan_version_positive"),
        ]

    def __str__(self) -> str:  # never the texts
        return f"plan {self.pk} of household {self.household_id}"


class Goal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="goals", verbose_name=_("plan"))
    text = models.TextField(_("goal"), max_length=GOAL_MAX_LENGTH)
    domain = models.CharField(_("life domain"), max_length=32, choices=ZrmDomain.choices)
    status = models.CharField(_("status"), max_length=16, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    member = models.ForeignKey(
        "households.HouseholdMember",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about"),
    )
    category = models.CharField(_("data category"), max_length=32, choices=DataCategory.choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # Agreed in a meeting (``samen.meetings``, which passes these): the meeting's day and its page. The plan shows
    # "Afgesproken in het overleg van ..." with the link; the plan does not know meetings otherwise.
    agreed_on = models.DateField(_("agreed in a meeting on"), null=True, blank=True)
    agreed_url = models.CharField(max_length=AGREED_URL_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["plan", "created_at", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agreed_on__isnull=True, agreed_url="")
                | (
                    models.Q(agreed_on__isnull=False, agreed_url__startswith="/")
                    & ~models.Q(agreed_url__startswith="//")
                ),
                name="goal_agreed_in_a_meeting",
            ),
            models.CheckConstraint(condition=~models.Q(text=""), name="goal_text_not_empty"),
            models.CheckConstraint(condition=models.Q(domain__in=ZrmDomain.values), name="goal_domain_valid"),
            models.CheckConstraint(condition=models.Q(status__in=GoalStatus.values), name="goal_status_valid"),
            models.CheckConstraint(condition=models.Q(category__in=DataCategory.values), name="goal_category_valid"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="goal_version_positive"),
        ]
        indexes = [models.Index(fields=["plan", "category"], name="goal_plan_category")]

    def __str__(self) -> str:
        return f"goal {self.pk} ({self.category}) of plan {self.plan_id}"


class Action(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="actions", verbose_name=_("goal"))
    text = models.TextField(_("action"), max_length=ACTION_MAX_LENGTH)
    # Exactly one owner: a household member, someone in the team (informal or professional), or an organisation.
    owner_member = models.ForeignKey(
        "households.HouseholdMember", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_team_member = models.ForeignKey(
        "households.TeamMember", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_date = models.DateField(_("before"), null=True, blank=True)
    # The social map's service this action uses (HSDS service; standards.md), when it came from the social map.
    service = models.ForeignKey(
        "socialmap.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service"),
    )
    status = models.CharField(_("status"), max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    done_note = models.TextField(_("how it went"), max_length=NOTE_MAX_LENGTH, blank=True)
    done_at = models.DateTimeField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # Agreed in a meeting (``samen.meetings``, which passes these): the meeting's day and its page. The plan shows
    # "Afgesproken in het overleg van ..." with the link; the plan does not know meetings otherwise.
    agreed_on = models.DateField(_("agreed in a meeting on"), null=True, blank=True)
    agreed_url = models.CharField(max_length=AGREED_URL_MAX_LENGTH, blank=True)

    # The last time someone moved the date and said why: a recorded, reasoned deviation from what was agreed. The
    # network's "paper and practice" counts it as kept (P2) and as a recorded deviation (P7).
    replanned_from = models.DateField(_("moved from"), null=True, blank=True)
    replanned_at = models.DateTimeField(_("moved on"), null=True, blank=True)
    replanned_reason = models.TextField(_("why the date moved"), max_length=NOTE_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["goal", "created_at", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        # The daily reminders job looks for open actions by due date (``samen.reminders``).
        indexes = [models.Index(fields=["due_date"], name="action_open_due", condition=models.Q(status="open"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agreed_on__isnull=True, agreed_url="")
                | (
                    models.Q(agreed_on__isnull=False, agreed_url__startswith="/")
                    & ~models.Q(agreed_url__startswith="//")
                ),
                name="action_agreed_in_a_meeting",
            ),
            models.CheckConstraint(condition=~models.Q(text=""), name="action_text_not_empty"),
            models.CheckConstraint(condition=models.Q(status__in=ActionStatus.values), name="action_status_valid"),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        owner_member__isnull=False, owner_team_member__isnull=True, owner_organisation__isnull=True
                    )
                    | models.Q(
                        owner_member__isnull=True, owner_team_member__isnull=False, owner_organisation__isnull=True
                    )
                    | models.Q(
                        owner_member__isnull=True, owner_team_member__isnull=True, owner_organisation__isnull=False
                    )
                ),
                name="action_exactly_one_owner",
            ),
            models.CheckConstraint(
                condition=models.Q(status="open", done_at__isnull=True)
                | models.Q(status="done", done_at__isnull=False),
                name="action_done_has_date",
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="action_version_positive"),
            models.CheckConstraint(
                condition=models.Q(replanned_reason="", replanned_at__isnull=True)
                | (~models.Q(replanned_reason="") & models.Q(replanned_at__isnull=False)),
                name="action_replanned_has_reason_and_time",
            ),
        ]

    def __str__(self) -> str:
        return f"action {self.pk} of goal {self.goal_id}"


class Agreement(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("plan"))
    text = models.TextField(_("agreement"), max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    # Agreed in a meeting (``samen.meetings``, which passes these): the meeting's day and its page. The plan shows
    # "Afgesproken in het overleg van ..." with the link; the plan does not know meetings otherwise.
    agreed_on = models.DateField(_("agreed in a meeting on"), null=True, blank=True)
    agreed_url = models.CharField(max_length=AGREED_URL_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["plan", "created_at", "pk"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="agreement_text_not_empty"),
            models.CheckConstraint(
                condition=models.Q(agreed_on__isnull=True, agreed_url="")
                | (
                    models.Q(agreed_on__isnull=False, agreed_url__startswith="/")
                    & ~models.Q(agreed_url__startswith="//")
                ),
                name="agreement_agreed_in_a_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"agreement {self.pk} of plan {self.plan_id}"


class EvaluationMoment(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("plan"))
    date = models.DateField(_("date"))
    outcome = models.TextField(_("outcome"), max_length=TEXT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    evaluated_at = models.DateTimeField(_("evaluated"), null=True, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["plan", "date", "pk"]
        verbose_name = _("evaluation moment")
        verbose_name_plural = _("evaluation moments")
        # The daily reminders job looks for evaluations without an outcome by date (``samen.reminders``).
        indexes = [models.Index(fields=["date"], name="evaluation_open_date", condition=models.Q(outcome=""))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome="", evaluated_at__isnull=True)
                | (~models.Q(outcome="") & models.Q(evaluated_at__isnull=False)),
                name="evaluation_outcome_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"evaluation {self.pk} of plan {self.plan_id}"


class PlanVersion(models.Model):
    """An immutable snapshot of the whole plan. The service only creates versions; agreeing fills ``agreed_*``
    once and changes nothing else."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions", verbose_name=_("plan"))
    number = models.PositiveIntegerField(_("number"))
    snapshot = models.JSONField(_("snapshot"))
    created_at = models.DateTimeField(_("saved"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreed_at = models.DateTimeField(_("agreed on"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "-number"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="plan_version_number_positive"),
            models.CheckConstraint(
                condition=models.Q(agreed_by__isnull=True, agreed_at__isnull=True)
                | models.Q(agreed_by__isnull=False, agreed_at__isnull=False),
                name="plan_version_agreement_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"version {self.number} of plan {self.plan_id}"
