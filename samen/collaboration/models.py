"""The network pulse: rounds, who answered (``Participation``) and what was answered (``Response``), kept apart.

Anonymity by construction (``design/collaboration.md``, "Anonymity"): a ``Response`` has no person, no user id and no
time finer than its round; its keys are random (UUID 4), and responses reach the table only in shuffled batches
(``services.mix_pending``), so neither the order of the rows nor the transaction that wrote them points at a person.
Until a batch is full an answer waits in ``PendingResponse`` (one row per round, the waiting answers in a random
order), which the batch empties; when the round closes, all its answers are written again as one shuffled batch.
``Participation`` says only that someone answered a round: to refuse a second answer and to count the response. The
open question's answers are stored apart from the scores (``OpenAnswer``), without an organisation, so a remark cannot
be tied to a score either.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen.collaboration.items import BY_CODE, OPEN_TEXT_MAX_LENGTH, ROTATING_CODES, SCALE_MAX, SCALE_MIN
from samen.core.stemming import stems_of

INTERVAL_WEEKS_DEFAULT = 4
INTERVAL_WEEKS_MIN, INTERVAL_WEEKS_MAX = 2, 12


class PulseSettings(models.Model):
    """How often a network's pulse runs (every 4 weeks unless the facilitator chose 2 to 12)."""

    network = models.OneToOneField(
        "organisations.Network", on_delete=models.CASCADE, primary_key=True, related_name="pulse_settings"
    )
    interval_weeks = models.PositiveSmallIntegerField(_("weeks between rounds"), default=INTERVAL_WEEKS_DEFAULT)
    # The rules' thresholds that this network changed (``prompts.THRESHOLDS`` has the defaults and the ranges).
    thresholds = models.JSONField(_("thresholds"), default=dict, blank=True)

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
    # Cronbach's alpha per multi-item theme over the last closed rounds up to this one, stored when it closes (it
    # changes only then): {theme: [n, alpha, low, high]}; empty for a round closed before this existed.
    alphas = models.JSONField(_("reliability"), default=dict, blank=True)
    # Paper and practice (P1-P8 and the gap index) on the day it closed (``practice.PaperPractice.to_json``): the
    # trend, and R6's "the gap index rises"; empty for a round closed before this existed.
    practice = models.JSONField(_("paper and practice"), default=dict, blank=True)

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
    """The answers of a round waiting for their batch (``services.mix_pending``): one row per round, holding a list in
    which each new answer (the organisation chosen, the scores, the open text) is put at a random place. So the
    waiting answers have no order of their own to match against the participations. Emptied when a batch is
    written."""

    round = models.OneToOneField(PulseRound, on_delete=models.CASCADE, primary_key=True, related_name="pending")
    answers = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("pending responses")
        verbose_name_plural = _("pending responses")

    def __str__(self) -> str:
        return f"{self.round}: {len(self.answers)} pending"


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


# --- conversation prompts ---------------------------------------------------------------------------------------


class Rule(models.TextChoices):
    """The rules of ``design/collaboration.md`` section 2 that create a conversation prompt."""

    LOW = "R1", _("R1 low level")
    DROP = "R2", _("R2 drop")
    SILENCE = "R3", _("R3 silence rising")
    DIVERGENCE = "R4", _("R4 divergence")
    POLARISATION = "R5", _("R5 polarisation")
    PAPER = "R6", _("R6 paper vs practice")
    PARTICIPATION = "R7", _("R7 participation")
    EVENT = "R8", _("R8 event")
    LEARNING_STALL = "R9", _("R9 learning stall")


class Structure(models.TextChoices):
    """How to hold the conversation."""

    WHAT_SO_WHAT = "what_so_what", _("What? So what? Now what?")
    AFTER_ACTION = "after_action", _("After-action review")
    TRIZ = "triz", _("TRIZ")
    MIN_SPECS = "min_specs", _("Min Specs")
    INTERVISIE = "intervisie", _("Peer consultation (intervisie)")


