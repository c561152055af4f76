from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.nl import bsn as stdnum_bsn

from samen.core.vocabulary import (
    TeamRole,  # defined there, so that the low-level apps can name it; import it from either
)


def validate_bsn(value: str) -> None:
    if value and not stdnum_bsn.is_valid(value):
        raise ValidationError(_("This is not a valid citizen service number (BSN)."), code="invalid_bsn")


class Household(models.Model):
    """A household (huishouden, gezin): the unit that gets one plan and one conversation."""

    name = models.CharField(_("name"), max_length=200, help_text=_("How the household calls itself."))
    city = models.CharField(_("place"), max_length=100, blank=True)
    is_synthetic = models.BooleanField(_("synthetic demo data"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.name


class Relation(models.TextChoices):
    PARENT = "parent", _("parent")
    PARTNER = "partner", _("partner")
    CHILD = "child", _("child")
    GRANDPARENT = "grandparent", _("grandparent")
    OTHER = "other", _("other household member")


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    given_name = models.CharField(_("first name"), max_length=100)
    family_name = models.CharField(_("last name"), max_length=150)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)
    # Optional, only where a legal basis exists; never in URLs, logs or exports other than the citizen's own.
    bsn = models.CharField(_("BSN"), max_length=9, blank=True, validators=[validate_bsn])
    bsn_is_synthetic = models.BooleanField(_("synthetic BSN"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="household_member",
        verbose_name=_("account"),
    )

    class Meta:
        ordering = ["household", "date_of_birth", "pk"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            models.CheckConstraint(condition=models.Q(relation__in=Relation.values), name="member_relation_valid"),
            models.CheckConstraint(
                condition=models.Q(bsn="") | models.Q(bsn__regex=r"^[0-9]{9}$"), name="member_bsn_nine_digits"
            ),
            models.UniqueConstraint(fields=["bsn"], condition=~models.Q(bsn=""), name="member_bsn_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def __repr__(self) -> str:  # never show the BSN, not even in a debugger or a log line
        return f"<HouseholdMember {self.pk}>"

    @property
    def relation_label(self) -> str:
        return Relation(self.relation).label


class RepresentativeKind(models.TextChoices):
    LEGAL_REPRESENTATIVE = "legal_representative", _("legal representative")
    MENTOR = "mentor", _("mentor")
    CURATOR = "curator", _("curator")
    AUTHORISED = "authorised", _("authorised person")


class Representative(models.Model):
    """A user who may act for one household member (wettelijk vertegenwoordiger, mentor, curator), for a period."""

    member = models.ForeignKey(
        HouseholdMember, on_delete=models.CASCADE, related_name="representatives", verbose_name=_("represents")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representations", verbose_name=_("account")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=RepresentativeKind.choices)
    # The data categories the representative may act on; empty means all of them.
    scope = models.JSONField(_("scope"), default=list, blank=True)
    valid_from = models.DateTimeField(_("valid from"), default=timezone.now)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    # What the registration rests on, e.g. the court decision; never the document itself.
    evidence = models.CharField(_("evidence"), max_length=200, blank=True)

    class Meta:
        ordering = ["member", "valid_from", "pk"]
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=RepresentativeKind.values), name="representative_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gt=models.F("valid_from")),
                name="representative_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_kind_display()}) for {self.member}"

    def is_active_at(self, moment) -> bool:
        return (
            self.ended_at is None
            and self.valid_from <= moment
            and (self.valid_until is None or self.valid_until > moment)
        )


class TeamMember(models.Model):
    """Someone in the team around a household: a professional (for an organisation), a person from the
    household's informal network, or the independent client supporter. Leaving keeps the row (history)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="team", verbose_name=_("household"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_memberships", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="team_memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role in the team"), max_length=16, choices=TeamRole.choices)
    description = models.CharField(_("what they do"), max_length=200, blank=True)
    is_coordinator = models.BooleanField(_("coordinator"), default=False)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    left_reason = models.TextField(_("why they left"), max_length=2000, blank=True)
    # Set by the welcome e-mail task (a professional added to the team), so that a retry sends nothing twice.
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["household", "-is_coordinator", "joined_at", "pk"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=TeamRole.values), name="team_role_valid"),
            # Exactly one active coordinator per household: at most one here; services keep it at one.
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(is_coordinator=True, left_at__isnull=True),
                name="team_one_active_coordinator",
            ),
            models.UniqueConstraint(
                fields=["household", "user"], condition=models.Q(left_at__isnull=True), name="team_member_once"
            ),
            # Professionals and supporters act for an organisation; the informal network does not.
            models.CheckConstraint(
                condition=(models.Q(role="informal", organisation__isnull=True))
                | (~models.Q(role="informal") & models.Q(organisation__isnull=False)),
                name="team_organisation_matches_role",
            ),
            # Only a professional coordinates.
            models.CheckConstraint(
                condition=models.Q(is_coordinator=False) | models.Q(role="professional"),
                name="team_coordinator_is_professional",
            ),
            models.CheckConstraint(
                condition=models.Q(left_at__isnull=True) | models.Q(left_at__gte=models.F("joined_at")),
                name="team_period_valid",
            ),
        ]
        # A professional's active places for the organisation they act for: the start of every caseload and of
        # the access policy. Three equality columns, so the planner picks it also without statistics.
        indexes = [models.Index(fields=["user", "organisation", "left_at"], name="team_user_org_active")]

    def __str__(self) -> str:
        return f"{self.user} in {self.household} ({self.get_role_display()})"

    @property
    def is_active(self) -> bool:
        return self.left_at is None


class CoordinatorHandover(models.Model):
    """The record of a coordinator handover: from whom, to whom, why and when (the citizen sees it)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="handovers")
    from_member = models.ForeignKey(
        TeamMember, on_delete=models.PROTECT, null=True, blank=True, related_name="handovers_given"
    )
    to_member = models.ForeignKey(TeamMember, on_delete=models.PROTECT, related_name="handovers_received")
    # Required for a handover; the first coordinator (no ``from_member``) may be assigned without one.
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    occurred_at = models.DateTimeField(_("date"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("recorded by")
    )
    # Set by the notification task, so that a retried task does not e-mail everyone twice.
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["household", "-occurred_at", "-pk"]
        verbose_name = _("coordinator handover")
        verbose_name_plural = _("coordinator handovers")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_member=models.F("to_member")), name="handover_to_someone_else"
            ),
            models.CheckConstraint(
                condition=models.Q(from_member__isnull=True) | ~models.Q(reason=""), name="handover_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"handover in {self.household} on {self.occurred_at:%Y-%m-%d}"


class Invitation(models.Model):
    """The citizen invites someone they trust (informal network) by e-mail; the link expires."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=200)
    description = models.CharField(_("what they do"), max_length=200, blank=True)
    # The link's token is never stored: only its SHA-256 (to find the invitation when the link is used)
    # and a random salt from which the e-mail task derives it again with the SECRET_KEY (``tokens.py``).
    token_hash = models.CharField(max_length=64, unique=True)
    token_salt = models.CharField(max_length=32)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["household", "-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(condition=models.Q(expires_at__gt=models.F("created_at")), name="invitation_expiry"),
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True, accepted_by__isnull=True)
                | models.Q(accepted_at__isnull=False, accepted_by__isnull=False),
                name="invitation_acceptance_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(withdrawn_at__isnull=True),
                name="invitation_accepted_or_withdrawn",
            ),
        ]

    def __str__(self) -> str:
        return f"invitation for {self.name} to {self.household}"

    def __repr__(self) -> str:  # no e-mail address in a log line
        return f"<Invitation {self.pk}>"

    def is_open_at(self, moment) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None and self.expires_at > moment
