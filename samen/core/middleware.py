from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from samen.core.actor import actor_for_user

ACTIVE_MEMBERSHIP_SESSION_KEY = "samen_active_membership"


def client_ip(request) -> str | None:
    # REMOTE_ADDR only: behind a proxy, configure the proxy to set it (gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR") or None


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
