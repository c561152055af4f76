"""The household meeting ("keukentafelgesprek", "huishoudoverleg"): planned with participants, a place or a video
link and an agenda; held, with its outcomes written down; an outcome can become a change to the plan.

- A ``Meeting`` belongs to one household. Whoever may see the household's general category sees it (the household
  sees it by default); its ``uid`` and ``sequence`` make the calendar invitation (``samen.meetings.calendar``) one
  event that later updates and a cancellation replace.
- ``MeetingParticipant``: someone with an account (a member of the household, someone of the team), or a name for
  someone without one (the informal network, a child), each with their role in words.
- ``AgendaItem``: an open signal, an evaluation moment that is due, a question typed by the planner, or something
  else, each in a data category (shown only to whoever may see it).
- ``Outcome``: what was agreed, in a data category. ``applied_as`` says what it became in the plan (a goal, an
  action, an agreement, another coordinator) and the one matching ``applied_*`` row points at it.

Only ``samen.meetings.services`` writes these rows; the plan's rows are written by ``samen.plans.services`` and the
coordinator handover by ``samen.households.services``.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen.core.vocabulary import DataCategory

TITLE_MAX_LENGTH = 120
PLACE_MAX_LENGTH = 200
VIDEO_URL_MAX_LENGTH = 500
NAME_MAX_LENGTH = 150
ROLE_MAX_LENGTH = 100
AGENDA_TEXT_MAX_LENGTH = 500
# An outcome can become a goal, an action or an agreement: at most as long as the shortest of those.
OUTCOME_MAX_LENGTH = 1000
MIN_DURATION = 15
MAX_DURATION = 480
UID_DOMAIN = "samen"


def new_uid() -> str:
    """A random, stable identifier of a meeting's calendar event (RFC 5545 UID)."""
    return f"{secrets.token_hex(16)}@{UID_DOMAIN}"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class AgendaKind(models.TextChoices):
    SIGNAL = "signal", _("signal")
    EVALUATION = "evaluation", _("evaluation")
    QUESTION = "question", _("question")
    OTHER = "other", _("other")


class AppliedAs(models.TextChoices):
    NONE = "none", _("not in the plan")
    GOAL = "goal", _("goal")
    ACTION = "action", _("action")
    AGREEMENT = "agreement", _("agreement")
    COORDINATOR = "coordinator", _("another coordinator")


