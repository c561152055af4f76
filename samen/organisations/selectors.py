from __future__ import annotations

from samen.organisations.models import Membership


def active_memberships_of(user) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("created_at", "pk")
    )
