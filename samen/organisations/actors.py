"""Building the Actor (``samen.core.actor``) for a logged-in user from their memberships."""

from __future__ import annotations

from samen.core.actor import Actor, Role
from samen.organisations.selectors import active_memberships_of


def actor_for_user(user, *, membership_id: int | None = None, ip_address: str | None = None) -> Actor:
    """Build the Actor for a logged-in user.

    A professional acts through one membership (organisation + role); with several, the one
    chosen in the session (``membership_id``) or else the oldest. A user without a membership
    but linked to a household member is a citizen.
    """
    if user is None or not user.is_authenticated:
        return Actor(user=None, role=Role.ANONYMOUS, ip_address=ip_address)
    memberships = active_memberships_of(user)
    membership = None
    if memberships:
        membership = next((m for m in memberships if m.pk == membership_id), memberships[0])
        return Actor(
            user=user,
            role=Role(membership.role),
            organisation=membership.organisation,
            membership=membership,
            ip_address=ip_address,
        )
    return Actor(user=user, role=Role.CITIZEN, ip_address=ip_address)