class Meeting(models.Model):
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("household")
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    starts_at = models.DateTimeField(_("starts"))
    duration = models.PositiveSmallIntegerField(_("duration in minutes"))
    place = models.CharField(_("place"), max_length=PLACE_MAX_LENGTH, blank=True)
    video_url = models.CharField(_("video link"), max_length=VIDEO_URL_MAX_LENGTH, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    held_at = models.DateTimeField(_("held"), null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The calendar event: ``uid`` never changes; ``sequence`` goes up with every change a calendar must take over.
    uid = models.CharField(max_length=80, unique=True, default=new_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["household", "-starts_at", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=MeetingStatus.values), name="meeting_status_valid"),
            models.CheckConstraint(condition=~models.Q(title=""), name="meeting_title_not_empty"),
            models.CheckConstraint(
                condition=models.Q(duration__gte=MIN_DURATION, duration__lte=MAX_DURATION),
                name="meeting_duration_range",
            ),
            models.CheckConstraint(
                condition=models.Q(video_url="") | models.Q(video_url__startswith="https://"),
                name="meeting_video_url_https",
            ),
            models.CheckConstraint(condition=~models.Q(place="", video_url=""), name="meeting_has_place_or_video"),
            models.CheckConstraint(
                condition=(
                    models.Q(status="planned", held_at__isnull=True, cancelled_at__isnull=True)
                    | models.Q(status="held", held_at__isnull=False, cancelled_at__isnull=True)
                    | models.Q(status="cancelled", held_at__isnull=True, cancelled_at__isnull=False)
                ),
                name="meeting_status_dates",
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="meeting_version_positive"),
        ]
        indexes = [models.Index(fields=["household", "-starts_at"], name="meeting_household_starts")]

    def __str__(self) -> str:  # never the title: it may end up in a log line
        return f"meeting {self.pk} ({self.status}) of household {self.household_id}"

    @property
    def ends_at(self):
        return self.starts_at + timezone.timedelta(minutes=self.duration)

    @property
    def date_iso(self) -> str:
        """The meeting's day in the Netherlands, as the timeline's events name it."""
        return timezone.localtime(self.starts_at).date().isoformat()


class MeetingParticipant(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    # Who was chosen: a member of the household, someone in its team, or neither (a name typed by the planner).
    member = models.ForeignKey(
        "households.HouseholdMember", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team_member = models.ForeignKey(
        "households.TeamMember", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Their account, if they have one (the calendar invitation goes to its e-mail address).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The name as it was when invited (for someone without an account: the only way to know who).
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    role = models.CharField(_("role"), max_length=ROLE_MAX_LENGTH, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # The calendar invitation sent to this person (``tasks.send_meeting_invitation``): for which sequence, and when.
    invited_sequence = models.PositiveIntegerField(null=True, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="participant_name_not_empty"),
            models.UniqueConstraint(
                fields=["meeting", "user"], condition=models.Q(user__isnull=False), name="participant_user_once"
            ),
            models.UniqueConstraint(
                fields=["meeting", "member"], condition=models.Q(member__isnull=False), name="participant_member_once"
            ),
            models.UniqueConstraint(
                fields=["meeting", "team_member"],
                condition=models.Q(team_member__isnull=False),
                name="participant_team_member_once",
            ),
            models.CheckConstraint(
                condition=models.Q(member__isnull=True) | models.Q(team_member__isnull=True),
                name="participant_member_or_team",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=True)
                | models.Q(member__isnull=False)
                | models.Q(team_member__isnull=False),
                name="participant_user_from_member_or_team",
            ),
            models.CheckConstraint(
                condition=models.Q(invited_sequence__isnull=True, invited_at__isnull=True)
                | models.Q(invited_sequence__isnull=False, invited_at__isnull=False),
                name="participant_invited_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"participant {self.pk} of meeting {self.meeting_id}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(_("kind"), max_length=16, choices=AgendaKind.choices)
    text = models.CharField(_("text"), max_length=AGENDA_TEXT_MAX_LENGTH, blank=True)
    category = models.CharField(
        _("data category"), max_length=32, choices=DataCategory.choices, default=DataCategory.GENERAL
    )
    signal = models.ForeignKey(
        "conversations.Signal", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evaluation = models.ForeignKey(
        "plans.EvaluationMoment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=AgendaKind.values), name="agenda_kind_valid"),
            models.CheckConstraint(condition=models.Q(category__in=DataCategory.values), name="agenda_category_valid"),
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position_unique"),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="signal", signal__isnull=False, evaluation__isnull=True)
                    | models.Q(kind="evaluation", signal__isnull=True, evaluation__isnull=False)
                    | (
                        models.Q(kind__in=["question", "other"], signal__isnull=True, evaluation__isnull=True)
                        & ~models.Q(text="")
                    )
                ),
                name="agenda_link_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"agenda item {self.position} ({self.kind}) of meeting {self.meeting_id}"


class Outcome(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="outcomes")
    position = models.PositiveSmallIntegerField()
    text = models.TextField(_("outcome"), max_length=OUTCOME_MAX_LENGTH)
    category = models.CharField(
        _("data category"), max_length=32, choices=DataCategory.choices, default=DataCategory.GENERAL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    applied_as = models.CharField(_("in the plan as"), max_length=16, choices=AppliedAs.choices, default=AppliedAs.NONE)
    applied_goal = models.ForeignKey("plans.Goal", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    applied_action = models.ForeignKey(
        "plans.Action", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applied_agreement = models.ForeignKey(
        "plans.Agreement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applied_handover = models.ForeignKey(
        "households.CoordinatorHandover", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applied_at = models.DateTimeField(_("put in the plan"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    TARGETS = ("applied_goal", "applied_action", "applied_agreement", "applied_handover")

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="outcome_text_not_empty"),
            models.CheckConstraint(condition=models.Q(category__in=DataCategory.values), name="outcome_category_valid"),
            models.CheckConstraint(
                condition=models.Q(applied_as__in=AppliedAs.values), name="outcome_applied_as_valid"
            ),
            models.UniqueConstraint(fields=["meeting", "position"], name="outcome_position_unique"),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        applied_as="none",
                        applied_goal__isnull=True,
                        applied_action__isnull=True,
                        applied_agreement__isnull=True,
                        applied_handover__isnull=True,
                        applied_at__isnull=True,
                        applied_by__isnull=True,
                    )
                    | models.Q(
                        applied_as="goal",
                        applied_goal__isnull=False,
                        applied_action__isnull=True,
                        applied_agreement__isnull=True,
                        applied_handover__isnull=True,
                        applied_at__isnull=False,
                    )
                    | models.Q(
                        applied_as="action",
                        applied_goal__isnull=True,
                        applied_action__isnull=False,
                        applied_agreement__isnull=True,
                        applied_handover__isnull=True,
                        applied_at__isnull=False,
                    )
                    | models.Q(
                        applied_as="agreement",
                        applied_goal__isnull=True,
                        applied_action__isnull=True,
                        applied_agreement__isnull=False,
                        applied_handover__isnull=True,
                        applied_at__isnull=False,
                    )
                    | models.Q(
                        applied_as="coordinator",
                        applied_goal__isnull=True,
                        applied_action__isnull=True,
                        applied_agreement__isnull=True,
                        applied_handover__isnull=False,
                        applied_at__isnull=False,
                    )
                ),
                name="outcome_one_applied_target",
            ),
        ]

    def __str__(self) -> str:  # never the text
        return f"outcome {self.position} ({self.category}, {self.applied_as}) of meeting {self.meeting_id}"
