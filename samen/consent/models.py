"""Consent: who may see which category of a household's data, for how long, on which legal basis.

Deny by default: without an active grant (or an active break-the-glass access) a professional
sees nothing of a household. Grants are never deleted or changed, except to record their
revocation, so the history is complete; granting again revokes the open grant and creates a new
one that ``replaces`` it. Only ``samen.consent.services`` writes these models; only
``samen.consent.policies`` reads them to decide access.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen.core.vocabulary import (
    DataCategory,  # defined there, so that the low-level apps can name it; import it from either
)

ALL_CATEGORIES: frozenset[DataCategory] = frozenset(DataCategory)

# What each category holds, in words a resident understands (shown next to the consent matrix).
CATEGORY_DESCRIPTIONS = {
    DataCategory.GENERAL: _("Who is in your household, how to reach you, your plan and your appointments."),
    DataCategory.HEALTH: _("Your body and your health: illness, care and medicines."),
    DataCategory.MENTAL_HEALTH: _("How you feel, stress, worries and help for your mind, such as from a psychologist."),
    DataCategory.FINANCES: _("Your income, costs, debts and help with money."),
    DataCategory.SAFETY: _("Safety at home, for example violence or threats, and reports about it."),
    DataCategory.JUSTICE: _("Contact with the police or the courts, fines and probation."),
    DataCategory.YOUTH: _("The children in your household: school, upbringing and youth care."),
}


class LegalBasis(models.TextChoices):
    """The receiving organisation's own basis for processing (AVG art. 6 and 9), recorded with each grant."""

    CONSENT = "consent", _("consent of the resident (AVG 6(1)(a), 9(2)(a))")
    LEGAL_TASK = "legal_task", _("a task in the public interest set by law (AVG 6(1)(e))")
    LEGAL_OBLIGATION = "legal_obligation", _("a legal obligation (AVG 6(1)(c))")
    VITAL_INTEREST = "vital_interest", _("a vital interest (AVG 6(1)(d))")


class ConsentGrant(models.Model):
    """The household allows one organisation (or one person in its team) to see one data category.

    Active means: not revoked, and ``valid_from <= now < valid_until`` (or no end).
    """

    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, related_name="consent_grants", verbose_name=_("household")
    )
    category = models.CharField(_("data category"), max_length=32, choices=DataCategory.choices)
    # The receiver: an organisation, or one team member (an informal member or the supporter).
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consent_grants",
        verbose_name=_("organisation"),
    )
    team_member = models.ForeignKey(
        "households.TeamMember",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consent_grants",
        verbose_name=_("person"),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=32, choices=LegalBasis.choices)
    valid_from = models.DateTimeField(_("valid from"), default=timezone.now)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("granted by")
    )
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # Granting again (to extend or change the period) revokes the open grant and records it here.
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )

    class Meta:
        ordering = ["household", "category", "-granted_at", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(condition=models.Q(category__in=DataCategory.values), name="consent_category_valid"),
            models.CheckConstraint(condition=models.Q(legal_basis__in=LegalBasis.values), name="consent_basis_valid"),
            models.CheckConstraint(
                condition=(models.Q(organisation__isnull=False) & models.Q(team_member__isnull=True))
                | (models.Q(organisation__isnull=True) & models.Q(team_member__isnull=False)),
                name="consent_one_receiver",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gt=models.F("valid_from")),
                name="consent_period_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | models.Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="consent_revocation_complete",
            ),
            # At most one unrevoked grant per receiver and category: granting again extends, not duplicates.
            models.UniqueConstraint(
                fields=["household", "category", "organisation"],
                condition=models.Q(revoked_at__isnull=True, organisation__isnull=False),
                name="consent_one_open_grant_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["household", "category", "team_member"],
                condition=models.Q(revoked_at__isnull=True, team_member__isnull=False),
                name="consent_one_open_grant_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "category", "revoked_at"], name="consent_org_lookup"),
            # "does this organisation have an active grant in this household": the access policy asks it for
            # every household in a caseload (``households_visible_to``, ``categories_visible_to``).
            models.Index(fields=["household", "organisation"], name="consent_household_org"),
        ]

    def __str__(self) -> str:
        receiver = self.organisation or self.team_member
        return f"{receiver}: {self.get_category_display()} of {self.household}"

    def is_active_at(self, moment) -> bool:
        """The same test as the policy's query, for one loaded grant."""
        return (
            self.revoked_at is None
            and self.valid_from <= moment
            and (self.valid_until is None or moment < self.valid_until)
        )


