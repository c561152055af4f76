"""The notification centre ("Meldingen"): the one place where a person hears what needs them.

Two kinds of rows, one list and one unread count (``samen.reminders.selectors``):

- ``Reminder``: an action in a plan is due (or overdue), or an evaluation moment is near. The daily job makes
  them; they stay linked to the action or evaluation, so one that is done or moved is no longer shown.
- ``Notification``: everything else other parts of Samen tell a person through ``services.notify``: a mention, a
  new message, a signal and its escalation, a referral, a meeting. It holds a kind, the data category of what it
  is about, a local link and the few facts its sentence needs (a name, an organisation, a date), never case
  content; the sentence is made when the list is shown, in the reader's language (``samen.reminders.kinds``).

Only ``samen.reminders.services`` writes these rows. Who sees one is decided by ``samen.reminders.policies``: only
the recipient, and only while they may still see that category of that household. A person's e-mail choice is a
``NotificationPreference`` (no row: the daily digest).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen.core.vocabulary import DataCategory

URL_MAX_LENGTH = 500
GROUP_KEY_MAX_LENGTH = 100


class ReminderKind(models.TextChoices):
    ACTION_DUE = "action_due", _("action due")
    EVALUATION_DUE = "evaluation_due", _("evaluation due")


class Reminder(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("for")
    )
    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, related_name="+", verbose_name=_("household")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ReminderKind.choices)
    # Exactly one of these, matching ``kind``.
    action = models.ForeignKey(
        "plans.Action", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("action")
    )
    evaluation = models.ForeignKey(
        "plans.EvaluationMoment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evaluation moment"),
    )
    # The date the reminder is about: the action's due date or the evaluation's date, when it was created. When
    # that date changes, this reminder is no longer shown and the job makes a new one for the new date.
    due_date = models.DateField(_("date"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Claimed by the e-mail task, so that a retried or duplicated task mentions a reminder once.
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["recipient", "due_date", "pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=ReminderKind.values), name="reminder_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(kind="action_due", action__isnull=False, evaluation__isnull=True)
                | models.Q(kind="evaluation_due", action__isnull=True, evaluation__isnull=False),
                name="reminder_target_matches_kind",
            ),
            # One reminder per person, per thing, per date: running the job twice creates nothing new, and a
            # long overdue action is not repeated every day.
            models.UniqueConstraint(
                fields=["recipient", "action", "due_date"],
                condition=models.Q(action__isnull=False),
                name="reminder_once_per_action_date",
            ),
            models.UniqueConstraint(
                fields=["recipient", "evaluation", "due_date"],
                condition=models.Q(evaluation__isnull=False),
                name="reminder_once_per_evaluation_date",
            ),
            models.CheckConstraint(
                condition=models.Q(read_at__isnull=True) | models.Q(read_at__gte=models.F("created_at")),
                name="reminder_read_after_created",
            ),
        ]
        indexes = [
            # The recipient's unread reminders (the page and the count on the home page).
            models.Index(
                fields=["recipient", "due_date"], condition=models.Q(read_at__isnull=True), name="reminder_unread"
            ),
            # Their recently read ones.
            models.Index(fields=["recipient", "read_at"], name="reminder_recipient_read"),
        ]

    def __str__(self) -> str:  # never the action's text
        return f"reminder {self.pk} ({self.kind}) for user {self.recipient_id}"


class NotificationKind(models.TextChoices):
    """What a notification tells. The sentence of each (and the exact facts it needs) is in
    ``samen.reminders.kinds``."""

    MENTION = "mention", _("mentioned in a conversation")
    MESSAGE = "message", _("new message")
    SIGNAL = "signal", _("signal that something is not going well")
    SIGNAL_ESCALATED = "signal_escalated", _("signal not answered in time")
    SIGNAL_BREAKTHROUGH = "signal_breakthrough", _("signal to the breakthrough route")
    REFERRAL_NEW = "referral_new", _("new request to help")
    REFERRAL_UPDATE = "referral_update", _("news about a request to help")
    MEETING_INVITED = "meeting_invited", _("invited to a meeting")
    MEETING_OUTCOMES = "meeting_outcomes", _("outcomes of a meeting")
    PULSE_OPEN = "pulse_open", _("the network's pulse is open")
    PULSE_REMINDER = "pulse_reminder", _("the network's pulse closes soon")
    PULSE_PROMPT = "pulse_prompt", _("something to talk about in the network")


class Notification(models.Model):
    """Something that needs ``recipient``: what (``kind`` and its ``params``), about which household and data
    category, and where to look (``url``, a local path). With a ``group_key`` (such as ``thread:12``) a new one
    while the recipient has an unread one with the same key bumps that one (``count``, ``updated_at``) instead of
    adding a line. A notification without a household (the network facilitator's) is shown to its recipient only."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("for")
    )
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    category = models.CharField(_("data category"), max_length=32, choices=DataCategory.choices)
    url = models.CharField(_("link"), max_length=URL_MAX_LENGTH)
    # The facts the sentence needs (``kinds.PARAMS``): names, an organisation, a date. Never case content.
    params = models.JSONField(_("facts"), default=dict, blank=True)
    group_key = models.CharField(_("group"), max_length=GROUP_KEY_MAX_LENGTH, blank=True, default="")
    count = models.PositiveIntegerField(_("how many"), default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Claimed by the e-mail tasks, so that a retried or duplicated task mentions a notification once.
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["recipient", "-updated_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=NotificationKind.values), name="notification_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(category__in=DataCategory.values), name="notification_category_valid"
            ),
            models.CheckConstraint(condition=models.Q(count__gte=1), name="notification_count_positive"),
            # A local path: starts with one "/" (never "//host", which a browser reads as another site).
            models.CheckConstraint(
                condition=models.Q(url__startswith="/") & ~models.Q(url__startswith="//"),
                name="notification_url_local",
            ),
            models.CheckConstraint(
                condition=models.Q(updated_at__gte=models.F("created_at")), name="notification_updated_after_created"
            ),
            models.CheckConstraint(
                condition=models.Q(read_at__isnull=True) | models.Q(read_at__gte=models.F("created_at")),
                name="notification_read_after_created",
            ),
            # One unread line per person and group: a lively conversation is one line, not fifty.
            models.UniqueConstraint(
                fields=["recipient", "group_key"],
                condition=models.Q(read_at__isnull=True) & ~models.Q(group_key=""),
                name="notification_one_unread_per_group",
            ),
        ]
        indexes = [
            # The recipient's unread notifications (the unread count, the e-mails, the top of the list).
            models.Index(
                fields=["recipient", "-updated_at"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            # The whole list, newest first.
            models.Index(fields=["recipient", "-updated_at", "-id"], name="notification_recipient_list"),
        ]

    def __str__(self) -> str:  # never the facts
        return f"notification {self.pk} ({self.kind}) for user {self.recipient_id}"


class EmailChoice(models.TextChoices):
    IMMEDIATELY = "immediately", _("at once, for every new notification")
    DAILY = "daily", _("once a day, with how many things are waiting")
    NEVER = "never", _("never")


class NotificationPreference(models.Model):
    """How a person wants to hear by e-mail that something waits in Samen. No row: ``DEFAULT_EMAIL``."""

    DEFAULT_EMAIL = EmailChoice.DAILY

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("person"),
    )
    email = models.CharField(_("e-mail"), max_length=16, choices=EmailChoice.choices, default=EmailChoice.DAILY)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.CheckConstraint(condition=models.Q(email__in=EmailChoice.values), name="notification_email_valid")
        ]

    def __str__(self) -> str:
        return f"notification preference of user {self.user_id}: {self.email}"
