"""Self-assessments of a household member over time: a ZRM (Zelfredzaamheid-Matrix) recorded by a professional
with the household, and the resident's own "spinnenweb". Only ``samen.assessments.services`` writes them.

The scores of a ZRM belong to several data categories (``domains.DOMAIN_CATEGORY``); a reader sees only the
domains of the categories they may see. The spinnenweb itself is general, but two of its themes are not
(``domains.THEME_CATEGORY``): "My body" is health and "How I feel" mental health. Those two are empty when the one
who filled it in could not write that category.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from samen.assessments.domains import (
    SPINNENWEB_MAX,
    SPINNENWEB_MIN,
    THEME_CATEGORY,
    ZRM_MAX,
    ZRM_MIN,
    SpinnenwebTheme,
    ZrmDomain,
)
from samen.consent.models import DataCategory


class ZrmAssessment(models.Model):
    """One ZRM moment for one member: the instrument version, the date, who recorded it for which organisation."""

    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="zrm_assessments", verbose_name=_("household")
    )
    # Of the same household: checked by the service (``zrm_record``).
    member = models.ForeignKey(
        "households.HouseholdMember",
        on_delete=models.PROTECT,
        related_name="zrm_assessments",
        verbose_name=_("household member"),
    )
    instrument_version = models.CharField(_("instrument version"), max_length=32)
    assessed_on = models.DateField(_("assessed on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["household", "member", "-assessed_on", "-pk"]
        verbose_name = _("ZRM assessment")
        verbose_name_plural = _("ZRM assessments")
        constraints = [
            models.CheckConstraint(condition=~models.Q(instrument_version=""), name="zrm_instrument_not_empty"),
        ]
        indexes = [models.Index(fields=["household", "member", "-assessed_on"], name="zrm_household_member")]

    def __str__(self) -> str:
        return f"{self.instrument_version} {self.pk} of member {self.member_id} ({self.assessed_on})"


class ZrmScore(models.Model):
    """The score (1-5) of one domain in one assessment. The criteria texts are never stored."""

    assessment = models.ForeignKey(
        ZrmAssessment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("assessment")
    )
    domain = models.CharField(pgettext_lazy("ZRM", "life domain"), max_length=32, choices=ZrmDomain.choices)
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        ordering = ["assessment", "pk"]
        verbose_name = _("ZRM score")
        verbose_name_plural = _("ZRM scores")
        constraints = [
            models.CheckConstraint(condition=models.Q(domain__in=ZrmDomain.values), name="zrm_score_domain_valid"),
            models.CheckConstraint(
                condition=models.Q(score__gte=ZRM_MIN, score__lte=ZRM_MAX), name="zrm_score_between_1_and_5"
            ),
            models.UniqueConstraint(fields=["assessment", "domain"], name="zrm_score_one_per_domain"),
        ]

    def __str__(self) -> str:
        return f"{self.domain}={self.score} in assessment {self.assessment_id}"


def _theme_field(theme: SpinnenwebTheme) -> models.PositiveSmallIntegerField:
    """A theme's number (0-10). A general theme is always filled in; the others ("My body", "How I feel") only by
    someone who may write their category, so they may be empty (NULL: "not filled in", never 0)."""
    optional = THEME_CATEGORY[theme] != DataCategory.GENERAL
    return models.PositiveSmallIntegerField(theme.label, null=optional, blank=optional)


class Spinnenweb(models.Model):
    """The resident's own spinnenweb: six themes, each 0-10, on one day. Data category: general, except the
    themes "My body" (health) and "How I feel" (mental health), which are empty when not filled in."""

    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="spinnenwebs", verbose_name=_("household")
    )
    member = models.ForeignKey(
        "households.HouseholdMember",
        on_delete=models.PROTECT,
        related_name="spinnenwebs",
        verbose_name=_("household member"),
    )
    category = models.CharField(
        _("data category"), max_length=32, choices=DataCategory.choices, default=DataCategory.GENERAL
    )
    filled_on = models.DateField(_("filled in on"))
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("filled in by")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    body = _theme_field(SpinnenwebTheme.BODY)
    feelings = _theme_field(SpinnenwebTheme.FEELINGS)
    meaning = _theme_field(SpinnenwebTheme.MEANING)
    life = _theme_field(SpinnenwebTheme.LIFE)
    taking_part = _theme_field(SpinnenwebTheme.TAKING_PART)
    day = _theme_field(SpinnenwebTheme.DAY)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["household", "member", "-filled_on", "-pk"]
        verbose_name = _("spinnenweb")
        verbose_name_plural = _("spinnenwebs")
        constraints = [
            models.CheckConstraint(condition=models.Q(category=DataCategory.GENERAL), name="spinnenweb_is_general"),
            # NULL passes a CHECK in SQL: an empty "My body" is allowed, a filled-in one is 0-10 like the rest.
            *(
                models.CheckConstraint(
                    condition=models.Q(
                        **{f"{theme.value}__gte": SPINNENWEB_MIN, f"{theme.value}__lte": SPINNENWEB_MAX}
                    ),
                    name=f"spinnenweb_{theme.value}_0_to_10",
                )
                for theme in SpinnenwebTheme
            ),
        ]
        indexes = [models.Index(fields=["household", "member", "-filled_on"], name="spinnenweb_household_member")]

    def __str__(self) -> str:
        return f"spinnenweb {self.pk} of member {self.member_id} ({self.filled_on})"

    def scores(self) -> dict[str, int | None]:
        """Each theme's number, None for a theme that was not filled in."""
        return {theme.value: getattr(self, theme.value) for theme in SpinnenwebTheme}
