from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.nl import bsn as stdnum_bsn


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
