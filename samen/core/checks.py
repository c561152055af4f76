"""System checks of Samen's own settings, run by ``manage.py check --deploy``."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def base_url_is_set(app_configs=None, **kwargs) -> list[Warning]:
    """E-mails sent by the background worker (invitations, handovers, emergency access) link to Samen with
    ``SAMEN_BASE_URL``; without it, or without HTTPS, those links do not work or are not safe."""
    base_url = settings.SAMEN_BASE_URL
    if not base_url:
        return [
            Warning(
                "SAMEN_BASE_URL is empty: links in e-mails (invitations, handovers) will not work.",
                hint="Set SAMEN_BASE_URL to the address people reach Samen at, e.g. https://samen.example.nl.",
                id="samen.W001",
            )
        ]
    if not base_url.startswith("https://"):
        return [
            Warning(
                "SAMEN_BASE_URL does not start with https://: links in e-mails would send people to an "
                "unencrypted address.",
                hint="Use the https:// address of Samen.",
                id="samen.W002",
            )
        ]
    return []
