"""Who may use the accounts pages: the second factor and choosing a membership."""

from __future__ import annotations

from django.http import Http404

from samen.accounts.selectors import has_confirmed_totp_device
from samen.core.actor import Actor
from samen.core.policy import require, rule
from samen.organisations.models import Membership
from samen.organisations.selectors import active_memberships_of


@rule("accounts.use_second_factor")
def can_use_second_factor(actor: Actor, obj=None) -> bool:
    """Professionals log in with a second factor; citizens are never asked."""
    return actor.is_authenticated and actor.is_professional


@rule("accounts.set_up_second_factor")
def can_set_up_second_factor(actor: Actor, user) -> bool:
    """A professional sets up an app: the first one freely, another one only after passing the second factor.

    Otherwise someone who only knows the password could add their own app and skip the second factor.
    ``user`` is ``request.user``; django-otp's middleware gives it ``is_verified`` (without it: not verified).
    """
    if not can_use_second_factor(actor) or user is None or user.pk != actor.user_id:
        return False
    is_verified = getattr(user, "is_verified", None)
    return (callable(is_verified) and is_verified()) or not has_confirmed_totp_device(user)


@rule("accounts.choose_membership")
def can_choose_membership(actor: Actor, membership: Membership) -> bool:
    """Only one's own active memberships (of an active organisation)."""
    return (
        actor.is_authenticated
        and membership.user_id == actor.user_id
        and membership.is_active
        and membership.organisation.is_active
    )


def membership_for(actor: Actor, membership_id: int) -> Membership:
    """Fetch-and-check: the actor's own membership, or 404 for both "missing" and "not yours"."""
    if not actor.is_authenticated:
        raise Http404
    membership = next((m for m in active_memberships_of(actor.user) if m.pk == membership_id), None)
    if membership is None:
        raise Http404
    require(actor, "accounts.choose_membership", membership, hide=True)
    return membership
