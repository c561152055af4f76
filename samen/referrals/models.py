"""Referrals: the team (or the household itself) asks another organisation to help the household, and follows the
answer in a closed loop with the states of a FHIR Task (``standards.md``: referral = ServiceRequest + Task).

::

    draft ──(the household allows it)──> requested ──> accepted ──> in_progress ──> completed
      │                                     │             │              │
      └─> cancelled                         ├─> rejected  └─> cancelled  └─> cancelled
                                            └─> cancelled

``draft`` means: waiting for the household's consent for the receiving organisation (asked in the same flow).
Rejected and cancelled need a reason. Only ``samen.referrals.services`` writes these rows; every change of status
is one conditional UPDATE (``WHERE status = <the status it had>``) and one ``ReferralStatusChange``. What a status
implies is also a database constraint: a completed referral has been accepted and started, a requested one has not
been answered, a rejected one was never accepted, and so on (``referral_timestamps_match_status``); the database
cannot see the status a row had before, so the order of the steps is kept by the timestamps that each step sets.
"""

from __future__ import annotations

import functools
import operator

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen.core.vocabulary import DataCategory

QUESTION_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 2000


class ReferralStatus(models.TextChoices):
    """The FHIR Task codes (task-status) a referral goes through; ``draft`` waits for the household's consent."""

    DRAFT = "draft", _("waiting for permission")
    REQUESTED = "requested", _("requested")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


S = ReferralStatus
# Still going: at most one of these per household and receiving organisation.
OPEN_STATUSES: tuple[ReferralStatus, ...] = (S.DRAFT, S.REQUESTED, S.ACCEPTED, S.IN_PROGRESS)
# Answered by the receiving organisation: someone of it handled the referral.
HANDLED_STATUSES: tuple[ReferralStatus, ...] = (S.ACCEPTED, S.REJECTED, S.IN_PROGRESS, S.COMPLETED)
# A reason is required for these, and only for these.
WITH_REASON: tuple[ReferralStatus, ...] = (S.REJECTED, S.CANCELLED)
# The legal moves. Every other pair (the same status included) is refused.
TRANSITIONS: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    S.DRAFT: frozenset({S.REQUESTED, S.CANCELLED}),
    S.REQUESTED: frozenset({S.ACCEPTED, S.REJECTED, S.CANCELLED}),
    S.ACCEPTED: frozenset({S.IN_PROGRESS, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.COMPLETED, S.CANCELLED}),
    S.REJECTED: frozenset(),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
}
# The timestamp each status sets when a referral moves into it.
STAMPS: dict[ReferralStatus, str] = {
    S.REQUESTED: "requested_at",
    S.ACCEPTED: "accepted_at",
    S.REJECTED: "rejected_at",
    S.IN_PROGRESS: "started_at",
    S.COMPLETED: "completed_at",
    S.CANCELLED: "cancelled_at",
}
# FHIR R4 task-status for each status.
FHIR_TASK_STATUS: dict[ReferralStatus, str] = {
    S.DRAFT: "draft",
    S.REQUESTED: "requested",
    S.ACCEPTED: "accepted",
    S.REJECTED: "rejected",
    S.IN_PROGRESS: "in-progress",
    S.COMPLETED: "completed",
    S.CANCELLED: "cancelled",
}


def is_legal(current: str, wanted: str) -> bool:
    """May a referral that is ``current`` become ``wanted``?"""
    try:
        return ReferralStatus(wanted) in TRANSITIONS[ReferralStatus(current)]
    except ValueError:
        return False


_TIMESTAMPS = ("requested_at", "accepted_at", "rejected_at", "started_at", "completed_at", "cancelled_at")
# The timestamps set in each status (the path a referral took to get there); every other one is empty.
_SET_IN: dict[ReferralStatus, tuple[str, ...]] = {
    S.DRAFT: (),
    S.REQUESTED: ("requested_at",),
    S.ACCEPTED: ("requested_at", "accepted_at"),
    S.REJECTED: ("requested_at", "rejected_at"),
    S.IN_PROGRESS: ("requested_at", "accepted_at", "started_at"),
    S.COMPLETED: ("requested_at", "accepted_at", "started_at", "completed_at"),
}


def _exactly(status: ReferralStatus, present: tuple[str, ...]) -> Q:
    return Q(status=status, **{f"{name}__isnull": name not in present for name in _TIMESTAMPS})


