"""The household's conversation: threads of messages, and signals ("Het loopt niet goed") that escalate.

- Every household has one household thread (``ThreadKind.HOUSEHOLD``): the household (members, representatives,
  the informal network) and the team members whose organisation has consent are in it. Each message carries a data
  category and is shown only to who may see that category, the same rule as the dossier.
- A thread between professionals (``PROFESSIONALS``) needs a stated reason; only the organisations named in it
  read its messages. The household sees that it exists, its topic, the organisations and the reason, never what
  is said.
- A signal opens a thread of its own (``SIGNAL``), owned by the coordinator, with a response norm in working days
  (``samen.conversations.workdays``): unanswered past the norm it goes to the network's facilitator; unresolved
  after a second period it is marked for the breakthrough route.

Only ``samen.conversations.services`` writes these rows; ``samen.conversations.policies`` decides who sees what.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen.core.actor import Role
from samen.core.vocabulary import DataCategory

MESSAGE_MAX_LENGTH = 4000
TOPIC_MAX_LENGTH = 150
REASON_MAX_LENGTH = 1000
SIGNAL_TEXT_MAX_LENGTH = 2000
RESOLUTION_MAX_LENGTH = 1000


class ThreadKind(models.TextChoices):
    HOUSEHOLD = "household", _("the household conversation")
    PROFESSIONALS = "professionals", _("a conversation between professionals")
    SIGNAL = "signal", _("a signal")


class Thread(models.Model):
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="threads", verbose_name=_("household")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ThreadKind.choices)
    topic = models.CharField(_("topic"), max_length=TOPIC_MAX_LENGTH, blank=True)
    # A conversation between professionals: why it is held without the household (shown to the household).
    reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    # The newest message's id (0: none yet): the polling endpoint answers "nothing new" from this one column.
    last_message_id = models.BigIntegerField(default=0)
    last_message_at = models.DateTimeField(null=True, blank=True)
    organisations = models.ManyToManyField(
        "organisations.Organisation", through="ThreadOrganisation", related_name="+", verbose_name=_("organisations")
    )

    class Meta:
        ordering = ["household", "-last_message_at", "pk"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=ThreadKind.values), name="thread_kind_valid"),
            models.UniqueConstraint(
                fields=["household"], condition=models.Q(kind="household"), name="thread_one_household_thread"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="professionals") | (~models.Q(reason="") & ~models.Q(topic="")),
                name="thread_professionals_have_reason",
            ),
            models.CheckConstraint(condition=models.Q(last_message_id__gte=0), name="thread_last_message_positive"),
        ]
        indexes = [models.Index(fields=["household", "kind"], name="thread_household_kind")]

    def __str__(self) -> str:  # never the topic: it may end up in a log line
        return f"{self.kind} thread {self.pk} of household {self.household_id}"


class ThreadOrganisation(models.Model):
    """An organisation in a conversation between professionals (its professionals in the team read it)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="thread_organisations")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "organisation"], name="thread_organisation_once"),
        ]

    def __str__(self) -> str:
        return f"organisation {self.organisation_id} in thread {self.thread_id}"


