"""The network pulse: rounds, who answered (``Participation``) and what was answered (``Response``), kept apart.

Anonymity by construction (``design/collaboration.md``, "Anonymity"): a ``Response`` has no person, no user id and no
time finer than its round; its keys are random (UUID 4), and responses reach the table only in shuffled batches
(``services.mix_pending``), so neither the order of the rows nor the transaction that wrote them points at a person.
Until a batch is full an answer waits in ``PendingResponse``, which the batch deletes. ``Participation`` says only
that someone answered a round: to refuse a second answer and to count the response. The open question's answers are
stored apart from the scores (``OpenAnswer``), without an organisation, so a remark cannot be tied to a score either.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from samen.collaboration.items import BY_CODE, OPEN_TEXT_MAX_LENGTH, ROTATING_CODES, SCALE_MAX, SCALE_MIN

INTERVAL_WEEKS_DEFAULT = 4
INTERVAL_WEEKS_MIN, INTERVAL_WEEKS_MAX = 2, 12


class PulseSettings(models.Model):
    """How often a network's pulse runs (every 4 weeks unless the facilitator chose 2 to 12)."""

    network = models.OneToOneField(
        "organisations.Network", on_delete=models.CASCADE, primary_key=True, related_name="pulse_settings"
    )
    interval_weeks = models.PositiveSmallIntegerField(_("weeks between rounds"), default=INTERVAL_WEEKS_DEFAULT)

    class Meta:
        verbose_name = _("pulse settings")
        verbose_name_plural = _("pulse settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(interval_weeks__gte=INTERVAL_WEEKS_MIN, interval_weeks__lte=INTERVAL_WEEKS_MAX),
                name="collaboration_pulse_interval_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.network}: every {self.interval_weeks} weeks"


class RoundStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class PulseRound(models.Model):
    """One round of a network's pulse. ``invited`` is how many professionals could answer when it opened (the
    denominator of the response rate); ``rotating_item`` is the optional item it asks besides the ten core items."""

    network = models.ForeignKey("organisations.Network", on_delete=models.CASCADE, related_name="pulse_rounds")
    number = models.PositiveIntegerField(_("number"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.SCHEDULED)
    rotating_item = models.CharField(
        _("rotating item"), max_length=20, blank=True, choices=[(code, code) for code in ROTATING_CODES]
    )
    invited = models.PositiveIntegerField(_("invited"), default=0)
    reminded = models.BooleanField(_("reminded"), default=False)

    class Meta:
        ordering = ["network", "number"]
        verbose_name = _("pulse round")
        verbose_name_plural = _("pulse rounds")
        constraints = [
            models.UniqueConstraint(fields=["network", "number"], name="collaboration_round_number_unique"),
            models.CheckConstraint(condition=Q(closes_on__gt=F("opens_on")), name="collaboration_round_closes_after"),
            models.CheckConstraint(condition=Q(status__in=RoundStatus.values), name="collaboration_round_status_valid"),
            models.CheckConstraint(
                condition=Q(rotating_item="") | Q(rotating_item__in=ROTATING_CODES),
                name="collaboration_round_rotating_item_valid",
            ),
            # One round of a network is open at a time.
            models.UniqueConstraint(
                fields=["network"], condition=Q(status=RoundStatus.OPEN), name="collaboration_one_open_round"
            ),
        ]
        indexes = [models.Index(fields=["network", "status"], name="collab_round_network_status")]

    def __str__(self) -> str:
        return f"{self.network} #{self.number}"


class Participation(models.Model):
    """That ``user`` answered ``round``: nothing about what, nor when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(PulseRound, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="collaboration_answer_once")]

    def __str__(self) -> str:
        return f"{self.round}: answered"


class PendingResponse(models.Model):
    """An answer waiting for its batch (``services.mix_pending``): the organisation chosen, the scores and the open
    text as one JSON value. Deleted when the batch is written."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(PulseRound, on_delete=models.CASCADE, related_name="pending")
    payload = models.JSONField()

    class Meta:
        verbose_name = _("pending response")
        verbose_name_plural = _("pending responses")

    def __str__(self) -> str:
        return f"{self.round}: pending"


class Response(models.Model):
    """One person's scores in a round, without the person. ``organisation`` is what they chose in the context
    question; it is cleared when the round closes for an organisation with fewer than k responses (it could never
    be shown, and would only narrow down who answered)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(PulseRound, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["round", "organisation"], name="collab_response_round_org")]

    def __str__(self) -> str:
        return f"{self.round}: response"


class Answer(models.Model):
    """One scored item of a response (1..7). "Don't know" is no row."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.CharField(_("item"), max_length=20, choices=[(code, code) for code in BY_CODE])
    value = models.PositiveSmallIntegerField(_("answer"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="collaboration_one_answer_per_item"),
            models.CheckConstraint(
                condition=Q(value__gte=SCALE_MIN, value__lte=SCALE_MAX), name="collaboration_answer_on_scale"
            ),
            models.CheckConstraint(condition=Q(item__in=list(BY_CODE)), name="collaboration_answer_item_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.value}"


class OpenAnswer(models.Model):
    """An answer to the open question, apart from any scores and organisation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(PulseRound, on_delete=models.CASCADE, related_name="open_answers")
    text = models.TextField(_("text"), max_length=OPEN_TEXT_MAX_LENGTH)

    class Meta:
        verbose_name = _("open answer")
        verbose_name_plural = _("open answers")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="collaboration_open_answer_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.round}: open answer"