_STATUS_STAMPS = functools.reduce(operator.or_, (_exactly(status, present) for status, present in _SET_IN.items())) | (
    # Cancelled at any open step: never rejected or completed; started only after accepted, accepted only after
    # requested (the chain below).
    Q(status=S.CANCELLED, rejected_at__isnull=True, completed_at__isnull=True, cancelled_at__isnull=False)
)
_CHAIN = (
    (Q(accepted_at__isnull=True) | Q(requested_at__isnull=False))
    & (Q(started_at__isnull=True) | Q(accepted_at__isnull=False))
    & (Q(completed_at__isnull=True) | Q(started_at__isnull=False))
)
# Each step after the one before it (a comparison with an empty timestamp is unknown, which a CHECK lets pass).
_IN_ORDER = (
    Q(requested_at__gte=F("created_at"))
    & Q(accepted_at__gte=F("requested_at"))
    & Q(rejected_at__gte=F("requested_at"))
    & Q(started_at__gte=F("accepted_at"))
    & Q(completed_at__gte=F("started_at"))
    & Q(cancelled_at__gte=F("created_at"))
)


class Referral(models.Model):
    """One request to an organisation to help a household, with its answer and where it stands."""

    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, related_name="referrals", verbose_name=_("household")
    )
    # The organisation of the team member who referred; empty when the household referred itself.
    from_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from"),
    )
    to_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("to"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("asked by")
    )
    question = models.TextField(_("question"), max_length=QUESTION_MAX_LENGTH)
    # The data category of the question: the receiving organisation needs the household's consent for it.
    category = models.CharField(
        _("kind of information"), max_length=32, choices=DataCategory.choices, default=DataCategory.GENERAL
    )
    status = models.CharField(_("status"), max_length=16, choices=ReferralStatus.choices, default=S.DRAFT)
    status_reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH, blank=True)
    # The professional of the receiving organisation who accepted or rejected it.
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    requested_at = models.DateTimeField(_("requested"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # Optimistic concurrency: every change of status adds one; a form sends the version it showed.
    version = models.PositiveIntegerField(_("version"), default=1)
    # The daily job's mark: the ``version`` at which this referral was reported as stalled (once per stall).
    stalled_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ReferralStatus.values), name="referral_status_valid"),
            models.CheckConstraint(condition=Q(category__in=DataCategory.values), name="referral_category_valid"),
            models.CheckConstraint(
                condition=Q(status__in=WITH_REASON) & ~Q(status_reason="")
                | ~Q(status__in=WITH_REASON) & Q(status_reason=""),
                name="referral_reason_when_rejected_or_cancelled",
            ),
            models.CheckConstraint(condition=_STATUS_STAMPS, name="referral_timestamps_match_status"),
            models.CheckConstraint(condition=_CHAIN, name="referral_steps_in_sequence"),
            models.CheckConstraint(condition=_IN_ORDER, name="referral_timestamps_in_order"),
            models.CheckConstraint(
                condition=~Q(status__in=HANDLED_STATUSES) | Q(handled_by__isnull=False),
                name="referral_handled_by_when_answered",
            ),
            models.CheckConstraint(
                condition=~Q(from_organisation=F("to_organisation")), name="referral_not_to_own_organisation"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="referral_version_positive"),
            # At most one open referral per household and receiving organisation.
            models.UniqueConstraint(
                fields=["household", "to_organisation"],
                condition=Q(status__in=OPEN_STATUSES),
                name="referral_one_open_per_organisation",
            ),
        ]
        indexes = [
            # The receiving organisation's inbox.
            models.Index(fields=["to_organisation", "status"], name="referral_inbox"),
            # The daily job: open referrals by the time of their last change.
            models.Index(fields=["status", "changed_at"], name="referral_status_changed"),
        ]

    def __str__(self) -> str:  # never the question
        return f"referral {self.pk} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def status_label(self) -> str:
        return str(ReferralStatus(self.status).label)


class ReferralStatusChange(models.Model):
    """One step of a referral: from which status to which, who did it (for which organisation), when and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="changes", verbose_name=_("referral"))
    # Empty for the first step (the referral was made).
    from_status = models.CharField(_("from"), max_length=16, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=ReferralStatus.choices)
    # Empty when the system made the change.
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("for organisation"),
    )
    role = models.CharField(_("role"), max_length=40, blank=True)
    changed_at = models.DateTimeField(_("when"), default=timezone.now)
    reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["referral", "changed_at", "pk"]
        verbose_name = _("referral status change")
        verbose_name_plural = _("referral status changes")
        constraints = [
            models.CheckConstraint(condition=Q(to_status__in=ReferralStatus.values), name="referral_change_to_valid"),
            models.CheckConstraint(
                condition=Q(from_status="") | Q(from_status__in=ReferralStatus.values),
                name="referral_change_from_valid",
            ),
            models.CheckConstraint(condition=~Q(from_status=F("to_status")), name="referral_change_is_a_change"),
        ]

    def __str__(self) -> str:
        return f"referral {self.referral_id}: {self.from_status or '-'} -> {self.to_status}"
