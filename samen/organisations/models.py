from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen.core.actor import Role


class OrganisationType(models.TextChoices):
    MUNICIPALITY = "municipality", _("municipality")
    NEIGHBOURHOOD_TEAM = "neighbourhood_team", _("neighbourhood team")
    YOUTH_CARE = "youth_care", _("youth care")
    DEBT_COUNSELLING = "debt_counselling", _("debt counselling")
    MENTAL_HEALTH = "mental_health", _("mental health care")
    HOUSING_CORPORATION = "housing_corporation", _("housing corporation")
    GP_PRACTICE = "gp_practice", _("GP practice")
    WELFARE = "welfare", _("welfare organisation")
    CLIENT_SUPPORT = "client_support", _("independent client support")
    VOLUNTEER_INITIATIVE = "volunteer_initiative", _("volunteer initiative")


class MembershipRole(models.TextChoices):
    """A professional's role within their organisation (the Actor's role)."""

    PROFESSIONAL = Role.PROFESSIONAL.value, Role.PROFESSIONAL.label
    COORDINATOR = Role.COORDINATOR.value, Role.COORDINATOR.label
    CLIENT_SUPPORTER = Role.CLIENT_SUPPORTER.value, Role.CLIENT_SUPPORTER.label
    NETWORK_FACILITATOR = Role.NETWORK_FACILITATOR.value, Role.NETWORK_FACILITATOR.label
    POLICY_ADVISOR = Role.POLICY_ADVISOR.value, Role.POLICY_ADVISOR.label
    FUNCTIONAL_ADMIN = Role.FUNCTIONAL_ADMIN.value, Role.FUNCTIONAL_ADMIN.label


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    type = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices)
    city = models.CharField(_("place"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(type__in=OrganisationType.values), name="organisation_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def type_label(self) -> str:
        """The translated type. Cheaper than ``get_type_display()``, which translates every choice."""
        return OrganisationType(self.type).label

    @property
    def is_independent(self) -> bool:
        return self.type == OrganisationType.CLIENT_SUPPORT


SIGNAL_RESPONSE_DAYS_DEFAULT = 2
SIGNAL_RESPONSE_DAYS_MAX = 20


class Network(models.Model):
    """A set of organisations that work together around households, run by facilitators."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    organisations = models.ManyToManyField(Organisation, related_name="networks", verbose_name=_("organisations"))
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="facilitated_networks", blank=True, verbose_name=_("facilitators")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # How many working days the coordinator has to respond to a signal ("Het loopt niet goed") before it goes to
    # the facilitator; the same period again before it is marked for the breakthrough route.
    signal_response_days = models.PositiveSmallIntegerField(
        _("response time for signals (working days)"), default=SIGNAL_RESPONSE_DAYS_DEFAULT
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(signal_response_days__gte=1, signal_response_days__lte=SIGNAL_RESPONSE_DAYS_MAX),
                name="network_signal_response_days_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CaseEventKind(models.TextChoices):
    """What happened between organisations around a household, as the network's conversation prompts read it."""

    SIGNAL_SHARED = "signal_shared", _("a signal about two or more organisations")
    SIGNAL_ESCALATED = "signal_escalated", _("a signal escalated to the facilitator")
    SIGNAL_BREAKTHROUGH = "signal_breakthrough", _("a signal marked for the breakthrough route")
    REFERRAL_REJECTED = "referral_rejected", _("a referral rejected")
    REFERRAL_STALLED = "referral_stalled", _("a referral stalled")
    COORDINATOR_HANDOVER = "coordinator_handover", _("a coordinator handover")


class CaseEvent(models.Model):
    """One case event for a network: which organisations, what kind, when (the day) and how long it took. It
    never names the household, a person or what was said: the network learns from the pattern, not the case.
    Written only by ``samen.organisations.services.case_event_record``; a pair is stored with the lower id
    first, so (A, B) and (B, A) count as one pair."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="case_events", verbose_name=_("network")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=CaseEventKind.choices)
    organisation_a = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    organisation_b = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("other organisation"),
    )
    # The kind of signal ("the plan does not work", ...), for the signal kinds; empty otherwise.
    signal_kind = models.CharField(_("kind of signal"), max_length=32, blank=True)
    occurred_on = models.DateField(_("day"))
    # How long it took, in whole hours: to the first response, to the escalation, to the rejection.
    hours = models.PositiveIntegerField(_("hours"), null=True, blank=True)

    class Meta:
        ordering = ["network", "-occurred_on", "pk"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=CaseEventKind.values), name="case_event_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(organisation_b__isnull=True)
                | models.Q(organisation_a__lt=models.F("organisation_b")),
                name="case_event_pair_ordered",
            ),
        ]
        indexes = [models.Index(fields=["network", "kind", "occurred_on"], name="case_event_network_kind")]

    def __str__(self) -> str:
        return f"{self.kind} in network {self.network_id} on {self.occurred_on}"


class Membership(models.Model):
    """A professional working for an organisation in a role."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=32, choices=MembershipRole.choices)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role"),
            models.CheckConstraint(condition=models.Q(role__in=MembershipRole.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.organisation} ({self.role_label})"

    @property
    def role_label(self) -> str:
        return MembershipRole(self.role).label
