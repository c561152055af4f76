"""Who may see the home page and what it links to (rules for ``samen.core.policy``)."""

from __future__ import annotations

from samen.core.actor import Actor, Role
from samen.core.policy import rule


@rule("home.view_home")
def view_home(actor: Actor, obj=None) -> bool:
    """Everyone who is logged in has a home page; anonymous visitors go to the login page."""
    return actor.is_authenticated and actor.role != Role.SYSTEM


@rule("home.link_support_admin")
def link_support_admin(actor: Actor, obj=None) -> bool:
    """Only a functional administrator with a support-admin account sees the link to it."""
    return actor.role == Role.FUNCTIONAL_ADMIN and actor.user is not None and actor.user.is_staff
