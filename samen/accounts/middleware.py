from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode

from samen.core.middleware import ACTIVE_MEMBERSHIP_SESSION_KEY, client_ip
from samen.organisations.actors import actor_for_user


class SecondFactorMiddleware:
    """Professionals must pass their second factor (TOTP) before anything else, when required.

    Citizens are never asked. The pages needed to pass it (or give up: log out, switch language)
    stay reachable; a GET elsewhere comes back to where it was going after the second factor.
    """

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
                    reverse("set_language"),
                }
                if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                    url = reverse("accounts:second_factor")
                    if request.method == "GET":
                        url += "?" + urlencode({"next": request.get_full_path()})
                    return redirect(url)
        return self.get_response(request)


class ActorMiddleware:
    """Puts ``request.actor`` (built lazily, at most once per request) on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(
            lambda: actor_for_user(
                request.user,
                membership_id=request.session.get(ACTIVE_MEMBERSHIP_SESSION_KEY),
                ip_address=client_ip(request),
            )
        )
        return self.get_response(request)
