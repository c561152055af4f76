"""The household's dossier: one timeline of entries, each with a data category ("tell your story once").

For now an entry is a note written by someone who helps the household (or by the household itself). Only
``samen.dossier.services`` writes entries; reads go through ``samen.dossier.selectors`` after the policy
(``samen.consent.policies``) decided which categories the reader may see.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen.consent.models import DataCategory
from samen.core.actor import Role

NOTE_MAX_LENGTH = 4000


class EntryKind(models.TextChoices):
    NOTE = "note", _("note")


class Entry(models.Model):
    """One entry in a household's dossier, in one data category, written by one person for one organisation."""

    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="dossier_entries", verbose_name=_("household")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices, default=EntryKind.NOTE)
    category = models.CharField(_("data category"), max_length=32, choices=DataCategory.choices)
    text = models.TextField(_("text"), max_length=NOTE_MAX_LENGTH)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by")
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

    class Meta:
        ordering = ["household", "-created_at", "-pk"]
        verbose_name = _("dossier entry")
        verbose_name_plural = _("dossier entries")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=EntryKind.values), name="entry_kind_valid"),
            models.CheckConstraint(condition=models.Q(category__in=DataCategory.values), name="entry_category_valid"),
            models.CheckConstraint(condition=~models.Q(text=""), name="entry_text_not_empty"),
            models.CheckConstraint(condition=models.Q(author_role__in=Role.values), name="entry_role_valid"),
        ]
        indexes = [
            models.Index(fields=["household", "category", "-created_at"], name="entry_household_category"),
        ]

    def __str__(self) -> str:  # never the text: it may end up in a log line
        return f"{self.get_kind_display()} {self.pk} ({self.category}) in household {self.household_id}"
