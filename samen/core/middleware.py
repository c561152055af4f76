from __future__ import annotations

ACTIVE_MEMBERSHIP_SESSION_KEY = "samen_active_membership"


def client_ip(request) -> str | None:
    # REMOTE_ADDR only: behind a proxy, configure the proxy to set it (gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR") or None