class PromptStatus(models.TextChoices):
    OPEN = "open", _("open")
    PLANNED = "planned", _("planned")
    DONE = "done", _("talked about")
    DISMISSED = "dismissed", _("set aside")


class Prompt(models.Model):
    """An agenda card for the network's next meeting: which rule fired, about which construct (empty for an event),
    for which round (pulse rules) or day (event rules), with the anonymous figures that made it fire (as shown on the
    network page), the suggested structure, and whether a neutral facilitator from outside is suggested."""

    network = models.ForeignKey("organisations.Network", on_delete=models.CASCADE, related_name="prompts")
    rule = models.CharField(_("rule"), max_length=2, choices=Rule.choices)
    construct = models.CharField(_("theme"), max_length=20, blank=True)
    round = models.ForeignKey(PulseRound, null=True, blank=True, on_delete=models.CASCADE, related_name="prompts")
    evaluated_on = models.DateField(_("day"))
    structure = models.CharField(_("structure"), max_length=20, choices=Structure.choices)
    neutral_facilitator = models.BooleanField(_("neutral facilitator suggested"), default=False)
    facts = models.JSONField(_("figures"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PromptStatus.choices, default=PromptStatus.OPEN)
    planned_on = models.DateField(_("planned for"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-evaluated_on", "rule", "construct"]
        verbose_name = _("conversation prompt")
        verbose_name_plural = _("conversation prompts")
        constraints = [
            models.CheckConstraint(condition=Q(rule__in=Rule.values), name="collaboration_prompt_rule_valid"),
            models.CheckConstraint(
                condition=Q(structure__in=Structure.values), name="collaboration_prompt_structure_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PromptStatus.values), name="collaboration_prompt_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=PromptStatus.PLANNED, planned_on__isnull=False) | ~Q(status=PromptStatus.PLANNED),
                name="collaboration_prompt_planned_has_a_day",
            ),
            # A rule fires once per theme and round; an event rule once per theme and day.
            models.UniqueConstraint(
                fields=["network", "rule", "construct", "round"],
                condition=Q(round__isnull=False),
                name="collaboration_prompt_once_per_round",
            ),
            models.UniqueConstraint(
                fields=["network", "rule", "construct", "evaluated_on"],
                condition=Q(round__isnull=True),
                name="collaboration_prompt_once_per_day",
            ),
        ]
        indexes = [models.Index(fields=["network", "status"], name="collab_prompt_network_status")]

    def __str__(self) -> str:
        return f"{self.network}: {self.rule} {self.construct}"


# --- the joint-learning log -------------------------------------------------------------------------------------

LEARNING_TEXT_MAX_LENGTH = 4000
LEARNING_TITLE_MAX_LENGTH = 200


class Trigger(models.TextChoices):
    PROMPT = "prompt", _("a conversation prompt")
    SIGNAL = "signal", _("a signal")
    EVENT = "event", _("an event between organisations")
    SELF = "self", _("our own initiative")


class EntryType(models.TextChoices):
    INCIDENT = "incident", _("incident")
    NEAR_MISS = "near_miss", _("near miss")
    SUCCESS = "success", _("success")
    ROUTINE = "routine", _("routine review")


class Cause(models.TextChoices):
    """Section 4 of an entry, "why the difference": tick-boxes."""

    INTERESTS = "interests", _("conflicting interests")
    POWER = "power", _("power, status, who decided")
    TRUST = "trust", _("trust or promises")
    INFORMATION = "information", _("information not shared")
    PROTOCOL = "protocol", _("a rule or protocol got in the way")
    WEAK_SIGNAL = "weak_signal", _("a weak signal missed")
    SIMPLIFIED = "simplified", _("simplified too quickly")
    EXPERTISE = "expertise", _("expertise not used")


class CharterImpact(models.TextChoices):
    NONE = "none", _("no change")
    ADD = "add", _("add a principle")
    SHARPEN = "sharpen", _("sharpen a principle")
    DROP = "drop", _("drop a principle")


class Visibility(models.TextChoices):
    NETWORK = "network", _("this network only")
    SHARED = "shared", _("an anonymised lesson shared upwards")


# What the learning log's search reads; and what a lesson shared upwards shows, and so what its search reads: never
# what happened, the organisations' perspectives or the household's view.
SEARCH_FIELDS = ("title", "intended", "happened", "perspectives", "causes_text", "keep_doing", "change", "charter_note")
SHARED_FIELDS = ("title", "causes_text", "keep_doing", "change", "charter_note")


class LearningEntry(models.Model):
    """One entry of a network's joint-learning log, in the ten parts of the specification. It names organisations
    and roles, never people; who wrote it is in the audit log only."""

    network = models.ForeignKey("organisations.Network", on_delete=models.CASCADE, related_name="learning_entries")
    title = models.CharField(_("title"), max_length=LEARNING_TITLE_MAX_LENGTH)
    happened_on = models.DateField(_("date"))
    trigger = models.CharField(_("trigger"), max_length=10, choices=Trigger.choices)
    prompt = models.ForeignKey(Prompt, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries")
    entry_type = models.CharField(_("type"), max_length=10, choices=EntryType.choices)
    organisations = models.ManyToManyField("organisations.Organisation", blank=True, related_name="+")
    roles = models.CharField(_("roles involved"), max_length=LEARNING_TITLE_MAX_LENGTH, blank=True)
    intended = models.TextField(_("what was supposed to happen"), max_length=LEARNING_TEXT_MAX_LENGTH)
    happened = models.TextField(_("what actually happened"), max_length=LEARNING_TEXT_MAX_LENGTH)
    perspectives = models.TextField(
        _("a short perspective per organisation"), max_length=LEARNING_TEXT_MAX_LENGTH, blank=True
    )
    household_view = models.TextField(_("the household's view"), max_length=LEARNING_TEXT_MAX_LENGTH, blank=True)
    causes = models.JSONField(_("why the difference"), default=list, blank=True)
    causes_text = models.TextField(_("why the difference, in words"), max_length=LEARNING_TEXT_MAX_LENGTH, blank=True)
    keep_doing = models.TextField(_("what to keep doing"), max_length=LEARNING_TEXT_MAX_LENGTH, blank=True)
    change = models.TextField(_("what to change"), max_length=LEARNING_TEXT_MAX_LENGTH, blank=True)
    charter_impact = models.CharField(
        _("charter impact"), max_length=10, choices=CharterImpact.choices, default=CharterImpact.NONE
    )
    charter_note = models.TextField(_("charter impact, in words"), max_length=LEARNING_TEXT_MAX_LENGTH, blank=True)
    review_on = models.DateField(_("review on"), null=True, blank=True)
    follows = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups", verbose_name=_("evaluates")
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.NETWORK
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # The Dutch stems of what the log's search reads, and of what a lesson shared upwards shows: SQLite's search
    # (PostgreSQL searches the texts with its ``dutch`` configuration). Made on every save from the texts.
    stems = models.TextField(blank=True, editable=False)
    shared_stems = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name = _("learning entry")
        verbose_name_plural = _("learning entries")
        constraints = [
            models.CheckConstraint(condition=Q(trigger__in=Trigger.values), name="collaboration_entry_trigger_valid"),
            models.CheckConstraint(condition=Q(entry_type__in=EntryType.values), name="collaboration_entry_type_valid"),
            models.CheckConstraint(
                condition=Q(charter_impact__in=CharterImpact.values), name="collaboration_entry_charter_valid"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="collaboration_entry_visibility_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="collaboration_entry_has_a_title"),
            models.CheckConstraint(condition=~Q(follows=F("pk")), name="collaboration_entry_not_its_own_follow_up"),
        ]
        indexes = [models.Index(fields=["network", "-happened_on"], name="collab_entry_network_day")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.stems = stems_of(*(getattr(self, name) for name in SEARCH_FIELDS))
        self.shared_stems = stems_of(*(getattr(self, name) for name in SHARED_FIELDS))
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "stems", "shared_stems"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("collaboration:entry", kwargs={"entry_id": self.pk})


class LearningAction(models.Model):
    """Section 6, "now what": an action with an owner role, an organisation, a date, and whether it is an experiment."""

    entry = models.ForeignKey(LearningEntry, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(_("action"), max_length=500)
    owner_role = models.CharField(_("owner (a role)"), max_length=200)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField(_("date"), null=True, blank=True)
    experiment = models.BooleanField(_("an experiment"), default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("learning action")
        verbose_name_plural = _("learning actions")
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="collaboration_action_has_text")]

    def __str__(self) -> str:
        return self.text


SAFETY_SCALE = (1, 2, 3, 4, 5)


class SafetyParticipation(models.Model):
    """That ``user`` answered an entry's safety check (kept apart from the answer, like ``Participation``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entry = models.ForeignKey(LearningEntry, on_delete=models.CASCADE, related_name="safety_participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("safety check participation")
        verbose_name_plural = _("safety check participations")
        constraints = [models.UniqueConstraint(fields=["entry", "user"], name="collaboration_safety_once")]

    def __str__(self) -> str:
        return f"{self.entry_id}: answered"


class PendingSafetyAnswer(models.Model):
    """An entry's safety-check answers waiting for their shuffled batch: one row per entry, a list in which each new
    answer is put at a random place (as ``PendingResponse``)."""

    entry = models.OneToOneField(LearningEntry, on_delete=models.CASCADE, primary_key=True, related_name="+")
    values = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("pending safety check answers")
        verbose_name_plural = _("pending safety check answers")

    def __str__(self) -> str:
        return f"{self.entry_id}: {len(self.values)} pending"


class SafetyAnswer(models.Model):
    """An anonymous answer to "Could I say what I wanted to say?" (1-5), without a person or a moment."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entry = models.ForeignKey(LearningEntry, on_delete=models.CASCADE, related_name="safety_answers")
    value = models.PositiveSmallIntegerField(_("answer"))

    class Meta:
        verbose_name = _("safety check answer")
        verbose_name_plural = _("safety check answers")
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=1, value__lte=5), name="collaboration_safety_on_scale")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.value}"


# --- the charter --------------------------------------------------------------------------------------------------

PRINCIPLES_MIN, PRINCIPLES_MAX = 2, 7
PRINCIPLE_MAX_LENGTH = 300


class CharterVersion(models.Model):
    """A version of a network's charter: 2 to 7 principles, linked to the learning entry that changed it."""

    network = models.ForeignKey("organisations.Network", on_delete=models.CASCADE, related_name="charter_versions")
    number = models.PositiveIntegerField(_("version"))
    entry = models.ForeignKey(
        LearningEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="charter_versions"
    )
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["network", "-number"]
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")
        constraints = [
            models.UniqueConstraint(fields=["network", "number"], name="collaboration_charter_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.network} charter v{self.number}"


class Principle(models.Model):
    """One principle: one sentence, and a one-line "why"."""

    version = models.ForeignKey(CharterVersion, on_delete=models.CASCADE, related_name="principles")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("principle"), max_length=PRINCIPLE_MAX_LENGTH)
    why = models.CharField(_("why"), max_length=PRINCIPLE_MAX_LENGTH)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("principle")
        verbose_name_plural = _("principles")
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="collaboration_principle_position_unique"),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=PRINCIPLES_MAX),
                name="collaboration_principle_position_range",
            ),
            models.CheckConstraint(condition=~Q(text="") & ~Q(why=""), name="collaboration_principle_has_text_and_why"),
        ]

    def __str__(self) -> str:
        return self.text
