"""Reads for the accounts pages: a user's second-factor devices."""

from __future__ import annotations

from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice


def confirmed_totp_devices(user) -> QuerySet[TOTPDevice]:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk")


def has_confirmed_totp_device(user) -> bool:
    return confirmed_totp_devices(user).exists()


def unconfirmed_totp_device(user) -> TOTPDevice | None:
    """The newest device that is being set up (created, not yet confirmed with a code)."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