class Message(models.Model):
    """One message: plain text (links and line breaks are made safe when shown, never HTML), in one category."""

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="messages")
    household = models.ForeignKey("households.Household", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    author_role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    category = models.CharField(_("data category"), max_length=32, choices=DataCategory.choices)
    text = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    # An attachment is stored as a document in the household's dossier, in the message's category.
    attachment = models.ForeignKey("timeline.Entry", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["thread", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.CheckConstraint(condition=models.Q(category__in=DataCategory.values), name="message_category_valid"),
            models.CheckConstraint(condition=~models.Q(text=""), name="message_text_not_empty"),
            models.CheckConstraint(condition=models.Q(author_role__in=Role.values), name="message_role_valid"),
        ]
        indexes = [
            models.Index(fields=["thread", "category", "id"], name="message_thread_category"),
        ]

    def __str__(self) -> str:  # never the text
        return f"message {self.pk} ({self.category}) in thread {self.thread_id}"


class Mention(models.Model):
    """ "@name" in a message: that person is told (when they may see the message's category)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="mention_once")]

    def __str__(self) -> str:
        return f"mention of user {self.user_id} in message {self.message_id}"


class ReadMarker(models.Model):
    """How far a person has read a thread: the newest message id they were shown."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="read_marker_once"),
            models.CheckConstraint(condition=models.Q(last_read_id__gte=0), name="read_marker_positive"),
        ]

    def __str__(self) -> str:
        return f"user {self.user_id} read thread {self.thread_id} up to {self.last_read_id}"


class SignalKind(models.TextChoices):
    PLAN = "plan", _("The plan does not work")
    PART = "part", _("Someone does not do their part")
    UNDERSTANDING = "understanding", _("We do not understand each other")
    SAFETY = "safety", _("Safety")
    OTHER = "other", _("Something else")


class Signal(models.Model):
    """ "Het loopt niet goed": raised by anyone in the team, the household first; answered, escalated, resolved."""

    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="signals", verbose_name=_("household")
    )
    thread = models.OneToOneField(Thread, on_delete=models.PROTECT, related_name="signal")
    kind = models.CharField(_("what is wrong"), max_length=16, choices=SignalKind.choices)
    category = models.CharField(_("data category"), max_length=32, choices=DataCategory.choices)
    text = models.TextField(_("what happens"), max_length=SIGNAL_TEXT_MAX_LENGTH)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_by_role = models.CharField(max_length=32, choices=Role.choices)
    raised_by_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The coordinator when it was raised: the one who must respond.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The network whose response norm applies and whose facilitators hear of an escalation (none: no network).
    network = models.ForeignKey(
        "organisations.Network", on_delete=models.PROTECT, null=True, blank=True, related_name="signals"
    )
    response_days = models.PositiveSmallIntegerField(_("response time (working days)"))
    concerns = models.ManyToManyField(
        "organisations.Organisation", through="SignalOrganisation", related_name="+", verbose_name=_("about")
    )
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    due_at = models.DateTimeField(_("respond before"))
    second_due_at = models.DateTimeField(_("solved before"))
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    breakthrough_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(_("what was agreed"), max_length=RESOLUTION_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["household", "-raised_at", "pk"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=SignalKind.values), name="signal_kind_valid"),
            models.CheckConstraint(condition=models.Q(category__in=DataCategory.values), name="signal_category_valid"),
            models.CheckConstraint(condition=~models.Q(text=""), name="signal_text_not_empty"),
            models.CheckConstraint(condition=models.Q(response_days__gte=1), name="signal_response_days_positive"),
            models.CheckConstraint(
                condition=models.Q(due_at__gt=models.F("raised_at"), second_due_at__gt=models.F("due_at")),
                name="signal_deadlines_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True, answered_by__isnull=True)
                | models.Q(answered_at__isnull=False, answered_by__isnull=False),
                name="signal_answered_by_whom",
            ),
            models.CheckConstraint(
                condition=models.Q(resolved_at__isnull=True, resolved_by__isnull=True, resolution="")
                | (models.Q(resolved_at__isnull=False, resolved_by__isnull=False) & ~models.Q(resolution="")),
                name="signal_resolved_with_what",
            ),
        ]
        indexes = [
            # The escalation job: open signals by deadline.
            models.Index(fields=["resolved_at", "due_at"], name="signal_open_due"),
        ]

    def __str__(self) -> str:  # never the text
        return f"signal {self.pk} ({self.kind}) of household {self.household_id}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class SignalOrganisation(models.Model):
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="signal_organisations")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["signal", "organisation"], name="signal_organisation_once")]

    def __str__(self) -> str:
        return f"organisation {self.organisation_id} in signal {self.signal_id}"
