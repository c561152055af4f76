"""The words every part of Samen shares: the data categories consent is given for, and the roles in a team.

They live here, at the bottom, so that the low-level parts (the timeline's event writer, the access log) can name
them without importing the apps above. ``samen.consent.models`` and ``samen.households.models`` import them from
here; use either.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataCategory(models.TextChoices):
    GENERAL = "general", _("general")
    HEALTH = "health", _("health")
    MENTAL_HEALTH = "mental_health", _("mental health")
    FINANCES = "finances", _("finances and debts")
    SAFETY = "safety", _("safety")
    JUSTICE = "justice", _("justice")
    YOUTH = "youth", _("youth")


class TeamRole(models.TextChoices):
    PROFESSIONAL = "professional", _("professional")
    INFORMAL = "informal", _("informal network")
    SUPPORTER = "supporter", _("independent client supporter")
