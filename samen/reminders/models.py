"""Reminders: a person hears that an action in a plan is due (or overdue), or that an evaluation moment is near.

Only ``samen.reminders.services`` writes these rows: the daily job creates them, the person marks them read.
Who sees one is decided by ``samen.reminders.policies``: only the recipient, and only while they may still see
what it is about. A reminder holds no text of its own; the page reads the action's text when it is shown.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
