"""The household's timeline: one list of entries, each with a data category ("tell your story once").

An entry is a note, a conversation summary, a document or an event written by another part of Samen (plan
changed, consent changed, a signal raised, a referral accepted). An entry is visible to the household unless a
professional hid it, with a recorded reason.

This app sits below the others so that every part of Samen may write an event: ``samen.timeline.services`` writes
events (``event_record``), ``samen.dossier.services`` writes notes, conversation summaries and documents and hides
entries. The dossier's pages read the timeline through ``samen.dossier.selectors`` after the policy
(``samen.consent.policies``) decided which categories the reader may see. The table keeps the name it had when
this model lived in the dossier app (``dossier_entry``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen.core.actor import Role
from samen.core.vocabulary import DataCategory

NOTE_MAX_LENGTH = 4000
PARTICIPANTS_MAX_LENGTH = 300
FILE_NAME_MAX_LENGTH = 150
SOURCE_MAX_LENGTH = 64
HIDDEN_EXPLANATION_MAX_LENGTH = 1000


class EntryKind(models.TextChoices):
    NOTE = "note", _("note")
    CONVERSATION = "conversation", _("conversation summary")
    DOCUMENT = "document", _("document")
    EVENT = "event", _("event")


class EventCode(models.TextChoices):
    """What an event written by another part of Samen tells. The sentence is made when the timeline is shown, in the
    reader's language (``samen.timeline.events``); ``Entry.text`` keeps it in Dutch, as it was at the time."""

    PLAN_CHANGED = "plan_changed", _("plan changed")
    GOAL_ADDED = "goal_added", _("goal added")
    GOAL_CHANGED = "goal_changed", _("goal changed")
    ACTION_ADDED = "action_added", _("action added")
    ACTION_DONE = "action_done", _("action done")
    ACTION_REPLANNED = "action_replanned", _("action moved to another date")
    EVALUATION_PLANNED = "evaluation_planned", _("evaluation planned")
    EVALUATION_RECORDED = "evaluation_recorded", _("evaluation recorded")
    VERSION_SAVED = "version_saved", _("plan version saved")
    VERSION_AGREED = "version_agreed", _("plan version agreed")
    CONSENT_GIVEN = "consent_given", _("permission given")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("permission withdrawn")
    EMERGENCY_ACCESS = "emergency_access", _("emergency access")
    COORDINATOR_CHANGED = "coordinator_changed", _("coordinator changed")
    TEAM_JOINED = "team_joined", _("joined the team")
    TEAM_LEFT = "team_left", _("left the team")
    THREAD_OPENED = "thread_opened", _("conversation between professionals started")
    SIGNAL_RAISED = "signal_raised", _("signal raised")
    SIGNAL_ANSWERED = "signal_answered", _("signal answered")
    SIGNAL_ESCALATED = "signal_escalated", _("signal escalated to the facilitator")
    SIGNAL_BREAKTHROUGH = "signal_breakthrough", _("signal marked for the breakthrough route")
    SIGNAL_RESOLVED = "signal_resolved", _("signal resolved")
    MEETING_PLANNED = "meeting_planned", _("meeting planned")
    MEETING_HELD = "meeting_held", _("meeting held")
    MEETING_CANCELLED = "meeting_cancelled", _("meeting cancelled")
    REFERRAL_REQUESTED = "referral_requested", _("referral requested")
    REFERRAL_ACCEPTED = "referral_accepted", _("referral accepted")
    REFERRAL_REJECTED = "referral_rejected", _("referral rejected")
    REFERRAL_STARTED = "referral_started", _("referral in progress")
    REFERRAL_COMPLETED = "referral_completed", _("referral completed")
    REFERRAL_CANCELLED = "referral_cancelled", _("referral cancelled")


class HiddenReason(models.TextChoices):
    """Why a professional hid an entry from the household (counted per household, see ``hidden_reason_counts``)."""

    SAFETY = "safety", _("the safety of someone in or around the household")
    THIRD_PARTY = "third_party", _("it is about someone outside the household")
    LEGAL = "legal", _("a legal obligation")
    OTHER = "other", _("another reason")


class Entry(models.Model):
    """One entry in a household's dossier, in one data category, written by one person for one organisation."""

    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="dossier_entries", verbose_name=_("household")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices, default=EntryKind.NOTE)
    category = models.CharField(_("data category"), max_length=32, choices=DataCategory.choices)
    text = models.TextField(_("text"), max_length=NOTE_MAX_LENGTH)
    # None for an event written by Samen itself (the system actor).
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    # The organisation the author acted for (none for a resident).
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    author_role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    # A conversation summary: who took part, in words.
    participants = models.CharField(_("who took part"), max_length=PARTICIPANTS_MAX_LENGTH, blank=True)
    # An event: the part of Samen that wrote it ("plans", "consent", "households").
    source = models.CharField(_("source"), max_length=SOURCE_MAX_LENGTH, blank=True)
    # An event written by a service: what happened, and the facts the sentence needs (names, a number, a date).
    event_code = models.CharField(_("event"), max_length=32, choices=EventCode.choices, blank=True)
    event_params = models.JSONField(_("event details"), default=dict, blank=True)
    # A document: the name it had (checked, never a path), the random name it is stored under outside the web
    # root, the type found in its content, and its size in bytes.
    file_name = models.CharField(_("file name"), max_length=FILE_NAME_MAX_LENGTH, blank=True)
    stored_name = models.CharField(max_length=64, blank=True, editable=False)
    content_type = models.CharField(_("file type"), max_length=100, blank=True)
    file_size = models.PositiveIntegerField(_("size"), null=True, blank=True)
    # Hidden from the household: who, when and why (a reason from the list and an explanation).
    hidden_from_household = models.BooleanField(_("hidden from the household"), default=False)
    hidden_reason = models.CharField(_("reason"), max_length=32, choices=HiddenReason.choices, blank=True)
    hidden_explanation = models.TextField(_("explanation"), max_length=HIDDEN_EXPLANATION_MAX_LENGTH, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    hidden_at = models.DateTimeField(_("hidden on"), null=True, blank=True)

    class Meta:
        ordering = ["household", "-created_at", "-pk"]
        db_table = "dossier_entry"
        verbose_name = _("dossier entry")
        verbose_name_plural = _("dossier entries")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=EntryKind.values), name="entry_kind_valid"),
            models.CheckConstraint(condition=models.Q(category__in=DataCategory.values), name="entry_category_valid"),
            models.CheckConstraint(condition=~models.Q(text=""), name="entry_text_not_empty"),
            models.CheckConstraint(condition=models.Q(author_role__in=Role.values), name="entry_role_valid"),
            models.CheckConstraint(
                condition=models.Q(event_code="") | models.Q(kind="event", event_code__in=EventCode.values),
                name="entry_event_code_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="document") | (~models.Q(stored_name="") & ~models.Q(content_type="")),
                name="entry_document_has_file",
            ),
            models.CheckConstraint(
                condition=models.Q(hidden_from_household=False)
                | (
                    models.Q(hidden_reason__in=HiddenReason.values, hidden_at__isnull=False)
                    & ~models.Q(hidden_explanation="")
                ),
                name="entry_hidden_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["household", "category", "-created_at"], name="entry_household_category"),
            models.Index(fields=["household", "-created_at"], name="entry_household_created"),
        ]

    def __str__(self) -> str:  # never the text: it may end up in a log line
        return f"{self.get_kind_display()} {self.pk} ({self.category}) in household {self.household_id}"
