from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DemoDataset(models.Model):
    """The record that a synthetic demo municipality was generated into this database.

    One per seed; ``households`` is how many households of that seed exist. It makes
    ``manage.py demo_municipality`` idempotent: a second run finds it and creates nothing.
    """

    seed = models.BigIntegerField(_("seed"), unique=True)
    households = models.PositiveIntegerField(_("households"))
    members = models.PositiveIntegerField(_("household members"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("demo dataset")
        verbose_name_plural = _("demo datasets")

    def __str__(self) -> str:
        return f"demo municipality (seed {self.seed}, {self.households} households)"