class ConsentRequestStatus(models.TextChoices):
    OPEN = "open", _("waiting for an answer")
    APPROVED = "approved", _("approved")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


class ConsentRequest(models.Model):
    """A professional joining the team asks for categories; the citizen (or representative) answers.

    Approving may allow fewer categories than asked (``approved_categories``); each one becomes a grant.
    """

    household = models.ForeignKey(
        "households.Household",
        on_delete=models.CASCADE,
        related_name="consent_requests",
        verbose_name=_("household"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    team_member = models.ForeignKey(
        "households.TeamMember",
        on_delete=models.PROTECT,
        related_name="consent_requests",
        verbose_name=_("professional"),
    )
    categories = models.JSONField(_("data categories"), default=list)
    approved_categories = models.JSONField(_("allowed data categories"), default=list, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=32, choices=LegalBasis.choices)
    reason = models.TextField(_("why this is needed"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=16, choices=ConsentRequestStatus.choices, default=ConsentRequestStatus.OPEN
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("asked by")
    )
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["household", "-requested_at", "-pk"]
        verbose_name = _("consent request")
        verbose_name_plural = _("consent requests")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ConsentRequestStatus.values), name="request_status_valid"
            ),
            models.CheckConstraint(condition=models.Q(legal_basis__in=LegalBasis.values), name="request_basis_valid"),
            models.CheckConstraint(
                condition=models.Q(status="open", answered_at__isnull=True)
                | (~models.Q(status="open") & models.Q(answered_at__isnull=False)),
                name="request_answer_complete",
            ),
            # One open question per professional at a time.
            models.UniqueConstraint(
                fields=["team_member"], condition=models.Q(status="open"), name="request_one_open_per_member"
            ),
        ]

    def __str__(self) -> str:
        return f"consent request of {self.organisation} for {self.household}"


class BreakTheGlassGround(models.TextChoices):
    """The legal grounds that allow access without consent (standards.md, privacy rule 3)."""

    MELDCODE = "meldcode", _("the reporting code for domestic violence and child abuse (Meldcode)")
    VITAL_INTEREST = "vital_interest", _("acute danger to someone's life or health (AVG 6(1)(d), 9(2)(c))")
    LEGAL_DUTY = "legal_duty", _("a legal duty, such as a request from Veilig Thuis or the child protection board")


# What each ground means, in plain words (shown on the emergency access form).
GROUND_DESCRIPTIONS = {
    BreakTheGlassGround.MELDCODE: _(
        "You suspect domestic violence or child abuse and follow the steps of the reporting code."
    ),
    BreakTheGlassGround.VITAL_INTEREST: _(
        "Someone is in acute danger and there is no time to ask the household for permission."
    ),
    BreakTheGlassGround.LEGAL_DUTY: _("A law obliges you to act now, for example because Veilig Thuis asks you to."),
}

BREAK_THE_GLASS_HOURS = 24


class BreakTheGlass(models.Model):
    """Access without consent, with a reason and a legal ground, for at most 24 hours; flagged and shown
    to the citizen and the coordinator afterwards.

    Active means: not ended, and ``started_at <= now < expires_at``.
    """

    household = models.ForeignKey(
        "households.Household",
        on_delete=models.CASCADE,
        related_name="break_the_glass",
        verbose_name=_("household"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("professional")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    categories = models.JSONField(_("data categories"), default=list)
    reason = models.TextField(_("reason"), max_length=2000)
    legal_ground = models.CharField(_("legal ground"), max_length=32, choices=BreakTheGlassGround.choices)
    # The role in which it was started (the household sees organisation and role, never the name).
    role = models.CharField(_("role"), max_length=40, default="professional")
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    expires_at = models.DateTimeField(_("ends"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    # Claimed by the task that e-mails the household and its coordinator, so they are told once.
    notified_at = models.DateTimeField(_("household told"), null=True, blank=True)

    class Meta:
        ordering = ["household", "-started_at", "-pk"]
        verbose_name = _("break-the-glass access")
        verbose_name_plural = _("break-the-glass accesses")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("started_at")), name="btg_expiry_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(legal_ground__in=BreakTheGlassGround.values), name="btg_ground_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("started_at")),
                name="btg_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["user", "expires_at"], name="btg_user_active")]

    def __str__(self) -> str:
        return f"break the glass by {self.user} in {self.household}"

    def is_active_at(self, moment) -> bool:
        return self.ended_at is None and self.started_at <= moment < self.expires_at

    @property
    def ends_at(self):
        """When the access ended or ends: early by hand, or at its expiry."""
        return self.ended_at if self.ended_at is not None and self.ended_at < self.expires_at else self.expires_at
