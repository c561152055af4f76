from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


class SecondFactorMiddleware:
    """Professionals must pass their second factor (TOTP) before anything else, when required."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.REQUIRE_SECOND_FACTOR and request.user.is_authenticated:
            actor = request.actor
            if actor.is_professional and not request.user.is_verified():
                allowed = {
                    reverse("accounts:second_factor"),
                    reverse("accounts:second_factor_setup"),
                    reverse("accounts:logout"),
                }
                if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                    return redirect("accounts:second_factor")
        return self.get_response(request)
