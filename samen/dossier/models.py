"""The household's intake: its story, told once, with its situation per ZRM life domain.

The timeline's entries (notes, conversation summaries, documents, events) are in ``samen.timeline.models``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen.assessments.domains import ZrmDomain
from samen.core.actor import Role

INTAKE_TEXT_MAX_LENGTH = 4000


class Intake(models.Model):
    """The household's story, told once ("tell your story once"): the question in its own words, the situation
    per ZRM life domain (``IntakeSituation``), who is already involved and what the household wants. One per
    household; ``version`` goes up with every save, so two people saving at once do not overwrite each other."""

    household = models.OneToOneField(
        "households.Household", on_delete=models.PROTECT, related_name="intake", verbose_name=_("household")
    )
    question = models.TextField(_("the question"), max_length=INTAKE_TEXT_MAX_LENGTH)
    involved = models.TextField(_("who is already involved"), max_length=INTAKE_TEXT_MAX_LENGTH, blank=True)
    wants = models.TextField(_("what the household wants"), max_length=INTAKE_TEXT_MAX_LENGTH, blank=True)
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filled in by"),
    )
    filled_by_role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        constraints = [
            models.CheckConstraint(condition=~models.Q(question=""), name="intake_question_not_empty"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="intake_version_positive"),
            models.CheckConstraint(condition=models.Q(filled_by_role__in=Role.values), name="intake_role_valid"),
        ]

    def __str__(self) -> str:  # never the story itself
        return f"intake of household {self.household_id} (version {self.version})"


class IntakeSituation(models.Model):
    """The situation in one ZRM life domain, in words (the domain's data category decides who reads it)."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="situations")
    domain = models.CharField(_("life domain"), max_length=32, choices=ZrmDomain.choices)
    text = models.TextField(_("situation"), max_length=INTAKE_TEXT_MAX_LENGTH)

    class Meta:
        ordering = ["intake", "pk"]
        verbose_name = _("situation in a life domain")
        verbose_name_plural = _("situations in life domains")
        constraints = [
            models.UniqueConstraint(fields=["intake", "domain"], name="intake_one_situation_per_domain"),
            models.CheckConstraint(condition=models.Q(domain__in=ZrmDomain.values), name="intake_domain_valid"),
            models.CheckConstraint(condition=~models.Q(text=""), name="intake_situation_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.domain} of intake {self.intake_id}"
